import { basename } from 'node:path';
import type { Stats } from 'node:fs';
import type { Known } from '../corpus/merge.js';
import type { PaperSummary } from '../corpus/paper.js';
import { fingerprint, isAcronymTable, numberedSummaries, numberedSummariesText, sameSource, vocabBytes, type Fingerprint } from './cache-file.js';
import { arraySection, bytesOf, crcOf, jsonOf, openSectioned, section, textSection, writeSectioned, type Read } from './container.js';
import { isMarks, joinMarks, NO_FILTERS, onlyMarked, passes, type Filters, type Marks } from './facets.js';
import { letterMasks } from './masks.js';
import { isTopicWord, tfidfWeight } from './norms.js';
import type { CorpusView, Index, Postings, WordList } from './types.js';
import { fnv1a } from '../base/text/hash.js';

/*
 * A corpus folder is searched as one corpus: each file's cache is a segment, and the lexicon (one more
 * cache file, for the folder) joins them as Lucene joins segments at search time. It holds every word of
 * every file once, in order, with how many papers of the whole corpus use it and where each file's
 * postings of it are, the acronyms of the whole corpus, and every id in order, for `show`. Postings stay
 * in the files' caches: a changed file rebuilds its own segment and the lexicon, never the others.
 * Papers are numbered through the files in name order, so the merged index is the one a single file
 * holding the same papers in that order would have: ranking does not depend on the layout.
 */
// 5: written only for folders without duplicate papers (see openFolder).
const LEXICON_FORMAT = 6;
// Word references are read a block of this many words at a time, each block checked by a checksum of its own.
const REF_BLOCK = 256;

const SECTIONS = [
  'vocab',
  'vocabStarts',
  'vocabChecks',
  'wordMasks',
  'frequencies',
  'refStarts',
  'refSegments',
  'refWords',
  'refChecks',
  'acronyms',
  'idSlots',
  'library',
] as const;
type SectionName = (typeof SECTIONS)[number];

/** One file of the folder, how many papers it holds, and its papers' view (opened when first asked for, when the lexicon is current). */
export interface Segment {
  name: string;
  stat: Stats;
  count: number;
  readonly view: CorpusView;
  /** Its papers' statuses and tags (the library table is made of the files that have some): from the lexicon when it is current, without opening the file's cache. */
  marks(): Marks;
}

interface Header {
  format: number;
  count: number;
  files: [name: string, source: Fingerprint, count: number, marks: Marks][];
}

const describe = (segments: Segment[]) => segments.map((s): Header['files'][number] => [s.name, fingerprint(s.stat), s.count, s.marks()]);

/** Whether the lexicon was built from exactly these files, as they are now. */
function current(header: Header, files: { name: string; stat: Stats }[]): boolean {
  return (
    header.format === LEXICON_FORMAT &&
    Array.isArray(header.files) &&
    header.files.length === files.length &&
    files.every(
      ({ name, stat }, i) =>
        header.files[i]![0] === name &&
        sameSource(header.files[i]![1], fingerprint(stat)) &&
        Number.isInteger(header.files[i]![2]) &&
        isMarks(header.files[i]![3]),
    )
  );
}

/** Where each segment's papers start in the whole corpus's numbering, and the total after the last. */
function basesOf(segments: Segment[]): Uint32Array {
  const bases = new Uint32Array(segments.length + 1);
  segments.forEach((s, i) => (bases[i + 1] = bases[i]! + s.count));
  return bases;
}

/** The segment holding paper `doc`: the last one starting at or before it. */
function segmentOf(bases: Uint32Array, doc: number): number {
  let [lo, hi] = [0, bases.length - 2];
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (bases[mid]! <= doc) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/**
 * Every id of the corpus in a hash table (open addressing: a pair a slot, the id's hash and its paper's
 * number plus one, 0 for an empty slot), so that `show` finds a paper by its id with a read or two, however
 * many files there are; null when an id is used twice (in two files: two clones merged), which leaves
 * the folder without a lexicon (see findDuplicates).
 */
function idTable(segments: Segment[], bases: Uint32Array): Uint32Array | null {
  const tables = segments.map((segment) => segment.view.sortedIds());
  const count = bases[segments.length]!;
  let size = 16;
  while (size < 2 * count) size *= 2;
  const slots = new Uint32Array(2 * size);
  // Who holds each slot (its file, and its place in that file's ids), to tell two ids of one hash apart.
  const ownerSegment = new Int32Array(size);
  const ownerIndex = new Int32Array(size);
  for (const [s, { ids, docs }] of tables.entries()) {
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i]!;
      const hash = fnv1a(id);
      let slot = hash & (size - 1);
      while (slots[2 * slot + 1] !== 0) {
        if (slots[2 * slot] === hash && tables[ownerSegment[slot]!]!.ids[ownerIndex[slot]!] === id) return null;
        slot = (slot + 1) & (size - 1);
      }
      slots[2 * slot] = hash;
      slots[2 * slot + 1] = bases[s]! + docs[i]! + 1;
      ownerSegment[slot] = s;
      ownerIndex[slot] = i;
    }
  }
  return slots;
}

