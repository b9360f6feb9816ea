import type { Paper } from '../corpus/paper.js';
import { blankControls } from '../text/controls.js';
import type { CslName } from '../text/names.js';
import { STOP_WORDS } from '../text/stopwords.js';
import { fold } from '../text/words.js';
import type { KeyStyle } from './formats.js';
import { renderJson } from './json.js';

// What the citation formats (BibTeX, CSL JSON, RIS) share: the kind of work, its web address, its citation key.

/** arXiv's own DOIs (DataCite, 10.48550/arXiv.2406.07476) name the preprint, not a journal version. */
const ARXIV_DOI = /^10\.48550\/arxiv\./i;
const WEB_URL = /^https?:\/\//i;

/** A journal article once it has a journal reference or a DOI other than arXiv's; a preprint before. */
export function isJournalArticle(paper: Paper): boolean {
  return Boolean(paper.journal?.trim()) || (paper.doi !== undefined && !ARXIV_DOI.test(paper.doi));
}

export const arxivUrl = (id: string) => `https://arxiv.org/abs/${id}`;

/**
 * The paper's web address: its landing page, else its arXiv abstract page, else the first web address it has
 * (the code repository or a link of the abstract). Only http(s): a javascript: or data: URL is not a reference.
 */
export function paperUrl(paper: Paper): string | undefined {
  const candidates = [paper.url, paper.arxiv === undefined ? undefined : arxivUrl(paper.arxiv), paper.code, ...paper.links];
  return candidates.find((u): u is string => typeof u === 'string' && WEB_URL.test(u.trim()));
}

/** Year, month and day of the first publication (YYYY-MM-DD), as numbers. */
export function publishedParts(paper: Paper): [year: number, month: number, day: number] | undefined {
  const match = paper.published === undefined ? null : /^(\d{4})-(\d{2})-(\d{2})$/.exec(paper.published);
  return match ? [Number(match[1]), Number(match[2]), Number(match[3])] : undefined;
}

/** One line of text: control characters and line or paragraph separators as single spaces, trimmed. */
const oneLine = (text: string) =>
  blankControls(text)
    .replace(/[\s\u2028\u2029]+/g, ' ')
    .trim();

// Letters that have no decomposition into ASCII plus accents, spelled in ASCII for keys.
const ASCII_LETTERS: Record<string, string> = { ß: 'ss', æ: 'ae', ø: 'o', œ: 'oe', ł: 'l', đ: 'd', ð: 'd', þ: 'th', ı: 'i' };
const asciiWords = (text: string) =>
  fold(text)
    .replace(/[ßæøœłđðþı]/g, (c) => ASCII_LETTERS[c]!)
    .split(/[^a-z0-9]+/)
    .filter(Boolean);

const NAME_SUFFIX = /^(?:jr|sr|ii|iii|iv)\.?$/i;
const TRAILING_SUFFIX = /^(.*[^\s,])(?:\s*,\s*|\s+)((?:jr|sr|ii|iii|iv)\.?)$/i;

/** "Martin Luther King Jr." or "King, Martin Luther, Jr." -> the name without its suffix, and the suffix. */
export function splitSuffix(name: string): [rest: string, suffix: string] | undefined {
  const match = TRAILING_SUFFIX.exec(name);
  return match ? [match[1]!, match[2]!] : undefined;
}

/**
 * The surname of a name as people write it, for keys: "Zesen Cheng" and "Cheng, Zesen" -> Cheng, "Guido van
 * Rossum" and "van Rossum, Guido" -> Rossum, "Martin Luther King Jr." -> King; a parenthesised affiliation is left out.
 */
function surname(name: string): string {
  const flat = oneLine(name.replace(/\([^)]*\)/g, ' '));
  const [first = '', second] = flat.split(',').map((part) => part.trim());
  if (second !== undefined && !NAME_SUFFIX.test(second)) {
    // "von Last, First": the family name without its lower-case particles.
    const words = first.split(' ');
    const start = words.findIndex((word) => word !== word.toLowerCase());
    return words.slice(Math.max(start, 0)).join(' ');
  }
  return (
    first
      .split(' ')
      .filter((word) => !NAME_SUFFIX.test(word))
      .at(-1) ?? ''
  );
}

