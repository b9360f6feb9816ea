import type { Stats } from 'node:fs';
import { crc32 } from 'node:zlib';
import { isPaper, isPaperId, summarize, type Paper, type PaperSummary } from '../corpus/paper.js';
import { findAcronymDefinitions } from './acronyms.js';
import {
  arraySection,
  bytesOf,
  crcOf,
  jsonOf,
  openSectioned,
  section,
  textOf,
  textSection,
  writeSectioned,
  type Placed,
  type Read,
  type Section,
} from './container.js';
import { letterMasks } from './masks.js';
import { documentNorms } from './norms.js';
import { sortedIdMatches } from '../corpus/ids.js';
import type { Known } from '../corpus/merge.js';
import { titleKey } from '../corpus/slug.js';
import type { CorpusView, Index, Postings, WordList } from './types.js';
import { frequenciesOf, indexWords } from './words.js';

/*
 * The cache of one corpus file (see container.ts for the file format). Sections:
 *   summaries (JSON), keys (a line per paper: id, arXiv id, DOI and title key, tab-separated; what merges recognise it by),
 *   sortedIds (the ids in code-unit order, newline-separated), sortedIdStarts (uint32 byte offsets) and sortedIdDocs (uint32 papers),
 *   docs (one JSON paper after another) and docOffsets (float64 byte offsets),
 *   docNorms (float64 TF-IDF vector lengths, for related papers),
 *   vocab (sorted words, newline-separated), wordMasks (uint32 letter sets), postingOffsets (uint32, where each word's postings start),
 *   postingDocs (uint32 paper numbers), postingTitle, postingAbstract and postingAuthors (uint8 counts), acronyms (JSON),
 *   docChecksums and postingChecksums (uint32 CRC-32 of each paper and of each word's postings).
 * Any mismatch removes the file (see CacheDamaged).
 */
// Bump when the layout, the tokenizer or anything else stored here changes meaning.
export const FORMAT = 11;
// Up to this size (a corpus of a couple of thousand papers), postings are read whole on first use, not word by word.
const WHOLE_POSTINGS_BYTES = 1 << 20;
// Papers whose JSON is kept from measuring it to writing it, rather than made twice.
const KEEP_SERIALIZED = 10_000;

const SECTIONS = [
  'summaries',
  'keys',
  'sortedIds',
  'sortedIdStarts',
  'sortedIdDocs',
  'docs',
  'docOffsets',
  'docChecksums',
  'docNorms',
  'vocab',
  'wordMasks',
  'postingOffsets',
  'postingDocs',
  'postingTitle',
  'postingAbstract',
  'postingAuthors',
  'postingChecksums',
  'acronyms',
] as const;
type SectionName = (typeof SECTIONS)[number];

export type Fingerprint = { size: number; mtimeMs: number; ctimeMs: number; ino: number };

interface Header {
  format: number;
  source: Fingerprint;
  count: number;
}

export function fingerprint(stat: Stats): Fingerprint {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
}

export const sameSource = (a: Fingerprint | undefined, b: Fingerprint) =>
  a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/**
 * Each section as chunks written one after another without joining them first. The papers (the largest
 * section) are measured and checksummed in one pass and serialized again as they are written, so that
 * they are never all held as bytes at once.
 */