/**
 * The paper with exactly this id, found in the id table (`slotAt`: a slot's hash and paper number plus one,
 * maybe read from a damaged file) and checked against the paper itself; undefined when it is not there.
 */
function idLookup(size: number, slotAt: (slot: number) => [number, number], idOf: (doc: number) => string, id: string): number | undefined {
  const hash = fnv1a(id);
  for (let slot = hash % size, probes = 0; probes < size; slot = (slot + 1) % size, probes++) {
    const [slotHash, docPlusOne] = slotAt(slot);
    if (docPlusOne === 0) return undefined;
    if (slotHash === hash && idOf(docPlusOne - 1) === id) return docPlusOne - 1;
  }
  return undefined;
}

/**
 * Whether two papers of these files may be one (see findDuplicates): an id in two files (see idTable), or
 * an arXiv id or DOI found twice, by their hashes in the files' caches, a hash found twice checked against
 * the papers that have it. No paper's keys are read: rebuilding the lexicon of a large folder, after any
 * file changed, can afford this.
 */
export function mayHoldDuplicates(segments: Segment[]): boolean {
  return idTable(segments, basesOf(segments)) === null || mayShareKeys(segments);
}

/** Whether two papers may have one arXiv id or one DOI: their hashes alike, then the two papers read to compare. */
function mayShareKeys(segments: Segment[]): boolean {
  const hashes = segments.map((segment) => segment.view.keyHashes());
  const count = hashes.reduce((sum, h) => sum + h.length / 3, 0);
  // 0: arXiv id, 1: DOI, as keyHashes holds them.
  for (const kind of [0, 1]) {
    const values = new Uint32Array(count);
    let n = 0;
    for (const h of hashes) for (let at = kind; at < h.length; at += 3) if (h[at] !== 0) values[n++] = h[at]!;
    const sorted = values.subarray(0, n).sort();
    const shared = new Set<number>();
    for (let i = 1; i < sorted.length; i++) if (sorted[i] === sorted[i - 1]) shared.add(sorted[i]!);
    const seen = new Set<string>();
    for (const [s, h] of hashes.entries()) {
      for (let at = kind; at < h.length && shared.size > 0; at += 3) {
        if (!shared.has(h[at]!)) continue;
        const paper = segments[s]!.view.paper((at - kind) / 3);
        const key = kind === 0 ? paper.arxiv : paper.doi?.toLowerCase();
        if (key !== undefined && seen.has(key)) return true;
        if (key !== undefined) seen.add(key);
      }
    }
  }
  return false;
}

/**
 * Builds and writes the lexicon of these segments, and returns its view; null, with nothing written, when
 * two of their papers may be one (see mayHoldDuplicates), unless `checked` says that none is.
 */
