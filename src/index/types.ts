import type { IdMatches } from '../corpus/ids.js';
import type { Known, WantedKeys } from '../corpus/merge.js';
import type { Paper, PaperSummary } from '../corpus/paper.js';
import type { Filters, Marks } from './facets.js';

/** The papers containing one word, with how often it stands in each one's title and abstract (capped at 255). */
export interface Postings {
  docs: Uint32Array;
  title: Uint8Array;
  abstract: Uint8Array;
  authors: Uint8Array;
  /** How often in the reader's note on each paper: only in an index that reads the notes (see notes.ts). */
  note?: Uint8Array;
}

/** The corpus's words in code-unit order, read one at a time (a large corpus has hundreds of thousands). */
export interface WordList {
  length: number;
  at(i: number): string;
}

/** What search and related papers rank over: held in memory, or read piecemeal from the cache. */
export interface Index {
  count: number;
  /** Every word of the corpus once, in code-unit order. */
  words: WordList;
  /** For each word, the letter classes it uses (see `letterMask`). */
  masks(): Uint32Array;
  /** Acronyms the corpus defines: "gnn" -> ["graph", "neural", "network"]. */
  acronyms: Record<string, string[]>;
  /**
   * Postings of the word at position `at` of `words`. With `take`, they may be read into the bytes it gives
   * (as many as asked for), which the caller then copies before it gives them out again.
   */
  postings(at: number, take?: (bytes: number) => Uint8Array): Postings;
  /**
   * The postings of word `at` in the part of the corpus that holds paper `doc` (a folder's file), numbered as
   * in the whole corpus: what looking a common word up at a few papers reads. Absent where the postings are at hand.
   */
  postingsNear?(at: number, doc: number): Postings;
  /**
   * The postings of word `at` a part of the corpus at a time (a folder's file), each numbered from `base`, in
   * bytes reused from one part to the next: a pass over a common word that keeps none of it.
   */
  partsOf?(at: number, visit: (postings: Postings, base: number) => void): void;
  /** Every word's postings in word order, read at once: a pass over the whole index. */
  forEachWord(visit: (at: number, postings: Postings) => void): void;
  paper(doc: number): Paper;
  /** The reader's note on paper `doc`, or null: only in an index that reads the notes. */
  note?(doc: number): string | null;
  /** Which papers pass these filters, decided from a compact table of their records (not the papers). */
  filter(filters: Filters): (doc: number) => boolean;
  /** The papers that pass these filters, in corpus order, where the index holds them in a short list (a folder's library table for is:queued and tag:a); else null. */
  passing?(filters: Filters): number[] | null;
  /** Each paper's TF-IDF vector length, for related papers. */
  norms(): Float64Array;
  /** How many papers each word occurs in, in the order of `words`. */
  frequencies(): Uint32Array;
}

/** A loaded corpus: from the YAML in memory, or from the cache, read only as far as a command needs. */
export interface CorpusView {
  count: number;
  summaries(): PaperSummary[];
  /** What merges recognise each paper by, in corpus order. */
  keys(): Known[];
  /** Every paper's id, in no particular order. */
  ids(): string[];
  /** A test of whether a paper has an id, made once for many ids: it reads the id table, not every id. */
  idTest(): (id: string) => boolean;
  /** The papers that share a key with the records to merge, in order, with their keys. */
  keysMatching(wanted: WantedKeys): [doc: number, keys: Known][];
  /** Each paper's arXiv id, DOI and title key hashed, three numbers a paper in corpus order (0 for a key it lacks). */
  keyHashes(): Uint32Array;
  /** Every paper's id in code-unit order, with its paper's number. */
  sortedIds(): { ids: string[]; docs: Uint32Array };
  /** The first `n` papers' summaries, in corpus order, reading no more than that. */
  head(n: number): PaperSummary[];
  /** The paper with this id alone, else those whose ids start with it: up to `limit` of them, and how many there are. */
  withId(id: string, limit: number): IdMatches;
  paper(doc: number): Paper;
  papers(): Paper[];
  /**
   * The papers that pass these filters, in corpus order, decided from the compact tables of their records
   * (the cache's facets): neither summaries nor papers are read.
   */
  select(filters: Filters): number[];
  /** The summaries of these papers, in the order given: read paper by paper when they are few, else all at once. */
  summariesOf(docs: readonly number[]): PaperSummary[];
  /** The statuses and tags its papers hold: which files a folder's library table is made from. */
  marks(): Marks;
  /**
   * Every paper in corpus order, or those of `docs` (in corpus order, as `select` gives them), a file's worth
   * at a time: what a large export streams. A file's papers among `docs` are read one by one when they are
   * few, else all at once.
   */
  chunks(docs?: readonly number[]): Iterable<Paper[]>;
  index(): Index;
}
