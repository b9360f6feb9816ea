import { basename } from 'node:path';
import type { Stats } from 'node:fs';
import type { Known } from '../corpus/merge.js';
import type { PaperSummary } from '../corpus/paper.js';
import { InputError } from '../errors.js';
import { fingerprint, isAcronymTable, sameSource, wordList, type Fingerprint } from './cache-file.js';
import { arraySection, jsonOf, openSectioned, textOf, textSection, writeSectioned } from './container.js';
import { letterMasks } from './masks.js';
import { isTopicWord, tfidfWeight } from './norms.js';
import type { CorpusView, Index, Postings, WordList } from './types.js';

/*
 * A corpus folder is searched as one corpus: each file's cache is a segment, and the lexicon (one more
 * cache file, for the folder) joins them as Lucene joins segments at search time. It holds every word of
 * every file once, in order, with how many papers of the whole corpus use it and where each file's
 * postings of it are, the acronyms of the whole corpus, and every id in order, for `show`. Postings stay
 * in the files' caches: a changed file rebuilds its own segment and the lexicon, never the others.
 * Papers are numbered through the files in name order, so the merged index is the one a single file
 * holding the same papers in that order would have: ranking does not depend on the layout.
 */
const LEXICON_FORMAT = 1;

const SECTIONS = ['vocab', 'wordMasks', 'frequencies', 'refStarts', 'refSegments', 'refWords', 'acronyms'] as const;
type SectionName = (typeof SECTIONS)[number];

/** One file of the folder, and its papers' view. */
export interface Segment {
  name: string;
  stat: Stats;
  view: CorpusView;
}

interface Header {
  format: number;
  count: number;
  files: [name: string, source: Fingerprint, count: number][];
}

const describe = (segments: Segment[]) => segments.map((s): Header['files'][number] => [s.name, fingerprint(s.stat), s.view.count]);

function current(header: Header, files: Header['files']): boolean {
  return (
    header.format === LEXICON_FORMAT &&
    Array.isArray(header.files) &&
    header.files.length === files.length &&
    files.every(([name, source, count], i) => header.files[i]![0] === name && sameSource(header.files[i]![1], source) && header.files[i]![2] === count)
  );
}

