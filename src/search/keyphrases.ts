// Keyphrases of a corpus: the words and short phrases that say what its papers are about, as opposed to what
// every paper of the field says ("learning", "model", "training").
//
// A word here is a word of scanWords or a hyphenated run of them ("pre-trained", "multi-label"), stemmed joined so
// that it meets its unhyphenated spelling ("pretrained"). A candidate is a run of 1 to MAX_WORDS words of one field
// (title or abstract), none of them a stop word (nor with one inside, as "state-of-the-art"), shorter than
// MIN_LETTERS or without a letter, with only whitespace between them: "graph neural networks" is one, "networks
// (GNNs)" and "models. Training" are not. Stemming every word makes the families: "network" and "networks" are one
// row, shown in their most frequent spelling.
//
// Weight: summed over the papers using a family, 1 + ln(uses in the paper), times idf to the IDF_POWER, times the
// phrase's length to the PHRASE_POWER. The log keeps a single paper repeating a word from making it the corpus's.
//
// An acronym and its long form ("gnn", "graph neural networks") are one topic, as search has them: when both
// would be shown they are one row, "graph neural networks (GNN)", counting the papers that use either.
import { stemmer } from 'stemmer';
import { STOP_WORDS } from '../base/text/stopwords.js';
import { scanWords } from '../base/text/words.js';
import type { Acronyms } from './acronyms.js';

export interface Keyphrase {
  phrase: string;
  papers: number;
  weight: number;
}

// Longer runs are sentence fragments far more often than names; three still holds "graph neural networks".
const MAX_WORDS = 3;
// Shorter words are mostly symbols and acronym fragments ("ai", "x").
const MIN_LETTERS = 3;
// A phrase of a single paper is that paper's topic, not the corpus's.
const MIN_PAPERS = 2;
// A title names the paper's topic: a use there counts as this many in the abstract. At 5 and more, one-off title
// words ("review", "deeper") outrank topics the abstracts share.
const TITLE_WEIGHT = 3;
// idf raised to this: plain TF-IDF summed over papers peaks at words in a third of them, which in a corpus of one
// field are its generic words; 2.5 moves the peak to topics a few papers share (tuned on the shipped corpus).
const IDF_POWER = 2.5;
// A phrase that recurs across papers is a name ("graph neural networks") more often than a single word is: weight
// grows with the square root of its length, so that names rise without generic phrases ("deep neural networks").
const PHRASE_POWER = 0.5;
// "Most of its occurrences": above this share inside one longer kept phrase, a phrase is only that one's fragment.
const ABSORBED = 0.5;
// Share of papers from which a word is the field's, not a topic: it adds nothing to a phrase ("... learning").
const GENERIC = 0.5;
// Two decimals tell rows apart; more digits are float noise to a reader and would make ties depend on it.
const DECIMALS = 2;

const LETTER = /\p{L}/u;

/** Words and phrases of one stem sequence ("graph neural network"), with how they are used. */
interface Family {
  stem: string;
  /** The phrase this one extends by one word; null for a single word. */
  shorter: Family | null;
  /** The phrases one word longer, by that word's stem. */
  longer: Map<string, Family> | null;
  uses: number;
  papers: number;
  /** Sum over papers of 1 + ln(weighted uses in the paper). */
  spread: number;
  /** Weighted uses in the paper being read. */
  inPaper: number;
}

class Counts {
  papers = 0;
  /** Single words by stem; phrases hang off them (`longer`). */
  readonly families = new Map<string, Family>();
  // Stems of words already seen; null for words that cannot be part of a phrase.
  private readonly stems = new Map<string, string | null>();
  private readonly touched: Family[] = [];

  stemOf(text: string): string | null {
    let stem = this.stems.get(text);
    if (stem !== undefined) return stem;
    const parts = text.split('-');
    const joined = parts.join('');
    stem = joined.length >= MIN_LETTERS && LETTER.test(joined) && !parts.some((part) => STOP_WORDS.has(part)) ? stemmer(joined) : null;
    this.stems.set(text, stem);
    return stem;
  }

  /** The family of `stem` alone (after: null), or of the phrase `after` followed by `stem`. */
  family(after: Family | null, stem: string): Family {
    const map = after ? (after.longer ??= new Map()) : this.families;
    let family = map.get(stem);
    if (!family) map.set(stem, (family = { stem, shorter: after, longer: null, uses: 0, papers: 0, spread: 0, inPaper: 0 }));
    return family;
  }

  use(family: Family, weight: number): void {
    family.uses++;
    if (family.inPaper === 0) this.touched.push(family);
    family.inPaper += weight;
  }

