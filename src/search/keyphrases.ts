// Keyphrases of a corpus: the words and short phrases that say what its papers are about, as opposed to what
// every paper of the field says ("learning", "model", "training").
//
// A word here is a word of scanWords or a hyphenated run of them ("pre-trained", "multi-label"), stemmed joined so
// that it meets its unhyphenated spelling ("pretrained"); the joined forms scanWords adds itself are skipped. A
// candidate is a run of 1 to MAX_WORDS words of one field (title or abstract), none of them a stop word (nor with
// one inside, as "state-of-the-art"), shorter than MIN_LETTERS or without a letter, with only whitespace between
// them: "graph neural networks" is one, "networks (GNNs)" and "models. Training" are not. Stemming every word makes
// the families: "network" and "networks" are one row, shown in their most frequent spelling.
//
// Weight: summed over the papers using a family, 1 + ln(uses in the paper), times idf to the IDF_POWER, times the
// phrase's length to the PHRASE_POWER. The log keeps a single paper repeating a word from making it the corpus's.
import { stemmer } from 'stemmer';
import { STOP_WORDS } from '../text/stopwords.js';
import { scanWords } from '../text/words.js';

export interface Keyphrase {
  phrase: string;
  papers: number;
  weight: number;
}

// Longer runs are sentence fragments far more often than names; three still holds "graph neural networks".
const MAX_WORDS = 3;
// Shorter words are mostly symbols and acronym fragments ("ai", "x"), as in the old keyword count.
const MIN_LETTERS = 3;
// A phrase of a single paper is that paper's topic, not the corpus's.
const MIN_PAPERS = 2;
// A title names the paper's topic: a use there counts as this many in the abstract. At 5 and more, one-off title
// words ("review", "deeper") outrank topics the abstracts share.
const TITLE_WEIGHT = 3;
// "Most of its occurrences": above this share inside one longer kept phrase, a phrase is only that one's fragment.
const ABSORBED = 0.5;
// Share of papers from which a word is the field's, not a topic: it adds nothing to a phrase ("... learning").
const GENERIC = 0.5;
// Two decimals tell rows apart; more digits are float noise to a reader and would make ties depend on it.
const DECIMALS = 2;
// idf raised to this: plain TF-IDF summed over papers peaks at words in a third of them, which in a corpus of one
// field are its generic words; 2.5 moves the peak to topics a few papers share (tuned on the shipped corpus).
const IDF_POWER = 2.5;
// A phrase that recurs across papers is a name ("graph neural networks") more often than a single word is: weight
// grows with the square root of its length, so that names rise without generic phrases ("deep neural networks").
const PHRASE_POWER = 0.5;

const LETTER = /\p{L}/u;

/** Strings to ids. With a Map<string> instead, keyphrases() measured 10-15% slower: scanWords makes a fresh string of each word. */
class StringTable {
  private size = 0;
  private keys = new Array<string | undefined>(1 << 12).fill(undefined);
  private ids = new Int32Array(1 << 12);

  get(key: string): number | undefined {
    const { keys } = this;
    const mask = keys.length - 1;
    for (let slot = hashString(key) & mask; ; slot = (slot + 1) & mask) {
      const found = keys[slot];
      if (found === undefined) return undefined;
      if (found === key) return this.ids[slot];
    }
  }

  /** Adds a key that get() just did not find. */
  add(key: string, id: number): void {
    // At most half full, so that probe runs stay short.
    if (2 * ++this.size > this.keys.length) {
      const { keys, ids } = this;
      this.keys = new Array<string | undefined>(2 * keys.length).fill(undefined);
      this.ids = new Int32Array(2 * keys.length);
      keys.forEach((old, slot) => old !== undefined && this.place(old, ids[slot]!));
    }
    this.place(key, id);
  }

  private place(key: string, id: number): void {
    const mask = this.keys.length - 1;
    let slot = hashString(key) & mask;
    while (this.keys[slot] !== undefined) slot = (slot + 1) & mask;
    this.keys[slot] = key;
    this.ids[slot] = id;
  }
}

/** Pairs of ids to ids in one flat array of (first, second, id) slots. With a Map of numeric keys, keyphrases() measured ~40% slower. */
class PairTable {
  private size = 0;
  private slots = new Int32Array(3 << 12).fill(-1);

