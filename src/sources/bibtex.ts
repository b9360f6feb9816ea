import { codeLink, extractLinks } from '../corpus/links.js';
import { checkField, type NewPaper, type PaperField } from '../corpus/paper.js';
import { InputError } from '../base/errors.js';
import { isArxivVenue, parseArxivRef } from './arxiv-id.js';
import { checkBibtexSizes } from './bibtex-sizes.js';
import { seenBefore } from './papers.js';
import { unwrap } from './text.js';
import { decodeTex } from './tex.js';
import type { Reading } from './types.js';

/** An entry as Citation.js's BibTeX grammar gives it: field names lower-cased, values with their TeX, macros expanded. */
interface RawEntry {
  type: string;
  label: string;
  properties: Record<string, string | number>;
}

interface CitationJs {
  plugins: { input: { data(input: unknown, format: string): unknown } };
  logger: { _log: unknown[] };
  /** The macros its grammar knows without an @string (`jan`, `cacm`). */
  defaultStrings: Record<string, string>;
}

/**
 * Citation.js, loaded on first use: only `import --format bibtex` needs it. Its BibTeX grammar reads the syntax
 * (@string macros, `#` joins, braces and quotes, comments) and says where a file is broken; the values' TeX is
 * decoded here, by decodeTex (see tex.ts for why).
 */
async function loadCitationJs(): Promise<CitationJs> {
  // @ts-expect-error -- Citation.js 0.8 ships no type declarations; CitationJs above is the part used.
  const core = (await import('@citation-js/core')) as CitationJs;
  // @ts-expect-error -- no declarations either; importing it registers the BibTeX formats with the core.
  await import('@citation-js/plugin-bibtex');
  // @ts-expect-error -- nor here: the constants its grammar starts from.
  const { defaultStrings } = (await import('@citation-js/plugin-bibtex/lib/input/constants.js')) as { defaultStrings: Record<string, string> };
  return { plugins: core.plugins, logger: core.logger, defaultStrings };
}

/**
 * A BibTeX (or BibLaTeX) file -> papers. Reference lists rarely have abstracts (arXiv's, Google Scholar's and DBLP's
 * exports have none), so an entry needs only a title; one without is passed over and named in `passedOver`. The
 * entry's key and type are kept, so that its citation key still cites it after the file is written again.
 */
export async function readBibtex(text: string, name: string): Promise<Reading> {
  const { plugins, logger, defaultStrings } = await loadCitationJs();
  checkBibtexSizes(text, name, defaultStrings);
  let entries: RawEntry[];
  try {
    entries = plugins.input.data(text, '@biblatex/text') as RawEntry[];
  } catch (error) {
    throw syntaxError(error, text, name);
  } finally {
    // Citation.js keeps every message it logs, for the life of the process.
    logger._log.length = 0;
  }
  if (entries.length === 0) {
    if (text.trim() === '') return { papers: [], skipped: 0, repeated: 0 };
    throw new InputError('no BibTeX entries found; expected entries such as @article{key, title = {...}, ...}', name);
  }
  const lines = entryLines(text, entries);
  const papers: NewPaper[] = [];
  const passedOver: string[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  entries.forEach((entry, index) => {
    const line = lines[index];
    const paper = toPaper(entry, name, line);
    if (paper === undefined) passedOver.push(`${name}${line ? `:${line}` : ''}: entry \`${entry.label}\` has no title; skipped`);
    else if (seenBefore(seen, paper)) repeated++;
    else papers.push(paper);
  });
  if (papers.length === 0 && passedOver.length > 0) {
    const which = passedOver.length === 1 ? 'the only entry has no title' : `none of the ${passedOver.length} entries has a title`;
    throw new InputError(`${which}; add \`title = {...}\` to the entries to import`, name, lines[0]);
  }
  return { papers, skipped: passedOver.length, repeated, passedOver };
}

const field = (entry: RawEntry, ...names: string[]): string | undefined => {
  for (const key of names) {
    const value = entry.properties[key];
    if (value === undefined) continue;
    const text = unwrap(decodeTex(String(value)));
    if (text !== '') return text;
  }
  return undefined;
};

const valid = (name: PaperField, value: string | undefined): string | undefined =>
  value !== undefined && 'value' in checkField(name, value) ? value : undefined;

// Fields kept as written, under the same name.
const VERBATIM = ['booktitle', 'volume', 'number', 'publisher'] as const;

function toPaper(entry: RawEntry, name: string, line: number | undefined): NewPaper | undefined {
  const title = field(entry, 'title');
  if (!title) return undefined;
  const abstract = field(entry, 'abstract') ?? '';
  const links = extractLinks(abstract);
  const paper: NewPaper = { title, abstract, date: null, source: name, links, code: codeLink(links) };
  if (line !== undefined) paper.line = line;
  const key = valid('key', entry.label);
  if (key) paper.key = key;
  const authors = authorsOf(entry.properties.author);
  if (authors.length > 0) paper.authors = authors;
  const published = publishedOf(entry);
  if (published) paper.published = published;
  const arxiv = arxivOf(entry);
  if (arxiv) paper.arxiv = arxiv;
  const doi = valid('doi', field(entry, 'doi')?.replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, ''));
  if (doi) paper.doi = doi;
  // The venue; arXiv itself is not one (Google Scholar writes "arXiv preprint arXiv:...", DBLP "CoRR").
  const journal = field(entry, 'journal', 'journaltitle');
  const preprint = journal !== undefined && isArxivVenue(journal);
  if (journal && !preprint) paper.journal = journal;
  // An @article in arXiv, or a @misc with an arXiv id, is a preprint: written back as arXiv writes one (@misc, eprint).
  const type = valid('entrytype', entry.type.toLowerCase());
  const arxivPreprint = (preprint && type === 'article') || (type === 'misc' && arxiv !== undefined && !paper.journal);
  if (type && !arxivPreprint) paper.entrytype = type;
  for (const verbatim of VERBATIM) {
    const value = field(entry, verbatim);
    if (value) paper[verbatim] = value;
  }
  // Pages as BibTeX writes a range (5998--6008), whatever dash the decoded text has.
  const pages = field(entry, 'pages')?.replace(/\s*[-\u2010-\u2015]+\s*/g, '--');
  if (pages) paper.pages = pages;
  const keywords = keywordsOf(field(entry, 'keywords'));
  if (keywords.length > 0) paper.keywords = keywords;
  const category = field(entry, 'primaryclass');
  if (category) paper.categories = [category];
  const url = valid('url', field(entry, 'url')) ?? (arxiv ? `https://arxiv.org/abs/${arxiv}` : undefined);
  if (url) paper.url = url;
  if (arxiv) paper.pdf = `https://arxiv.org/pdf/${arxiv}`;
  return paper;
}