/** `cheng2024videollama`: the first author's surname, the year, the first word of the title that says something. */
function authorYearKey(paper: Paper): string {
  const family = asciiWords(paper.authors?.[0] === undefined ? '' : surname(paper.authors[0])).join('');
  const year = paper.published?.slice(0, 4) ?? '';
  const word = asciiWords(paper.title).find((w) => !STOP_WORDS.has(w) && !/^\d+$/.test(w)) ?? '';
  if (!family && !word) return paper.id;
  return family ? `${family}${year}${word}` : `${word}${year}`;
}

/** a, b, ..., z, aa, ab, ...: the suffixes that tell apart papers whose keys clash. */
function letters(n: number): string {
  let text = '';
  for (let i = n; i >= 0; i = Math.floor(i / 26) - 1) text = String.fromCharCode(97 + (i % 26)) + text;
  return text;
}

/**
 * A citation key a paper, in order, all different: the paper ids, or author-year keys where the first paper
 * with a key keeps it and the next ones get a, b, c... (never a key another paper has of its own).
 */
export function citationKeys(papers: Paper[], style: KeyStyle): string[] {
  if (style === 'id') return papers.map((p) => p.id);
  const natural = papers.map(authorYearKey);
  const reserved = new Set(natural);
  const used = new Set<string>();
  return natural.map((key) => {
    let unique = key;
    for (let n = 0; used.has(unique); n++) {
      unique = `${key}${letters(n)}`;
      if (reserved.has(unique)) unique = key;
    }
    used.add(unique);
    return unique;
  });
}

// ---- Names, through Citation.js's name parser, loaded only for the formats that split names.

type ParseName = (name: string) => CslName;

async function nameParser(): Promise<ParseName> {
  // @ts-ignore -- Citation.js ships no types (TS7016); its one function used here is typed by ParseName.
  const module = (await import('@citation-js/name')) as { parse?: ParseName; default?: { parse: ParseName } };
  const parse = module.parse ?? module.default?.parse;
  if (!parse) throw new Error('@citation-js/name has no parse function');
  return (name) => {
    const text = oneLine(name);
    // The parser takes the "Jr." of "Martin Luther King Jr." or "Martin Luther King, Jr." for the family name.
    const [rest, suffix] = splitSuffix(text) ?? [text, undefined];
    let parsed: CslName | undefined;
    try {
      parsed = parse(rest);
    } catch {
      parsed = undefined;
    }
    // A name the parser can't split stays whole: a literal is printed as written.
    if (!parsed?.family) return parsed?.literal ? parsed : { literal: text };
    return suffix === undefined || parsed.suffix !== undefined ? parsed : { ...parsed, suffix };
  };
}

// ---- CSL JSON

/** A paper as CSL JSON, the input of citeproc (Zotero, Pandoc, Citation.js); preprints are `article`, as Zotero has them. */
export interface CslItem {
  id: string;
  type: 'article' | 'article-journal';
  title: string;
  author?: CslName[];
  issued?: { 'date-parts': number[][] };
  'container-title'?: string;
  publisher?: string;
  number?: string;
  DOI?: string;
  URL?: string;
  keyword?: string;
  abstract?: string;
}