function encodeSections(papers: Paper[]): Record<SectionName, Section> {
  const docOffsets = new Float64Array(papers.length + 1);
  const docChecksums = new Uint32Array(papers.length);
  // Kept as bytes only up to a corpus folder's file size; beyond it, serialized again as they are written.
  const keep = papers.length <= KEEP_SERIALIZED;
  const serialized: Buffer[] = [];
  let docsCrc = 0;
  papers.forEach((paper, i) => {
    const bytes = Buffer.from(JSON.stringify(paper));
    docOffsets[i + 1] = docOffsets[i]! + bytes.length;
    docChecksums[i] = crc32(bytes);
    docsCrc = crc32(bytes, docsCrc);
    if (keep) serialized.push(bytes);
  });
  const docs: Section = {
    size: docOffsets[papers.length]!,
    crc: docsCrc,
    chunks: function* () {
      if (keep) yield* serialized;
      else for (const paper of papers) yield Buffer.from(JSON.stringify(paper));
    },
  };
  const index = indexWords(papers);
  const postingChecksums = new Uint32Array(index.words.length);
  for (let i = 0; i < index.words.length; i++) {
    const [start, end] = [index.offsets[i]!, index.offsets[i + 1]!];
    postingChecksums[i] = crcOf([
      bytesOf(index.docs.subarray(start, end)),
      index.title.subarray(start, end),
      index.abstract.subarray(start, end),
      index.authors.subarray(start, end),
    ]);
  }
  return {
    summaries: textSection(JSON.stringify(papers.map((p, doc) => summaryRow(summarize(p, doc))))),
    keys: textSection(papers.map(keyLine).join('')),
    ...sortedIdSections(papers),
    docs,
    docOffsets: arraySection(docOffsets),
    docChecksums: arraySection(docChecksums),
    docNorms: arraySection(documentNorms(index, papers.length)),
    vocab: textSection(index.words.join('\n')),
    wordMasks: arraySection(letterMasks(index.words)),
    postingOffsets: arraySection(index.offsets),
    postingDocs: arraySection(index.docs),
    postingTitle: arraySection(index.title),
    postingAbstract: arraySection(index.abstract),
    postingAuthors: arraySection(index.authors),
    postingChecksums: arraySection(postingChecksums),
    acronyms: section([Buffer.from(JSON.stringify(findAcronymDefinitions(papers.map((p) => p.abstract))))]),
  };
}

function writeCache(path: string, papers: Paper[], corpusStat: Stats): void {
  const header: Header = { format: FORMAT, source: fingerprint(corpusStat), count: papers.length };
  writeSectioned(path, header, SECTIONS, encodeSections(papers));
}

/** The cache for a corpus file in this exact state, or null when there is none, it is stale, or unreadable. */
export function openCache(path: string, corpusStat: Stats): CorpusView | null {
  const opened = openSectioned<SectionName, Header>(
    path,
    SECTIONS,
    (header) => header.format === FORMAT && sameSource(header.source, fingerprint(corpusStat)) && header.sections.docOffsets?.[1] === 8 * (header.count + 1),
  );
  return opened ? cachedView(opened.header, opened.read, opened.damaged) : null;
}

function cachedView(header: Header & { sections: Placed<SectionName> }, read: Read<SectionName>, damaged: (what: string) => never): CorpusView {
  const numbers = (name: SectionName) => new Uint32Array(read(name).buffer);
  const keyLines = () => {
    const lines = header.count === 0 ? [] : textOf(read('keys')).slice(0, -1).split('\n');
    return lines.length === header.count && lines.every(isKeyLine) ? lines : damaged('keys are not what papers wrote');
  };
  let summaries: PaperSummary[] | undefined;
  let sortedIdStarts: Uint32Array | undefined;
  let sortedIdDocs: Uint32Array | undefined;
  let docOffsets: Float64Array | undefined;
  let docChecksums: Uint32Array | undefined;
  let index: Index | undefined;
  const parsePaper = (bytes: Uint8Array) => {
    const paper = JSON.parse(textOf(bytes)) as unknown;
    // The cache folder may be shared: a paper from it is held to the corpus's own rules.
    return isPaper(paper) ? paper : damaged('a paper that the corpus would refuse');
  };
  const view: CorpusView = {
    count: header.count,
    summaries: () => (summaries ??= jsonOf(read('summaries'), isSummaryList, damaged, 'summaries').map((row, doc) => summaryOf(row, doc))),
    keys: () => keyLines().map((line) => keyOf(line.split('\t'))),
    keysMatching: (wanted) => {
      const found: [number, Known][] = [];
      keyLines().forEach((line, doc) => {
        const fields = line.split('\t');
        if ((fields[1] && wanted.arxiv.has(fields[1])) || (fields[2] && wanted.doi.has(fields[2].toLowerCase())) || wanted.title.has(fields[3]!))
          found.push([doc, keyOf(fields)]);
      });
      return found;
    },
    ids: () => {
      const ids = header.count === 0 ? [] : textOf(read('sortedIds')).slice(0, -1).split('\n');
      return ids.length === header.count && ids.every(isPaperId) ? ids : damaged('ids are not what papers wrote');
    },
    head: (n) => view.summaries().slice(0, n),
    withId: (id, limit) => {
      sortedIdStarts ??= new Uint32Array(read('sortedIdStarts').buffer);
      sortedIdDocs ??= new Uint32Array(read('sortedIdDocs').buffer);
      if (sortedIdStarts.length !== header.count + 1 || sortedIdDocs.length !== header.count) damaged('the id table is not what papers wrote');
      const starts = sortedIdStarts;
      // Ids read one at a time are not checked by a checksum: they must look like ids, and the paper found must carry its id.
      const idAt = (i: number) => {
        const [start, end] = [starts[i]!, starts[i + 1]!];
        const text = end > start ? textOf(read('sortedIds', start, end - start - 1, null)) : '';
        return isPaperId(text) ? text : damaged('an id that is not one');
      };
      const matches = sortedIdMatches(header.count, idAt, (i) => sortedIdDocs![i]!, id, limit);
      if (matches.total === 1 && matches.found[0]!.id === id && view.paper(matches.found[0]!.doc).id !== id) damaged('the id table does not match the papers');
      return matches;
    },
    paper: (doc) => {
      docOffsets ??= new Float64Array(read('docOffsets').buffer);
      docChecksums ??= numbers('docChecksums');
      const start = docOffsets[doc]!;
      return parsePaper(read('docs', start, docOffsets[doc + 1]! - start, docChecksums[doc]));
    },
    papers: () => {
      docOffsets ??= new Float64Array(read('docOffsets').buffer);
      const all = read('docs');
      return Array.from({ length: header.count }, (_, doc) => parsePaper(all.subarray(docOffsets![doc]!, docOffsets![doc + 1]!)));
    },
    index: () => (index ??= cachedIndex(header, read, damaged, view)),
  };
  return view;
}

