import { stemmer } from 'stemmer';
import { letterMask, popcount } from '../index/masks.js';
import type { WordList } from '../index/types.js';
import { singular } from '../base/text/english.js';
import { editDistance } from './distance.js';
import { synonymsOf } from './synonyms.js';

/** How closely a corpus word stands for a query word: 1 is the word itself. */
export type Expansion = Map<string, number>;

/** exact: the word and its plural; forms: also other inflections; fuzzy: also prefixes and typos. */
export type Reach = 'exact' | 'forms' | 'fuzzy';

// Plural and singular forms are the same word to a reader.
const INFLECTION_SIMILARITY = 0.95;
// Other forms of the same verb or noun: "pre-training" finds "pre-trained models".
const STEM_SIMILARITY = 0.9;
// Endings that change a word's form, not its meaning; derivations (normal -> normalization) are other words.
const STEM_ENDINGS = ['', 'e', 's', 'es', 'ed', 'd', 'ing', 'er', 'ers', 'ion', 'ions'];
// A derived word of the same family (optimize -> optimization, generalize -> generalization): the same idea,
// said otherwise, so it counts for less than the word or its inflections.
const DERIVED_SIMILARITY = 0.7;
// A word the package knows to say the same (see synonyms.ts): further from the typed word than its family.
const SYNONYM_SIMILARITY = 0.6;
// Families are looked up for words this long, whose stem keeps this many letters: short words stay exact.
const MIN_DERIVED_WORD = 5;
const MIN_DERIVED_STEM = 4;
// A stem shared by more words than this (a short, common one) is not followed into all of them.
const MAX_DERIVED = 40;
// "normaliz" finds "normalization": a typed prefix is nearly as good as the word, but only a short suffix.
const PREFIX_SIMILARITY = 0.85;
const MAX_PREFIX_EXTRA = 4;
const MIN_PREFIX_LENGTH = 4;
// Each edit costs this much similarity, so a typo never outranks the word spelled right.
const EDIT_PENALTY = 0.15;

/** Edits forgiven grow with word length; short words and acronyms (GNN, MLP, CTR) match exactly. */
export function maxEdits(length: number): number {
  if (length >= 8) return 2;
  if (length >= 5) return 1;
  return 0;
}

function add(found: Expansion, word: string, similarity: number): void {
  if ((found.get(word) ?? 0) < similarity) found.set(word, similarity);
}

export class Vocabulary {
  private readonly cache = new Map<string, Expansion>();
  private readonly typos = new Map<string, Map<string, number>>();
  private masks: Uint32Array | undefined;

  /**
   * `words`: every word of the corpus once, in code-unit order. `masks`: for each, the letter classes it
   * uses (see `letterMask`), asked for only when a word may be mistyped.
   */
  constructor(
    private readonly words: WordList,
    private readonly masksOf: () => Uint32Array,
  ) {}

  /** Position of `word` in the sorted list, or of where it would go. */
  private lowerBound(word: string): number {
    let lo = 0;
    let hi = this.words.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.words.at(mid) < word) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  indexOf(word: string): number {
    const at = this.lowerBound(word);
    return at < this.words.length && this.words.at(at) === word ? at : -1;
  }

  has(word: string): boolean {
    return this.indexOf(word) >= 0;
  }

