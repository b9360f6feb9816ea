import type { Paper } from '../corpus/paper.js';
import type { SearchSource, WordIndex } from './engine.js';
import { STOP_WORDS } from './stopwords.js';
import { scanWords } from './text.js';

// A word in the title counts as much as this many mentions in the abstract.
const TITLE_BOOST = 2;

export interface Related {
  paper: Paper;
  /** Cosine similarity of TF-IDF vectors, 0 to 1: 1 is the same words in the same proportions. */
  score: number;
}

const weight = (titleCount: number, abstractCount: number, idf: number) => {
  const tf = TITLE_BOOST * titleCount + abstractCount;
  return tf > 0 ? (1 + Math.log(tf)) * idf : 0;
};
const counted = (word: string) => word.length > 1 && !STOP_WORDS.has(word) && !/^\d+$/.test(word);

/** The length of every paper's TF-IDF vector, from the word index (stored in the cache). */
export function documentNorms(index: WordIndex, count: number): Float64Array {
  const squares = new Float64Array(count);
  index.words.forEach((word, i) => {
    if (!counted(word)) return;
    const [start, end] = [index.offsets[i]!, index.offsets[i + 1]!];
    const idf = Math.log(count / (end - start));
    if (idf <= 0) return;
    for (let k = start; k < end; k++) squares[index.docs[k]!]! += weight(index.title[k]!, index.abstract[k]!, idf) ** 2;
  });
  return squares.map(Math.sqrt);
}

/** Papers whose words are most like `doc`'s (TF-IDF cosine over title and abstract), best first. */
export function relatedPapers(source: SearchSource, doc: number, limit: number): Related[] {
  const target = source.paper(doc);
  const counts = new Map<string, [number, number]>();
  const count = (field: 0 | 1) => (word: string) => {
    const c = counts.get(word) ?? [0, 0];
    c[field]++;
    counts.set(word, c);
  };
  scanWords(target.title, count(0));
  scanWords(target.abstract, count(1));
  const dots = new Float64Array(source.count);
  let targetSquares = 0;
  for (const [word, [titleCount, abstractCount]] of counts) {
    if (!counted(word)) continue;
    const postings = source.postings(word);
    if (!postings) continue;
    const idf = Math.log(source.count / postings.docs.length);
    if (idf <= 0) continue;
    const mine = weight(titleCount, abstractCount, idf);
    targetSquares += mine ** 2;
    for (let i = 0; i < postings.docs.length; i++) dots[postings.docs[i]!]! += mine * weight(postings.title[i]!, postings.abstract[i]!, idf);
  }
  const norms = source.norms();
  const targetNorm = Math.sqrt(targetSquares);
  const scored: [number, number][] = [];
  dots.forEach((dot, other) => {
    if (other !== doc && dot > 0 && norms[other]! > 0) scored.push([other, Math.min(1, dot / (targetNorm * norms[other]!))]);
  });
  scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return scored.slice(0, limit).map(([other, score]) => ({ paper: source.paper(other), score }));
}
