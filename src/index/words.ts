import type { Paper } from '../corpus/paper.js';
import { scanWords } from '../text/words.js';

// Counts are stored in one byte: past this many mentions a word's weight has long stopped growing.
const MAX_COUNT = 255;

/**
 * Every word of the corpus, sorted, with its postings: the papers it occurs in (ascending) and how often
 * in each one's title, abstract and author names. Postings of word i are entries offsets[i] .. offsets[i + 1] - 1.
 */
export interface WordIndex {
  words: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  title: Uint8Array;
  abstract: Uint8Array;
  authors: Uint8Array;
}

/** Builds the word index in one pass over the text, in typed arrays: 100,000 papers fit in little memory. */
export function indexWords(papers: Paper[]): WordIndex {
  const ids = new Map<string, number>();
  const names: string[] = [];
  let capacity = 1 << 16;
  let wordOf = new Uint32Array(capacity);
  let titleOf = new Uint8Array(capacity);
  let abstractOf = new Uint8Array(capacity);
  let authorsOf = new Uint8Array(capacity);
  let used = 0;
  const docEnd = new Uint32Array(papers.length);
  // Per word id: the paper it was last seen in (+1) and its slot there; replaces a Map per paper.
  let seenIn = new Uint32Array(1 << 16);
  let slotOf = new Uint32Array(1 << 16);
  let current = 0;
  // Which count a word adds to: the title's (0), the abstract's (1) or the authors' (2).
  let field = 0;
  const onWord = (word: string) => {
    let id = ids.get(word);
    if (id === undefined) {
      id = names.length;
      ids.set(word, id);
      names.push(word);
      if (id >= seenIn.length) {
        seenIn = grow(seenIn, seenIn.length * 2);
        slotOf = grow(slotOf, slotOf.length * 2);
      }
    }
    let slot: number;
    if (seenIn[id] === current) slot = slotOf[id]!;
    else {
      if (used === capacity) {
        capacity *= 2;
        wordOf = grow(wordOf, capacity);
        titleOf = grow(titleOf, capacity);
        abstractOf = grow(abstractOf, capacity);
        authorsOf = grow(authorsOf, capacity);
      }
      slot = used++;
      seenIn[id] = current;
      slotOf[id] = slot;
      wordOf[slot] = id;
    }
    const counts = field === 0 ? titleOf : field === 1 ? abstractOf : authorsOf;
    if (counts[slot]! < MAX_COUNT) counts[slot]!++;
  };
  papers.forEach((paper, doc) => {
    current = doc + 1;
    field = 0;
    scanWords(paper.title, onWord);
    field = 1;
    scanWords(paper.abstract, onWord);
    field = 2;
    if (paper.authors) scanWords(authorText(paper.authors), onWord);
    docEnd[doc] = used;
  });

  const order = names.map((_, id) => id).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const rank = new Uint32Array(names.length);
  order.forEach((id, r) => (rank[id] = r));
  const offsets = new Uint32Array(names.length + 1);
  for (let slot = 0; slot < used; slot++) offsets[rank[wordOf[slot]!]! + 1]!++;
  for (let r = 0; r < names.length; r++) offsets[r + 1]! += offsets[r]!;
  const cursor = offsets.slice(0, names.length);
  const docs = new Uint32Array(used);
  const title = new Uint8Array(used);
  const abstract = new Uint8Array(used);
  const authors = new Uint8Array(used);
  let slot = 0;
  for (let doc = 0; doc < papers.length; doc++) {
    for (; slot < docEnd[doc]!; slot++) {
      const at = cursor[rank[wordOf[slot]!]!]!++;
      docs[at] = doc;
      title[at] = titleOf[slot]!;
      abstract[at] = abstractOf[slot]!;
      authors[at] = authorsOf[slot]!;
    }
  }
  return { words: order.map((id) => names[id]!), offsets, docs, title, abstract, authors };
}

/** Author names as one text, to search and to show. */
export function authorText(authors: string[]): string {
  return authors.join(', ');
}

export function frequenciesOf(offsets: Uint32Array): Uint32Array {
  const df = new Uint32Array(Math.max(0, offsets.length - 1));
  for (let i = 0; i < df.length; i++) df[i] = offsets[i + 1]! - offsets[i]!;
  return df;
}

function grow<T extends Uint8Array | Uint32Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}