  /** The id of the pair, or -1. */
  get(first: number, second: number): number {
    const { slots } = this;
    const mask = slots.length / 3 - 1;
    for (let slot = hashPair(first, second) & mask; ; slot = (slot + 1) & mask) {
      const found = slots[3 * slot]!;
      if (found === -1) return -1;
      if (found === first && slots[3 * slot + 1] === second) return slots[3 * slot + 2]!;
    }
  }

  /** Adds a pair that get() just did not find. */
  add(first: number, second: number, id: number): void {
    // At most half full, so that probe runs stay short.
    if (6 * ++this.size > this.slots.length) {
      const old = this.slots;
      this.slots = new Int32Array(2 * old.length).fill(-1);
      for (let slot = 0; slot < old.length; slot += 3) if (old[slot] !== -1) this.place(old[slot]!, old[slot + 1]!, old[slot + 2]!);
    }
    this.place(first, second, id);
  }

  private place(first: number, second: number, id: number): void {
    const { slots } = this;
    const mask = slots.length / 3 - 1;
    let slot = hashPair(first, second) & mask;
    while (slots[3 * slot] !== -1) slot = (slot + 1) & mask;
    slots[3 * slot] = first;
    slots[3 * slot + 1] = second;
    slots[3 * slot + 2] = id;
  }
}

function hashString(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return mix(h);
}

function hashPair(first: number, second: number): number {
  return mix((Math.imul(first, 0x9e3779b1) + second) | 0);
}

function mix(h: number): number {
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return h ^ (h >>> 16);
}

// Fields of a surface's record in Counts.surfaces: its prefix, last word (a text for one word), family and uses.
const S = { prefix: 0, last: 1, family: 2, uses: 3, size: 4 } as const;
// Fields of a family's record, side by side so that counting a use reads one record, not seven arrays: its prefix and
// last word's family as for surfaces, uses, papers, spread, and the last paper that used it with its uses there.
const F = { prefix: 0, last: 1, uses: 2, papers: 3, spread: 4, paper: 5, paperUses: 6, size: 8 } as const;

/**
 * Counts of one pass over the papers. Surfaces are spellings ("neural networks"); families are their stems. A
 * one-word surface or family is its own; a longer one is its prefix one followed by a one-word one.
 */
class Counts {
  papers = 0;
  // Words by spelling: their one-word surface, or -1 for words that cannot be part of a phrase.
  private readonly words = new StringTable();
  private readonly wordText: string[] = [];
  private readonly stems = new Map<string, number>();
  private readonly surfaceIds = new PairTable();
  private readonly familyIds = new PairTable();
  surfacesSeen = 0;
  familiesSeen = 0;
  surfaces = new Int32Array(S.size << 12);
  families = new Float64Array(F.size << 12);
  // The families the paper being read has used so far.
  private readonly touched: number[] = [];

  /** The one-word surface of a word or of a hyphenated run ("pre-trained"), or -1 if it cannot be in a phrase. */
  word(text: string): number {
    const known = this.words.get(text);
    if (known !== undefined) return known;
    const parts = text.split('-');
    const joined = parts.join('');
    let surface = -1;
    if (joined.length >= MIN_LETTERS && LETTER.test(joined) && !parts.some((part) => STOP_WORDS.has(part))) {
      // Joined, so that "pre-trained" and "pretrained" are one family, as scanWords makes them one word for search.
      const stem = stemmer(joined);
      let family = this.stems.get(stem);
      if (family === undefined) this.stems.set(stem, (family = this.newFamily(-1, -1)));
      surface = this.newSurface(-1, this.wordText.push(text) - 1, family);
    }
    this.words.add(text, surface);
    return surface;
  }

  /** The surface `prefix` followed by the one-word surface `word`. */
  phrase(prefix: number, word: number): number {
    const known = this.surfaceIds.get(prefix, word);
    if (known >= 0) return known;
    const prefixFamily = this.familyOf(prefix);
    const lastFamily = this.familyOf(word);
    let family = this.familyIds.get(prefixFamily, lastFamily);
    if (family < 0) this.familyIds.add(prefixFamily, lastFamily, (family = this.newFamily(prefixFamily, lastFamily)));
    const surface = this.newSurface(prefix, word, family);
    this.surfaceIds.add(prefix, word, surface);
    return surface;
  }

