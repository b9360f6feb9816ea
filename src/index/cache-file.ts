import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, rmSync, type Stats } from 'node:fs';
import { resolve } from 'node:path';
import { crc32 } from 'node:zlib';
import { ensureFolder, writeFileAtomic } from '../corpus/files.js';
import { isPaper, isPaperId, summarize, type Paper, type PaperSummary } from '../corpus/paper.js';
import { CacheDamaged } from '../errors.js';
import { findAcronymDefinitions } from './acronyms.js';
import { letterMasks } from './masks.js';
import { documentNorms } from './norms.js';
import type { CorpusView, Index, Postings, WordList } from './types.js';
import { frequenciesOf, indexWords } from './words.js';

/*
 * The cache is derived from the YAML and never edited: one file per corpus, replaced whole (written
 * beside, then renamed), so readers see an old or a new cache, never a mix. Layout:
 *   MAGIC, uint32 header length, header JSON, then the sections the header locates:
 *   summaries (JSON), docs (one JSON paper after another) and docOffsets (float64 byte offsets),
 *   docNorms (float64 TF-IDF vector lengths, for related papers),
 *   vocab (sorted words, newline-separated), wordMasks (uint32 letter sets), postingOffsets (uint32, where each word's postings start),
 *   postingDocs (uint32 paper numbers), postingTitle, postingAbstract and postingAuthors (uint8 counts), acronyms (JSON),
 *   docChecksums and postingChecksums (uint32 CRC-32 of each paper and of each word's postings).
 * The header holds a CRC-32 of every section: what is read whole is checked whole, what is read a paper
 * or a word at a time is checked by its own checksum. Any mismatch removes the file (see CacheDamaged).
 */
const MAGIC = Buffer.from('papers-cache\n');
// Bump when the layout, the tokenizer or anything else stored here changes meaning.
export const FORMAT = 9;
// Up to this size (a corpus of a couple of thousand papers), postings are read whole on first use, not word by word.
const WHOLE_POSTINGS_BYTES = 1 << 20;

const SECTIONS = [
  'summaries',
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
  sections: Record<SectionName, [offset: number, size: number, crc: number]>;
}

export function fingerprint(stat: Stats): Fingerprint {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
}

export const sameSource = (a: Fingerprint | undefined, b: Fingerprint) =>
  a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/**
 * The cache folder may be shared: a link or a FIFO where a cache file should be is not written through
 * or into (that could overwrite another file, or block), and the cache is simply not used.
 */
export function refuseOddFile(path: string): void {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (stat && !stat.isFile()) throw new Error(`${path} is not a regular file`);
}

const bytesOf = (array: Uint8Array | Uint32Array | Float64Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
const crcOf = (chunks: Uint8Array[]) => chunks.reduce((crc, chunk) => crc32(chunk, crc), 0);

/** A section: its size and checksum, and its chunks, made when it is written. */
interface Section {
  size: number;
  crc: number;
  chunks: () => Iterable<Uint8Array>;
}

function section(chunks: Uint8Array[]): Section {
  return { size: chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0), crc: crcOf(chunks), chunks: () => chunks };
}

/**
 * Each section as chunks written one after another without joining them first. The papers (the largest
 * section) are measured and checksummed in one pass and serialized again as they are written, so that
 * they are never all held as bytes at once.
 */
