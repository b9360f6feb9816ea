import { UsageError, unknownChoice } from '../base/errors.js';
import { isPartialDate } from './dates.js';

export interface Paper {
  /** Short slug from the title; unique in the corpus and never changed once given. */
  id: string;
  title: string;
  abstract: string;
  /** The digest's date line as written, e.g. "Mar 11"; null when the digest had none. */
  date: string | null;
  /** The file the paper was imported from. */
  source: string;
  /** Every URL in the abstract, trailing punctuation removed. */
  links: string[];
  /** The code repository: the first GitHub repository among the links, or what the source names. */
  code: string | null;
  // Known when a source gives them; never invented.
  /** Names as people write them. */
  authors?: string[];
  /** The first publication, as precisely as it is known: YYYY-MM-DD, YYYY-MM or YYYY. */
  published?: string;
  /** The day it was on the Hugging Face daily papers list, YYYY-MM-DD (the first, if more than one). */
  daily?: string;
  /** The citation key the paper came with (from a .bib file), kept so that `\cite{...}` still finds it. */
  key?: string;
  /** The BibTeX entry type it came as, lower-case: article, inproceedings, book... */
  entrytype?: string;
  /** The arXiv identifier without its version: 2410.17243, hep-th/9901001. */
  arxiv?: string;
  doi?: string;
  /** The journal reference, once published. */
  journal?: string;
  /** The proceedings (or book) a paper appeared in. */
  booktitle?: string;
  volume?: string;
  /** The issue or report number. */
  number?: string;
  /** A page range as BibTeX writes it: 5998--6008. */
  pages?: string;
  publisher?: string;
  /** arXiv categories, the primary one first: cs.LG. */
  categories?: string[];
  /** Keywords the source gave, as written. */
  keywords?: string[];
  /** The paper's landing page. */
  url?: string;
  pdf?: string;
  /** The project page. */
  project?: string;
  /** Hugging Face upvotes. */
  upvotes?: number;
  /** The arXiv comment line ("12 pages, 4 figures"). */
  comments?: string;
  // The reader's own: set by `papers mark` and `papers tag` (or by hand), never by a source.
  /** Where the paper is in the reader's reading: absent means unread. */
  status?: Status;
  /** The local day the status was last set, YYYY-MM-DD. */
  marked?: string;
  /** The reader's tags: lower-case words, with -, _, / or . inside (project/thesis, to-cite). */
  tags?: string[];
}

/** A paper's reading status; `unread` is its absence. */
export const STATUSES = ['queued', 'reading', 'read'] as const;
export type Status = (typeof STATUSES)[number];

/** A tag: lower-case letters and digits, with -, _, / or . between them. */
const TAG = /^[a-z0-9]+(?:[-_/.][a-z0-9]+)*$/;
export const TAG_RULE = 'lower-case letters and digits, with -, _, / or . inside (like project/thesis or to-cite)';
export const isTag = (value: unknown): value is string => typeof value === 'string' && TAG.test(value);

/** `a,b` as given to `option`: each a tag (no other case is read as one), at least one. */
export function parseTags(value: string, option: string): string[] {
  const tags = value
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  if (tags.length === 0) throw new UsageError(`${option} needs at least one tag`);
  for (const tag of tags) if (!isTag(tag)) throw new UsageError(`${option}: \`${tag}\` is not a tag: a tag is ${TAG_RULE}`);
  return tags;
}

/** A paper as a reader produces it: everything but the id, which the corpus gives when it is merged. */
export type NewPaper = Omit<Paper, 'id'> & {
  /** Where it starts in its source, for messages. */
  line?: number;
  /** The id it had in the corpus it was exported from, which the importing corpus keeps if it is free. */
  id?: string;
};

/** What `list` and `show` need of every paper, without the abstracts. */
export interface PaperSummary {
  doc: number;
  id: string;
  title: string;
  date: string | null;
  code: string | null;
  published?: string;
  daily?: string;
  authors?: string[];
  categories?: string[];
  upvotes?: number;
  status?: Status;
  marked?: string;
  tags?: string[];
}