  endPaper(): void {
    for (const family of this.touched) {
      family.papers++;
      family.spread += 1 + Math.log(family.inPaper);
      family.inPaper = 0;
    }
    this.touched.length = 0;
    this.papers++;
  }
}

/** A row to show: a family, and the acronym family merged into it. */
interface Row {
  family: Family;
  weight: number;
  acronym?: Family;
}

const byPhrase = (a: Keyphrase, b: Keyphrase) => (a.phrase < b.phrase ? -1 : a.phrase > b.phrase ? 1 : 0);

/** The `limit` heaviest keyphrases of the papers, heaviest first. With `acronyms`, an acronym and its long form are one row. */
export function keyphrases(papers: Iterable<{ title: string; abstract: string }>, limit: number, acronyms?: Acronyms): Keyphrase[] {
  const counts = new Counts();
  const list = [...papers];
  for (const paper of list) {
    // Separately, so that no phrase runs from the end of the title into the abstract.
    readRuns(counts, paper.title, (families) => families.forEach((family) => counts.use(family, TITLE_WEIGHT)));
    readRuns(counts, paper.abstract, (families) => families.forEach((family) => counts.use(family, 1)));
    counts.endPaper();
  }
  const ranked = acronyms ? withAcronyms(select(counts), counts, acronyms) : select(counts);
  // Spellings (and the papers of merged rows) are counted only for the rows that can be shown (ties at the cut
  // included), in a second pass.
  const cut = ranked[Math.min(limit, ranked.length) - 1]?.weight ?? Infinity;
  const shown = ranked.filter((row) => row.weight >= cut);
  const spellings = new Map(shown.flatMap((row) => [row.family, ...(row.acronym ? [row.acronym] : [])].map((f) => [f, new Map<string, number>()])));
  const merged = new Map(shown.flatMap((row) => (row.acronym ? [row.family, row.acronym].map((f) => [f, row] as const) : [])));
  const using = new Map(shown.filter((row) => row.acronym).map((row) => [row, new Set<number>()]));
  let at = 0;
  const count = (families: Family[], texts: string[]) =>
    families.forEach((family, i) => {
      const seen = spellings.get(family);
      if (seen) seen.set(texts[i]!, (seen.get(texts[i]!) ?? 0) + 1);
      const row = merged.get(family);
      if (row) using.get(row)!.add(at);
    });
  for (const [i, paper] of list.entries()) {
    at = i;
    for (const text of [paper.title, paper.abstract]) readRuns(counts, text, count, true);
  }
  const rows = shown.map((row) => {
    const phrase = mostUsed(spellings.get(row.family)!);
    if (!row.acronym) return { phrase, papers: row.family.papers, weight: row.weight };
    return { phrase: `${phrase} (${row.acronym.stem.toUpperCase()})`, papers: using.get(row)!.size, weight: row.weight };
  });
  return rows.sort((a, b) => b.weight - a.weight || byPhrase(a, b)).slice(0, Math.max(0, limit));
}

/** Keyphrases in order of the number of papers using each, the count shown beside them; the heavier first among equals. */
export function byPapers(rows: Keyphrase[]): Keyphrase[] {
  return [...rows].sort((a, b) => b.papers - a.papers || b.weight - a.weight || byPhrase(a, b));
}

/**
 * The rows with each acronym that has its long form among them merged into the long form's row, which takes the
 * heavier weight of the two; heaviest first.
 */
function withAcronyms(rows: Row[], counts: Counts, acronyms: Acronyms): Row[] {
  const byFamily = new Map(rows.map((row) => [row.family, row]));
  const gone = new Set<Row>();
  for (const row of rows) {
    if (row.family.shorter !== null || gone.has(row)) continue;
    for (const words of acronyms.longForms(row.family.stem)) {
      const long = phraseFamily(counts, words);
      const other = long ? byFamily.get(long) : undefined;
      if (!other || other === row || other.acronym || gone.has(other)) continue;
      other.acronym = row.family;
      other.weight = Math.max(other.weight, row.weight);
      gone.add(row);
      break;
    }
  }
  return rows.filter((row) => !gone.has(row)).sort((a, b) => b.weight - a.weight);
}

/** The family of a phrase given as words ("graph", "neural", "network"), if the corpus has it. */
function phraseFamily(counts: Counts, words: string[]): Family | undefined {
  let family: Family | undefined;
  for (const word of words) {
    const stem = counts.stemOf(word);
    if (stem === null) return undefined;
    family = family ? family.longer?.get(stem) : counts.families.get(stem);
    if (!family) return undefined;
  }
  return family;
}