function encodeSections(papers: Paper[]): Record<SectionName, Section> {
  const docOffsets = new Float64Array(papers.length + 1);
  const docChecksums = new Uint32Array(papers.length);
  let docsCrc = 0;
  papers.forEach((paper, i) => {
    const bytes = Buffer.from(JSON.stringify(paper));
    docOffsets[i + 1] = docOffsets[i]! + bytes.length;
    docChecksums[i] = crc32(bytes);
    docsCrc = crc32(bytes, docsCrc);
  });
  const docs: Section = {
    size: docOffsets[papers.length]!,
    crc: docsCrc,
    chunks: function* () {
      for (const paper of papers) yield Buffer.from(JSON.stringify(paper));
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
    summaries: section([Buffer.from(JSON.stringify(papers.map((p, doc) => summaryRow(summarize(p, doc)))))]),
    docs,
    docOffsets: section([bytesOf(docOffsets)]),
    docChecksums: section([bytesOf(docChecksums)]),
    docNorms: section([bytesOf(documentNorms(index, papers.length))]),
    vocab: section([Buffer.from(index.words.join('\n'))]),
    wordMasks: section([bytesOf(letterMasks(index.words))]),
    postingOffsets: section([bytesOf(index.offsets)]),
    postingDocs: section([bytesOf(index.docs)]),
    postingTitle: section([bytesOf(index.title)]),
    postingAbstract: section([bytesOf(index.abstract)]),
    postingAuthors: section([bytesOf(index.authors)]),
    postingChecksums: section([bytesOf(postingChecksums)]),
    acronyms: section([Buffer.from(JSON.stringify(findAcronymDefinitions(papers.map((p) => p.abstract))))]),
  };
}

export function writeCache(path: string, papers: Paper[], corpusStat: Stats): void {
  const sections = encodeSections(papers);
  const placed = {} as Header['sections'];
  let offset = 0;
  for (const name of SECTIONS) {
    placed[name] = [offset, sections[name].size, sections[name].crc];
    offset += sections[name].size;
  }
  const header: Header = { format: FORMAT, source: fingerprint(corpusStat), count: papers.length, sections: placed };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  ensureFolder(resolve(path, '..'));
  refuseOddFile(path);
  writeFileAtomic(
    path,
    (function* () {
      yield* [MAGIC, length, headerBytes];
      for (const name of SECTIONS) yield* sections[name].chunks();
    })(),
  );
}

/** The cache for a corpus in this exact state, or null when there is none, it is stale, or unreadable. */
export function openCache(path: string, corpusStat: Stats): CorpusView | null {
  let fd: number;
  try {
    // Without blocking: a FIFO put where the cache should be would otherwise stop every command.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return null;
  }
  try {
    const size = fstatSync(fd).size;
    if (!fstatSync(fd).isFile()) throw new Error('not a file');
    const head = Buffer.alloc(MAGIC.length + 4);
    if (readSync(fd, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a cache');
    const headerLength = head.readUInt32LE(MAGIC.length);
    if (headerLength > size) throw new Error('header longer than the file');
    const headerBytes = Buffer.alloc(headerLength);
    if (readSync(fd, headerBytes, 0, headerLength, head.length) !== headerLength) throw new Error('short header');
    const header = JSON.parse(headerBytes.toString()) as Header;
    if (header.format !== FORMAT || !sameSource(header.source, fingerprint(corpusStat))) {
      closeSync(fd);
      return null;
    }
    // Sections are read lazily: check now that they are all there and in order (a cut-short file is rebuilt).
    const base = head.length + headerLength;
    let end = 0;
    for (const name of SECTIONS) {
      const [offset, length] = header.sections[name] ?? [-1, -1];
      if (offset !== end || !(length >= 0)) throw new Error(`${name} misplaced`);
      end += length;
    }
    if (size !== base + end || header.sections.docOffsets[1] !== 8 * (header.count + 1)) throw new Error('incomplete');
    return cachedView(path, fd, header, base);
  } catch {
    closeSync(fd);
    return null;
  }
}

function cachedView(path: string, fd: number, header: Header, base: number): CorpusView {
  const damaged = (what: string): never => {
    // Removed, so that the command, run again, rebuilds it from the YAML.
    rmSync(path, { force: true });
    throw new CacheDamaged(`the cache ${path} is damaged (${what})`);
  };
  /** Bytes of a section, checked against `crc` (by default the whole section's, when it is read whole). */
  const read = (name: SectionName, from = 0, length?: number, crc?: number | null): Uint8Array => {
    const [offset, size, sectionCrc] = header.sections[name];
    const want = length ?? size - from;
    if (from < 0 || want < 0 || from + want > size) damaged(`${name} out of bounds`);
    const bytes = new Uint8Array(new ArrayBuffer(want));
    if (want > 0 && readSync(fd, bytes, 0, want, base + offset + from) !== want) damaged(`short ${name}`);
    const expected = crc === undefined ? (from === 0 && want === size ? sectionCrc : undefined) : crc;
    if (expected === undefined) throw new Error(`${name} read in part without a checksum`);
    if (expected !== null && crc32(bytes) !== expected) damaged(`${name} does not match its checksum`);
    return bytes;
  };
  const whole =
    <T>(make: (bytes: Uint8Array) => T) =>
    (name: SectionName) =>
      make(read(name));
  const text = whole((bytes) => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString());
  const numbers = whole((bytes) => new Uint32Array(bytes.buffer));
  const json = <T>(name: SectionName, check: (value: unknown) => value is T): T => {
    let value: unknown;
    try {
      value = JSON.parse(text(name));
    } catch {
      value = undefined;
    }
    return check(value) ? value : damaged(`${name} is not what papers wrote`);
  };
  let summaries: PaperSummary[] | undefined;
  let docOffsets: Float64Array | undefined;
  let docChecksums: Uint32Array | undefined;
  let index: Index | undefined;
  const parsePaper = (bytes: Uint8Array) => {
    const paper = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString()) as unknown;
    // The cache folder may be shared: a paper from it is held to the corpus's own rules.
    return isPaper(paper) ? paper : damaged('a paper that the corpus would refuse');
  };
  const view: CorpusView = {
    count: header.count,
    summaries: () => (summaries ??= json('summaries', isSummaryList).map((row, doc) => summaryOf(row, doc))),
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
    index: () => (index ??= cachedIndex(damaged, header, read, text, numbers, json, view)),
  };
  return view;
}

type Read = (name: SectionName, from?: number, length?: number, crc?: number | null) => Uint8Array;

function cachedIndex(
  damaged: (what: string) => never,
  header: Header,
  read: Read,
  text: (name: SectionName) => string,
  numbers: (name: SectionName) => Uint32Array,
  json: <T>(name: SectionName, check: (value: unknown) => value is T) => T,
  view: CorpusView,
): Index {
  const offsets = numbers('postingOffsets');
  let masks: Uint32Array | undefined;
  let norms: Float64Array | undefined;
  let checksums: Uint32Array | undefined;
  let all: Postings | undefined;
  return {
    count: header.count,
    words: wordList(header.sections.vocab[1] > 0 ? text('vocab') : ''),
    masks: () => (masks ??= numbers('wordMasks')),
    acronyms: json('acronyms', isAcronymTable),
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
      if (crcOf([...parts]) !== checksums[at]) damaged('postings do not match their checksum');
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
function wordList(text: string): WordList {
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

function isAcronymTable(value: unknown): value is Record<string, string[]> {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((words) => Array.isArray(words) && words.every((w) => typeof w === 'string'))
  );
}