export function buildLexicon(path: string | null, segments: Segment[], checked = false): CorpusView | null {
  const bases = basesOf(segments);
  const slots = idTable(segments, bases);
  if (slots === null || (!checked && mayShareKeys(segments))) return null;
  const acronyms: Record<string, string[]> = {};
  const indexes = segments.map((segment) => segment.view.index());
  for (const index of indexes) {
    // The first definition in corpus order wins, as it does in one file.
    for (const [acronym, words] of Object.entries(index.acronyms)) if (!(acronym in acronyms)) acronyms[acronym] = words;
  }
  const { words, refStarts, refSegments, refWords, frequencies } = mergeVocabularies(indexes);
  const masks = letterMasks(words);
  const library = librarySummaries(segments, bases);
  if (path) {
    try {
      const vocab = vocabBytes(words);
      const header: Header = { format: LEXICON_FORMAT, count: bases[segments.length]!, files: describe(segments) };
      writeSectioned(path, header, SECTIONS, {
        vocab: section([vocab.text]),
        vocabStarts: arraySection(vocab.starts),
        vocabChecks: arraySection(blockChecks(vocab.starts, (from, to) => [vocab.text.subarray(from, to - 1)])),
        wordMasks: arraySection(masks),
        frequencies: arraySection(frequencies),
        refStarts: arraySection(refStarts),
        refSegments: arraySection(refSegments),
        refWords: arraySection(refWords),
        refChecks: arraySection(blockChecks(refStarts, (from, to) => [bytesOf(refSegments.subarray(from, to)), bytesOf(refWords.subarray(from, to))])),
        acronyms: textSection(JSON.stringify(acronyms)),
        idSlots: arraySection(slots),
        library: textSection(numberedSummariesText(library)),
      });
    } catch {
      // Only time is lost: the next command joins the segments again.
    }
  }
  const lexicon: Lexicon = {
    words: { length: words.length, at: (i) => words[i]! },
    masks: () => masks,
    frequencies: () => frequencies,
    refs: (at) => [refSegments.subarray(refStarts[at]!, refStarts[at + 1]!), refWords.subarray(refStarts[at]!, refStarts[at + 1]!)],
    acronyms: () => acronyms,
    withId: (id, idOf) => idLookup(slots.length / 2, (slot) => [slots[2 * slot]!, slots[2 * slot + 1]!], idOf, id),
    library: () => library,
  };
  return segmentedView(segments, lexicon);
}

/** The summaries of the segments' papers that have a status or a tag, numbered through the whole folder; a file without any is not read. */
function librarySummaries(segments: Segment[], bases: Uint32Array): PaperSummary[] {
  return segments.flatMap((segment, s) => {
    const { statuses, tags } = segment.marks();
    if (statuses.length === 0 && tags.length === 0) return [];
    const marked = new Set([
      ...segment.view.select({ ...NO_FILTERS, notStatus: ['unread'] }),
      ...tags.flatMap((tag) => segment.view.select({ ...NO_FILTERS, tags: [tag] })),
    ]);
    return segment.view.summariesOf([...marked].sort((a, b) => a - b)).map((summary) => ({ ...summary, doc: summary.doc + bases[s]! }));
  });
}

/**
 * Every word of the segments once, in code-unit order, by merging their sorted vocabularies: for each, the
 * segments that have it (and its number there) and in how many papers of them all it occurs.
 */
function mergeVocabularies(indexes: Index[]) {
  const counts = indexes.map((index) => index.frequencies());
  const lists = indexes.map((index) => index.words);
  // Each segment's words once each: as many references as that, at most as many words (typed arrays: millions of pushes cost seconds).
  const total = lists.reduce((sum, list) => sum + list.length, 0);
  const words: string[] = [];
  const starts = new Uint32Array(total + 1);
  const segs = new Uint32Array(total);
  const locals = new Uint32Array(total);
  const frequency = new Uint32Array(total);
  let refs = 0;
  mergeSorted(lists, (word, s, i) => {
    if (words.length === 0 || words[words.length - 1] !== word) {
      starts[words.length] = refs;
      words.push(word);
    }
    segs[refs] = s;
    locals[refs++] = i;
    frequency[words.length - 1]! += counts[s]![i]!;
  });
  starts[words.length] = refs;
  return {
    words,
    refStarts: starts.slice(0, words.length + 1),
    refSegments: segs,
    refWords: locals,
    frequencies: frequency.slice(0, words.length),
  };
}

/**
 * Visits the items of sorted lists in code-unit order (equal items in list order), by a heap of list
 * numbers ordered by each one's next item: the k-way merge of Lucene's segment merges.
 */
