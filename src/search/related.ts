import type { Paper } from '../corpus/paper.js';
import { isTopicWord, tfidfWeight } from '../index/norms.js';
import type { Index } from '../index/types.js';
import { scanWords } from '../base/text/words.js';
import { lexiconOf } from './lexicon.js';

export interface Related {
  paper: Paper;
  /** Cosine similarity of TF-IDF vectors, 0 to 1: 1 is the same words in the same proportions. */
  score: number;
}

/** Papers whose words are most like `doc`'s (TF-IDF cosine over title and abstract), best first. */
export function relatedPapers(index: Index, doc: number, limit: number): Related[] {
  const target = index.paper(doc);
  const { postings } = lexiconOf(index);
  const counts = new Map<string, [number, number]>();
  const count = (field: 0 | 1) => (word: string) => {
    const c = counts.get(word) ?? [0, 0];
    c[field]++;
    counts.set(word, c);
  };
  scanWords(target.title, count(0));
  scanWords(target.abstract, count(1));
  const dots = new Float64Array(index.count);
  let targetSquares = 0;
  for (const [word, [titleCount, abstractCount]] of counts) {
    if (!isTopicWord(word)) continue;
    const found = postings(word);
    if (!found) continue;
    const idf = Math.log(index.count / found.docs.length);
    if (idf <= 0) continue;
    const mine = tfidfWeight(titleCount, abstractCount, idf);
    targetSquares += mine ** 2;
    for (let i = 0; i < found.docs.length; i++) dots[found.docs[i]!]! += mine * tfidfWeight(found.title[i]!, found.abstract[i]!, idf);
  }
  const norms = index.norms();
  const targetNorm = Math.sqrt(targetSquares);
  const scored: [number, number][] = [];
  dots.forEach((dot, other) => {
    if (other !== doc && dot > 0 && norms[other]! > 0) scored.push([other, Math.min(1, dot / (targetNorm * norms[other]!))]);
  });
  scored.sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  return scored.slice(0, limit).map(([other, score]) => ({ paper: index.paper(other), score }));
}
