import { checkField, PAPER_FIELDS, type PaperField } from '../corpus/paper.js';
import { InputError } from '../base/errors.js';
import { isArxivVenue, parseArxivRef } from './arxiv-id.js';
import { elementLines, readRecords, type Item } from './papers.js';
import type { Reading } from './types.js';
import { writtenName, type CslName } from '../base/text/names.js';

/** The part of a CSL item papers reads. */
interface CslItem {
  id?: unknown;
  title?: unknown;
  author?: CslName[];
  issued?: { 'date-parts'?: unknown[][] };
  'container-title'?: unknown;
  number?: unknown;
  DOI?: unknown;
  URL?: unknown;
  keyword?: unknown;
  abstract?: unknown;
  /** From RIS: the PDF and the accession number. */
  pdf?: unknown;
  accession?: unknown;
}

interface CitationJs {
  plugins: {
    input: {
      chain(input: unknown, options: { target: string; generateGraph: boolean; forceType?: string }): unknown;
      data(input: unknown, format: string): unknown;
    };
  };
  logger: { _log: unknown[] };
}

/** Citation.js, loaded on first use, with its RIS reader when RIS is read. */
async function loadCitationJs(ris: boolean): Promise<CitationJs> {
  // @ts-expect-error -- Citation.js 0.8 ships no type declarations; CitationJs above is the part used.
  const core = (await import('@citation-js/core')) as CitationJs;
  // @ts-expect-error -- no declarations either; importing it registers the RIS formats with the core.
  if (ris) await import('@citation-js/plugin-ris');
  return core;
}

/** Citation.js's reading of an input as a list of CSL items; what it cannot read is named with its line. */
function cslItems(core: CitationJs, input: unknown, forceType: string, where: { name: string; line?: number }): CslItem[] {
  try {
    return core.plugins.input.chain(input, { target: '@csl/list+object', generateGraph: false, forceType }) as CslItem[];
  } catch (error) {
    const kind = forceType.startsWith('@ris') ? 'RIS' : 'CSL JSON';
    throw new InputError(`not valid ${kind} (${(error as Error).message.split('\n')[0]})`, where.name, where.line);
  } finally {
    // Citation.js keeps every message it logs, for the life of the process.
    core.logger._log.length = 0;
  }
}

/** CSL JSON, as Zotero, Citation.js, Pandoc and `papers export --format csl-json` write it: a list of items. */
export async function readCslJson(text: string, name: string): Promise<Reading> {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { papers: [], skipped: 0, repeated: 0 };
  let data: unknown;
  try {
    data = JSON.parse(body);
  } catch (error) {
    throw new InputError(`not valid JSON (${(error as Error).message})`, name);
  }
  const list = Array.isArray(data) ? data : [data];
  list.forEach((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item))
      throw new InputError(`item ${index + 1} is not a CSL item (an object with a title, author, ...)`, name, elementLines(body)[index]);
  });
  const items = cslItems(await loadCitationJs(false), list, '@csl/list+object', { name });
  return fromCsl(items, Array.isArray(data) ? elementLines(body) : [1], name);
}

/**
 * RIS, as EndNote, Zotero, Mendeley, RefWorks and `papers export --format ris` write it. Each record is read as
 * one that may mix the tags of the two RIS specifications (as exports do): a record with an old tag such as `ID`
 * and no new one would otherwise have its `AB` read as a note, not the abstract.
 */