function mergeSorted(lists: WordList[], visit: (item: string, list: number, at: number) => void): void {
  const next = lists.map((list) => (list.length > 0 ? list.at(0) : ''));
  const position = new Int32Array(lists.length);
  const heap = new Int32Array(lists.length);
  let size = 0;
  const before = (a: number, b: number) => next[a]! < next[b]! || (next[a] === next[b] && a < b);
  const siftDown = (from: number) => {
    const item = heap[from]!;
    let at = from;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= size) break;
      const child = left + 1 < size && before(heap[left + 1]!, heap[left]!) ? left + 1 : left;
      if (!before(heap[child]!, item)) break;
      heap[at] = heap[child]!;
      at = child;
    }
    heap[at] = item;
  };
  lists.forEach((list, s) => list.length > 0 && (heap[size++] = s));
  for (let at = (size >> 1) - 1; at >= 0; at--) siftDown(at);
  while (size > 0) {
    const s = heap[0]!;
    const i = position[s]!;
    visit(next[s]!, s, i);
    // The list moves on to its next item, or leaves the heap when it has none.
    if (i + 1 < lists[s]!.length) {
      position[s] = i + 1;
      next[s] = lists[s]!.at(i + 1);
    } else heap[0] = heap[--size]!;
    siftDown(0);
  }
}

/**
 * A checksum for each block of REF_BLOCK entries of a table read in part: of the entries' offsets (the one
 * after the last too) and of what they locate (`parts(from, to)`).
 */
function blockChecks(starts: Uint32Array, parts: (from: number, to: number) => Uint8Array[]): Uint32Array {
  const count = starts.length - 1;
  const checks = new Uint32Array(Math.ceil(count / REF_BLOCK));
  for (let b = 0; b < checks.length; b++) {
    const [first, last] = [b * REF_BLOCK, Math.min((b + 1) * REF_BLOCK, count)];
    checks[b] = crcOf([bytesOf(starts.subarray(first, last + 1)), ...parts(starts[first]!, starts[last]!)]);
  }
  return checks;
}

/** Block `b` of a table written with blockChecks, read in part: its offsets, and what they locate, checked against the block's checksum. */
function readBlock(
  read: Read<SectionName>,
  damaged: (what: string) => never,
  [startsName, count, checks]: [SectionName, number, Uint32Array],
  b: number,
  parts: (from: number, to: number) => Uint8Array[],
): { starts: Uint32Array; parts: Uint8Array[] } {
  if (b >= checks.length) damaged(`${startsName} out of bounds`);
  const [first, last] = [b * REF_BLOCK, Math.min((b + 1) * REF_BLOCK, count)];
  const startBytes = read(startsName, 4 * first, 4 * (last - first + 1), null);
  const starts = new Uint32Array(startBytes.buffer, startBytes.byteOffset, last - first + 1);
  const [from, to] = [starts[0]!, starts[last - first]!];
  if (!(from <= to)) damaged(`${startsName} out of order`);
  const found = parts(from, to);
  if (crcOf([startBytes, ...found]) !== checks[b]) damaged(`${startsName} does not match its checksum`);
  return { starts, parts: found };
}

/**
 * The lexicon's words, read a block of REF_BLOCK at a time when first asked for and checked against the
 * block's checksum: a search looks up a few dozen words (by binary search) among hundreds of thousands.
 */
function blockedVocab(read: Read<SectionName>, damaged: (what: string) => never, count: number): WordList {
  const checks = new Uint32Array(read('vocabChecks').buffer);
  if (checks.length !== Math.ceil(count / REF_BLOCK)) damaged('the vocabulary is not what papers wrote');
  const blocks = new Map<number, string[]>();
  const block = (b: number): string[] => {
    let words = blocks.get(b);
    if (words) return words;
    // A word's bytes end one before the next word's offset (at its newline).
    const [bytes] = readBlock(read, damaged, ['vocabStarts', count, checks], b, (from, to) => [read('vocab', from, Math.max(0, to - 1 - from), null)]).parts;
    words = Buffer.from(bytes!.buffer, bytes!.byteOffset, bytes!.byteLength).toString().split('\n');
    if (words.length !== Math.min(REF_BLOCK, count - b * REF_BLOCK)) damaged('the vocabulary is not what papers wrote');
    blocks.set(b, words);
    return words;
  };
  return { length: count, at: (i) => (i >= 0 && i < count ? block(Math.floor(i / REF_BLOCK))[i % REF_BLOCK]! : damaged('a word out of bounds')) };
}

