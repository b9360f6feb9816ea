import { singular } from '../base/text/english.js';
import { fold } from '../base/text/words.js';

// "Graph Neural Networks (GNNs)": a bracketed capitalised acronym, optionally plural, after its words.
const ACRONYM = /\((\p{Lu}[\p{Lu}\p{N}]*?)s?\)/gu;
// How far back to look for the words an acronym stands for.
const LOOK_BACK = 120;
const MIN_LETTERS = 2;
const MAX_LETTERS = 6;

/** Acronyms the texts define ("Graph Neural Networks (GNNs)" -> gnn: graph neural network); the first definition wins. */
export function findAcronymDefinitions(texts: Iterable<string>): Record<string, string[]> {
  const defined: Record<string, string[]> = {};
  for (const text of texts) {
    if (!text.includes('(')) continue;
    for (const match of text.matchAll(ACRONYM)) {
      const letters = match[1]!;
      if (letters.length < MIN_LETTERS || letters.length > MAX_LETTERS || !/^\p{Lu}+$/u.test(letters)) continue;
      const acronym = fold(letters);
      if (acronym in defined) continue;
      const before = text.slice(Math.max(0, match.index - LOOK_BACK), match.index);
      if (!/[\s-]$/.test(before)) continue;
      const words = fold(before)
        .split(/[^\p{L}\p{N}]+/u)
        .filter(Boolean)
        .slice(-acronym.length);
      if (words.length === acronym.length && words.every((w, i) => w[0] === acronym[i])) {
        defined[acronym] = words.map((w, i) => (i === words.length - 1 ? singular(w) : w));
      }
    }
  }
  return defined;
}
