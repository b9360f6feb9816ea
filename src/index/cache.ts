import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { writeFileAtomic } from '../corpus/files.js';
import type { Paper, PaperSummary } from '../corpus/paper.js';
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
 *   postingDocs (uint32 paper numbers), postingTitle and postingAbstract (uint8 counts), acronyms (JSON).
 */
const MAGIC = Buffer.from('papers-cache\n');
// Bump when the layout, the tokenizer or anything else stored here changes meaning.
const FORMAT = 7;
// Up to this size (a corpus of a couple of thousand papers), postings are read whole on first use, not word by word.
const WHOLE_POSTINGS_BYTES = 1 << 20;

type SectionName =
  'summaries' | 'docs' | 'docOffsets' | 'docNorms' | 'vocab' | 'wordMasks' | 'postingOffsets' | 'postingDocs' | 'postingTitle' | 'postingAbstract' | 'acronyms';

interface Header {
  format: number;
  source: { size: number; mtimeMs: number; ctimeMs: number; ino: number };
  count: number;
  sections: Record<SectionName, [number, number]>;
}

export function cacheDir(env: NodeJS.ProcessEnv): string {
  if (env.PAPERS_CACHE_DIR) return resolve(env.PAPERS_CACHE_DIR);
  return join(env.XDG_CACHE_HOME ? resolve(env.XDG_CACHE_HOME) : join(env.HOME || homedir(), '.cache'), 'papers');
}

/** One cache file per corpus file, named by the corpus's absolute path. */
export function cachePath(corpusPath: string, env: NodeJS.ProcessEnv): string {
  const key = pathKey(resolve(corpusPath));
  return join(cacheDir(env), `corpus-${key}.cache`);
}

/** Two 32-bit FNV-1a hashes of the path: a file name per corpus without loading node:crypto. */
function pathKey(path: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ path.length;
  for (let i = 0; i < path.length; i++) {
    const c = path.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export function clearCache(env: NodeJS.ProcessEnv): number {
  const dir = cacheDir(env);
  let removed = 0;
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return 0;
  }
  for (const name of names) {
    if (/^(?:\.)?corpus-[0-9a-f]{16}\.cache/.test(name)) {
      rmSync(join(dir, name), { force: true });
      removed++;
    }
  }
  return removed;
}

function fingerprint(stat: Stats): Header['source'] {
  return { size: stat.size, mtimeMs: stat.mtimeMs, ctimeMs: stat.ctimeMs, ino: stat.ino };
}

const sameSource = (a: Header['source'] | undefined, b: Header['source']) =>
  a !== undefined && a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

/**
 * A value worked out from the whole corpus (the keywords of `stats`), kept beside its cache under `name`
 * for the corpus in this exact state; null when there is none or the corpus has changed since.
 */
export function readDerived<T>(cacheFile: string, name: string, corpusStat: Stats): T | null {
  try {
    const kept = JSON.parse(readFileSync(`${cacheFile}.${name}.json`, 'utf8')) as { format: number; source: Header['source']; value: T };
    return kept.format === FORMAT && sameSource(kept.source, fingerprint(corpusStat)) ? kept.value : null;
  } catch {
    return null;
  }
}

export function writeDerived(cacheFile: string, name: string, corpusStat: Stats, value: unknown): void {
  try {
    mkdirSync(resolve(cacheFile, '..'), { recursive: true });
    writeFileAtomic(`${cacheFile}.${name}.json`, JSON.stringify({ format: FORMAT, source: fingerprint(corpusStat), value }));
  } catch {
    // Only time is lost: the value is worked out again next time.
  }
}

const bytesOf = (array: Uint8Array | Uint32Array | Float64Array) => new Uint8Array(array.buffer, array.byteOffset, array.byteLength);

/** Each section as a list of chunks, written one after another without joining them first. */
function encodeSections(papers: Paper[]): Record<SectionName, Uint8Array[]> {
  const docs = papers.map((p) => Buffer.from(JSON.stringify(p)));
  const docOffsets = new Float64Array(papers.length + 1);
  docs.forEach((doc, i) => (docOffsets[i + 1] = docOffsets[i]! + doc.length));
  const index = indexWords(papers);
  return {
    summaries: [Buffer.from(JSON.stringify(papers.map((p) => [p.id, p.title, p.date, p.code])))],
    docs,
    docOffsets: [bytesOf(docOffsets)],
    docNorms: [bytesOf(documentNorms(index, papers.length))],
    vocab: [Buffer.from(index.words.join('\n'))],
    wordMasks: [bytesOf(letterMasks(index.words))],
    postingOffsets: [bytesOf(index.offsets)],
    postingDocs: [bytesOf(index.docs)],
    postingTitle: [bytesOf(index.title)],
    postingAbstract: [bytesOf(index.abstract)],
    acronyms: [Buffer.from(JSON.stringify(findAcronymDefinitions(papers.map((p) => p.abstract))))],
  };
}

export function writeCache(path: string, papers: Paper[], corpusStat: Stats): void {
  const sections = encodeSections(papers);
  const names = Object.keys(sections) as SectionName[];
  const placed = {} as Record<SectionName, [number, number]>;
  let offset = 0;
  for (const name of names) {
    const size = sections[name].reduce((sum, chunk) => sum + chunk.byteLength, 0);
    placed[name] = [offset, size];
    offset += size;
  }
  const header: Header = { format: FORMAT, source: fingerprint(corpusStat), count: papers.length, sections: placed };
  const headerBytes = Buffer.from(JSON.stringify(header));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(headerBytes.length);
  mkdirSync(resolve(path, '..'), { recursive: true });
  writeFileAtomic(path, [MAGIC, length, headerBytes, ...names.flatMap((n) => sections[n])]);
}

/** The cache for a corpus in this exact state, or null when there is none, it is stale, or unreadable. */
export function openCache(path: string, corpusStat: Stats): CorpusView | null {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return null;
  }
  try {
    const head = Buffer.alloc(MAGIC.length + 4);
    if (readSync(fd, head, 0, head.length, 0) !== head.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) throw new Error('not a cache');
    const headerLength = head.readUInt32LE(MAGIC.length);
    const headerBytes = Buffer.alloc(headerLength);
    if (readSync(fd, headerBytes, 0, headerLength, head.length) !== headerLength) throw new Error('short header');
    const header = JSON.parse(headerBytes.toString()) as Header;
    const now = fingerprint(corpusStat);
    const source = header.source;
    if (
      header.format !== FORMAT ||
      !source ||
      source.size !== now.size ||
      source.mtimeMs !== now.mtimeMs ||
      source.ctimeMs !== now.ctimeMs ||
      source.ino !== now.ino
    ) {
      closeSync(fd);
      return null;
    }
    // Sections are read lazily: check now that they are all there (a cut-short file is rebuilt).
    const base = head.length + headerLength;
    const end = Math.max(...Object.values(header.sections).map(([offset, size]) => offset + size));
    if (fstatSync(fd).size !== base + end || header.sections.docOffsets[1] !== 8 * (header.count + 1)) throw new CorruptCache('incomplete');
    return cachedView(fd, header, base);
  } catch {
    closeSync(fd);
    return null;
  }
}

