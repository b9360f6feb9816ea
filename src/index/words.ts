import type { Paper } from '../corpus/paper.js';
import { FNV_OFFSET, FNV_PRIME, fnv1a } from '../base/text/hash.js';
import { fold, scanWords } from '../base/text/words.js';

const ASCII = /^[\x00-\x7f]*$/;

// Counts are stored in one byte: past this many mentions a word's weight has long stopped growing.
const MAX_COUNT = 255;

/**
 * Every word of the corpus, sorted, with its postings: the papers it occurs in (ascending) and how often
 * in each one's title, abstract and author names. Postings of word i are entries offsets[i] .. offsets[i + 1] - 1.
 */
export interface WordIndex {
  words: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  title: Uint8Array;
  abstract: Uint8Array;
  authors: Uint8Array;
}

/** Builds the word index in one pass over the text, in typed arrays: 100,000 papers fit in little memory. */
export function indexWords(papers: readonly Pick<Paper, 'title' | 'abstract' | 'authors'>[]): WordIndex {
  const words = new Interner();
  const names = words.names;
  let capacity = 1 << 16;
  let wordOf = new Uint32Array(capacity);
  let titleOf = new Uint8Array(capacity);
  let abstractOf = new Uint8Array(capacity);
  let authorsOf = new Uint8Array(capacity);
  let used = 0;
  const docEnd = new Uint32Array(papers.length);
  // Per word id: the paper it was last seen in (+1) and its slot there; replaces a Map per paper.
  let seenIn = new Uint32Array(1 << 16);
  let slotOf = new Uint32Array(1 << 16);
  let current = 0;
  // Which count a word adds to: the title's (0), the abstract's (1) or the authors' (2).
  let field = 0;
  const onId = (id: number) => {
    if (id >= seenIn.length) {
      seenIn = grow(seenIn, Math.max(seenIn.length * 2, id + 1));
      slotOf = grow(slotOf, seenIn.length);
    }
    let slot: number;
    if (seenIn[id] === current) slot = slotOf[id]!;
    else {
      if (used === capacity) {
        capacity *= 2;
        wordOf = grow(wordOf, capacity);
        titleOf = grow(titleOf, capacity);
        abstractOf = grow(abstractOf, capacity);
        authorsOf = grow(authorsOf, capacity);
      }
      slot = used++;
      seenIn[id] = current;
      slotOf[id] = slot;
      wordOf[slot] = id;
    }
    const counts = field === 0 ? titleOf : field === 1 ? abstractOf : authorsOf;
    if (counts[slot]! < MAX_COUNT) counts[slot]!++;
  };
  const onWord = (word: string) => onId(words.id(word));
  const scan = (text: string) => {
    if (ASCII.test(text)) scanAsciiIds(text, words, onId);
    else if (!scanCoveredIds(text, words, onId)) scanWords(text, onWord);
  };
  papers.forEach((paper, doc) => {
    current = doc + 1;
    field = 0;
    scan(paper.title);
    field = 1;
    scan(paper.abstract);
    field = 2;
    if (paper.authors) scan(authorText(paper.authors));
    docEnd[doc] = used;
  });

  const order = names.map((_, id) => id).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const rank = new Uint32Array(names.length);
  order.forEach((id, r) => (rank[id] = r));
  const offsets = new Uint32Array(names.length + 1);
  for (let slot = 0; slot < used; slot++) offsets[rank[wordOf[slot]!]! + 1]!++;
  for (let r = 0; r < names.length; r++) offsets[r + 1]! += offsets[r]!;
  const cursor = offsets.slice(0, names.length);
  const docs = new Uint32Array(used);
  const title = new Uint8Array(used);
  const abstract = new Uint8Array(used);
  const authors = new Uint8Array(used);
  let slot = 0;
  for (let doc = 0; doc < papers.length; doc++) {
    for (; slot < docEnd[doc]!; slot++) {
      const at = cursor[rank[wordOf[slot]!]!]!++;
      docs[at] = doc;
      title[at] = titleOf[slot]!;
      abstract[at] = abstractOf[slot]!;
      authors[at] = authorsOf[slot]!;
    }
  }
  return { words: order.map((id) => names[id]!), offsets, docs, title, abstract, authors };
}