/** What the merged index needs of the lexicon, read from its file or just built. */
interface Lexicon {
  words: WordList;
  masks(): Uint32Array;
  frequencies(): Uint32Array;
  /** The segments that have word `at`, and its number in each. */
  refs(at: number): [segments: Uint32Array, words: Uint32Array];
  acronyms(): Record<string, string[]>;
  /** The paper with exactly this id, from the whole corpus's id table (`idOf`: a paper's id, to check it against). */
  withId: (id: string, idOf: (doc: number) => string) => number | undefined;
  /** The summaries of every paper with a status or a tag, in corpus order: what is:queued and tag:a are answered from. */
  library(): PaperSummary[];
  /** Removes the lexicon, so that the command, run again, joins the files anew. */
  damaged?: (what: string) => never;
  /** Each paper's TF-IDF vector length as kept for this lexicon, if it was; and keeping them. */
  keptNorms?: () => Float64Array | null;
  keepNorms?: (norms: Float64Array) => void;
}

/**
 * The folder's lexicon as written for exactly these files as they are now, and the files as segments, each
 * opened from its cache when first asked for (`open`); else null. A file's cache found missing then is a
 * damaged lexicon: it is removed, and the command, run again, reads that file and joins the files anew.
 */
export function openLexicon(path: string, files: { name: string; stat: Stats }[], open: (i: number) => CorpusView | null): CorpusView | null {
  const opened = openSectioned<SectionName, Header>(path, SECTIONS, (header) => current(header, files));
  if (!opened) return null;
  const { read, damaged, header, stat } = opened;
  const segments = files.map(({ name, stat }, i): Segment => {
    const count = header.files[i]![2];
    let view: CorpusView | undefined;
    return {
      name,
      stat,
      count,
      marks: () => header.files[i]![3],
      get view() {
        view ??= open(i) ?? damaged(`the cache of ${name} is missing`);
        return view.count === count ? view : damaged(`the cache of ${name} holds another number of papers`);
      },
    };
  });
  const numbers = (name: SectionName) => new Uint32Array(read(name).buffer);
  let words: WordList | undefined;
  let frequencies: Uint32Array | undefined;
  let checks: Uint32Array | undefined;
  let library: PaperSummary[] | undefined;
  const blocks = new Map<number, { starts: Uint32Array; segments: Uint32Array; words: Uint32Array }>();
  // A block of words' references, read in part and checked against the block's checksum.
  const block = (b: number) => {
    let found = blocks.get(b);
    if (found) return found;
    checks ??= numbers('refChecks');
    const { starts, parts } = readBlock(read, damaged, ['refStarts', header.sections.refStarts[1] / 4 - 1, checks], b, (from, to) => [
      read('refSegments', 4 * from, 4 * (to - from), null),
      read('refWords', 4 * from, 4 * (to - from), null),
    ]);
    found = { starts, segments: new Uint32Array(parts[0]!.buffer), words: new Uint32Array(parts[1]!.buffer) };
    blocks.set(b, found);
    return found;
  };
  const lexicon: Lexicon = {
    get words() {
      return (words ??= blockedVocab(read, damaged, header.sections.vocabStarts[1] / 4 - 1));
    },
    masks: () => numbers('wordMasks'),
    frequencies: () => (frequencies ??= numbers('frequencies')),
    refs: (at) => {
      const found = block(Math.floor(at / REF_BLOCK));
      const i = at % REF_BLOCK;
      const base = found.starts[0]!;
      const [start, end] = [found.starts[i]! - base, found.starts[i + 1]! - base];
      if (!(start <= end && end <= found.segments.length)) damaged('word references out of bounds');
      return [found.segments.subarray(start, end), found.words.subarray(start, end)];
    },
    acronyms: () => jsonOf(read('acronyms'), isAcronymTable, damaged, 'acronyms'),
    library: () =>
      (library ??=
        numberedSummaries(jsonOf(read('library'), Array.isArray, damaged, 'the library'), header.count) ?? damaged('the library is not what papers wrote')),
    // Read a slot at a time, unchecked: a paper found is checked against its id, and an id not found is looked for in each file.
    withId: (id, idOf) =>
      idLookup(
        header.sections.idSlots[1] / 8,
        (slot) => {
          const pair = new Uint32Array(read('idSlots', 8 * slot, 8, null).buffer);
          return [pair[0]!, pair[1]!];
        },
        idOf,
        id,
      ),
    damaged,
    keptNorms: () => keptNorms(`${path}.norms`, stat, header.count),
    keepNorms: (norms) => keepNorms(`${path}.norms`, stat, norms),
  };
  return segmentedView(segments, lexicon);
}

