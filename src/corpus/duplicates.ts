import { conflicting, fill, type Known } from './merge.js';
import type { Paper } from './paper.js';
import { titleKey, uniqueId } from './slug.js';

/*
 * Two clones of a corpus folder that import the same papers, then merge through git, hold those papers
 * twice: in two files, under the same id (or, added by two routes, the same arXiv id or DOI under two
 * ids). Reading keeps the first copy in corpus order and fills in the fields it lacks from the later ones
 * (as an import would); a later paper that only shares an id with a different paper (another title, arXiv
 * id or DOI) is a paper of its own, and is given a new id. `papers doctor --fix` writes exactly what reading shows.
 */

/** What makes a paper a later copy: the same arXiv id, DOI or id as an earlier one; or an id taken by another paper. */
type DuplicateKind = 'arxiv' | 'doi' | 'id' | 'clash';

export interface Duplicate {
  kind: DuplicateKind;
  /** The later paper, numbered through the corpus, and its file. */
  at: number;
  id: string;
  file: string;
  /** The earlier paper it is read into (for a clash: the one that keeps the id), and its file. */
  into: number;
  intoId: string;
  intoFile: string;
}

/** The corpus's papers as they are found: each file's name, and what tells its papers apart (in file order). */
export interface Part {
  file: string;
  keys: Known[];
}

/** Every later copy of a paper, and every paper whose id another paper had first, in corpus order. */
export function findDuplicates(parts: Part[]): Duplicate[] {
  const [byArxiv, byDoi, byId] = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()];
  // What the first copies are known by, their later copies' keys filled in: what the next ones are checked against.
  const kept = new Map<number, { id: string; file: string; title: string; arxiv?: string; doi?: string }>();
  const found: Duplicate[] = [];
  let at = 0;
  for (const { file, keys } of parts) {
    for (const paper of keys) {
      const doi = paper.doi ? paper.doi.toLowerCase() : undefined;
      const record = { ...(paper.arxiv ? { arxiv: paper.arxiv } : {}), ...(doi ? { doi } : {}) };
      const title = 'titleKey' in paper ? paper.titleKey : titleKey(paper.title);
      const same = (into: number | undefined) => (into !== undefined && !conflicting(kept.get(into)!, record) ? into : undefined);
      const owner = byId.get(paper.id);
      const candidates: [DuplicateKind, number | undefined][] = [
        ['arxiv', paper.arxiv ? byArxiv.get(paper.arxiv) : undefined],
        ['doi', doi ? same(byDoi.get(doi)) : undefined],
        // One id is one paper only with the same title too: two papers that happened to get one id are both kept.
        ['id', owner !== undefined && kept.get(owner)!.title === title ? same(owner) : undefined],
      ];
      const match = candidates.find(([, into]) => into !== undefined);
      const target = match?.[1] ?? owner;
      if (target !== undefined) {
        const first = kept.get(target)!;
        found.push({ kind: match?.[0] ?? 'clash', at, id: paper.id, file, into: target, intoId: first.id, intoFile: first.file });
      }
      if (match) {
        const first = kept.get(match[1]!)!;
        first.arxiv ??= record.arxiv;
        first.doi ??= record.doi;
        remember(byArxiv, first.arxiv, match[1]!);
        remember(byDoi, first.doi, match[1]!);
      } else {
        kept.set(at, { id: paper.id, file, title, ...record });
        remember(byArxiv, record.arxiv, at);
        remember(byDoi, record.doi, at);
        remember(byId, paper.id, at);
      }
      at++;
    }
  }
  return found;
}

function remember(map: Map<string, number>, key: string | undefined, at: number): void {
  if (key !== undefined && !map.has(key)) map.set(key, at);
}

/**
 * The papers as reading shows them, in place: each later copy null and its fields filled into the first
 * one (into a copy, when that adds to it: the papers given are not changed), a paper whose id was taken
 * given a new one, every other paper as it is (the same object).
 */
export function resolveInPlace(papers: Paper[], duplicates: Duplicate[]): (Paper | null)[] {
  const result: (Paper | null)[] = [...papers];
  const taken = new Set(papers.map((paper) => paper.id));
  for (const { kind, at, into } of duplicates) {
    if (kind === 'clash') {
      result[at] = { ...papers[at]!, id: uniqueId(papers[at]!.title, taken) };
      continue;
    }
    const first = result[into] === papers[into] ? { ...papers[into]! } : result[into]!;
    if (fill(first, papers[at]!).length > 0) result[into] = first;
    result[at] = null;
  }
  return result;
}

/** The papers as reading shows them: each once (see resolveInPlace). */
export function resolveDuplicates(papers: Paper[], duplicates: Duplicate[]): Paper[] {
  return resolveInPlace(papers, duplicates).filter((paper): paper is Paper => paper !== null);
}

/** The one line that says a corpus holds duplicates, and what to do about them. */
export function duplicatesWarning(duplicates: Duplicate[], corpus: string): string {
  const n = duplicates.length;
  const what = n === 1 ? '1 paper is' : `${n} papers are`;
  return `papers: warning: ${what} in ${corpus} twice (the same id, arXiv id or DOI in two places), read as one; \`papers doctor\` lists them, \`papers doctor --fix\` repairs the files\n`;
}