function cachedIndex(header: Header & { sections: Placed<SectionName> }, read: Read<SectionName>, damaged: (what: string) => never, view: CorpusView): Index {
  const numbers = (name: SectionName) => new Uint32Array(read(name).buffer);
  const offsets = numbers('postingOffsets');
  let words: WordList | undefined;
  let acronyms: Record<string, string[]> | undefined;
  let masks: Uint32Array | undefined;
  let norms: Float64Array | undefined;
  let checksums: Uint32Array | undefined;
  let all: Postings | undefined;
  return {
    count: header.count,
    // Read when first asked for: a corpus folder's merged index asks a file's cache for its postings only.
    get words() {
      return (words ??= wordList(header.sections.vocab[1] > 0 ? textOf(read('vocab')) : ''));
    },
    get acronyms() {
      return (acronyms ??= jsonOf(read('acronyms'), isAcronymTable, damaged, 'acronyms'));
    },
    masks: () => (masks ??= numbers('wordMasks')),
    postings: (at) => {
      const start = offsets[at]!;
      const n = offsets[at + 1]! - start;
      // A small corpus's postings are read whole, once: one read instead of three for every word asked.
      if (header.sections.postingDocs[1] <= WHOLE_POSTINGS_BYTES) {
        const whole = (all ??= {
          docs: numbers('postingDocs'),
          title: read('postingTitle'),
          abstract: read('postingAbstract'),
          authors: read('postingAuthors'),
        });
        return {
          docs: whole.docs.subarray(start, start + n),
          title: whole.title.subarray(start, start + n),
          abstract: whole.abstract.subarray(start, start + n),
          authors: whole.authors.subarray(start, start + n),
        };
      }
      checksums ??= numbers('postingChecksums');
      // The word's three parts are checked as one, against the checksum written for them together.
      const parts = [
        read('postingDocs', 4 * start, 4 * n, null),
        read('postingTitle', start, n, null),
        read('postingAbstract', start, n, null),
        read('postingAuthors', start, n, null),
      ] as const;
      if (crcOf(parts) !== checksums[at]) damaged('postings do not match their checksum');
      return { docs: new Uint32Array(parts[0].buffer), title: parts[1], abstract: parts[2], authors: parts[3] };
    },
    paper: (doc) => view.paper(doc),
    summary: (doc) => view.summaries()[doc]!,
    hasCode: (doc) => Boolean(view.summaries()[doc]!.code),
    norms: () => (norms ??= new Float64Array(read('docNorms').buffer)),
    frequencies: () => frequenciesOf(offsets),
  };
}