/** The folder's papers as one corpus: numbered through the files in order, searched through the lexicon. */
function segmentedView(segments: Segment[], lexicon: Lexicon): CorpusView {
  const bases = basesOf(segments);
  const count = bases[segments.length]!;
  let summaries: PaperSummary[] | undefined;
  let index: Index | undefined;
  let libraryByDoc: Map<number, PaperSummary> | undefined;
  const libraryPassing = (filters: Filters) => lexicon.library().filter((summary) => passes(filters, summary));
  const at = (doc: number) => {
    const s = segmentOf(bases, doc);
    return { view: segments[s]!.view, local: doc - bases[s]! };
  };
  const view: CorpusView = {
    count,
    keys: () => segments.flatMap((segment) => segment.view.keys()),
    ids: () => segments.flatMap((segment) => segment.view.ids()),
    idTest: () => {
      const tests = segments.map((segment) => segment.view.idTest());
      return (id) => tests.some((test) => test(id));
    },
    sortedIds: () => {
      const all = segments.flatMap((segment, s) => {
        const { ids, docs } = segment.view.sortedIds();
        return ids.map((id, i): [string, number] => [id, docs[i]! + bases[s]!]);
      });
      all.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
      return { ids: all.map(([id]) => id), docs: Uint32Array.from(all, ([, doc]) => doc) };
    },
    keyHashes: () => {
      const all = new Uint32Array(3 * count);
      segments.forEach((segment, s) => all.set(segment.view.keyHashes(), 3 * bases[s]!));
      return all;
    },
    keysMatching: (wanted) =>
      segments.flatMap((segment, s) => segment.view.keysMatching(wanted).map(([doc, keys]): [number, Known] => [doc + bases[s]!, keys])),
    summaries: () =>
      (summaries ??= segments.flatMap((segment, s) => {
        const base = bases[s]!;
        return base === 0 ? segment.view.summaries() : segment.view.summaries().map((summary) => ({ ...summary, doc: summary.doc + base }));
      })),
    head: (n) => {
      const taken: PaperSummary[] = [];
      for (let s = 0; s < segments.length && taken.length < n; s++) {
        for (const summary of segments[s]!.view.head(n - taken.length)) taken.push({ ...summary, doc: summary.doc + bases[s]! });
      }
      return taken;
    },
    withId: (id, limit) => {
      // The whole corpus's id table, in the lexicon: the paper with exactly this id.
      const exact = id === '' ? undefined : lexicon.withId(id, (doc) => (doc < count ? view.paper(doc).id : ''));
      if (exact !== undefined) return { found: [{ id, doc: exact }], total: 1 };
      // Else each file's own id table: the one paper with this id, else those whose ids start with it, in file order.
      const found: { id: string; doc: number }[] = [];
      let total = 0;
      for (let s = 0; s < segments.length; s++) {
        const matches = segments[s]!.view.withId(id, limit);
        const here = matches.found.map((match) => ({ id: match.id, doc: match.doc + bases[s]! }));
        if (matches.total === 1 && here[0]!.id === id) return { found: here, total: 1 };
        total += matches.total;
        found.push(...here);
      }
      // Each file gave its first ids in order: the first of them all are among those.
      return { found: found.sort((a, b) => (a.id < b.id ? -1 : 1)).slice(0, limit), total };
    },
    paper: (doc) => {
      const { view: segment, local } = at(doc);
      return segment.paper(local);
    },
    papers: () => segments.flatMap((segment) => segment.view.papers()),
    // Each file decides from its own facets: the cost is the facets' bytes, however many files there are.
    // is:queued and tag:a from the library table, without opening a file; other filters from each file's facets.
    select: (filters) =>
      onlyMarked(filters)
        ? libraryPassing(filters).map((summary) => summary.doc)
        : segments.flatMap((segment, s) => segment.view.select(filters).map((doc) => doc + bases[s]!)),
    marks: () => joinMarks(segments.map((segment) => segment.marks())),
    summariesOf: (docs) => {
      const marked = (libraryByDoc ??= new Map(lexicon.library().map((summary) => [summary.doc, summary])));
      if (docs.every((doc) => marked.has(doc))) return docs.map((doc) => marked.get(doc)!);
      const out = new Array<PaperSummary>(docs.length);
      for (const [s, { places, locals }] of bySegment(bases, docs)) {
        segments[s]!.view.summariesOf(locals).forEach((summary, i) => (out[places[i]!] = { ...summary, doc: summary.doc + bases[s]! }));
      }
      return out;
    },
    chunks: function* (docs) {
      if (!docs) for (const segment of segments) yield segment.view.papers();
      // Only the files holding some of them are opened.
      else for (const [s, { locals }] of bySegment(bases, docs)) yield* segments[s]!.view.chunks(locals);
    },
    index: () => (index ??= mergedIndex(segments, bases, lexicon, view)),
  };
  return view;
}