  /** Counts a use of `surface`; `weight` is how much it says about the paper's topic. */
  use(surface: number, weight: number): void {
    this.surfaces[surface * S.size + S.uses]!++;
    const { families } = this;
    const at = this.familyOf(surface) * F.size;
    families[at + F.uses]!++;
    if (families[at + F.paper] !== this.papers) {
      families[at + F.paper] = this.papers;
      families[at + F.papers]!++;
      families[at + F.paperUses] = 0;
      this.touched.push(at);
    }
    families[at + F.paperUses]! += weight;
  }

  endPaper(): void {
    for (const at of this.touched) this.families[at + F.spread]! += 1 + Math.log(this.families[at + F.paperUses]!);
    this.touched.length = 0;
    this.papers++;
  }

  familyOf(surface: number): number {
    return this.surfaces[surface * S.size + S.family]!;
  }

  usesOf(surface: number): number {
    return this.surfaces[surface * S.size + S.uses]!;
  }

  /** A field of a family's record. */
  of(family: number, field: number): number {
    return this.families[family * F.size + field]!;
  }

  text(surface: number): string {
    const prefix = this.surfaces[surface * S.size + S.prefix]!;
    const last = this.surfaces[surface * S.size + S.last]!;
    return prefix < 0 ? this.wordText[last]! : `${this.text(prefix)} ${this.text(last)}`;
  }

  /** The one-word families of a family's words, in order. */
  wordsOf(family: number): number[] {
    const prefix = this.of(family, F.prefix);
    return prefix < 0 ? [family] : [...this.wordsOf(prefix), this.of(family, F.last)];
  }

  /** The family of a run of one-word families, or -1 when that run was never seen. */
  family(words: number[]): number {
    let family = words[0]!;
    for (let i = 1; i < words.length && family >= 0; i++) family = this.familyIds.get(family, words[i]!);
    return family;
  }

  private newSurface(prefix: number, last: number, family: number): number {
    if ((this.surfacesSeen + 1) * S.size > this.surfaces.length) this.surfaces = widen(this.surfaces, new Int32Array(2 * this.surfaces.length));
    this.surfaces.set([prefix, last, family, 0], this.surfacesSeen * S.size);
    return this.surfacesSeen++;
  }

  private newFamily(prefix: number, last: number): number {
    if ((this.familiesSeen + 1) * F.size > this.families.length) this.families = widen(this.families, new Float64Array(2 * this.families.length));
    this.families.set([prefix, last, 0, 0, 0, -1, 0], this.familiesSeen * F.size);
    return this.familiesSeen++;
  }
}

function widen<T extends Int32Array<ArrayBuffer> | Float64Array<ArrayBuffer>>(array: T, wider: T): T {
  wider.set(array);
  return wider;
}

/** The `limit` heaviest keyphrases of the papers, heaviest first. */
export function keyphrases(papers: Iterable<{ title: string; abstract: string }>, limit: number): Keyphrase[] {
  const counts = new Counts();
  for (const paper of papers) {
    // Separately, so that no phrase runs from the end of the title into the abstract.
    read(counts, paper.title, TITLE_WEIGHT);
    read(counts, paper.abstract, 1);
    counts.endPaper();
  }
  return select(counts, limit);
}

function read(counts: Counts, text: string, weight: number): void {
  // ends[k]: the surface of the run's last k + 1 words, or -1 when the run is shorter.
  const ends = new Array<number>(MAX_WORDS - 1).fill(-1);
  let word = '';
  let wordEnd = -1;
  scanWords(text, (part, start, end, _pos, compound) => {
    if (compound) return;
    if (word !== '' && start === wordEnd + 1 && text.charCodeAt(wordEnd) === 45) word += `-${part}`;
    else {
      if (word !== '') {
        add(counts, ends, word, weight);
        if (!spaces(text, wordEnd, start)) ends.fill(-1);
      }
      word = part;
    }
    wordEnd = end;
  });
  if (word !== '') add(counts, ends, word, weight);
}