/** Calls `found` for each candidate word with the families of the phrases ending at it, shortest first, and their spellings. */
function readRuns(counts: Counts, text: string, found: (families: Family[], texts: string[]) => void, spell = false): void {
  // The phrases ending at the word just read, shortest first, and how they were written.
  const ends: Family[] = [];
  const texts: string[] = [];
  let word = '';
  let wordEnd = -1;
  let together = false;
  const add = (next: string) => {
    const stem = next.length < MIN_LETTERS ? null : counts.stemOf(next);
    if (stem === null) {
      ends.length = 0;
      return;
    }
    const longest = together ? Math.min(ends.length + 1, MAX_WORDS) : 1;
    // Longest first, so that each one still reads the shorter phrase it extends.
    for (let k = longest - 1; k >= 1; k--) {
      ends[k] = counts.family(ends[k - 1]!, stem);
      if (spell) texts[k] = `${texts[k - 1]} ${next}`;
    }
    ends[0] = counts.family(null, stem);
    ends.length = longest;
    if (spell) {
      texts[0] = next;
      texts.length = longest;
    }
    found(ends, texts);
  };
  scanWords(text, (part, start, end, _pos, compound) => {
    if (compound) return;
    if (word !== '' && start === wordEnd + 1 && text.charCodeAt(wordEnd) === 45) word += `-${part}`;
    else {
      if (word !== '') {
        add(word);
        together = spaces(text, wordEnd, start);
      }
      word = part;
    }
    wordEnd = end;
  });
  if (word !== '') add(word);
}

/** Whether only whitespace stands between two words, which keeps them in one phrase. */
function spaces(text: string, from: number, to: number): boolean {
  return /^\s+$/.test(text.slice(from, to));
}

/** Every family: single words, then the phrases that extend them. */
function* allFamilies(families: Iterable<Family>): Generator<Family> {
  for (const family of families) {
    yield family;
    if (family.longer) yield* allFamilies(family.longer.values());
  }
}

/** A family's stems, in order. */
function stemsOf(family: Family): string[] {
  const stems: string[] = [];
  for (let at: Family | null = family; at; at = at.shorter) stems.unshift(at.stem);
  return stems;
}

/** Families worth showing, heaviest first, with their weights rounded. */
function select(counts: Counts): Row[] {
  const n = counts.papers;
  const scale = 10 ** DECIMALS;
  const weighted: { family: Family; words: string[]; weight: number }[] = [];
  for (const family of allFamilies(counts.families.values())) {
    if (family.papers < MIN_PAPERS) continue;
    const words = stemsOf(family);
    const weight = Math.round(family.spread * Math.log(n / family.papers) ** IDF_POWER * words.length ** PHRASE_POWER * scale) / scale;
    if (weight > 0) weighted.push({ family, words, weight });
  }
  const part = (words: string[], from: number, to: number) => {
    let family = counts.families.get(words[from]!);
    for (let i = from + 1; i < to && family; i++) family = family.longer?.get(words[i]!);
    return family;
  };
  // Longest first: a phrase is kept unless most of its uses are inside one longer kept phrase.
  const inside = new Map<Family, number>();
  const kept: typeof weighted = [];
  for (const row of weighted.sort((a, b) => b.words.length - a.words.length)) {
    const { family, words } = row;
    if ((inside.get(family) ?? 0) > ABSORBED * family.uses) continue;
    kept.push(row);
    const times = new Map<Family, number>();
    for (let from = 0; from < words.length; from++) {
      for (let to = from + 1; to <= words.length; to++) {
        const inner = to - from < words.length ? part(words, from, to) : undefined;
        if (inner) times.set(inner, (times.get(inner) ?? 0) + 1);
      }
    }
    for (const [inner, k] of times) inside.set(inner, Math.max(inside.get(inner) ?? 0, Math.min(inner.uses, k * family.uses)));
  }
  // A longer phrase adds nothing to a kept part of it when its other words are generic: "self-supervised learning".
  const isKept = new Set(kept.map((row) => row.family));
  const generic = (stem: string) => (counts.families.get(stem)?.papers ?? 0) >= GENERIC * n;
  const addsNothing = (words: string[]) => {
    for (let from = 0; from < words.length; from++) {
      for (let to = from + 1; to <= words.length && to - from < words.length; to++) {
        const inner = part(words, from, to);
        if (inner && isKept.has(inner) && words.every((stem, i) => (i >= from && i < to) || generic(stem))) return true;
      }
    }
    return false;
  };
  return kept.filter((row) => !addsNothing(row.words)).sort((a, b) => b.weight - a.weight);
}

/** The most frequent spelling, the alphabetically first of equally frequent ones. */
function mostUsed(spellings: Map<string, number>): string {
  let best = '';
  let most = 0;
  for (const [text, uses] of spellings) if (uses > most || (uses === most && text < best)) [best, most] = [text, uses];
  return best;
}
