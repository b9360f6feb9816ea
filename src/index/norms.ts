import { STOP_WORDS } from '../base/text/stopwords.js';
import type { WordIndex } from './words.js';

// A word in the title counts as much as this many mentions in the abstract.
const TITLE_BOOST = 2;

/** A word's TF-IDF weight in one paper: log-scaled counts, the title counted double. */
export function tfidfWeight(titleCount: number, abstractCount: number, idf: number): number {
  const tf = TITLE_BOOST * titleCount + abstractCount;
  return tf > 0 ? (1 + Math.log(tf)) * idf : 0;
}

/** Words that say something about a paper's topic: not stop words, numbers or single letters. */
export function isTopicWord(word: string): boolean {
  return word.length > 1 && !STOP_WORDS.has(word) && !/^\d+$/.test(word);
}

/** The length of every paper's TF-IDF vector, from the word index (stored in the cache). */
export function documentNorms(index: WordIndex, count: number): Float64Array {
  const squares = new Float64Array(count);
  index.words.forEach((word, i) => {
    if (!isTopicWord(word)) return;
    const [start, end] = [index.offsets[i]!, index.offsets[i + 1]!];
    const idf = Math.log(count / (end - start));
    if (idf <= 0) return;
    for (let k = start; k < end; k++) squares[index.docs[k]!]! += tfidfWeight(index.title[k]!, index.abstract[k]!, idf) ** 2;
  });
  return squares.map(Math.sqrt);
}