export function summarize(paper: Paper, doc: number): PaperSummary {
  const summary: PaperSummary = { doc, id: paper.id, title: paper.title, date: paper.date, code: paper.code };
  if (paper.published !== undefined) summary.published = paper.published;
  if (paper.daily !== undefined) summary.daily = paper.daily;
  if (paper.authors !== undefined) summary.authors = paper.authors;
  if (paper.categories !== undefined) summary.categories = paper.categories;
  if (paper.upvotes !== undefined) summary.upvotes = paper.upvotes;
  if (paper.status !== undefined) summary.status = paper.status;
  if (paper.marked !== undefined) summary.marked = paper.marked;
  if (paper.tags !== undefined) summary.tags = paper.tags;
  return summary;
}

/**
 * The paper's chosen fields, in that order, as plain data. A field the paper does not have is left out
 * (`omit`, for the corpus file) or null (`null`, for exports, whose shape should not depend on the paper).
 */
export function paperRecord(paper: Paper, fields: readonly PaperField[] = PAPER_FIELDS, absent: 'omit' | 'null' = 'null'): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of fields) {
    const value = paper[field];
    if (value !== undefined) record[field] = value;
    else if (absent === 'null') record[field] = null;
  }
  return record;
}

/** "id,title" -> those fields in that order; an unknown name is a usage error. */
export function parseFields(value: string): PaperField[] {
  const fields = value
    .split(',')
    .map((f) => f.trim())
    .filter(Boolean);
  if (fields.length === 0) throw new UsageError('--fields needs at least one field name');
  for (const field of fields) if (!(PAPER_FIELDS as readonly string[]).includes(field)) throw unknownChoice('field', field, PAPER_FIELDS);
  return fields as PaperField[];
}

/** The fields of a paper, in the one order every output and the corpus file use. */
export const PAPER_FIELDS = [
  'id',
  'title',
  'authors',
  'date',
  'published',
  'daily',
  'source',
  'key',
  'entrytype',
  'arxiv',
  'doi',
  'journal',
  'booktitle',
  'volume',
  'number',
  'pages',
  'publisher',
  'categories',
  'keywords',
  'url',
  'pdf',
  'code',
  'project',
  'links',
  'upvotes',
  'comments',
  'status',
  'marked',
  'tags',
  'abstract',
] as const;
export type PaperField = (typeof PAPER_FIELDS)[number];

/** The fields every paper has; the others are there only when a source gave them. */
export const REQUIRED_FIELDS = ['id', 'title', 'date', 'source', 'code', 'links', 'abstract'] as const;

type Kind = 'id' | 'text' | 'maybe-text' | 'label' | 'list' | 'urls' | 'arxiv' | 'date' | 'day' | 'doi' | 'url' | 'count' | 'cite-key' | 'entry-type' | 'status' | 'tags';

const KINDS: Record<PaperField, Kind> = {
  id: 'id',
  title: 'text',
  authors: 'list',
  date: 'maybe-text',
  published: 'date',
  daily: 'day',
  source: 'text',
  key: 'cite-key',
  entrytype: 'entry-type',
  arxiv: 'arxiv',
  doi: 'doi',
  journal: 'text',
  booktitle: 'text',
  volume: 'label',
  number: 'label',
  pages: 'label',
  publisher: 'text',
  categories: 'list',
  keywords: 'list',
  url: 'url',
  pdf: 'url',
  code: 'maybe-text',
  project: 'url',
  links: 'urls',
  upvotes: 'count',
  comments: 'text',
  status: 'status',
  marked: 'day',
  tags: 'tags',
  abstract: 'text',
};

const ID = /^[a-z0-9][a-z0-9-]*$/;
// New-style identifiers (YYMM.NNNN from 0704 to 1412, YYMM.NNNNN since 1501), and old-style ones with their archive.
/** An arXiv id, unanchored: for readers that find one inside a longer reference. */
export const ARXIV_ID = String.raw`(?:(?:0[7-9]|1[0-4])(?:0[1-9]|1[0-2])\.\d{4}|(?:1[5-9]|[2-9]\d)(?:0[1-9]|1[0-2])\.\d{5}|[a-z][a-z-]*(?:\.[A-Z]{2})?\/\d{7})`;
const ARXIV = new RegExp(`^${ARXIV_ID}$`);
const DOI = /^10\.\d{4,9}\/\S+$/;
const URL = /^https?:\/\/\S+$/i;

export function isPaperId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** An arXiv identifier without its version: `2410.17243`, `hep-th/9901001`. */
export function isArxivId(value: unknown): value is string {
  return typeof value === 'string' && ARXIV.test(value);
}