class CorruptCache extends Error {}

function cachedView(fd: number, header: Header, base: number): CorpusView {
  const read = (name: SectionName, from = 0, length?: number): ArrayBuffer => {
    const [offset, size] = header.sections[name];
    const want = length ?? size - from;
    if (from < 0 || from + want > size) throw new CorruptCache(`${name} out of bounds`);
    const buffer = new ArrayBuffer(want);
    if (want > 0 && readSync(fd, new Uint8Array(buffer), 0, want, base + offset + from) !== want) throw new CorruptCache(`short ${name}`);
    return buffer;
  };
  const text = (name: SectionName) => Buffer.from(read(name)).toString();
  let summaries: PaperSummary[] | undefined;
  let docOffsets: Float64Array | undefined;
  let index: Index | undefined;
  const view: CorpusView = {
    count: header.count,
    summaries: () =>
      (summaries ??= (JSON.parse(text('summaries')) as [string, string, string | null, string | null][]).map(([id, title, date, code], doc) => ({
        doc,
        id,
        title,
        date,
        code,
      }))),
    paper: (doc) => {
      docOffsets ??= new Float64Array(read('docOffsets'));
      const start = docOffsets[doc]!;
      return JSON.parse(Buffer.from(read('docs', start, docOffsets[doc + 1]! - start)).toString()) as Paper;
    },
    papers: () => {
      docOffsets ??= new Float64Array(read('docOffsets'));
      const all = Buffer.from(read('docs'));
      return Array.from({ length: header.count }, (_, doc) => JSON.parse(all.subarray(docOffsets![doc]!, docOffsets![doc + 1]!).toString()) as Paper);
    },
    index: () => (index ??= cachedIndex(header, read, text, view)),
  };
  return view;
}

function cachedIndex(
  header: Header,
  read: (name: SectionName, from?: number, length?: number) => ArrayBuffer,
  text: (name: SectionName) => string,
  view: CorpusView,
): Index {
  const offsets = new Uint32Array(read('postingOffsets'));
  let masks: Uint32Array | undefined;
  let norms: Float64Array | undefined;
  let all: Postings | undefined;
  return {
    count: header.count,
    words: wordList(header.sections.vocab[1] > 0 ? text('vocab') : ''),
    masks: () => (masks ??= new Uint32Array(read('wordMasks'))),
    acronyms: JSON.parse(text('acronyms')) as Record<string, string[]>,
    postings: (at) => {
      const start = offsets[at]!;
      const n = offsets[at + 1]! - start;
      // A small corpus's postings are read whole, once: one read instead of three for every word asked.
      if (header.sections.postingDocs[1] <= WHOLE_POSTINGS_BYTES) {
        all ??= { docs: new Uint32Array(read('postingDocs')), title: new Uint8Array(read('postingTitle')), abstract: new Uint8Array(read('postingAbstract')) };
        return { docs: all.docs.subarray(start, start + n), title: all.title.subarray(start, start + n), abstract: all.abstract.subarray(start, start + n) };
      }
      return {
        docs: new Uint32Array(read('postingDocs', 4 * start, 4 * n)),
        title: new Uint8Array(read('postingTitle', start, n)),
        abstract: new Uint8Array(read('postingAbstract', start, n)),
      };
    },
    paper: (doc) => view.paper(doc),
    hasCode: (doc) => Boolean(view.summaries()[doc]!.code),
    norms: () => (norms ??= new Float64Array(read('docNorms'))),
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