export async function readRis(text: string, name: string): Promise<Reading> {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') return { papers: [], skipped: 0, repeated: 0 };
  const starts = [...body.split(/\r?\n/).entries()].filter(([, line]) => /^TY {2}-/.test(line)).map(([index]) => index + 1);
  if (starts.length === 0) throw new InputError('no RIS records found; expected records from `TY  - JOUR` to `ER  - `', name);
  const core = await loadCitationJs(true);
  let records: RisRecord[];
  try {
    records = core.plugins.input.data(body, '@ris/file') as RisRecord[];
  } catch (error) {
    throw new InputError(`not valid RIS (${(error as Error).message.split('\n')[0]})`, name);
  }
  const lines = records.length === starts.length ? starts : [];
  const items = records.map((record, index) => {
    const item = cslItems(core, record, '@ris/record', { name, ...(lines[index] === undefined ? {} : { line: lines[index] }) })[0] ?? {};
    // What CSL has no field for: the PDF (L1), and the accession number (AN) where papers writes the arXiv id.
    return { ...item, pdf: first(record.L1), accession: first(record.AN) };
  });
  return fromCsl(items, lines, name);
}

/** A record as Citation.js splits a RIS file: its tags, a repeated one as a list. */
type RisRecord = Record<string, string | string[] | undefined>;

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '');
const ok = (field: PaperField, value: unknown) => 'value' in checkField(field, value);

/** Items without a title or an abstract are skipped and counted, as a reference list has many; the corpus keeps both. */
function fromCsl(items: CslItem[], lines: number[], name: string): Reading {
  const records: Item[] = [];
  let skipped = 0;
  items.forEach((item, index) => {
    const value = paperFields(item);
    if (!value.title || !value.abstract) skipped++;
    else records.push({ value, number: index + 1, ...(lines[index] === undefined ? {} : { line: lines[index] }) });
  });
  if (records.length === 0 && skipped > 0) {
    const which = skipped === 1 ? 'the only record has' : `none of the ${skipped} records has`;
    throw new InputError(`${which} both a title and an abstract; papers keeps both for every paper`, name, lines[0]);
  }
  return readRecords(records, name, skipped);
}

// arXiv's archives: keywords that are all categories (cs.LG, hep-th) are the paper's categories, not a library's tags.
const ARXIV_CATEGORY =
  /^(?:cs|math|stat|physics|q-bio|q-fin|eess|econ|astro-ph|cond-mat|nlin|hep-(?:th|ph|ex|lat)|gr-qc|nucl-(?:th|ex)|quant-ph|math-ph)(?:\.[A-Za-z-]+)?$/;

/** An item's fields under papers' names: only what the item gives and the corpus would take. */
function paperFields(item: CslItem): Record<string, unknown> {
  const fields: Record<string, unknown> = { title: text(item.title), abstract: text(item.abstract) };
  if (item.id !== undefined) fields.id = text(item.id);
  const authors = (Array.isArray(item.author) ? item.author : []).map(writtenName).filter(Boolean);
  if (authors.length > 0) fields.authors = authors;
  const parts = (item.issued?.['date-parts']?.[0] ?? []).map(Number);
  const published = parts
    .slice(0, 3)
    .map((n, i) => (i === 0 ? String(n) : String(n).padStart(2, '0')))
    .join('-');
  // A year or a month without its day is kept only where the corpus takes one.
  if (published && ok('published', published)) fields.published = published;
  const doi = text(item.DOI).replace(/^(?:https?:\/\/(?:dx\.)?doi\.org\/|doi:\s*)/i, '');
  const url = text(item.URL);
  const arxiv = [text(item.number), text(item.accession), url, doi].map((candidate) => parseArxivRef(candidate)?.id).find(Boolean);
  if (arxiv) fields.arxiv = arxiv;
  if (ok('doi', doi)) fields.doi = doi;
  const journal = text(item['container-title']);
  if (journal && !isArxivVenue(journal)) fields.journal = journal;
  if (ok('url', url)) fields.url = url;
  const pdf = text(item.pdf);
  if (ok('pdf', pdf)) fields.pdf = pdf;
  const keywords = text(item.keyword)
    .split(/\s*[,;]\s*/)
    .filter(Boolean);
  if (keywords.length > 0 && keywords.every((k) => ARXIV_CATEGORY.test(k))) fields.categories = keywords;
  else if (keywords.length > 0 && (PAPER_FIELDS as readonly string[]).includes('keywords')) fields.keywords = keywords;
  return fields;
}