/** `keywords = {attention, transformers; machine translation}`: BibLaTeX separates them by commas, some tools by semicolons. */
function keywordsOf(value: string | undefined): string[] {
  const words = (value ?? '').split(/[,;]/).map((word) => word.trim());
  return [...new Set(words.filter(Boolean))];
}

// "arXiv:1706.03762", "arXiv preprint arXiv:2006.11239", "arXiv 1706.03762v5" in a journal, note or howpublished.
const ARXIV_MENTION = /\barxiv(?:\s+preprint)?(?:\s*:\s*|\s+)(?:arxiv\s*:\s*)?([\w./-]+?)[.,;]?(?:\s|$)/i;

/**
 * The arXiv id: an eprint of the arXiv kind (archivePrefix or eprinttype; a bare eprint is arXiv's in practice),
 * Mendeley's arxivId, an arXiv URL, the arXiv DOI, or Google Scholar's "arXiv preprint arXiv:..." journal.
 */
function arxivOf(entry: RawEntry): string | undefined {
  const kind = field(entry, 'archiveprefix', 'eprinttype')?.toLowerCase();
  const candidates = [
    kind === undefined || kind === 'arxiv' ? field(entry, 'eprint') : undefined,
    field(entry, 'arxivid'),
    field(entry, 'url'),
    field(entry, 'doi'),
  ];
  for (const key of ['journal', 'note', 'howpublished']) candidates.push(ARXIV_MENTION.exec(field(entry, key) ?? '')?.[1]);
  for (const candidate of candidates) {
    const ref = candidate ? parseArxivRef(candidate) : null;
    if (ref) return ref.id;
  }
  return undefined;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/**
 * The publication date as precisely as the entry gives it: BibLaTeX's `date = {2022-09-14}` (or 2022-09, 2022),
 * or year, month and day; `year = {2017}, month = jun` is June 2017, and a year alone is that year.
 */
function publishedOf(entry: RawEntry): string | undefined {
  const date = /^(\d{4}(?:-\d{2}(?:-\d{2})?)?)(?:$|[/T ])/.exec(field(entry, 'date') ?? '')?.[1];
  if (date && valid('published', date)) return date;
  const year = /^\d{4}$/.exec(field(entry, 'year') ?? '')?.[0];
  if (!year) return undefined;
  const month = field(entry, 'month')?.toLowerCase();
  const number = month === undefined ? 0 : /^\d{1,2}$/.test(month) ? Number(month) : MONTHS.indexOf(month.slice(0, 3)) + 1;
  if (number < 1 || number > 12) return year;
  const yearMonth = `${year}-${String(number).padStart(2, '0')}`;
  const day = field(entry, 'day');
  const full = day && /^\d{1,2}$/.test(day) ? valid('published', `${yearMonth}-${day.padStart(2, '0')}`) : undefined;
  return full ?? yearMonth;
}

/** Pieces of `text` between matches of `separator` outside braces (`{Barnes and Noble}` is one name). */
function splitOutsideBraces(text: string, separator: RegExp): string[] {
  const pieces: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '{') depth++;
    else if (text[i] === '}') depth--;
    else if (depth === 0) {
      separator.lastIndex = i;
      const match = separator.exec(text);
      if (!match) continue;
      pieces.push(text.slice(start, i));
      start = i + match[0].length;
      i = start - 1;
    }
  }
  pieces.push(text.slice(start));
  return pieces;
}