function add(counts: Counts, ends: number[], word: string, weight: number): void {
  // Short words ("a", "of", "is") are a good share of all words and never in a phrase: no need to look them up.
  const surface = word.length < MIN_LETTERS ? -1 : counts.word(word);
  if (surface < 0) {
    ends.fill(-1);
    return;
  }
  // Longest first, so that each step still reads the previous word's runs.
  for (let k = ends.length - 1; k >= 0; k--) {
    const phrase = ends[k]! >= 0 ? counts.phrase(ends[k]!, surface) : -1;
    if (phrase >= 0) counts.use(phrase, weight);
    if (k + 1 < ends.length) ends[k + 1] = phrase;
  }
  ends[0] = surface;
  counts.use(surface, weight);
}

/** Whether only whitespace stands between two words, which keeps them in one phrase. */
function spaces(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && (c < 9 || c > 13) && c !== 160) return false;
  }
  return true;
}

function select(counts: Counts, limit: number): Keyphrase[] {
  const families = counts.familiesSeen;
  const n = counts.papers;
  const weight = new Float64Array(families);
  const words: number[][] = [];
  const byLength: number[][] = Array.from({ length: MAX_WORDS + 1 }, () => []);
  for (let family = 0; family < families; family++) {
    const papers = counts.of(family, F.papers);
    if (papers < MIN_PAPERS) continue;
    words[family] = counts.wordsOf(family);
    weight[family] = counts.of(family, F.spread) * Math.log(n / papers) ** IDF_POWER * words[family]!.length ** PHRASE_POWER;
    if (weight[family]! <= 0) continue;
    byLength[words[family]!.length]!.push(family);
  }
  // Longest first: a phrase is kept unless most of its uses are inside one longer kept phrase.
  const inside = new Float64Array(families);
  const kept: { family: number; parts: Part[] }[] = [];
  const isKept = new Uint8Array(families);
  for (let length = MAX_WORDS; length >= 1; length--) {
    for (const family of byLength[length]!) {
      const uses = counts.of(family, F.uses);
      if (inside[family]! > ABSORBED * uses) continue;
      isKept[family] = 1;
      const parts = subPhrases(counts, words[family]!);
      kept.push({ family, parts });
      const times = new Map<number, number>();
      for (const part of parts) times.set(part.family, (times.get(part.family) ?? 0) + 1);
      for (const [part, k] of times) inside[part] = Math.max(inside[part]!, Math.min(counts.of(part, F.uses), k * uses));
    }
  }
  // A longer phrase adds nothing to a kept part of it when its other words are generic: "self-supervised learning".
  const generic = (word: number) => counts.of(word, F.papers) >= GENERIC * n;
  const adds = ({ family, parts }: { family: number; parts: Part[] }) =>
    !parts.some((part) => isKept[part.family] && words[family]!.every((word, i) => (i >= part.from && i < part.to) || generic(word)));
  const shown = kept.filter(adds).map(({ family }) => family);
  const spelled = spellings(counts, shown);
  return shown
    .map((family) => ({ phrase: spelled.get(family)!, papers: counts.of(family, F.papers), weight: round(weight[family]!) }))
    .sort((a, b) => b.weight - a.weight || (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0))
    .slice(0, Math.max(0, limit));
}

interface Part {
  family: number;
  from: number;
  to: number;
}

/** The shorter phrases inside a phrase of these one-word families, by the range of its words they cover. */
function subPhrases(counts: Counts, words: number[]): Part[] {
  const parts: Part[] = [];
  for (let from = 0; from < words.length; from++) {
    for (let to = from + 1; to <= words.length; to++) {
      const family = to - from < words.length ? counts.family(words.slice(from, to)) : -1;
      if (family >= 0) parts.push({ family, from, to });
    }
  }
  return parts;
}

/** Each family's most frequent spelling, the alphabetically first of equally frequent ones. */
function spellings(counts: Counts, families: number[]): Map<number, string> {
  const wanted = new Set(families);
  const best = new Map<number, number>();
  for (let surface = 0; surface < counts.surfacesSeen; surface++) {
    const family = counts.familyOf(surface);
    if (!wanted.has(family)) continue;
    const current = best.get(family);
    const order = current === undefined ? -1 : counts.usesOf(current) - counts.usesOf(surface);
    if (order < 0 || (order === 0 && counts.text(surface) < counts.text(current!))) best.set(family, surface);
  }
  return new Map([...best].map(([family, surface]) => [family, counts.text(surface)]));
}

function round(weight: number): number {
  const scale = 10 ** DECIMALS;
  return Math.round(weight * scale) / scale;
}