/** The files holding papers `docs`, in the order first met: for each, where in `docs` its papers are and their numbers in the file. */
function bySegment(bases: Uint32Array, docs: readonly number[]): Map<number, { places: number[]; locals: number[] }> {
  const found = new Map<number, { places: number[]; locals: number[] }>();
  docs.forEach((doc, place) => {
    const s = segmentOf(bases, doc);
    let here = found.get(s);
    if (!here) found.set(s, (here = { places: [], locals: [] }));
    here.places.push(place);
    here.locals.push(doc - bases[s]!);
  });
  return found;
}

/**
 * Bytes handed out one after another and taken back all at once: the files' postings of one word, read
 * before they are copied together. Reused from word to word, since touching fresh memory costs a page fault
 * a page, more than reading the postings.
 */
class Scratch {
  // Pages are touched only as they are used: a large buffer costs nothing until then.
  private bytes = new Uint8Array(1 << 24);
  private used = 0;

  clear(): void {
    this.used = 0;
  }

  /** `n` bytes, starting at a multiple of four (paper numbers are read in place as 32-bit numbers). */
  readonly take = (n: number): Uint8Array => {
    const size = (n + 3) & ~3;
    if (this.used + size > this.bytes.length) {
      // Bytes handed out before stay with their views until the copy.
      this.bytes = new Uint8Array(Math.max(2 * this.bytes.length, size));
      this.used = 0;
    }
    const taken = this.bytes.subarray(this.used, this.used + n);
    this.used += size;
    return taken;
  };
}

const scratch = new Scratch();

const NO_POSTINGS: Postings = { docs: new Uint32Array(0), title: new Uint8Array(0), abstract: new Uint8Array(0), authors: new Uint8Array(0) };

function mergedIndex(segments: Segment[], bases: Uint32Array, lexicon: Lexicon, view: CorpusView): Index {
  let norms: Float64Array | undefined;
  const keep = (worked: Float64Array) => {
    lexicon.keepNorms?.(worked);
    return worked;
  };
  let acronyms: Record<string, string[]> | undefined;
  // Words looked up at a few papers: their postings in those papers' files, by word and file.
  const near = new Map<number, Postings>();
  const index: Index = {
    count: view.count,
    words: lexicon.words,
    masks: () => lexicon.masks(),
    get acronyms() {
      return (acronyms ??= lexicon.acronyms());
    },
    postings: (at) => {
      const [segs, locals] = lexicon.refs(at);
      // One file's postings are given out as read; several are read into reused bytes and copied together.
      if (segs.length === 1 && segs[0] === 0) return segments[0]!.view.index().postings(locals[0]!);
      scratch.clear();
      const parts: Postings[] = [];
      let length = 0;
      for (let k = 0; k < segs.length; k++) {
        const part = segments[segs[k]!]!.view.index().postings(locals[k]!, scratch.take);
        parts.push(part);
        length += part.docs.length;
      }
      const merged: Postings = {
        docs: new Uint32Array(length),
        title: new Uint8Array(length),
        abstract: new Uint8Array(length),
        authors: new Uint8Array(length),
      };
      let offset = 0;
      const docs = merged.docs;
      parts.forEach((part, k) => {
        const base = bases[segs[k]!]!;
        const local = part.docs;
        for (let i = 0; i < local.length; i++) docs[offset + i] = local[i]! + base;
        merged.title.set(part.title, offset);
        merged.abstract.set(part.abstract, offset);
        merged.authors.set(part.authors, offset);
        offset += part.docs.length;
      });
      return merged;
    },
    partsOf: (at, visit) => {
      const [segs, locals] = lexicon.refs(at);
      for (let k = 0; k < segs.length; k++) {
        scratch.clear();
        visit(segments[segs[k]!]!.view.index().postings(locals[k]!, scratch.take), bases[segs[k]!]!);
      }
    },
    postingsNear: (at, doc) => {
      const s = segmentOf(bases, doc);
      const key = at * segments.length + s;
      let found = near.get(key);
      if (!found) {
        const [segs, locals] = lexicon.refs(at);
        const k = segs.indexOf(s);
        found = k < 0 ? NO_POSTINGS : segments[s]!.view.index().postings(locals[k]!);
        if (bases[s]! > 0 && found.docs.length > 0) found = { ...found, docs: found.docs.map((local) => local + bases[s]!) };
        near.set(key, found);
      }
      return found;
    },
    forEachWord(visit) {
      for (let at = 0; at < this.words.length; at++) visit(at, this.postings(at));
    },
    paper: (doc) => view.paper(doc),
    // From the file that holds the paper: a filter reads the tables of the files its candidates are in, not all of them.
    filter: (filters) => {
      if (onlyMarked(filters)) {
        const passing = new Set(index.passing!(filters));
        return (doc) => passing.has(doc);
      }
      const tests = segments.map(() => null as ((doc: number) => boolean) | null);
      return (doc) => {
        const s = segmentOf(bases, doc);
        return (tests[s] ??= segments[s]!.view.index().filter(filters))(doc - bases[s]!);
      };
    },
    passing: (filters) => (onlyMarked(filters) ? view.select(filters) : null),
    // Only `related` needs them; worked out from the whole corpus's postings, since they weigh words by the whole corpus.
    norms: () => (norms ??= lexicon.keptNorms?.() ?? keep(mergedNorms(segments, bases, lexicon, view.count))),
    frequencies: () => lexicon.frequencies(),
  };
  return index;
}

