import { readNotes } from '../corpus/notes.js';
import type { Io } from '../base/terminal.js';
import { letterMask } from './masks.js';
import type { CorpusView, Index, Postings, WordList } from './types.js';
import { indexWords } from './words.js';

/*
 * The reader's notes live beside the corpus, not in it, and change far more often than it: they are not in the
 * corpus's cached index (a note written would rebuild it) but read at each search and laid over it. A corpus
 * with no notes folder costs one failed listing; one with notes, a read of each note, which are few and short.
 */

// Past this many notes, their papers are found in the whole id table read once, not looked up one by one.
const FEW_NOTES = 16;

/**
 * The corpus's index, with its notes' words laid over it: the index itself when it has no notes. A note that
 * cannot be read is left out, with a warning on `stderr`: a search is not refused for one note.
 */
export function notedIndex(view: CorpusView, corpusPath: string, stderr: Io['stderr']): Index {
  const index = view.index();
  const found = readNotes(corpusPath, (error) => stderr.write(`papers: warning: ${error.message}; searched without it\n`));
  if (found.size === 0) return index;
  const docOf = found.size > FEW_NOTES ? idTable(view) : (id: string) => view.withId(id, 1).found.find((match) => match.id === id)?.doc ?? -1;
  const notes = new Map<number, string>();
  for (const [id, text] of found) {
    // A note whose paper is not in the corpus (a typo in a file name, a paper taken out) is nobody's.
    const doc = docOf(id);
    if (doc >= 0) notes.set(doc, text);
  }
  return notes.size === 0 ? index : withNotes(index, notes);
}

/** A paper's number by its id (-1 for none), from the corpus's ids in code-unit order. */
function idTable(view: CorpusView): (id: string) => number {
  const { ids, docs } = view.sortedIds();
  const list: WordList = { length: ids.length, at: (i) => ids[i]! };
  return (id) => {
    const at = lowerBound(list, id);
    return ids[at] === id ? docs[at]! : -1;
  };
}

interface NoteWords {
  words: string[];
  postings: { docs: Uint32Array; counts: Uint8Array }[];
}

/** The notes' words with their postings, indexed as abstracts are (in paper order, so that each word's papers stay ascending). */
function noteWords(notes: ReadonlyMap<number, string>): NoteWords {
  const docs = Uint32Array.from(notes.keys()).sort();
  const index = indexWords(Array.from(docs, (doc) => ({ title: '', abstract: notes.get(doc)! })));
  const postings = index.words.map((_, i) => {
    const [start, end] = [index.offsets[i]!, index.offsets[i + 1]!];
    return { docs: index.docs.subarray(start, end).map((local) => docs[local]!), counts: index.abstract.subarray(start, end) };
  });
  return { words: index.words, postings };
}

function lowerBound(words: WordList, word: string): number {
  let lo = 0;
  let hi = words.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (words.at(mid) < word) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The index with the notes' words as a further field. Its words are the corpus's and the notes' own (those no
 * paper has) merged in order, found by where each note word stands among the corpus's words: nothing of the
 * corpus's index is copied but its letter masks and frequencies, and only when asked for.
 */
