import type { Index, Postings } from '../index/types.js';
import { makeAcronyms, type Acronyms } from './acronyms.js';
import { Vocabulary } from './vocabulary.js';

/** What ranking needs of an index's words: their spellings, acronyms, and postings by word. */
export interface Lexicon {
  vocabulary: Vocabulary;
  acronyms: Acronyms;
  postings(word: string): Postings | undefined;
  /** The word's postings near paper `doc` (at least those of the papers numbered close to it), read in part; absent where an index has its postings in one piece. */
  postingsNear?: (word: string, doc: number) => Postings | undefined;
  /** The word's postings a part at a time, each numbered from `base`, kept by nobody. */
  eachPart(word: string, visit: (postings: Postings, base: number) => void): void;
  /** How many papers have the word: how many postings it has, without reading them. */
  frequency(word: string): number;
}

// One per index, so that word expansions are worked out once however often the index is searched.
const lexicons = new WeakMap<Index, Lexicon>();

export function lexiconOf(index: Index): Lexicon {
  let lexicon = lexicons.get(index);
  if (!lexicon) {
    const vocabulary = new Vocabulary(index.words, index.masks);
    let frequencies: Uint32Array | undefined;
    lexicon = {
      vocabulary,
      acronyms: makeAcronyms(index.acronyms),
      postings: (word) => {
        const at = vocabulary.indexOf(word);
        return at < 0 ? undefined : index.postings(at);
      },
      ...(index.postingsNear
        ? {
            postingsNear: (word: string, doc: number) => {
              const at = vocabulary.indexOf(word);
              return at < 0 ? undefined : index.postingsNear!(at, doc);
            },
          }
        : {}),
      eachPart: (word, visit) => {
        const at = vocabulary.indexOf(word);
        if (at < 0) return;
        if (index.partsOf) index.partsOf(at, visit);
        else visit(index.postings(at), 0);
      },
      frequency: (word) => {
        const at = vocabulary.indexOf(word);
        return at < 0 ? 0 : (frequencies ??= index.frequencies())[at]!;
      },
    };
    lexicons.set(index, lexicon);
  }
  return lexicon;
}