// A BibTeX key as bibtex reads one: no spaces, and none of the characters that end it or start another field.
const CITE_KEY = /^[^\s,{}()"#%'=\\~]+$/;
const ENTRY_TYPE = /^[a-z]+$/;

const RULES: Record<Kind, { check: (value: unknown) => boolean; want: string }> = {
  id: { check: isPaperId, want: 'lower-case letters, digits and dashes' },
  text: { check: (v) => typeof v === 'string', want: 'text' },
  'maybe-text': { check: (v) => v === null || typeof v === 'string', want: 'text' },
  label: { check: (v) => typeof v === 'string' && v.trim() !== '', want: 'text' },
  list: { check: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim() !== ''), want: 'a list of names' },
  urls: { check: (v) => Array.isArray(v) && v.every((x) => typeof x === 'string'), want: 'a list of URLs' },
  arxiv: { check: isArxivId, want: 'an arXiv id without version, like 2410.17243 or hep-th/9901001' },
  date: { check: (v) => typeof v === 'string' && isPartialDate(v), want: 'a date written YYYY-MM-DD, YYYY-MM or YYYY' },
  day: { check: (v) => typeof v === 'string' && v.length === 10 && isPartialDate(v), want: 'a day written YYYY-MM-DD' },
  doi: { check: (v) => typeof v === 'string' && DOI.test(v), want: 'a DOI, like 10.48550/arXiv.2410.17243' },
  url: { check: (v) => typeof v === 'string' && URL.test(v), want: 'an http(s) URL' },
  // Past 2^53 a number is no longer kept exactly, and JavaScript writes it as 1e+21, which no reader takes for a count.
  count: { check: (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0, want: `a whole number up to ${Number.MAX_SAFE_INTEGER}` },
  'cite-key': { check: (v) => typeof v === 'string' && CITE_KEY.test(v), want: 'a citation key without spaces, commas, braces or quotes' },
  'entry-type': { check: (v) => typeof v === 'string' && ENTRY_TYPE.test(v), want: 'a BibTeX entry type in lower case, like article or inproceedings' },
  status: { check: (v) => (STATUSES as readonly unknown[]).includes(v), want: `one of ${STATUSES.join(', ')} (leave it out for unread)` },
  tags: { check: (v) => Array.isArray(v) && v.every(isTag) && new Set(v).size === v.length, want: `a list of different tags, each ${TAG_RULE}` },
};

/**
 * A field's value checked against the corpus rules: the value (a count read from YAML as text becomes a
 * number), or what it should have been.
 */
export function checkField(field: PaperField, value: unknown): { value: unknown } | { want: string } {
  const kind = KINDS[field];
  const read = kind === 'count' && typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : readAsText(kind, value);
  return RULES[kind].check(read) ? { value: read } : { want: RULES[kind].want };
}

/** A number where text is meant (a hand-written `"volume": 30` or `"published": 2017` in JSON), as that text. */
function readAsText(kind: Kind, value: unknown): unknown {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) return value;
  if (kind === 'label' || (kind === 'date' && value >= 1000 && value <= 9999)) return String(value);
  return value;
}

/** A value that has every field of a paper, with the right types (for papers read back from the cache). */
export function isPaper(value: unknown): value is Paper {
  if (typeof value !== 'object' || value === null) return false;
  const paper = value as Record<string, unknown>;
  return PAPER_FIELDS.every((field) => {
    const present = paper[field] !== undefined;
    if (!present) return !(REQUIRED_FIELDS as readonly string[]).includes(field);
    const checked = checkField(field, paper[field]);
    return 'value' in checked && checked.value === paper[field];
  });
}

/** What joins the items of a list field in one piece of text: `; ` for names and keywords (which have spaces), else a space. */
export const listSeparator = (field: PaperField) => (field === 'authors' || field === 'keywords' ? '; ' : ' ');

/** A field as one piece of text, for CSV and TSV: lists joined with `; ` for names and keywords, spaces for URLs and categories; no value empty. */
export function fieldText(paper: Paper, field: PaperField): string {
  const value = paper[field];
  if (Array.isArray(value)) return value.join(listSeparator(field));
  return value === undefined || value === null ? '' : String(value);
}