  /** Corpus words that `word` may stand for, with their similarity. */
  expand(word: string, reach: Reach): Expansion {
    const key = `${reach}:${word}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const found = this.spellings(word, reach);
    if (reach === 'fuzzy') {
      // A mistyped word stands for the word meant, in all the forms that word would match.
      for (const [typo, distance] of this.typoCandidates(word)) {
        for (const [form, similarity] of this.spellings(typo, 'forms')) add(found, form, similarity * (1 - EDIT_PENALTY * distance));
      }
    }
    this.cache.set(key, found);
    return found;
  }

  /** The word, its inflections, and (fuzzy) what it is a prefix of: every match short of a typo. */
  private spellings(word: string, reach: Reach): Expansion {
    const key = `base:${reach}:${word}`;
    const cached = this.cache.get(key);
    if (cached) return new Map(cached);
    const found: Expansion = new Map();
    const put = (w: string, similarity: number) => {
      if ((found.get(w) ?? 0) < similarity && this.has(w)) found.set(w, similarity);
    };
    put(word, 1);
    for (const form of inflections(word)) put(form, INFLECTION_SIMILARITY);
    if (reach !== 'exact') for (const form of sameStemCandidates(word)) put(form, STEM_SIMILARITY);
    if (reach === 'fuzzy' && /\p{L}/u.test(word) && word.length >= MIN_PREFIX_LENGTH) {
      for (const w of this.withPrefix(word)) if (w.length - word.length <= MAX_PREFIX_EXTRA) put(w, PREFIX_SIMILARITY);
    }
    this.cache.set(key, found);
    return new Map(found);
  }

  /**
   * A word the corpus has is most likely spelled as meant: forgive one edit less, so that
   * "multilabel" does not also bring "multilayer".
   */
  private typoEdits(word: string): number {
    if (!/\p{L}/u.test(word)) return 0;
    // The word, its plural or another form of it is in the corpus (cached: search asks this twice).
    const known = this.spellings(word, 'forms').size > 0;
    return Math.max(0, maxEdits(word.length) - (known ? 1 : 0));
  }

  /**
   * Every corpus word within the allowed edits of `word` (a swap of two neighbouring letters is one edit),
   * with its distance, unless it is already matched some better way.
   */
  private typoCandidates(word: string): Map<string, number> {
    const cached = this.typos.get(word);
    if (cached) return cached;
    const edits = this.typoEdits(word);
    const result = new Map<string, number>();
    if (edits > 0) {
      const matched = this.spellings(word, 'fuzzy');
      for (const candidate of this.near(word, edits)) {
        if (matched.has(candidate)) continue;
        const distance = editDistance(word, candidate, edits);
        if (distance <= edits) result.set(candidate, distance);
      }
    }
    this.typos.set(word, result);
    return result;
  }

  /**
   * What `word` may stand for beyond its forms and typos, for near misses: the derived words of its family
   * (optimize: optimization) and the words the package knows to mean the same (engine: system), each in its
   * forms, below the word's own matches. Words `expand(word, 'fuzzy')` has already are left out.
   */
  relatives(word: string): Expansion {
    const key = `relatives:${word}`;
    const cached = this.cache.get(key);
    if (cached) return cached;
    const own = this.expand(word, 'fuzzy');
    const found: Expansion = new Map();
    for (const w of this.family(word)) if (!own.has(w)) add(found, w, DERIVED_SIMILARITY);
    for (const synonym of [...synonymsOf(word), ...synonymsOf(singular(word))]) {
      for (const [form, similarity] of this.spellings(synonym, 'forms')) if (!own.has(form)) add(found, form, similarity * SYNONYM_SIMILARITY);
    }
    this.cache.set(key, found);
    return found;
  }

  /** The corpus words closest to `word` (at most three edits), closest first: suggestions when it matches nothing. */
  closest(word: string, count = 3): string[] {
    const limit = Math.min(3, Math.max(1, Math.floor(word.length / 3)));
    const found: [string, number][] = [];
    for (const candidate of this.near(word, limit)) {
      const distance = editDistance(word, candidate, limit);
      if (distance <= limit && /\p{L}/u.test(candidate)) found.push([candidate, distance]);
    }
    found.sort((a, b) => a[1] - b[1] || Math.abs(a[0].length - word.length) - Math.abs(b[0].length - word.length) || (a[0] < b[0] ? -1 : 1));
    return found.slice(0, count).map(([w]) => w);
  }

  /**
   * Corpus words with the same Porter stem as `word`, derived or inflected (optimize: optimization,
   * optimizer, optimizing): words that start with the stem (or with it ending in y for i), checked
   * one by one. None for short words, short stems or a stem that too many words share.
   */
  private family(word: string): string[] {
    if (word.length < MIN_DERIVED_WORD || !/^\p{L}+$/u.test(word)) return [];
    const stem = stemmer(word);
    if (stem.length < MIN_DERIVED_STEM) return [];
    const prefixes = stem.endsWith('i') ? [stem.slice(0, -1)] : [stem];
    const found: string[] = [];
    for (const prefix of prefixes) {
      const candidates = this.withPrefix(prefix, MAX_DERIVED * 4);
      for (const candidate of candidates) if (candidate !== word && /^\p{L}+$/u.test(candidate) && stemmer(candidate) === stem) found.push(candidate);
    }
    return found.length > MAX_DERIVED ? [] : found;
  }

  private withPrefix(prefix: string, most = Infinity): string[] {
    const result: string[] = [];
    for (let i = this.lowerBound(prefix); i < this.words.length; i++) {
      const word = this.words.at(i);
      if (!word.startsWith(prefix) || result.length >= most) break;
      result.push(word);
    }
    return result;
  }

  /**
   * Words that could be within `edits` of `word`, by tests that never reject one that is: lengths differ by one
   * edit at most, each edit adds or removes at most one letter class, and costs at most one of the letters they share.
   */
  private near(word: string, edits: number): string[] {
    const masks = (this.masks ??= this.masksOf());
    const ascii = /^[\x00-\x7f]*$/.test(word);
    // A one-word-per-step test on bit masks rules out almost every word before its length or letters are looked at.
    const mask = letterMask(word);
    const bucket: string[] = [];
    for (let i = 0; i < masks.length; i++) {
      const other = masks[i]!;
      if (popcount(mask & ~other) > edits || popcount(other & ~mask) > edits) continue;
      const candidate = this.words.at(i);
      if (Math.abs(candidate.length - word.length) <= edits) bucket.push(candidate);
    }
    // Letter counts in a small table; words with other characters skip this pass and are all measured.
    if (!ascii) return bucket;
    const counts = new Int32Array(128);
    for (let i = 0; i < word.length; i++) counts[word.charCodeAt(i)]!++;
    const need = word.length - edits;
    const taken: number[] = [];
    const result: string[] = [];
    for (const candidate of bucket) {
      let shared = 0;
      for (let i = 0; i < candidate.length; i++) {
        const code = candidate.charCodeAt(i);
        if (code < 128 && counts[code]! > 0) {
          counts[code]!--;
          taken.push(code);
          shared++;
        }
      }
      for (const code of taken) counts[code]!++;
      taken.length = 0;
      if (shared >= need) result.push(candidate);
    }
    return result;
  }
}

/** Words in the vocabulary that share `word`'s Porter stem by an inflectional ending only. */
function sameStemCandidates(word: string): string[] {
  if (word.length < 4 || !/^\p{L}+$/u.test(word)) return [];
  const stem = stemmer(word);
  const bases = [stem];
  // Porter maps "training" to "train" but "trainings" may sit on a stem ending in a changed letter.
  if (stem.endsWith('i')) bases.push(`${stem.slice(0, -1)}y`);
  const forms: string[] = [];
  for (const base of bases) for (const ending of STEM_ENDINGS) forms.push(base + ending);
  return forms.filter((form) => form !== word && stemmer(form) === stem);
}

function inflections(word: string): string[] {
  if (word.length < 3 || /^\d+$/.test(word)) return [];
  const forms = [`${word}s`, `${word}es`];
  if (word.endsWith('s') && word.length > 3) forms.push(word.slice(0, -1));
  if (word.endsWith('es') && word.length > 4) forms.push(word.slice(0, -2));
  if (word.endsWith('ies') && word.length > 4) forms.push(`${word.slice(0, -3)}y`);
  if (word.endsWith('y')) forms.push(`${word.slice(0, -1)}ies`);
  return forms;
}
