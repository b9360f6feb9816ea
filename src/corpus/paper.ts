import { UsageError, unknownChoice } from '../errors.js';
import { fold } from '../text/words.js';

export interface Paper {
  /** Short slug from the title; unique in the corpus and never changed once given. */
  id: string;
  title: string;
  abstract: string;
  /** The digest's date line as written, e.g. "Mar 11"; null when the digest had none. */
  date: string | null;
  /** File name of the digest the paper was imported from. */
  source: string;
  /** Every URL in the abstract, trailing punctuation removed. */
  links: string[];
  /** The first GitHub repository among the links. */
  code: string | null;
}

/** The fields of a paper, in the one order every output and the corpus file use. */
export const PAPER_FIELDS = ['id', 'title', 'date', 'source', 'code', 'links', 'abstract'] as const;
export type PaperField = (typeof PAPER_FIELDS)[number];

const ID = /^[a-z0-9][a-z0-9-]*$/;

/** The form every id has: lower-case letters, digits and dashes (so it is safe in a shell, a URL and BibTeX). */
export function isPaperId(value: unknown): value is string {
  return typeof value === 'string' && ID.test(value);
}

/** A value that has every field of a paper, with the right types (for papers read back from the cache). */
export function isPaper(value: unknown): value is Paper {
  if (typeof value !== 'object' || value === null) return false;
  const p = value as Record<string, unknown>;
  const text = (v: unknown) => typeof v === 'string';
  const maybe = (v: unknown) => v === null || typeof v === 'string';
  return (
    isPaperId(p.id) &&
    text(p.title) &&
    text(p.abstract) &&
    maybe(p.date) &&
    text(p.source) &&
    maybe(p.code) &&
    Array.isArray(p.links) &&
    p.links.every(text)
  );
}

/** A paper as a reader produces it: everything but the id, which the corpus gives when it is merged. */
export type NewPaper = Omit<Paper, 'id'> & { /** Where it starts in its source, for messages. */ line?: number };

/** What `list` and `show` need of every paper, without the abstracts. */
export interface PaperSummary {
  doc: number;
  id: string;
  title: string;
  date: string | null;
  code: string | null;
}

export function summarize(paper: Paper, doc: number): PaperSummary {
  return { doc, id: paper.id, title: paper.title, date: paper.date, code: paper.code };
}

/** The paper's chosen fields, in that order, as plain data for JSON, YAML and CSV. */
export function paperRecord(paper: Paper, fields: readonly PaperField[] = PAPER_FIELDS): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const field of fields) record[field] = paper[field];
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

/** A field as one piece of text, for CSV and TSV: lists joined with spaces, no value empty. */
export function fieldText(paper: Paper, field: PaperField): string {
  const value = paper[field];
  return Array.isArray(value) ? value.join(' ') : (value ?? '');
}

// Words that make a slug longer without making it easier to recognise.
const SLUG_STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'for', 'and', 'in', 'on', 'to', 'with', 'via', 'by', 'is', 'are', 'from', 'at', 'as']);
// Long enough to tell papers apart, short enough to type.
const SLUG_MAX_LENGTH = 32;

export function slugify(title: string): string {
  const words = fold(title).split(/[^a-z0-9]+/).filter(Boolean);
  const kept = words.filter((w) => !SLUG_STOP_WORDS.has(w));
  let slug = '';
  for (const word of kept.length > 0 ? kept : words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > SLUG_MAX_LENGTH && slug) break;
    slug = next.slice(0, SLUG_MAX_LENGTH);
  }
  return slug || 'paper';
}

/** A slug for `title` not in `taken`; the taken set is updated. */
export function uniqueId(title: string, taken: Set<string>): string {
  const base = slugify(title);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Two titles that differ only in case, accents, spacing or punctuation name the same paper. */
export function titleKey(title: string): string {
  return fold(title).replace(/[^\p{L}\p{N}]+/gu, '');
}

const URL_PATTERN = /https?:\/\/[^\s<>"'`]+/g;
// Punctuation that ends a sentence or closes a bracket around a URL rather than belonging to it.
const URL_TRAILING = /[.,;:!?)\]}'"]+$/;

export function extractLinks(text: string): string[] {
  const links: string[] = [];
  for (const match of text.matchAll(URL_PATTERN)) {
    const url = match[0].replace(URL_TRAILING, '');
    if (url.length > 'https://'.length && !links.includes(url)) links.push(url);
  }
  return links;
}

const GITHUB_REPO = /^https?:\/\/(?:www\.)?github\.com\/[\w.-]+\/[\w.-]+/i;

export function codeLink(links: string[]): string | null {
  for (const link of links) {
    const repo = GITHUB_REPO.exec(link);
    if (repo) return repo[0].replace(/\.git$/, '');
  }
  return null;
}

/** "owner/repo" for a GitHub URL, for narrow table cells. */
export function shortCode(code: string | null): string {
  if (!code) return '';
  return code.replace(/^https?:\/\/(?:www\.)?github\.com\//i, '');
}

// LaTeX escapes left in scraped abstracts (`Embedding\&MLP`, `84.25\%`): the character alone is what was meant.
const LATEX_ESCAPED = /\\([&%#_$])/g;
// HTML entities a page's text can keep when saved (`&amp;`, `&#8217;`): the character is what was meant.
const ENTITY = /&(?:(amp|lt|gt|quot|apos|nbsp)|#(\d{1,7})|#x([0-9a-f]{1,6}));/gi;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function decodeEntity(entity: string, name?: string, decimal?: string, hex?: string): string {
  if (name) return NAMED[name.toLowerCase()]!;
  const code = decimal ? Number(decimal) : parseInt(hex!, 16);
  // Control characters and invalid code points stay written out, as they were.
  if (code < 0x20 || (code >= 0x7f && code < 0xa0) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return entity;
  return String.fromCodePoint(code);
}

export function cleanScrapedText(text: string): string {
  return text.replace(LATEX_ESCAPED, '$1').replace(ENTITY, decodeEntity);
}
