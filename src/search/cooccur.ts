import type { Index } from '../index/types.js';
import { STOP_WORDS } from '../base/text/stopwords.js';
import { scanWords } from '../base/text/words.js';
import type { Lexicon } from './lexicon.js';

// A word's company is read from at most this many of its papers: enough to see what goes with it.
const SAMPLE = 200;
// Words that go with a word: in at least this many of its papers, this many times more often than chance.
const MIN_TOGETHER = 3;
const MIN_LIFT = 8;
// Only this many companions widen a word, and only words a few papers use (a common word's company is everything);
// a companion must also be a word of few papers, and share a good part of them with the word (Dice coefficient).
const MOST = 3;
const MAX_SHARE = 0.05;
const MIN_DICE = 0.3;
// A companion is itself a rare word: one paper in a hundred at most (or a handful in a small corpus).
const MAX_COMPANION_SHARE = 0.01;

/**
 * Words the corpus shows to go with `word`: those in its papers far more often than in the corpus as a whole
 * (lift, the ratio of the two rates, at least MIN_LIFT, in at least MIN_TOGETHER of its papers), strongest
 * first. Computed from the papers themselves, nothing shipped or downloaded.
 */
export function companions(index: Index, lexicon: Lexicon, word: string): string[] {
  const postings = lexicon.postings(word);
  if (!postings || postings.docs.length < MIN_TOGETHER || postings.docs.length > Math.max(MIN_TOGETHER, MAX_SHARE * index.count)) return [];
  const docs = postings.docs.subarray(0, SAMPLE);
  const together = new Map<string, number>();
  for (const doc of docs) {
    const paper = index.paper(doc);
    const seen = new Set<string>();
    for (const text of [paper.title, paper.abstract]) scanWords(text, (w, _s, _e, _p, compound) => void (!compound && seen.add(w)));
    for (const w of seen) together.set(w, (together.get(w) ?? 0) + 1);
  }
  const frequencies = index.frequencies();
  const scored: [string, number][] = [];
  for (const [other, n] of together) {
    if (n < MIN_TOGETHER || other === word || other.length < 4 || STOP_WORDS.has(other) || /\d/.test(other)) continue;
    const df = frequencies[lexicon.vocabulary.indexOf(other)] ?? 0;
    if (df === 0 || df > Math.max(MIN_TOGETHER, MAX_COMPANION_SHARE * index.count)) continue;
    const lift = n / docs.length / (df / index.count);
    const dice = (2 * n) / (docs.length + df);
    if (lift >= MIN_LIFT && dice >= MIN_DICE) scored.push([other, n * Math.log(lift)]);
  }
  scored.sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return scored.slice(0, MOST).map(([w]) => w);
}
