import { codeLink } from './links.js';
import { refinesDate } from './dates.js';
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

// Fields a richer source may fill in a known paper (an abstract too, where a reference list gave none). id and
// source stay as they are: the paper is the one the corpus already knows, from where it first came. The reader's
// own fields (status, marked, tags) are theirs alone: no import sets, changes or drops them on a known paper.
const OWN: readonly PaperField[] = ['id', 'source', 'title', 'status', 'marked', 'tags'];
const FILLABLE = PAPER_FIELDS.filter((field) => !OWN.includes(field));

const isEmpty = (value: unknown) => value === undefined || value === null || value === '' || (Array.isArray(value) && value.length === 0);

/**
 * The ways two records can name the same paper, strongest first: arXiv id, DOI (in lower case), normalised
 * title; undefined for one it lacks. Each kind has its own table, so the keys are the paper's own strings.
 */
function keysOf(paper: NewPaper | Known): [arxiv: string | undefined, doi: string | undefined, title: string] {
  return [paper.arxiv || undefined, paper.doi ? paper.doi.toLowerCase() : undefined, 'titleKey' in paper ? paper.titleKey : titleKey(paper.title)];
}

/** What a merge needs of a paper to recognise it again: its title, or the key made of it (see titleKey). */
export type Known = Pick<Paper, 'id' | 'arxiv' | 'doi'> & ({ title: string } | { titleKey: string });

/**
 * Merges records into a corpus that may be too large to hold whole: it knows every paper by its keys, and
 * reads one whole (`load`) only when a record may add to it. Batches of records are taken one after
 * another; each is merged into the corpus and the papers the batches before it added.
 */
export class Merger {
  // Papers by arXiv id, by DOI and by title key (see keysOf).
  private readonly byKey = [new Map<string, number>(), new Map<string, number>(), new Map<string, number>()] as const;
  // Ids given here, and (with a subset) a test of the corpus's own, which are not all read.
  private readonly given = new Set<string>();
  private readonly corpusHas: (id: string) => boolean = () => false;
  private readonly taken = { has: (id: string) => this.given.has(id) || this.corpusHas(id), add: (id: string) => void this.given.add(id) };
  private readonly loaded = new Map<number, Paper>();
  private readonly added: Paper[] = [];
  // Papers earlier batches added: written and gone from memory, kept only as far as telling them apart needs.
  private readonly earlierArxiv: (string | undefined)[] = [];
  private readonly earlierDoi: (string | undefined)[] = [];

  /**
   * `subset`: when the records to come are known now and few, the corpus papers that share a key with one
   * of them (see wantedKeys), in order, and a test of the ids taken: only those papers are indexed, and no
   * id read, of a large corpus.
   */
  constructor(
    private readonly known: { length: number; keys(at: number): Known; load(at: number): Paper },
    subset?: { papers: number[]; taken: (id: string) => boolean },
  ) {
    if (subset) {
      for (const at of subset.papers) this.index(known.keys(at), at);
      this.corpusHas = subset.taken;
      return;
    }
    for (let at = 0; at < known.length; at++) {
      const keys = known.keys(at);
      this.index(keys, at);
      this.taken.add(keys.id);
    }
  }

  private index(paper: Known, at: number): void {
    keysOf(paper).forEach((key, kind) => {
      if (key !== undefined && !this.byKey[kind]!.has(key)) this.byKey[kind]!.set(key, at);
    });
  }

  private keyed(at: number): Pick<Known, 'arxiv' | 'doi'> {
    if (at < this.known.length) return this.loaded.get(at) ?? this.known.keys(at);
    const before = at - this.known.length;
    const earlier = this.earlierArxiv.length;
    if (before >= earlier) return this.added[before - earlier]!;
    const [arxiv, doi] = [this.earlierArxiv[before], this.earlierDoi[before]];
    return arxiv === undefined ? (doi === undefined ? {} : { doi }) : doi === undefined ? { arxiv } : { arxiv, doi };
  }

  /** Merges a batch: the papers it adds, the corpus papers it enriched (by number), and the records that added nothing. */
  take(incoming: NewPaper[]): { added: Paper[]; enriched: Map<number, Paper>; present: NewPaper[] } {
    for (const paper of this.added) {
      this.earlierArxiv.push(paper.arxiv);
      this.earlierDoi.push(paper.doi);
    }
    this.added.length = 0;
    const addedBefore = this.earlierArxiv.length;
    const enriched = new Map<number, Paper>();
    const present: NewPaper[] = [];
    for (const record of incoming) {
      const at = keysOf(record)
        .map((key, kind) => (key === undefined ? undefined : this.byKey[kind]!.get(key)))
        .find((found) => found !== undefined && !conflicting(this.keyed(found), record));
      if (at === undefined || (at >= this.known.length && at < this.known.length + addedBefore)) {
        if (at !== undefined) {
          present.push(record);
          continue;
        }
        const { line: _line, id: wanted, ...fields } = record;
        const id = wanted !== undefined && !this.taken.has(wanted) ? wanted : uniqueId(record.title, this.taken);
        this.taken.add(id);
        const paper = { id, ...fields };
        this.added.push(paper);
        this.index(paper, this.known.length + addedBefore + this.added.length - 1);
        continue;
      }
      let known: Paper;
      if (at >= this.known.length) known = this.added[at - this.known.length - addedBefore]!;
      else {
        known = this.loaded.get(at) ?? { ...this.known.load(at) };
        this.loaded.set(at, known);
      }
      const filled = fill(known, record);
      if (filled.length === 0) present.push(record);
      else if (at < this.known.length) enriched.set(at, known);
      // What it is now known by (a DOI it just got) finds it next time too.
      this.index(known, at);
    }
    return { added: [...this.added], enriched, present };
  }
}