function withNotes(index: Index, notes: ReadonlyMap<number, string>): Index {
  const own = noteWords(notes);
  const base = index.words;
  // Per note word, in order: its place in the merged list, and its place in the corpus's (-1 when only notes have it).
  const merged = new Int32Array(own.words.length);
  const inBase = new Int32Array(own.words.length);
  // The places of the words only notes have, ascending.
  const extra: number[] = [];
  const noteAt = new Map<number, number>();
  own.words.forEach((word, j) => {
    const at = lowerBound(base, word);
    const found = at < base.length && base.at(at) === word;
    merged[j] = at + extra.length;
    inBase[j] = found ? at : -1;
    if (!found) extra.push(merged[j]!);
    noteAt.set(merged[j]!, j);
  });
  /** How many of the notes' own words come before merged place `i`. */
  const extraBefore = (i: number) => {
    let lo = 0;
    let hi = extra.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (extra[mid]! < i) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** The corpus's place of the word at merged place `i`, or -1 for a word only notes have. */
  const baseAt = (i: number) => {
    const j = noteAt.get(i);
    return j === undefined ? i - extraBefore(i) : inBase[j]!;
  };
  const length = base.length + extra.length;
  const postings = (i: number, take?: (bytes: number) => Uint8Array): Postings => {
    const j = noteAt.get(i);
    if (j === undefined) return index.postings(i - extraBefore(i), take);
    const k = inBase[j]!;
    return joinPostings(k < 0 ? null : index.postings(k), own.postings[j]!);
  };
  /** A per-word array of the corpus's with the notes' words put in: `own` for a word only notes have, `add` added for the others. */
  const mergedArray = (values: Uint32Array, own: (j: number) => number, add: (j: number) => number): Uint32Array => {
    const out = new Uint32Array(length);
    let from = 0;
    let to = 0;
    for (let j = 0; j < merged.length; j++) {
      if (inBase[j]! >= 0) continue;
      const copied = merged[j]! - to;
      out.set(values.subarray(from, from + copied), to);
      from += copied;
      to += copied;
      out[to++] = own(j);
    }
    out.set(values.subarray(from), to);
    for (let j = 0; j < merged.length; j++) if (inBase[j]! >= 0) out[merged[j]!] = out[merged[j]!]! + add(j);
    return out;
  };
  let masks: Uint32Array | undefined;
  let frequencies: Uint32Array | undefined;
  return {
    count: index.count,
    acronyms: index.acronyms,
    paper: (doc) => index.paper(doc),
    filter: (filters) => index.filter(filters),
    passing: (filters) => index.passing?.(filters) ?? null,
    norms: () => index.norms(),
    words: { length, at: (i) => (noteAt.has(i) ? own.words[noteAt.get(i)!]! : base.at(i - extraBefore(i))) },
    masks: () =>
      (masks ??= mergedArray(
        index.masks(),
        (j) => letterMask(own.words[j]!),
        () => 0,
      )),
    // A word in a paper's text and in its note is counted twice: what this is used for (the cost of reading a word) needs no more.
    frequencies: () =>
      (frequencies ??= mergedArray(
        index.frequencies(),
        (j) => own.postings[j]!.docs.length,
        (j) => own.postings[j]!.docs.length,
      )),
    postings,
    ...(index.postingsNear ? { postingsNear: (i: number, doc: number) => (noteAt.has(i) ? postings(i) : index.postingsNear!(baseAt(i), doc)) } : {}),
    ...(index.partsOf
      ? { partsOf: (i: number, visit: (p: Postings, base: number) => void) => (noteAt.has(i) ? visit(postings(i), 0) : index.partsOf!(baseAt(i), visit)) }
      : {}),
    forEachWord(visit) {
      for (let i = 0; i < length; i++) visit(i, postings(i));
    },
    note: (doc) => notes.get(doc) ?? null,
  };
}

/** A word's postings in the corpus (null: none) joined with its postings in the notes, by paper. */
function joinPostings(corpus: Postings | null, notes: { docs: Uint32Array; counts: Uint8Array }): Postings {
  const a = corpus?.docs ?? new Uint32Array(0);
  const b = notes.docs;
  const docs = new Uint32Array(a.length + b.length);
  const [title, abstract, authors, note] = [0, 0, 0, 0].map(() => new Uint8Array(docs.length)) as [Uint8Array, Uint8Array, Uint8Array, Uint8Array];
  let [i, j, n] = [0, 0, 0];
  while (i < a.length || j < b.length) {
    const doc = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i]! : b[j]!;
    docs[n] = doc;
    if (i < a.length && a[i] === doc) {
      title[n] = corpus!.title[i]!;
      abstract[n] = corpus!.abstract[i]!;
      authors[n] = corpus!.authors[i]!;
      i++;
    }
    if (j < b.length && b[j] === doc) note[n] = notes.counts[j++]!;
    n++;
  }
  return {
    docs: docs.subarray(0, n),
    title: title.subarray(0, n),
    abstract: abstract.subarray(0, n),
    authors: authors.subarray(0, n),
    note: note.subarray(0, n),
  };
}
