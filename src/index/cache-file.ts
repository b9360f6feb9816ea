import type { Stats } from 'node:fs';
import { crc32 } from 'node:zlib';
import { isPaper, isPaperId, isTag, STATUSES, summarize, type Paper, type PaperSummary, type Status } from '../corpus/paper.js';
import { findAcronymDefinitions } from './acronyms.js';
import {
  arraySection,
  bytesOf,
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
import { firstNotBefore, sortedIdMatches } from '../corpus/ids.js';
import type { Known, WantedKeys } from '../corpus/merge.js';
import { fnv1a } from '../base/text/hash.js';
import { titleKey } from '../corpus/slug.js';
import { docsPassing, facetsPass, type Filters, type Marks } from './facets.js';
import type { CorpusView, Index, Postings, WordList } from './types.js';
import { indexWords } from './words.js';

/*
 * The cache of one corpus file (see container.ts for the file format). Sections:
 *   summaries (JSON),
 *   what search filters read of each paper: facetCode (uint8: has code), facetPublished and facetDaily (newline-separated days, empty for none),
 *   facetCategoryTable (JSON: each category once), facetCategoryStarts and facetCategoryIds (uint32: each paper's categories in the table, -1: none),
 *   facetStatus (uint8: 0 unread, else 1 + the status's place in STATUSES), facetTagTable, facetTagStarts and facetTagIds (as for categories),
 *   keys (a line per paper: id, arXiv id, DOI and title key, tab-separated; what merges recognise it by),
 *   sortedIds (the ids in code-unit order, newline-separated), sortedIdStarts (uint32 byte offsets) and sortedIdDocs (uint32 papers),
 *   docs (one JSON paper after another) and docOffsets (float64 byte offsets),
 *   docNorms (float64 TF-IDF vector lengths, for related papers),
 *   vocab (sorted words, newline-separated) and vocabStarts (uint32 byte offsets), wordMasks (uint32 letter sets),
 *   postingTable (uint32 pairs: where each word's postings start, counted in postings, and their CRC-32; then where the last ends),
 *   postings (each word's in turn: uint32 paper numbers, then uint8 counts in the title, the abstract and the authors), acronyms (JSON),
 *   docChecksums (uint32 CRC-32 of each paper).
 * Any mismatch removes the file (see CacheDamaged).
 */
// Bump when the layout, the tokenizer or anything else stored here changes meaning.
export const FORMAT = 16;
// Up to this size (a corpus of a couple of thousand papers), postings are read whole on first use, not word by word.
const WHOLE_POSTINGS_BYTES = 1 << 20;
// Papers a file gives one by one, each with its own place and checksum, before its tables of them are read whole.
const PAPERS_READ_ALONE = 32;
// Up to this many papers, `list --limit N` reads the papers themselves rather than every summary.
const HEAD_BY_PAPER = 200;
// A paper read alone costs about as much as this many summaries (or papers) parsed together: fewer papers
// selected than a file's count over this are read one by one.
const SELECTED_ALONE = 8;
// Papers whose JSON is kept from measuring it to writing it, rather than made twice.
const KEEP_SERIALIZED = 10_000;

const SECTIONS = [
  'summaries',
  'facetCode',
  'facetPublished',
  'facetDaily',
  'facetCategoryTable',
  'facetCategoryStarts',
  'facetCategoryIds',
  'facetStatus',
  'facetTagTable',
  'facetTagStarts',
  'facetTagIds',
  'keys',
  'keyHashes',
  'sortedIds',
  'sortedIdStarts',
  'sortedIdDocs',
  'docs',
  'docOffsets',
  'docChecksums',
  'docNorms',
  'vocab',
  'vocabStarts',
  'wordMasks',
  'postingTable',
  'postings',
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
  if (keep) {
    // Encoded one after another into one buffer, grown as it fills: no buffer per paper.
    let bytes = Buffer.allocUnsafe(1 << 16);
    let used = 0;
    papers.forEach((paper, i) => {
      const json = JSON.stringify(paper);
      if (used + 3 * json.length > bytes.length) {
        const bigger = Buffer.allocUnsafe(Math.max(2 * bytes.length, used + 3 * json.length));
        bytes.copy(bigger, 0, 0, used);
        bytes = bigger;
      }
      const end = used + bytes.write(json, used);
      docChecksums[i] = crc32(bytes.subarray(used, end));
      docOffsets[i + 1] = used = end;
    });
    serialized.push(bytes.subarray(0, used));
    docsCrc = crc32(serialized[0]!);
  } else {
    papers.forEach((paper, i) => {
      const bytes = Buffer.from(JSON.stringify(paper));
      docOffsets[i + 1] = docOffsets[i]! + bytes.length;
      docChecksums[i] = crc32(bytes);
      docsCrc = crc32(bytes, docsCrc);
    });
  }
  const docs: Section = {
    size: docOffsets[papers.length]!,
    crc: docsCrc,
    chunks: function* () {
      if (keep) yield* serialized;
      else for (const paper of papers) yield Buffer.from(JSON.stringify(paper));
    },
  };
  const index = indexWords(papers);
  // Each word's postings in one piece, so that a large file's are read in one go, with their place and checksum (one more).
  const count = index.offsets[index.words.length]!;
  const postings = Buffer.alloc(7 * count);
  const postingTable = new Uint32Array(2 * index.words.length + 1);
  for (let i = 0; i < index.words.length; i++) {
    const [start, end] = [index.offsets[i]!, index.offsets[i + 1]!];
    const at = 7 * start;
    const n = end - start;
    postings.set(bytesOf(index.docs.subarray(start, end)), at);
    postings.set(index.title.subarray(start, end), at + 4 * n);
    postings.set(index.abstract.subarray(start, end), at + 5 * n);
    postings.set(index.authors.subarray(start, end), at + 6 * n);
    postingTable[2 * i] = start;
    postingTable[2 * i + 1] = crc32(postings.subarray(at, 7 * end));
  }
  postingTable[2 * index.words.length] = count;
  return {
    summaries: textSection(JSON.stringify(papers.map((p, doc) => summaryRow(summarize(p, doc))))),
    ...facetSections(papers),
    ...keySections(papers),
    ...sortedIdSections(papers),
    docs,
    docOffsets: arraySection(docOffsets),
    docChecksums: arraySection(docChecksums),
    docNorms: arraySection(documentNorms(index, papers.length)),
    ...vocabSections(index.words),
    wordMasks: arraySection(letterMasks(index.words)),
    postingTable: arraySection(postingTable),
    postings: section([postings]),
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
  let docOffsets: Float64Array | undefined;
  let papersRead = 0;
  let docChecksums: Uint32Array | undefined;
  let index: Index | undefined;
  let facets: ((filters: Filters) => FacetFilter) | undefined;
  const facetFilter = (filters: Filters) => (facets ??= facetReader(header.count, read, damaged))(filters);
  const facetTest = (filters: Filters) => facetFilter(filters).test;
  const few = (docs: readonly number[]) => docs.length * SELECTED_ALONE < header.count;
  const parsePaper = (bytes: Uint8Array) => {
    const paper = JSON.parse(textOf(bytes)) as unknown;
    // The cache folder may be shared: a paper from it is held to the corpus's own rules.
    return isPaper(paper) ? paper : damaged('a paper that the corpus would refuse');
  };
  const view: CorpusView = {
    count: header.count,
    summaries: () => (summaries ??= jsonOf(read('summaries'), isSummaryList, damaged, 'summaries').map((row, doc) => summaryOf(row, doc))),
    keys: () => keyLines().map((line) => keyOf(line.split('\t'))),
    keyHashes: () => {
      const hashes = numbers('keyHashes');
      return hashes.length === 3 * header.count ? hashes : damaged('key hashes are not what papers wrote');
    },
    keysMatching: (wanted) => {
      const candidates = mayMatch(view.keyHashes(), wanted);
      if (candidates.length === 0) return [];
      const lines = keyLines();
      const found: [number, Known][] = [];
      for (const doc of candidates) {
        const fields = lines[doc]!.split('\t');
        if ((fields[1] && wanted.arxiv.has(fields[1])) || (fields[2] && wanted.doi.has(fields[2].toLowerCase())) || wanted.title.has(fields[3]!))
          found.push([doc, keyOf(fields)]);
      }
      return found;
    },
    ids: () => {
      const ids = header.count === 0 ? [] : textOf(read('sortedIds')).slice(0, -1).split('\n');
      return ids.length === header.count && ids.every(isPaperId) ? ids : damaged('ids are not what papers wrote');
    },
    // A first page is read paper by paper: fewer bytes than every paper's summary.
    head: (n) =>
      summaries || n > HEAD_BY_PAPER
        ? view.summaries().slice(0, n)
        : Array.from({ length: Math.min(n, header.count) }, (_, doc) => summarize(view.paper(doc), doc)),
    idTest: () => {
      if (header.count === 0) return () => false;
      const [ids, starts] = [read('sortedIds'), numbers('sortedIdStarts')];
      const sound =
        starts.length === header.count + 1 && starts[0] === 0 && starts[header.count] === ids.length && starts.every((at, i) => i === 0 || at > starts[i - 1]!);
      if (!sound) damaged('the id table is not what papers wrote');
      const idAt = (i: number) => textOf(ids.subarray(starts[i]!, starts[i + 1]! - 1));
      return (id) => {
        const at = firstNotBefore(header.count, idAt, id);
        return at < header.count && idAt(at) === id;
      };
    },
    withId: (id, limit) => idTableMatches(header.count, ['sortedIds', 'sortedIdStarts', 'sortedIdDocs'], read, damaged, (doc) => view.paper(doc).id, id, limit),
    sortedIds: () => {
      const docs = new Uint32Array(read('sortedIdDocs').buffer);
      const ids = view.ids();
      return docs.length === ids.length && docs.every((doc) => doc < header.count) ? { ids, docs } : damaged('the id table is not what papers wrote');
    },
    paper: (doc) => {
      // A search reads a few papers from each of many files: where each lies and its checksum are read for it
      // alone (unchecked: the paper's bytes are checked against them), until the file has given enough papers
      // to read its tables whole.
      if (!docOffsets && papersRead++ < PAPERS_READ_ALONE) {
        if (!(doc >= 0 && doc < header.count)) damaged('paper out of bounds');
        const [start, end] = new Float64Array(read('docOffsets', 8 * doc, 16, null).buffer);
        const [crc] = new Uint32Array(read('docChecksums', 4 * doc, 4, null).buffer);
        if (!(start! >= 0 && end! >= start!)) damaged('paper out of bounds');
        return parsePaper(read('docs', start!, end! - start!, crc!));
      }
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
    select: (filters) => facetFilter(filters).passing(),
    marks: () => facetMarks(header.count, read, damaged),
    summariesOf: (docs) => {
      if (summaries || !few(docs)) {
        const all = view.summaries();
        return docs.map((doc) => all[doc]!);
      }
      return docs.map((doc) => summarize(view.paper(doc), doc));
    },
    chunks: (docs) => {
      if (docs && few(docs)) return [docs.map((doc) => view.paper(doc))];
      const all = view.papers();
      return [docs ? docs.map((doc) => all[doc]!) : all];
    },
    index: () => (index ??= cachedIndex(header, read, damaged, view, facetTest)),
  };
  return view;
}

function cachedIndex(
  header: Header & { sections: Placed<SectionName> },
  read: Read<SectionName>,
  damaged: (what: string) => never,
  view: CorpusView,
  filter: Index['filter'],
): Index {
  const numbers = (name: SectionName) => new Uint32Array(read(name).buffer);
  let table: Uint32Array | undefined;
  let words: WordList | undefined;
  let acronyms: Record<string, string[]> | undefined;
  let masks: Uint32Array | undefined;
  let norms: Float64Array | undefined;
  let all: Uint8Array | undefined;
  // A small corpus's postings are read whole, once; a large one's (a folder's file, searched through the
  // lexicon) word by word: where the word's postings lie and their checksum, in one read, then the postings.
  const small = header.sections.postings[1] <= WHOLE_POSTINGS_BYTES;
  const entry = (at: number): [start: number, crc: number, end: number] => {
    const found =
      table || small ? (table ??= numbers('postingTable')).subarray(2 * at, 2 * at + 3) : new Uint32Array(read('postingTable', 8 * at, 12, null).buffer);
    if (found.length !== 3) damaged('postings out of bounds');
    return [found[0]!, found[1]!, found[2]!];
  };
  return {
    count: header.count,
    // Read when first asked for: a corpus folder's merged index asks a file's cache for its postings only.
    get words() {
      return (words ??= vocabOf(read, damaged));
    },
    get acronyms() {
      return (acronyms ??= jsonOf(read('acronyms'), isAcronymTable, damaged, 'acronyms'));
    },
    masks: () => (masks ??= numbers('wordMasks')),
    postings: (at, take) => {
      const [start, crc, end] = entry(at);
      const n = end - start;
      if (!(n >= 0)) damaged('postings out of order');
      if (small) {
        all ??= read('postings');
        if (7 * end > all.length) damaged('postings out of bounds');
        return postingsIn(all, start, end);
      } else {
        // Checked against the checksum written for them: a wrong place or checksum read with them does not match either.
        const bytes = read('postings', 7 * start, 7 * n, null, take?.(7 * n));
        if (crc32(bytes) !== crc) damaged('postings do not match their checksum');
        return postingsIn(bytes, 0, n);
      }
    },
    forEachWord: (visit) => {
      // Read whole and checked whole, and let go after: a large file's postings are not kept.
      const whole = new Uint32Array(read('postingTable').buffer);
      const bytes = all ?? read('postings');
      for (let at = 0; 2 * at + 2 < whole.length; at++) {
        const [start, end] = [whole[2 * at]!, whole[2 * at + 2]!];
        const n = end - start;
        if (!(n >= 0 && 7 * end <= bytes.length)) damaged('postings out of bounds');
        visit(at, postingsIn(bytes, start, end));
      }
    },
    paper: (doc) => view.paper(doc),
    filter,
    norms: () => (norms ??= new Float64Array(read('docNorms').buffer)),
    frequencies: () => {
      table ??= numbers('postingTable');
      return Uint32Array.from({ length: (table.length - 1) / 2 }, (_, i) => table![2 * i + 2]! - table![2 * i]!);
    },
  };
}

/** Postings `start` to `end` of a postings section's bytes: paper numbers, then the three counts. */
function postingsIn(bytes: Uint8Array, start: number, end: number): Postings {
  const n = end - start;
  // Copied when its paper numbers would not start on a multiple of four bytes, as a Uint32Array must.
  const part = (bytes.byteOffset + 7 * start) % 4 === 0 ? bytes.subarray(7 * start, 7 * end) : bytes.slice(7 * start, 7 * end);
  return {
    docs: new Uint32Array(part.buffer, part.byteOffset, n),
    title: part.subarray(4 * n, 5 * n),
    abstract: part.subarray(5 * n, 6 * n),
    authors: part.subarray(6 * n, 7 * n),
  };
}

/** The vocab and vocabStarts sections of these words, in code-unit order: each word's bytes start at its offset and end before the next's, less one. */
function vocabSections(words: string[]): { vocab: Section; vocabStarts: Section } {
  const { text, starts } = vocabBytes(words);
  return { vocab: section([text]), vocabStarts: arraySection(starts) };
}

/** The words as the vocab section holds them, and each one's byte offset (then the end's, plus one). */
export function vocabBytes(words: string[]): { text: Buffer; starts: Uint32Array } {
  const starts = new Uint32Array(words.length + 1);
  for (let i = 0; i < words.length; i++) starts[i + 1] = starts[i]! + Buffer.byteLength(words[i]!) + 1;
  return { text: Buffer.from(words.join('\n')), starts };
}

/**
 * The words of a vocab section, each decoded only when asked for: a search looks at a few dozen of
 * hundreds of thousands (by binary search, or after a test on their letter masks).
 */
function vocabOf<Name extends string>(read: Read<Name | 'vocab' | 'vocabStarts'>, damaged: (what: string) => never): WordList {
  const starts = new Uint32Array(read('vocabStarts').buffer);
  const bytes = read('vocab');
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const length = starts.length - 1;
  if (length < 0 || starts[0] !== 0 || starts[length] !== (length === 0 ? 0 : text.length + 1)) damaged('the vocabulary is not what papers wrote');
  return {
    length,
    at: (i) => {
      const [start, end] = [starts[i]!, starts[i + 1]! - 1];
      return end > start ? text.toString('utf8', start, end) : end === start ? '' : damaged('the vocabulary is not what papers wrote');
    },
  };
}

/** Each paper's list (its categories, its tags) as numbers into a table of each value once: where each paper's start, and the numbers. */
function listFacet(lists: (string[] | undefined)[]): { table: string[]; starts: Uint32Array; ids: Uint32Array } {
  const table = new Map<string, number>();
  const starts = new Uint32Array(lists.length + 1);
  const ids: number[] = [];
  lists.forEach((list, doc) => {
    // A paper without the field is told from one with an empty list, as the summaries tell them.
    if (list === undefined) ids.push(NO_VALUES);
    for (const value of list ?? []) {
      let id = table.get(value);
      if (id === undefined) table.set(value, (id = table.size));
      ids.push(id);
    }
    starts[doc + 1] = ids.length;
  });
  return { table: [...table.keys()], starts, ids: Uint32Array.from(ids) };
}

/** What filters read of each paper, in sections a search reads without parsing a JSON object a paper. */
function facetSections(papers: Paper[]) {
  const categories = listFacet(papers.map((paper) => paper.categories));
  const tags = listFacet(papers.map((paper) => paper.tags));
  return {
    facetCode: arraySection(Uint8Array.from(papers, (paper) => (paper.code ? 1 : 0))),
    facetPublished: textSection(papers.map((paper) => paper.published ?? '').join('\n')),
    facetDaily: textSection(papers.map((paper) => paper.daily ?? '').join('\n')),
    facetCategoryTable: textSection(JSON.stringify(categories.table)),
    facetCategoryStarts: arraySection(categories.starts),
    facetCategoryIds: arraySection(categories.ids),
    facetStatus: arraySection(Uint8Array.from(papers, (paper) => (paper.status === undefined ? 0 : 1 + STATUSES.indexOf(paper.status)))),
    facetTagTable: textSection(JSON.stringify(tags.table)),
    facetTagStarts: arraySection(tags.starts),
    facetTagIds: arraySection(tags.ids),
  };
}

const NO_VALUES = 0xffffffff;

/** A list facet read back: whether paper `doc` has a value (compared as `fold` gives the table's values). */
/** The last paper whose values start at or before `i` and end after it: the paper value `i` belongs to. */
function lastNotAfter(starts: Uint32Array, count: number, i: number): number {
  let [low, high] = [0, count - 1];
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (starts[middle]! <= i) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** A list facet (categories or tags) as filters read it: whether a paper holds a value, and which papers hold it. */
interface ListFacet {
  has: (doc: number) => (wanted: string) => boolean;
  holding: (wanted: string) => number[];
}

function listFacetReader(
  count: number,
  [table, starts, ids]: [string[], Uint32Array, Uint32Array],
  fold: (value: string) => string,
  damaged: (what: string) => never,
): ListFacet {
  if (starts.length !== count + 1 || starts[count] !== ids.length) damaged('facets are not what papers wrote');
  for (let i = 0; i < ids.length; i++) if (ids[i] !== NO_VALUES && ids[i]! >= table.length) damaged('a facet value not in its table');
  for (let doc = 0; doc < count; doc++) if (starts[doc]! > starts[doc + 1]!) damaged('facets are not what papers wrote');
  const folded = table.map(fold);
  return {
    has: (doc) => {
      const [start, end] = [starts[doc]!, starts[doc + 1]!];
      return (wanted) => {
        for (let i = start; i < end; i++) if (ids[i] !== NO_VALUES && folded[ids[i]!] === wanted) return true;
        return false;
      };
    },
    // A value no paper of the file holds costs a look at the table, not a pass over the papers.
    holding: (wanted) => {
      // Values that fold alike (cs.LG, cs.lg) are each the one wanted.
      const wantedAt = Uint8Array.from(folded, (value) => (value === wanted ? 1 : 0));
      if (!wantedAt.includes(1)) return [];
      const docs: number[] = [];
      // One pass over the values; a value wanted is rare, and its paper found from where the papers' values start.
      for (let i = 0; i < ids.length; i++) {
        const id = ids[i]!;
        if (id === NO_VALUES || wantedAt[id] !== 1) continue;
        const doc = lastNotAfter(starts, count, i);
        if (docs[docs.length - 1] !== doc) docs.push(doc);
        i = starts[doc + 1]! - 1;
      }
      return docs;
    },
  };
}

/** The statuses and tags a file's papers hold, from its facet sections. */
function facetMarks(count: number, read: Read<SectionName>, damaged: (what: string) => never): Marks {
  const status = read('facetStatus');
  if (status.length !== count) damaged('facets are not what papers wrote');
  const held = new Set(status);
  const statuses = STATUSES.filter((_, at) => held.has(1 + at));
  const tags = jsonOf(read('facetTagTable'), (v): v is string[] => Array.isArray(v) && v.every((t) => typeof t === 'string'), damaged, 'tags');
  return { statuses: [...statuses].sort(), tags: [...tags].sort() };
}

/** The filters read from a file's facet sections: a paper's test, and the papers that pass. */
interface FacetFilter {
  test: (doc: number) => boolean;
  passing: () => number[];
}

/**
 * The filters' test of a paper from the facet sections, each section read (and checked) only when a filter
 * asks for it: `list --status queued` over a million papers reads a byte a paper, not their dates and categories.
 * The papers that pass are found from the most telling filter first (a tag, a category, a status), so
 * the whole test runs on those few alone.
 */
function facetReader(count: number, read: Read<SectionName>, damaged: (what: string) => never): (filters: Filters) => FacetFilter {
  const sized = <T extends { length: number }>(values: T): T => (values.length === count ? values : damaged('facets are not what papers wrote'));
  const lines = (name: 'facetPublished' | 'facetDaily') => sized(count === 0 ? [] : textOf(read(name)).split('\n'));
  const list = (name: 'Category' | 'Tag', what: string, fold: (value: string) => string) =>
    listFacetReader(
      count,
      [
        jsonOf(read(`facet${name}Table`), (v): v is string[] => Array.isArray(v) && v.every((c) => typeof c === 'string'), damaged, what),
        new Uint32Array(read(`facet${name}Starts`).buffer),
        new Uint32Array(read(`facet${name}Ids`).buffer),
      ],
      fold,
      damaged,
    );
  let code: Uint8Array | undefined;
  let dates: { published: string[]; daily: string[] } | undefined;
  let status: Uint8Array | undefined;
  let categories: ListFacet | undefined;
  let tags: ListFacet | undefined;
  const readStatus = () => {
    const found = sized(read('facetStatus'));
    return found.some((s) => s > STATUSES.length) ? damaged('a status papers does not know') : found;
  };
  const none = () => false;
  const statusOf = (doc: number) => (status && status[doc] !== 0 ? (STATUSES[status[doc]! - 1] as Status) : undefined);
  return (filters) => {
    if (filters.code !== null) code ??= sized(read('facetCode'));
    if (filters.years || filters.since || filters.until) dates ??= { published: lines('facetPublished'), daily: lines('facetDaily') };
    if (filters.status || filters.notStatus.length > 0) status ??= readStatus();
    if (filters.categories.length > 0 || filters.notCategories.length > 0) categories ??= list('Category', 'categories', (c) => c.toLowerCase());
    if (filters.tags.length > 0 || filters.notTags.length > 0) tags ??= list('Tag', 'tags', (t) => t);
    // What a filter does not ask about is left unread: facetsPass does not look at it.
    const test = (doc: number) => {
      const own = { status: statusOf(doc), hasTag: tags ? tags.has(doc) : none };
      const day = dates ? { published: dates.published[doc] || undefined, daily: dates.daily[doc] || undefined } : {};
      return facetsPass(filters, code?.[doc] === 1, day, categories ? categories.has(doc) : none, own);
    };
    const candidates = (): number[] | null => {
      if (tags && filters.tags.length > 0) return tags.holding(filters.tags[0]!);
      if (categories && filters.categories.length > 0) return categories.holding(filters.categories[0]!);
      if (status && filters.status) {
        const wanted = new Set(filters.status.map((reading) => (reading === 'unread' ? 0 : 1 + STATUSES.indexOf(reading))));
        const docs: number[] = [];
        for (let doc = 0; doc < count; doc++) if (wanted.has(status[doc]!)) docs.push(doc);
        return docs;
      }
      return null;
    };
    return { test, passing: () => candidates()?.filter(test) ?? docsPassing(count, test) };
  };
}

// A summary as stored: id, title, date, code, then the optional fields filters use (null when absent).
type SummaryRow = [
  string,
  string,
  string | null,
  string | null,
  string | null,
  string[] | null,
  number | null,
  string[] | null,
  string | null,
  Status | null,
  string | null,
  string[] | null,
];

function summaryRow(s: PaperSummary): SummaryRow {
  const own = [s.status ?? null, s.marked ?? null, s.tags ?? null] as const;
  return [s.id, s.title, s.date, s.code, s.published ?? null, s.categories ?? null, s.upvotes ?? null, s.authors ?? null, s.daily ?? null, ...own];
}

function summaryOf([id, title, date, code, published, categories, upvotes, authors, daily, status, marked, tags]: SummaryRow, doc: number): PaperSummary {
  const summary: PaperSummary = { doc, id, title, date, code };
  if (published !== null) summary.published = published;
  if (categories !== null) summary.categories = categories;
  if (upvotes !== null) summary.upvotes = upvotes;
  if (authors !== null) summary.authors = authors;
  if (daily !== null) summary.daily = daily;
  if (status !== null) summary.status = status;
  if (marked !== null) summary.marked = marked;
  if (tags !== null) summary.tags = tags;
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
        s.length === 12 &&
        isPaperId(s[0]) &&
        text(s[1]) &&
        maybe(s[2]) &&
        maybe(s[3]) &&
        maybe(s[4]) &&
        names(s[5]) &&
        count(s[6]) &&
        names(s[7]) &&
        maybe(s[8]) &&
        (s[9] === null || (STATUSES as readonly unknown[]).includes(s[9])) &&
        maybe(s[10]) &&
        (s[11] === null || (Array.isArray(s[11]) && s[11].every(isTag))),
    )
  );
}

/** Some papers' summaries, each with its number, as a section's text (a folder's library table). */
export function numberedSummariesText(summaries: readonly PaperSummary[]): string {
  return JSON.stringify(summaries.map((s) => [s.doc, summaryRow(s)]));
}

/** The summaries numberedSummariesText wrote, numbered below `count`; null when the value is not that. */
export function numberedSummaries(value: unknown, count: number): PaperSummary[] | null {
  if (!Array.isArray(value)) return null;
  const numbered = value.every((pair) => Array.isArray(pair) && pair.length === 2 && Number.isInteger(pair[0]) && pair[0] >= 0 && pair[0] < count);
  if (!numbered || !isSummaryList(value.map((pair: unknown[]) => pair[1]))) return null;
  return (value as [number, SummaryRow][]).map(([doc, row]) => summaryOf(row, doc));
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
/**
 * What a merge recognises each paper by: a line of its id, arXiv id, DOI and title key, and a hash of each
 * key (see keyHashes), so that an import of a few papers finds which it may share a key with without
 * reading every line.
 */
function keySections(papers: Paper[]): Record<'keys' | 'keyHashes', Section> {
  const lines = papers.map((p) => `${p.id}\t${p.arxiv ?? ''}\t${p.doi ?? ''}\t${titleKey(p.title)}\n`);
  return { keys: textSection(lines.join('')), keyHashes: arraySection(keyHashesOf(papers)) };
}

/** Each paper's keys hashed (see keyHashes), three numbers a paper. */
export function keyHashesOf(papers: Paper[]): Uint32Array {
  const hashes = new Uint32Array(3 * papers.length);
  papers.forEach((p, doc) => hashes.set(keyHashes(p.arxiv, p.doi?.toLowerCase(), titleKey(p.title)), 3 * doc));
  return hashes;
}

/** A paper's keys hashed: arXiv id, DOI in lower case, title key (0 for a key it lacks). Equal keys, equal hashes. */
const keyHashes = (arxiv: string | undefined, doi: string | undefined, title: string) => [arxiv ? fnv1a(arxiv) : 0, doi ? fnv1a(doi) : 0, fnv1a(title)];

/** The papers whose hashed keys (see keyHashes) may be wanted: each must then be checked against its keys. */
function mayMatch(hashes: Uint32Array, wanted: WantedKeys): number[] {
  const sets = [wanted.arxiv, wanted.doi, wanted.title].map((keys) => new Set([...keys].map(fnv1a)));
  const docs: number[] = [];
  for (let doc = 0; 3 * doc < hashes.length; doc++) {
    if (sets[0]!.has(hashes[3 * doc]!) || sets[1]!.has(hashes[3 * doc + 1]!) || sets[2]!.has(hashes[3 * doc + 2]!)) docs.push(doc);
  }
  return docs;
}

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
  const [ids, starts, docs] = idTableSections(
    order.map((doc) => papers[doc]!.id),
    Uint32Array.from(order),
  );
  return { sortedIds: ids, sortedIdStarts: starts, sortedIdDocs: docs };
}

/** An id table's sections: the ids (in code-unit order, each ended by a newline), their byte offsets, and their papers. */
function idTableSections(ids: string[], docs: Uint32Array): [Section, Section, Section] {
  const starts = new Uint32Array(ids.length + 1);
  ids.forEach((id, i) => (starts[i + 1] = starts[i]! + Buffer.byteLength(id) + 1));
  return [textSection(ids.map((id) => `${id}\n`).join('')), arraySection(starts), arraySection(docs)];
}

/**
 * Finds ids in an id table read in part, an id at a time: they are not checked by a checksum, so each must
 * look like an id, and the paper found for an id must carry it.
 */
function idTableMatches<Name extends string>(
  count: number,
  [idsName, startsName, docsName]: [Name, Name, Name],
  read: Read<Name>,
  damaged: (what: string) => never,
  idOf: (doc: number) => string,
  id: string,
  limit: number,
) {
  const pair = (i: number) => new Uint32Array(read(startsName, 4 * i, 8, null).buffer);
  const idAt = (i: number) => {
    const [start, end] = pair(i);
    const text = end! > start! ? textOf(read(idsName, start!, end! - start! - 1, null)) : '';
    return isPaperId(text) ? text : damaged('an id that is not one');
  };
  const docAt = (i: number) => new Uint32Array(read(docsName, 4 * i, 4, null).buffer)[0]!;
  const matches = sortedIdMatches(count, idAt, docAt, id, limit);
  // Each id found must be its paper's; an id not found, when the table is whole (then checked whole: a miss is rare, and slow anyway).
  if (matches.found.some((match) => idOf(match.doc) !== match.id)) damaged('the id table does not match the papers');
  if (matches.total === 0) for (const name of [idsName, startsName, docsName]) read(name);
  return matches;
}