/**
 * New papers are appended with fresh ids. A paper the corpus already has (same arXiv id, else DOI, else
 * title) gets the fields it lacks from the incoming record (see fill), and keeps every field it has: hand edits win,
 * and ids never change.
 */
export function mergePapers(corpus: Paper[], incoming: NewPaper[]): Merge {
  const { added, enriched, present } = new Merger({ length: corpus.length, keys: (at) => corpus[at]!, load: (at) => corpus[at]! }).take(incoming);
  const papers = corpus.map((paper, at) => enriched.get(at) ?? { ...paper });
  papers.push(...added);
  return { papers, added, enriched: [...enriched.values()], present };
}

/** What a paper must have (one of) to be the same as one of `records`: arXiv ids, DOIs in lower case, title keys. */
export interface WantedKeys {
  arxiv: Set<string>;
  doi: Set<string>;
  title: Set<string>;
}

export function wantedKeys(records: NewPaper[]): WantedKeys {
  const wanted: WantedKeys = { arxiv: new Set(), doi: new Set(), title: new Set() };
  for (const record of records) {
    if (record.arxiv) wanted.arxiv.add(record.arxiv);
    if (record.doi) wanted.doi.add(record.doi.toLowerCase());
    wanted.title.add(titleKey(record.title));
  }
  return wanted;
}

/** Of `papers`, those with a key in `wanted`, numbered. */
export function matchingKeys(papers: Known[], wanted: WantedKeys): [number, Known][] {
  const found: [number, Known][] = [];
  papers.forEach((paper, at) => {
    const title = 'titleKey' in paper ? paper.titleKey : titleKey(paper.title);
    if ((paper.arxiv && wanted.arxiv.has(paper.arxiv)) || (paper.doi && wanted.doi.has(paper.doi.toLowerCase())) || wanted.title.has(title)) found.push([at, paper]);
  });
  return found;
}

/**
 * Two records with different arXiv ids, or different DOIs, are different papers even when their titles
 * are the same ("Comment on ...", "Erratum"). The same arXiv id is the same paper whatever else differs
 * (a DOI edited by hand, or given to the journal version).
 */
export function conflicting(paper: Pick<Known, 'arxiv' | 'doi'>, record: Pick<NewPaper, 'arxiv' | 'doi'>): boolean {
  if (paper.arxiv && record.arxiv) return paper.arxiv !== record.arxiv;
  return Boolean(paper.doi && record.doi && paper.doi.toLowerCase() !== record.doi.toLowerCase());
}

/** An arXiv page that names a version of the paper, `https://arxiv.org/abs/1706.03762v7` or `…/pdf/1706.03762v7.pdf`. */
const versionedPage = (url: string | undefined, arxiv: string | undefined) =>
  Boolean(url && arxiv && url.replace(/\.pdf$/, '').match(/^https?:\/\/(?:export\.)?arxiv\.org\/(?:abs|pdf)\/(.+)v\d+$/)?.[1] === arxiv);

/**
 * The fields a source keeps up to date and no one writes by hand, renewed in `paper` from `record`: the Hub's
 * upvotes (a count that grows: the larger one, so that an older file never lowers it), a code link the
 * source names (the Hub's repository) where the paper has only the guess from its abstract's links, and an
 * arXiv page that names a version, for the unversioned one. Returns their names.
 */
function renew(paper: Paper, record: NewPaper): PaperField[] {
  const renewed: PaperField[] = [];
  if (record.upvotes !== undefined && paper.upvotes !== undefined && record.upvotes > paper.upvotes) {
    paper.upvotes = record.upvotes;
    renewed.push('upvotes');
  }
  const named = record.code !== null && record.code !== codeLink(record.links);
  if (named && paper.code !== null && paper.code !== record.code && paper.code === codeLink(paper.links)) {
    paper.code = record.code;
    renewed.push('code');
  }
  for (const field of ['url', 'pdf'] as const) {
    const value = record[field];
    if (value !== undefined && !versionedPage(value, record.arxiv) && versionedPage(paper[field], paper.arxiv)) {
      paper[field] = value;
      renewed.push(field);
    }
  }
  return renewed;
}

/**
 * Copies into `paper` the fields it lacks that `record` has, a publication date known more precisely (the day
 * of a month known), and renews what a source keeps up to date; returns their names.
 */
export function fill(paper: Paper, record: NewPaper): PaperField[] {
  const filled: PaperField[] = renew(paper, record);
  const target = paper as unknown as Record<string, unknown>;
  for (const field of FILLABLE) {
    const value = record[field];
    const refined = field === 'published' && paper.published !== undefined && record.published !== undefined && refinesDate(paper.published, record.published);
    if (!refined && (isEmpty(value) || !isEmpty(target[field]))) continue;
    target[field] = Array.isArray(value) ? [...value] : value;
    filled.push(field);
  }
  return filled;
}
