// Citation.js's table of BibTeX and BibLaTeX entry types and the CSL types they are; a small JSON file, bundled.
import biblatexTypes from '@citation-js/plugin-bibtex/lib/mapping/biblatexTypes.json' with { type: 'json' };
import { dateParts } from '../corpus/dates.js';
import type { Notes } from '../corpus/notes.js';
import type { Paper } from '../corpus/paper.js';
import { blankControls } from '../base/text/controls.js';
import type { CslName } from '../base/text/names.js';
import { STOP_WORDS } from '../base/text/stopwords.js';
import { fold } from '../base/text/words.js';
import type { KeyStyle } from './formats.js';
import { renderJson } from './json.js';

// What the citation formats (BibTeX, CSL JSON, RIS) share: the kind of work, its web address, its citation key.

/** arXiv's own DOIs (DataCite, 10.48550/arXiv.2406.07476) name the preprint, not a journal version. */
const ARXIV_DOI = /^10\.48550\/arxiv\./i;
const WEB_URL = /^https?:\/\//i;

/** A journal article once it has a journal reference or a DOI other than arXiv's; a preprint before. */
function isJournalArticle(paper: Paper): boolean {
  return Boolean(paper.journal?.trim()) || (paper.doi !== undefined && !ARXIV_DOI.test(paper.doi));
}

/** The BibTeX entry type: the one the paper came as, else @article for a journal article and @misc for a preprint. */
export function entryType(paper: Paper): string {
  return paper.entrytype ?? (isJournalArticle(paper) ? 'article' : 'misc');
}

const CSL_TYPES = new Map(Object.entries(biblatexTypes.source));

/** The CSL type: the entry type's (inproceedings: paper-conference), or for @article and @misc, as isJournalArticle says. */
function cslType(paper: Paper): string {
  const type = paper.entrytype === undefined || paper.entrytype === 'misc' || paper.entrytype === 'article' ? undefined : CSL_TYPES.get(paper.entrytype);
  return type ?? (isJournalArticle(paper) || paper.entrytype === 'article' ? 'article-journal' : 'article');
}

/** The volume, proceedings or book a paper is in: what CSL calls its container. */
const containerOf = (paper: Paper): string | undefined => paper.journal?.trim() || paper.booktitle?.trim() || undefined;

export const arxivUrl = (id: string) => `https://arxiv.org/abs/${id}`;

/**
 * The paper's web address: its landing page, else its arXiv abstract page, else the first web address it has
 * (the code repository or a link of the abstract). Only http(s): a javascript: or data: URL is not a reference.
 */