function cslItem(paper: Paper, id: string, parseName: ParseName): CslItem {
  const journal = isJournalArticle(paper);
  const item: CslItem = { id, type: journal ? 'article-journal' : 'article', title: oneLine(paper.title) };
  if (paper.authors?.length) item.author = paper.authors.map(parseName);
  const date = publishedParts(paper);
  if (date) item.issued = { 'date-parts': [date] };
  if (paper.journal?.trim()) item['container-title'] = oneLine(paper.journal);
  // A preprint's repository is its publisher and the arXiv identifier its number, as APA cites a preprint:
  // "(arXiv:2406.07476). arXiv."
  if (!journal && paper.arxiv !== undefined) {
    item.publisher = 'arXiv';
    item.number = `arXiv:${paper.arxiv}`;
  }
  if (paper.doi !== undefined) item.DOI = paper.doi;
  const url = paperUrl(paper);
  if (url !== undefined) item.URL = oneLine(url);
  if (paper.categories?.length) item.keyword = paper.categories.join(', ');
  if (paper.abstract.trim()) item.abstract = paper.abstract;
  return item;
}

export async function cslItems(papers: Paper[], key: KeyStyle = 'id'): Promise<CslItem[]> {
  const parseName = await nameParser();
  const keys = citationKeys(papers, key);
  return papers.map((paper, i) => cslItem(paper, keys[i]!, parseName));
}

/** A JSON array of CSL items. */
export async function renderCslJson(papers: Paper[], key: KeyStyle = 'id'): Promise<string> {
  return renderJson(await cslItems(papers, key));
}

// ---- RIS

/** "Family, Given, Suffix", as RIS writes a name; a name that was not split, as written. */
function risName(name: CslName): string {
  if (!name.family) return name.literal ?? '';
  const family = [name['non-dropping-particle'], name.family].filter(Boolean).join(' ');
  const given = [name.given, name['dropping-particle']].filter(Boolean).join(' ');
  return [family, given, name.suffix].filter(Boolean).join(', ');
}

const pad = (n: number) => String(n).padStart(2, '0');

function risRecord(paper: Paper, id: string, parseName: ParseName): string {
  const journal = isJournalArticle(paper);
  const tags: [string, string][] = [
    ['TY', journal ? 'JOUR' : 'GEN'],
    ['ID', id],
    ['TI', paper.title],
  ];
  for (const author of paper.authors ?? []) tags.push(['AU', risName(parseName(author))]);
  const date = publishedParts(paper);
  if (date) tags.push(['PY', String(date[0])], ['DA', `${date[0]}/${pad(date[1])}/${pad(date[2])}/`]);
  // JO is the journal for the older readers, T2 for Zotero and EndNote.
  if (paper.journal !== undefined) tags.push(['JO', paper.journal], ['T2', paper.journal]);
  if (paper.arxiv !== undefined) {
    if (!journal) tags.push(['PB', 'arXiv']);
    // The database and the accession number in it, as PubMed records give theirs.
    tags.push(['DB', 'arXiv'], ['AN', `arXiv:${paper.arxiv}`]);
  }
  if (paper.doi !== undefined) tags.push(['DO', paper.doi]);
  const url = paperUrl(paper);
  if (url !== undefined) tags.push(['UR', url]);
  if (paper.pdf !== undefined && WEB_URL.test(paper.pdf.trim())) tags.push(['L1', paper.pdf]);
  for (const category of paper.categories ?? []) tags.push(['KW', category]);
  tags.push(['AB', paper.abstract]);
  // Every value on its one line (a line break would end it, or start a tag of its own), nothing empty.
  const lines = tags.map(([tag, value]) => [tag, oneLine(value)] as const).filter(([, value]) => value !== '');
  return [...lines.map(([tag, value]) => `${tag}  - ${value}`), 'ER  - '].map((line) => `${line}\r\n`).join('');
}

/**
 * RIS, for EndNote, Zotero, Mendeley and RefWorks: CRLF line ends as the format specifies, a blank line between
 * records, every value on one line however long (readers join a wrapped line with a space, splitting words).
 */
export async function renderRis(papers: Paper[], key: KeyStyle = 'id'): Promise<string> {
  const parseName = await nameParser();
  const keys = citationKeys(papers, key);
  return papers.map((paper, i) => risRecord(paper, keys[i]!, parseName)).join('\r\n');
}