/** BibTeX names ("Last, First", "Last, Jr, First", "First von Last") as people write them: "First von Last Jr". */
function authorsOf(value: string | number | undefined): string[] {
  if (value === undefined) return [];
  const names: string[] = [];
  for (const written of splitOutsideBraces(String(value), /\s+and\s+/iy)) {
    const parts = splitOutsideBraces(written, /,/y).map((part) => part.trim());
    const [last = '', second = '', third = ''] = parts;
    const ordered = parts.length === 1 ? [last] : parts.length === 2 ? [second, last] : [third, last, second];
    const author = unwrap(decodeTex(ordered.filter(Boolean).join(' ')));
    // "and others" is BibTeX for "et al.", not a name.
    if (author !== '' && author.toLowerCase() !== 'others') names.push(author);
  }
  return names;
}

// An entry starts with @type{key, (or parentheses); @string, @preamble and @comment are not entries.
const ENTRY_START = /@\s*([A-Za-z]+)\s*[{(]\s*([^,\s]*)\s*,/g;

/** The line where each entry starts, found in order by its key. */
function entryLines(text: string, entries: RawEntry[]): (number | undefined)[] {
  const starts: { label: string; line: number }[] = [];
  let line = 1;
  let counted = 0;
  for (const match of text.matchAll(ENTRY_START)) {
    if (/^(?:string|preamble|comment)$/i.test(match[1]!)) continue;
    for (; counted < match.index; counted++) if (text.charCodeAt(counted) === 10) line++;
    starts.push({ label: match[2]!, line });
  }
  let next = 0;
  return entries.map((entry) => {
    const found = starts.findIndex((start, at) => at >= next && start.label === entry.label);
    if (found === -1) return undefined;
    next = found + 1;
    return starts[found]!.line;
  });
}

const TOKENS: Record<string, string> = {
  rbrace: '`}`',
  lbrace: '`{`',
  comma: '`,`',
  equals: '`=`',
  quote: '`"`',
  hash: '`#`',
  at: '`@`',
  identifier: 'a field name',
  label: 'a citation key',
  number: 'a number',
  text: 'text',
  EOF: 'the end of the file',
};
const token = (name: string) => {
  const bare = name.replace(/"/g, '');
  return Object.hasOwn(TOKENS, bare) ? TOKENS[bare]! : name;
};

/** Citation.js's parse error ("expected "rbrace", got "identifier" at line 3 col 5: ...") in the words of BibTeX users. */
function syntaxError(error: unknown, text: string, name: string): InputError {
  const message = error instanceof Error ? error.message : String(error);
  const where = /^([\s\S]*?) at line (\d+) col (\d+)/.exec(message);
  if (!where) return new InputError(`invalid BibTeX: ${message.split('\n')[0]}`, name);
  const [line, column] = [Number(where[2]), Number(where[3])];
  const lines = text.split('\n');
  // Stopped at the @ of the next entry: the one before it was never closed.
  const runOn = lines[line - 1]?.[column - 1] === '@';
  let start = runOn ? line - 2 : line - 1;
  while (start >= 0 && !/^\s*@\s*[A-Za-z]+\s*[{(]/.test(lines[start]!)) start--;
  const expected = /^expected (\S+), got (\S+)$/.exec(where[1]!);
  let problem = expected ? `expected ${token(expected[1]!)} but found ${token(expected[2]!)}` : where[1]!;
  if (runOn && start >= 0) problem = `the entry starting at line ${start + 1} is still open where the next one starts`;
  else if (start >= 0 && start !== line - 1) problem += ` (in the entry starting at line ${start + 1})`;
  return new InputError(`invalid BibTeX: ${problem}; a brace, quote or comma is probably missing`, name, line);
}