export function paperUrl(paper: Paper): string | undefined {
  const candidates = [paper.url, paper.arxiv === undefined ? undefined : arxivUrl(paper.arxiv), paper.code, ...paper.links];
  return candidates.find((u): u is string => typeof u === 'string' && WEB_URL.test(u.trim()));
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
function authorYearKey(paper: KeyedPaper): string {
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

/** What a citation key is made of. */
export type KeyedPaper = Pick<Paper, 'id' | 'key' | 'title' | 'authors' | 'published'>;

/**
 * A citation key a paper, in order, all different. `id`: the paper ids. `original`: the key the paper came with,
 * else its id. `authoryear`: the author-year key. Keys that clash are told apart over `corpus`, every paper of the
 * corpus in its order, not over the papers exported: the first paper with a key keeps it and the next ones get
 * a, b, c... (never a key another paper has of its own), so a paper has the same key in every export of any part
 * of the corpus, and papers added later never take a key an earlier one had.
 */
export function citationKeys(papers: Paper[], style: KeyStyle, corpus: readonly KeyedPaper[] = papers): string[] {
  if (style === 'id' || (style === 'original' && !corpus.some((p) => p.key !== undefined))) return papers.map((p) => p.id);
  const natural = corpus.map(style === 'original' ? (p: KeyedPaper) => p.key ?? p.id : authorYearKey);
  const reserved = new Set(natural);
  const used = new Set<string>();
  const keys = new Map<string, string>();
  natural.forEach((key, at) => {
    let unique = key;
    for (let n = 0; used.has(unique); n++) {
      unique = `${key}${letters(n)}`;
      if (reserved.has(unique)) unique = key;
    }
    used.add(unique);
    keys.set(corpus[at]!.id, unique);
  });
  return papers.map((paper) => keys.get(paper.id) ?? paper.id);
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
  /** article for a preprint, article-journal, paper-conference, book, chapter...: see cslType. */
  type: string;
  title: string;
  author?: CslName[];
  issued?: { 'date-parts': number[][] };
  'container-title'?: string;
  publisher?: string;
  volume?: string;
  issue?: string;
  number?: string;
  page?: string;
  DOI?: string;
  URL?: string;
  keyword?: string;
  abstract?: string;
  note?: string;
}

/** A BibTeX page range (5998--6008) as CSL and RIS write one: 5998-6008. */
const pageRange = (pages: string) => oneLine(pages).replace(/-+/g, '-');

function cslItem(paper: Paper, id: string, parseName: ParseName, note: string | undefined): CslItem {
  const type = cslType(paper);
  const item: CslItem = { id, type, title: oneLine(paper.title) };
  if (paper.authors?.length) item.author = paper.authors.map(parseName);
  const date = dateParts(paper.published);
  if (date) item.issued = { 'date-parts': [date] };
  const container = containerOf(paper);
  if (container) item['container-title'] = oneLine(container);
  if (paper.publisher?.trim()) item.publisher = oneLine(paper.publisher);
  if (paper.volume !== undefined) item.volume = oneLine(paper.volume);
  // A journal's number is its issue; a report's is its number.
  if (paper.number !== undefined) item[type === 'article-journal' ? 'issue' : 'number'] = oneLine(paper.number);
  if (paper.pages !== undefined) item.page = pageRange(paper.pages);
  // A preprint's repository is its publisher and the arXiv identifier its number, as APA cites a preprint:
  // "(arXiv:2406.07476). arXiv."
  if (type === 'article' && paper.arxiv !== undefined) {
    item.publisher ??= 'arXiv';
    item.number ??= `arXiv:${paper.arxiv}`;
  }
  if (paper.doi !== undefined) item.DOI = paper.doi;
  const url = paperUrl(paper);
  if (url !== undefined) item.URL = oneLine(url);
  const keywords = [...(paper.categories ?? []), ...(paper.keywords ?? [])];
  if (keywords.length) item.keyword = keywords.join(', ');
  if (paper.abstract.trim()) item.abstract = paper.abstract;
  if (note !== undefined) item.note = note.trimEnd();
  return item;
}

export async function cslItems(papers: Paper[], key: KeyStyle = 'original', corpus?: readonly KeyedPaper[], notes?: Notes): Promise<CslItem[]> {
  const parseName = await nameParser();
  const keys = citationKeys(papers, key, corpus);
  return papers.map((paper, i) => cslItem(paper, keys[i]!, parseName, notes?.get(paper.id)));
}

/** A JSON array of CSL items. */
export async function renderCslJson(papers: Paper[], key: KeyStyle = 'original', corpus?: readonly KeyedPaper[], notes?: Notes): Promise<string> {
  return renderJson(await cslItems(papers, key, corpus, notes));
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

// RIS reference types of the CSL types; any other is GEN.
const RIS_TYPES: Record<string, string> = {
  'article-journal': 'JOUR',
  'paper-conference': 'CPAPER',
  book: 'BOOK',
  chapter: 'CHAP',
  thesis: 'THES',
  report: 'RPRT',
  manuscript: 'UNPB',
  webpage: 'ELEC',
};

function risRecord(paper: Paper, id: string, parseName: ParseName, note: string | undefined): string {
  const type = cslType(paper);
  const tags: [string, string][] = [
    ['TY', RIS_TYPES[type] ?? 'GEN'],
    ['ID', id],
    ['TI', paper.title],
  ];
  for (const author of paper.authors ?? []) tags.push(['AU', risName(parseName(author))]);
  // DA is YYYY/MM/DD/, its parts left empty where they are not known.
  const [year, month, day] = dateParts(paper.published) ?? [];
  if (year !== undefined) tags.push(['PY', String(year)], ['DA', `${year}/${month === undefined ? '' : pad(month)}/${day === undefined ? '' : pad(day)}/`]);
  // JO is the journal for the older readers, T2 for Zotero and EndNote; T2 is the proceedings of a conference paper.
  if (paper.journal !== undefined) tags.push(['JO', paper.journal], ['T2', paper.journal]);
  else if (paper.booktitle !== undefined) tags.push(['T2', paper.booktitle]);
  if (paper.volume !== undefined) tags.push(['VL', paper.volume]);
  if (paper.number !== undefined) tags.push(['IS', paper.number]);
  if (paper.pages !== undefined) {
    const [start = '', end] = pageRange(paper.pages).split('-');
    tags.push(['SP', start]);
    if (end !== undefined) tags.push(['EP', end]);
  }
  if (paper.publisher !== undefined) tags.push(['PB', paper.publisher]);
  if (paper.arxiv !== undefined) {
    if (type === 'article' && paper.publisher === undefined) tags.push(['PB', 'arXiv']);
    // The database and the accession number in it, as PubMed records give theirs.
    tags.push(['DB', 'arXiv'], ['AN', `arXiv:${paper.arxiv}`]);
  }
  if (paper.doi !== undefined) tags.push(['DO', paper.doi]);
  const url = paperUrl(paper);
  if (url !== undefined) tags.push(['UR', url]);
  if (paper.pdf !== undefined && WEB_URL.test(paper.pdf.trim())) tags.push(['L1', paper.pdf]);
  for (const keyword of [...(paper.categories ?? []), ...(paper.keywords ?? [])]) tags.push(['KW', keyword]);
  tags.push(['AB', paper.abstract]);
  if (note !== undefined) tags.push(['N1', note]);
  // Every value on its one line (a line break would end it, or start a tag of its own), nothing empty.
  const lines = tags.map(([tag, value]) => [tag, oneLine(value)] as const).filter(([, value]) => value !== '');
  return [...lines.map(([tag, value]) => `${tag}  - ${value}`), 'ER  - '].map((line) => `${line}\r\n`).join('');
}

/**
 * RIS, for EndNote, Zotero, Mendeley and RefWorks: CRLF line ends as the format specifies, a blank line between
 * records, every value on one line however long (readers join a wrapped line with a space, splitting words).
 */
export async function renderRis(papers: Paper[], key: KeyStyle = 'original', corpus?: readonly KeyedPaper[], notes?: Notes): Promise<string> {
  const parseName = await nameParser();
  const keys = citationKeys(papers, key, corpus);
  return papers.map((paper, i) => risRecord(paper, keys[i]!, parseName, notes?.get(paper.id))).join('\r\n');
}