/** Where each segment's papers start in the whole corpus's numbering, and the total after the last. */
function basesOf(segments: Segment[]): Uint32Array {
  const bases = new Uint32Array(segments.length + 1);
  segments.forEach((s, i) => (bases[i + 1] = bases[i]! + s.view.count));
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

/** The same id in two files is refused as it is within one file: ids must be unique in the whole corpus. */
function duplicateError(id: string, first: Segment, second: Segment, folder: string): InputError {
  const where = first === second ? `twice in ${first.name}` : `in both ${first.name} and ${second.name}`;
  return new InputError(`id \`${id}\` is used ${where}; ids must be unique across the folder's files`, folder);
}

/**
 * An id in two files is found here, when a file changed: ids are unique in the whole corpus. The files
 * the previous lexicon was built from were checked then: only the ids of the others (changed or new) are
 * looked for in every file.
 */
function checkIdsUnique(folder: string, segments: Segment[], before: Header['files'] | undefined): void {
  const checked = new Set(before?.map(([name, source, count]) => JSON.stringify([name, source, count])) ?? []);
  const fresh = segments.map((segment) => !checked.has(JSON.stringify(describe([segment])[0])));
  const owner = new Map<string, number>();
  segments.forEach((segment, s) => {
    if (!fresh[s]) return;
    for (const id of segment.view.ids()) {
      const first = owner.get(id);
      if (first !== undefined) throw duplicateError(id, segments[first]!, segment, folder);
      owner.set(id, s);
    }
  });
  if (owner.size === 0) return;
  segments.forEach((segment, s) => {
    if (fresh[s]) return;
    for (const id of segment.view.ids()) {
      const other = owner.get(id);
      if (other !== undefined) throw duplicateError(id, segments[Math.min(s, other)]!, segments[Math.max(s, other)]!, folder);
    }
  });
}

/** Builds and writes the lexicon of these segments, and returns its view. */
export function buildLexicon(path: string | null, folder: string, segments: Segment[], checked?: Header['files']): CorpusView {
  const bases = basesOf(segments);
  const acronyms: Record<string, string[]> = {};
  const indexes = segments.map((segment) => segment.view.index());
  for (const index of indexes) {
    // The first definition in corpus order wins, as it does in one file.
    for (const [acronym, words] of Object.entries(index.acronyms)) if (!(acronym in acronyms)) acronyms[acronym] = words;
  }
  const { words, refStarts, refSegments, refWords, frequencies } = mergeVocabularies(indexes);
  const masks = letterMasks(words);
  checkIdsUnique(folder, segments, checked);
  if (path) {
    try {
      const header: Header = { format: LEXICON_FORMAT, count: bases[segments.length]!, files: describe(segments) };
      writeSectioned(path, header, SECTIONS, {
        vocab: textSection(words.join('\n')),
        wordMasks: arraySection(masks),
        frequencies: arraySection(frequencies),
        refStarts: arraySection(refStarts),
        refSegments: arraySection(refSegments),
        refWords: arraySection(refWords),
        acronyms: textSection(JSON.stringify(acronyms)),
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
  };
  return segmentedView(segments, lexicon);
}

/**
 * Every word of the segments once, in code-unit order, by merging their sorted vocabularies: for each, the
 * segments that have it (and its number there) and in how many papers of them all it occurs.
 */
function mergeVocabularies(indexes: Index[]) {
  const counts = indexes.map((index) => index.frequencies());
  const lists = indexes.map((index) => index.words);
  // A heap of segment numbers, ordered by each one's next word (then by number): the smallest on top.
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
  const words: string[] = [];
  const starts: number[] = [0];
  const segs: number[] = [];
  const locals: number[] = [];
  const frequency: number[] = [];
  while (size > 0) {
    const word = next[heap[0]!]!;
    let df = 0;
    while (size > 0 && next[heap[0]!] === word) {
      const s = heap[0]!;
      const i = position[s]!;
      segs.push(s);
      locals.push(i);
      df += counts[s]![i]!;
      // The segment moves on to its next word, or leaves the heap when it has none.
      if (i + 1 < lists[s]!.length) {
        position[s] = i + 1;
        next[s] = lists[s]!.at(i + 1);
      } else heap[0] = heap[--size]!;
      siftDown(0);
    }
    words.push(word);
    starts.push(segs.length);
    frequency.push(df);
  }
  return {
    words,
    refStarts: Uint32Array.from(starts),
    refSegments: Uint32Array.from(segs),
    refWords: Uint32Array.from(locals),
    frequencies: Uint32Array.from(frequency),
  };
}

/** What the merged index needs of the lexicon, read from its file or just built. */
interface Lexicon {
  words: WordList;
  masks(): Uint32Array;
  frequencies(): Uint32Array;
  /** The segments that have word `at`, and its number in each. */
  refs(at: number): [segments: Uint32Array, words: Uint32Array];
  acronyms(): Record<string, string[]>;
}

/**
 * The folder's lexicon as written for exactly these segments; else null, and the files a stale one was
 * built from, whose ids were found unique then.
 */
export function openLexicon(path: string, segments: Segment[]): { view: CorpusView | null; checked?: Header['files'] } {
  const files = describe(segments);
  let checked: Header['files'] | undefined;
  const opened = openSectioned<SectionName, Header>(path, SECTIONS, (header) => {
    if (header.format === LEXICON_FORMAT && Array.isArray(header.files)) checked = header.files;
    return current(header, files);
  });
  if (!opened) return checked ? { view: null, checked } : { view: null };
  const { read, damaged } = opened;
  const numbers = (name: SectionName) => new Uint32Array(read(name).buffer);
  let words: WordList | undefined;
  let refStarts: Uint32Array | undefined;
  let refSegments: Uint32Array | undefined;
  let refWords: Uint32Array | undefined;
  let frequencies: Uint32Array | undefined;
  const lexicon: Lexicon = {
    get words() {
      return (words ??= wordList(textOf(read('vocab'))));
    },
    masks: () => numbers('wordMasks'),
    frequencies: () => (frequencies ??= numbers('frequencies')),
    refs: (at) => {
      refStarts ??= numbers('refStarts');
      refSegments ??= numbers('refSegments');
      refWords ??= numbers('refWords');
      const [start, end] = [refStarts[at]!, refStarts[at + 1]!];
      if (!(start <= end && end <= refSegments.length)) damaged('word references out of bounds');
      return [refSegments.subarray(start, end), refWords.subarray(start, end)];
    },
    acronyms: () => jsonOf(read('acronyms'), isAcronymTable, damaged, 'acronyms'),
  };
  return { view: segmentedView(segments, lexicon) };
}

/** The folder's papers as one corpus: numbered through the files in order, searched through the lexicon. */
function segmentedView(segments: Segment[], lexicon: Lexicon): CorpusView {
  const bases = basesOf(segments);
  const count = bases[segments.length]!;
  let summaries: PaperSummary[] | undefined;
  let index: Index | undefined;
  const at = (doc: number) => {
    const s = segmentOf(bases, doc);
    return { view: segments[s]!.view, local: doc - bases[s]! };
  };
  const view: CorpusView = {
    count,
    keys: () => segments.flatMap((segment) => segment.view.keys()),
    ids: () => segments.flatMap((segment) => segment.view.ids()),
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
        for (const summary of segments[s]!.view.summaries().slice(0, n - taken.length)) taken.push({ ...summary, doc: summary.doc + bases[s]! });
      }
      return taken;
    },
    withId: (id, limit) => {
      // Each file's own id table: the one paper with this id, else those whose ids start with it, in file order.
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
    index: () => (index ??= mergedIndex(segments, bases, lexicon, view)),
  };
  return view;
}

function mergedIndex(segments: Segment[], bases: Uint32Array, lexicon: Lexicon, view: CorpusView): Index {
  let norms: Float64Array | undefined;
  let acronyms: Record<string, string[]> | undefined;
  const index: Index = {
    count: view.count,
    words: lexicon.words,
    masks: () => lexicon.masks(),
    get acronyms() {
      return (acronyms ??= lexicon.acronyms());
    },
    postings: (at) => {
      const [segs, locals] = lexicon.refs(at);
      const parts: Postings[] = [];
      let length = 0;
      for (let k = 0; k < segs.length; k++) {
        const part = segments[segs[k]!]!.view.index().postings(locals[k]!);
        parts.push(part);
        length += part.docs.length;
      }
      if (parts.length === 1 && segs[0] === 0) return parts[0]!;
      const merged: Postings = {
        docs: new Uint32Array(length),
        title: new Uint8Array(length),
        abstract: new Uint8Array(length),
        authors: new Uint8Array(length),
      };
      let offset = 0;
      parts.forEach((part, k) => {
        const base = bases[segs[k]!]!;
        for (let i = 0; i < part.docs.length; i++) merged.docs[offset + i] = part.docs[i]! + base;
        merged.title.set(part.title, offset);
        merged.abstract.set(part.abstract, offset);
        merged.authors.set(part.authors, offset);
        offset += part.docs.length;
      });
      return merged;
    },
    paper: (doc) => view.paper(doc),
    // From the file that holds the paper: a filter reads the summaries of the files its candidates are in, not all of them.
    summary: (doc) => {
      const s = segmentOf(bases, doc);
      return { ...segments[s]!.view.summaries()[doc - bases[s]!]!, doc };
    },
    hasCode: (doc) => {
      const s = segmentOf(bases, doc);
      return Boolean(segments[s]!.view.summaries()[doc - bases[s]!]!.code);
    },
    // Only `related` needs them; worked out from the whole corpus's postings, since they weigh words by the whole corpus.
    norms: () => (norms ??= mergedNorms(index)),
    frequencies: () => lexicon.frequencies(),
  };
  return index;
}

/** documentNorms over the merged index, word by word: the same sums in the same order, without all postings in memory at once. */
function mergedNorms(index: Index): Float64Array {
  const squares = new Float64Array(index.count);
  const df = index.frequencies();
  for (let i = 0; i < index.words.length; i++) {
    if (!isTopicWord(index.words.at(i))) continue;
    const idf = Math.log(index.count / df[i]!);
    if (idf <= 0) continue;
    const postings = index.postings(i);
    for (let k = 0; k < postings.docs.length; k++) squares[postings.docs[k]!]! += tfidfWeight(postings.title[k]!, postings.abstract[k]!, idf) ** 2;
  }
  return squares.map(Math.sqrt);
}

export const segmentName = (path: string) => basename(path);