/** Author names as one text, to search and to show. */
export function authorText(authors: string[]): string {
  return authors.join(', ');
}

export function frequenciesOf(offsets: Uint32Array): Uint32Array {
  const df = new Uint32Array(Math.max(0, offsets.length - 1));
  for (let i = 0; i < df.length; i++) df[i] = offsets[i + 1]! - offsets[i]!;
  return df;
}

function grow<T extends Uint8Array | Uint32Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}

const HYPHEN = 45;

/**
 * Words by number, found by their letters without making a string of each one met: an ASCII text's words are
 * hashed as they are scanned and compared in place, and only a word seen for the first time is cut out of the
 * text. (A string per word met, hashed by a Map, was most of the cost of indexing.)
 */
class Interner {
  readonly names: string[] = [];
  private hashes = new Uint32Array(1 << 10);
  private table = new Int32Array(1 << 12).fill(-1);

  /** The number of `word`, given it one if it has none. */
  id(word: string): number {
    return this.find(fnv1a(word), word, 0, word.length, false);
  }

  /**
   * The number of the word `text` holds from `start` to `end` (with `joined`, less its hyphens: a hyphenated
   * run's parts written together), whose hash is `hash`.
   */
  find(hash: number, text: string, start: number, end: number, joined: boolean): number {
    const mask = this.table.length - 1;
    for (let at = hash & mask; ; at = (at + 1) & mask) {
      const id = this.table[at]!;
      if (id < 0) return this.add(at, hash, joined ? text.slice(start, end).replaceAll('-', '') : text.slice(start, end));
      if (this.hashes[id] === hash && same(this.names[id]!, text, start, end, joined)) return id;
    }
  }

  private add(at: number, hash: number, word: string): number {
    const id = this.names.length;
    this.names.push(word);
    if (id >= this.hashes.length) this.hashes = grow(this.hashes, this.hashes.length * 2);
    this.hashes[id] = hash;
    this.table[at] = id;
    // Kept at most half full, so that a probe ends soon.
    if (2 * this.names.length > this.table.length) {
      const table = new Int32Array(this.table.length * 2).fill(-1);
      const mask = table.length - 1;
      for (let other = 0; other < this.names.length; other++) {
        let slot = this.hashes[other]! & mask;
        while (table[slot]! >= 0) slot = (slot + 1) & mask;
        table[slot] = other;
      }
      this.table = table;
    }
    return id;
  }
}

/** Whether `word` is what `text` holds from `start` to `end` (hyphens left out when `joined`). */
function same(word: string, text: string, start: number, end: number, joined: boolean): boolean {
  let k = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (joined && c === HYPHEN) continue;
    if (k >= word.length || word.charCodeAt(k++) !== c) return false;
  }
  return k === word.length;
}

/**
 * scanWords for ASCII text, giving word numbers: the runs of [a-z0-9] of the text lower-cased, and after the
 * last part of a hyphenated run ("pre-trained") the parts joined ("pretrained"). The same words, in the same
 * order, as scanWords gives (a test holds the two together).
 */
