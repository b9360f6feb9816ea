import type { Index, Postings } from '../index/types.js';
import { makeAcronyms, type Acronyms } from './acronyms.js';
import { Vocabulary } from './vocabulary.js';

/** What ranking needs of an index's words: their spellings, acronyms, and postings by word. */
export interface Lexicon {
  vocabulary: Vocabulary;
  acronyms: Acronyms;
  postings(word: string): Postings | undefined;
}

// One per index, so that word expansions are worked out once however often the index is searched.
const lexicons = new WeakMap<Index, Lexicon>();

export function lexiconOf(index: Index): Lexicon {
  let lexicon = lexicons.get(index);
  if (!lexicon) {
    const vocabulary = new Vocabulary(index.words, index.masks);
    lexicon = {
      vocabulary,
      acronyms: makeAcronyms(index.acronyms),
      postings: (word) => {
        const at = vocabulary.indexOf(word);
        return at < 0 ? undefined : index.postings(at);
      },
    };
    lexicons.set(index, lexicon);
  }
  return lexicon;
}