/** Newline-separated words, each cut out only when asked for: splitting them all costs more than a search. */
export function wordList(text: string): WordList {
  if (text === '') return { length: 0, at: () => '' };
  const starts: number[] = [0];
  for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) starts.push(at + 1);
  starts.push(text.length + 1);
  return { length: starts.length - 1, at: (i) => text.slice(starts[i]!, starts[i + 1]! - 1) };
}

// A summary as stored: id, title, date, code, then the optional fields filters use (null when absent).
type SummaryRow = [string, string, string | null, string | null, string | null, string[] | null, number | null, string[] | null];

function summaryRow(s: PaperSummary): SummaryRow {
  return [s.id, s.title, s.date, s.code, s.published ?? null, s.categories ?? null, s.upvotes ?? null, s.authors ?? null];
}

function summaryOf([id, title, date, code, published, categories, upvotes, authors]: SummaryRow, doc: number): PaperSummary {
  const summary: PaperSummary = { doc, id, title, date, code };
  if (published !== null) summary.published = published;
  if (categories !== null) summary.categories = categories;
  if (upvotes !== null) summary.upvotes = upvotes;
  if (authors !== null) summary.authors = authors;
  return summary;
}

function isSummaryList(value: unknown): value is SummaryRow[] {
  const text = (v: unknown) => typeof v === 'string';
  const maybe = (v: unknown) => v === null || typeof v === 'string';
  const names = (v: unknown) => v === null || (Array.isArray(v) && v.every(text));
  const count = (v: unknown) => v === null || (typeof v === 'number' && Number.isInteger(v) && v >= 0);
  return (
    Array.isArray(value) &&
    value.every(
      (s) =>
        Array.isArray(s) &&
        s.length === 8 &&
        isPaperId(s[0]) &&
        text(s[1]) &&
        maybe(s[2]) &&
        maybe(s[3]) &&
        maybe(s[4]) &&
        names(s[5]) &&
        count(s[6]) &&
        names(s[7]),
    )
  );
}

export function isAcronymTable(value: unknown): value is Record<string, string[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((words) => Array.isArray(words) && words.every((w) => typeof w === 'string'))
  );
}

/** Writes the cache if it can: an unwritable cache folder leaves every command working from the YAML. */
export function tryWriteCache(file: string, papers: Paper[], stat: Stats): void {
  try {
    writeCache(file, papers, stat);
  } catch {
    // The cache only saves time.
  }
}

// What merges recognise a paper by, a line each: id, arXiv id, DOI (none of them holds white space) and title key (letters and digits).
const keyLine = (p: Paper) => `${p.id}\t${p.arxiv ?? ''}\t${p.doi ?? ''}\t${titleKey(p.title)}\n`;

const isKeyLine = (line: string) => /^[a-z0-9][a-z0-9-]*\t\S*\t\S*\t[^\t]*$/.test(line);

function keyOf([id, arxiv, doi, key]: string[]): Known {
  const known: Known = { id: id!, titleKey: key! };
  if (arxiv) known.arxiv = arxiv;
  if (doi) known.doi = doi;
  return known;
}

/** The ids in code-unit order with their papers: `show` finds one by binary search. */
function sortedIdSections(papers: Paper[]): Record<'sortedIds' | 'sortedIdStarts' | 'sortedIdDocs', Section> {
  const order = papers.map((_, doc) => doc).sort((a, b) => (papers[a]!.id < papers[b]!.id ? -1 : papers[a]!.id > papers[b]!.id ? 1 : 0));
  const starts = new Uint32Array(papers.length + 1);
  order.forEach((doc, i) => (starts[i + 1] = starts[i]! + Buffer.byteLength(papers[doc]!.id) + 1));
  return {
    sortedIds: textSection(order.map((doc) => `${papers[doc]!.id}\n`).join('')),
    sortedIdStarts: arraySection(starts),
    sortedIdDocs: arraySection(Uint32Array.from(order)),
  };
}
