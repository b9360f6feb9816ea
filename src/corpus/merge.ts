import { PAPER_FIELDS, type NewPaper, type Paper, type PaperField } from './paper.js';
import { titleKey, uniqueId } from './slug.js';

export interface Merge {
  papers: Paper[];
  added: Paper[];
  /** Papers already in the corpus that the input told more about: their missing fields are filled. */
  enriched: Paper[];
  /** Incoming papers that are already in the corpus and add nothing to it. */
  present: NewPaper[];
}

// Fields a richer source may fill in a known paper. id and source stay as they are: the paper is the one
// the corpus already knows, from where it first came.
const FILLABLE = PAPER_FIELDS.filter((field) => field !== 'id' && field !== 'source' && field !== 'title' && field !== 'abstract');

const isEmpty = (value: unknown) => value === undefined || value === null || (Array.isArray(value) && value.length === 0);

/** The ways two records can name the same paper, strongest first: arXiv id, DOI, normalised title. */
function keysOf(paper: NewPaper | Paper): string[] {
  const keys: string[] = [];
  if (paper.arxiv) keys.push(`arxiv:${paper.arxiv}`);
  if (paper.doi) keys.push(`doi:${paper.doi.toLowerCase()}`);
  keys.push(`title:${titleKey(paper.title)}`);
  return keys;
}

/**
 * New papers are appended with fresh ids. A paper the corpus already has (same arXiv id, else DOI, else
 * title) gets the fields it lacks from the incoming record, and keeps every field it has: hand edits win,
 * and ids never change.
 */
export function mergePapers(corpus: Paper[], incoming: NewPaper[]): Merge {
  const papers = corpus.map((paper) => ({ ...paper }));
  const byKey = new Map<string, number>();
  const index = (paper: Paper, at: number) => {
    for (const key of keysOf(paper)) if (!byKey.has(key)) byKey.set(key, at);
  };
  papers.forEach(index);
  const taken = new Set(papers.map((p) => p.id));
  const added: Paper[] = [];
  const enriched = new Set<number>();
  const present: NewPaper[] = [];
  for (const record of incoming) {
    const at = keysOf(record)
      .map((key) => byKey.get(key))
      .find((found) => found !== undefined && !conflicting(papers[found]!, record));
    if (at === undefined) {
      const { line: _line, id: wanted, ...fields } = record;
      const id = wanted !== undefined && !taken.has(wanted) ? wanted : uniqueId(record.title, taken);
      taken.add(id);
      const paper = { id, ...fields };
      added.push(paper);
      papers.push(paper);
      index(paper, papers.length - 1);
      continue;
    }
    const known = papers[at]!;
    const filled = fill(known, record);
    if (filled.length === 0) present.push(record);
    else if (at < corpus.length) enriched.add(at);
    // What it is now known by (a DOI it just got) finds it next time too.
    index(known, at);
  }
  return { papers, added, enriched: [...enriched].map((at) => papers[at]!), present };
}

/**
 * Two records with different arXiv ids, or different DOIs, are different papers even when their titles
 * are the same ("Comment on ...", "Erratum"). The same arXiv id is the same paper whatever else differs
 * (a DOI edited by hand, or given to the journal version).
 */
function conflicting(paper: Paper, record: NewPaper): boolean {
  if (paper.arxiv && record.arxiv) return paper.arxiv !== record.arxiv;
  return Boolean(paper.doi && record.doi && paper.doi.toLowerCase() !== record.doi.toLowerCase());
}

/** Copies into `paper` the fields it lacks that `record` has; returns their names. */
function fill(paper: Paper, record: NewPaper): PaperField[] {
  const filled: PaperField[] = [];
  const target = paper as unknown as Record<string, unknown>;
  for (const field of FILLABLE) {
    const value = record[field];
    if (isEmpty(value) || !isEmpty(target[field])) continue;
    target[field] = Array.isArray(value) ? [...value] : value;
    filled.push(field);
  }
  return filled;
}
