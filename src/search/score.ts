import type { Field } from './query.js';

// A word in the title says what the paper is about; the abstract only mentions it.
const TITLE_WEIGHT = 0.6;
const ABSTRACT_WEIGHT = 0.4;
// The reader's own note on a paper: found, but weighed below a single mention in the abstract
// (0.4 * 1 / 2.2), so that a paper whose own text has the word comes first.
const NOTE_WEIGHT = 0.15;
// BM25's term-frequency saturation: the third mention of a word adds less than the second.
const TF_SATURATION = 1.2;
// "GNN" for "graph neural network" (and back) is the same idea in other words, but not the words typed.
export const ACRONYM_SIMILARITY = 0.9;
// A word the corpus shows to go with a query word (see cooccur.ts): a hint of the topic, weighed lightly.
export const RELATED_SIMILARITY = 0.5;
// Share of the score for finding the query's words side by side, as typed: "memory networks" as a phrase
// beats "memory" in one sentence and "networks" in another.
const PROXIMITY_WEIGHT = 0.15;
export const PROXIMITY_ABSTRACT = 0.5;

/** BM25's inverse document frequency: a word in most papers says little about any of them. */
export function idf(total: number, df: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

/**
 * A term's score in one paper from how closely it matched in each field and how often in the abstract
 * (an author: term is scored on the names alone, as a title word is on the title, and a note: term on the note).
 * A word in all three fields may sum past 1: held at 1, the most a field alone gives.
 */
export function termScore(
  field: Field | null,
  titleSimilarity: number,
  abstractSimilarity: number,
  abstractCount: number,
  authorSimilarity = 0,
  noteSimilarity = 0,
): number {
  const inAbstract = abstractSimilarity > 0 ? abstractSimilarity * saturate(abstractCount) : 0;
  if (field === 'author') return authorSimilarity;
  if (field === 'title') return titleSimilarity;
  if (field === 'abstract') return inAbstract;
  if (field === 'note') return noteSimilarity;
  return Math.min(1, TITLE_WEIGHT * titleSimilarity + ABSTRACT_WEIGHT * inAbstract + NOTE_WEIGHT * noteSimilarity);
}

function saturate(count: number): number {
  return count / (count + TF_SATURATION);
}

/** The query's score with the reward for its words side by side (`together`: 1 in the title, less in the abstract). */
export function withProximity(score: number, together: number): number {
  return (1 - PROXIMITY_WEIGHT) * score + PROXIMITY_WEIGHT * together;
}

/**
 * A bound worked out with the words side by side in the title (`withProximity(score, 1)`), for a paper whose
 * title does not have them so: the reward is then at most the abstract's (a margin over rounding kept).
 */
export function withoutTitleRun(bound: number): number {
  return bound - PROXIMITY_WEIGHT * (1 - PROXIMITY_ABSTRACT) + 1e-12;
}