/**
 * documentNorms over the whole corpus, a file at a time: each file's postings are read at once and let go,
 * each word weighed by how many papers of the whole corpus use it. A paper's sum runs over its words in
 * code-unit order, as in one file, so the norms are the same to the bit.
 */
function mergedNorms(segments: Segment[], bases: Uint32Array, lexicon: Lexicon, count: number): Float64Array {
  const squares = new Float64Array(count);
  const df = lexicon.frequencies();
  // Each file's words' idf in the whole corpus (0: not a topic word, or in every paper), through the word references.
  const idfs = segments.map((segment) => new Float64Array(segment.view.index().frequencies().length));
  for (let w = 0; w < lexicon.words.length; w++) {
    if (!isTopicWord(lexicon.words.at(w))) continue;
    const idf = Math.log(count / df[w]!);
    if (idf <= 0) continue;
    const [segs, locals] = lexicon.refs(w);
    for (let k = 0; k < segs.length; k++) idfs[segs[k]!]![locals[k]!] = idf;
  }
  segments.forEach((segment, s) => {
    const base = bases[s]!;
    const idf = idfs[s]!;
    segment.view.index().forEachWord((at, postings) => {
      if (idf[at] === 0) return;
      for (let k = 0; k < postings.docs.length; k++)
        squares[postings.docs[k]! + base]! += tfidfWeight(postings.title[k]!, postings.abstract[k]!, idf[at]!) ** 2;
    });
  });
  return squares.map(Math.sqrt);
}

const NORMS_SECTIONS = ['norms'] as const;

/** The norms kept for exactly this lexicon file (`stat`, as it was opened), or null. */
function keptNorms(path: string, stat: Stats, count: number): Float64Array | null {
  const opened = openSectioned<'norms', { format: number; lexicon: Fingerprint; count: number }>(
    path,
    NORMS_SECTIONS,
    (header) => header.format === LEXICON_FORMAT && sameSource(header.lexicon, fingerprint(stat)) && header.count === count,
  );
  if (!opened) return null;
  const norms = new Float64Array(opened.read('norms').buffer);
  return norms.length === count ? norms : null;
}

function keepNorms(path: string, stat: Stats, norms: Float64Array): void {
  try {
    writeSectioned(path, { format: LEXICON_FORMAT, lexicon: fingerprint(stat), count: norms.length }, NORMS_SECTIONS, { norms: arraySection(norms) });
  } catch {
    // Only time is lost: related papers work them out again.
  }
}

export const segmentName = (path: string) => basename(path);