function scanAsciiIds(text: string, words: Interner, visit: (id: number) => void): void {
  const lower = text.toLowerCase();
  let start = -1;
  let hash = FNV_OFFSET;
  let previousEnd = -1;
  let runStart = -1;
  let runHash = FNV_OFFSET;
  for (let i = 0; i <= lower.length; i++) {
    const c = i < lower.length ? lower.charCodeAt(i) : 32;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
      if (start < 0) {
        start = i;
        hash = FNV_OFFSET;
      }
      hash = Math.imul(hash ^ c, FNV_PRIME);
    } else if (start >= 0) {
      const hyphenated = previousEnd >= 0 && start === previousEnd + 1 && lower.charCodeAt(previousEnd) === HYPHEN;
      visit(words.find(hash >>> 0, lower, start, i, false));
      if (hyphenated) {
        // The run's hash goes on over this part's letters.
        for (let k = start; k < i; k++) runHash = Math.imul(runHash ^ lower.charCodeAt(k), FNV_PRIME);
        visit(words.find(runHash >>> 0, lower, runStart, i, true));
      } else {
        runStart = start;
        runHash = hash;
      }
      previousEnd = i;
      start = -1;
    }
  }
}

// Latin letters past ASCII (U+0080 to U+024F) and general punctuation (U+2000 to U+206F: dashes, quotes), as
// scanWords folds them: each alone, as a word character or null. Within these ranges a word folds as its letters
// folded one by one (their decompositions add only marks, which folding drops; none lower-cases by context, as
// Greek sigma does), so a name like "García" needs no normalising.
const COVERED = [
  [0x80, 0x250],
  [0x2000, 0x2070],
] as const;
const FOLDED: (string | null | undefined)[] = [];
for (const [from, to] of COVERED) {
  for (let c = from; c < to; c++) {
    const ch = String.fromCharCode(c);
    FOLDED[c] = /[\p{L}\p{N}]/u.test(ch) ? fold(ch) : null;
  }
}
const covered = (c: number) => c < 0x250 || (c >= 0x2000 && c < 0x2070);

/**
 * scanAsciiIds for text of ASCII, Latin letters and punctuation (café, Müller, x², en dashes, curly quotes):
 * its ASCII words are hashed in place, the others folded a letter at a time from a table. Gives the same words
 * as scanWords; false, with nothing visited, for text with other characters, which scanWords takes.
 */
function scanCoveredIds(text: string, words: Interner, visit: (id: number) => void): boolean {
  const lower = text.toLowerCase();
  if (lower.length !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (!covered(text.charCodeAt(i))) return false;
  let start = -1;
  let latin = false;
  let hash = FNV_OFFSET;
  let previousEnd = -1;
  let runStart = -1;
  let runHash = FNV_OFFSET;
  let runAscii = true;
  for (let i = 0; i <= text.length; i++) {
    // Classed by the character as written, its case lowered only if ASCII.
    const o = i < text.length ? text.charCodeAt(i) : 32;
    const c = o < 0x80 && i < text.length ? lower.charCodeAt(i) : o;
    const inWord = c < 0x80 ? (c >= 97 && c <= 122) || (c >= 48 && c <= 57) : FOLDED[c] !== null;
    if (inWord) {
      if (start < 0) {
        start = i;
        hash = FNV_OFFSET;
        latin = false;
      }
      if (c >= 0x80) latin = true;
      else hash = Math.imul(hash ^ c, FNV_PRIME);
    } else if (start >= 0) {
      const hyphenated = previousEnd >= 0 && start === previousEnd + 1 && text.charCodeAt(previousEnd) === HYPHEN;
      if (latin) {
        let word = '';
        for (let k = start; k < i; k++) {
          const d = text.charCodeAt(k);
          word += d < 0x80 ? lower[k] : FOLDED[d];
        }
        visit(words.id(word));
      } else visit(words.find(hash >>> 0, lower, start, i, false));
      if (!hyphenated) {
        runStart = start;
        runHash = hash;
        runAscii = !latin;
      } else if (runAscii && !latin) {
        for (let k = start; k < i; k++) runHash = Math.imul(runHash ^ lower.charCodeAt(k), FNV_PRIME);
        visit(words.find(runHash >>> 0, lower, runStart, i, true));
      } else {
        runAscii = false;
        visit(words.id(text.slice(runStart, i).split('-').map(fold).join('')));
      }
      previousEnd = i;
      start = -1;
    }
  }
  return true;
}
