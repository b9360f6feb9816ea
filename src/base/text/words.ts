export interface Token {
  word: string;
  start: number;
  end: number;
  /** Position in the run of plain words, for phrase matching; compounds share their first part's. */
  pos: number;
  /** "pre-training" also yields "pretraining", so hyphen and no-hyphen spellings meet. */
  compound: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;
const HYPHEN = 45;
const ASCII = /^[\x00-\x7f]*$/;

// Letters that Unicode does not decompose into a base letter and an accent, written as their usual ASCII
// spellings (after lower-casing), so that "lukasz" finds Łukasz and "weiss" finds Weiß.
const SPELLED: Record<string, string> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  þ: 'th',
  ð: 'd',
  đ: 'd',
  ħ: 'h',
  ı: 'i',
  ł: 'l',
  ø: 'o',
  ŧ: 't',
  ƀ: 'b',
  ƒ: 'f',
};
const UNSPELLED = new RegExp(`[${Object.keys(SPELLED).join('')}]`, 'gu');

/** Lower case without accents: "Ünïcödé" -> "unicode", "Łukasz Søgaard" -> "lukasz sogaard". */
export function fold(text: string): string {
  // Most text is ASCII, where Unicode normalisation changes nothing and costs the most.
  if (ASCII.test(text)) return text.toLowerCase();
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(UNSPELLED, (letter) => SPELLED[letter]!);
}

/**
 * Calls `visit` for every word of `text` in order, folded, and after the last part of a hyphenated
 * run ("pre-trained") once more for the parts joined ("pretrained"). The one definition of a word,
 * shared by the index and by highlighting.
 */
export function scanWords(text: string, visit: (word: string, start: number, end: number, pos: number, compound: boolean) => void): void {
  let pos = 0;
  let previousEnd = -1;
  let runStart = -1;
  let runPos = 0;
  let joined = '';
  const onWord = (word: string, start: number, end: number) => {
    const hyphenated = previousEnd >= 0 && start === previousEnd + 1 && text.charCodeAt(previousEnd) === HYPHEN;
    if (hyphenated) joined += word;
    else {
      runStart = start;
      runPos = pos;
      joined = word;
    }
    visit(word, start, end, pos++, false);
    if (hyphenated) visit(joined, runStart, end, runPos, true);
    previousEnd = end;
  };
  if (ASCII.test(text)) {
    // Most text: lower-cased once, whole, which gives the same words as folding each one.
    // The runs of [a-z0-9], found by hand: a regular expression's match objects cost more than the scan.
    const lower = text.toLowerCase();
    let start = -1;
    for (let i = 0; i <= lower.length; i++) {
      const c = i < lower.length ? lower.charCodeAt(i) : 32;
      if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57)) {
        if (start < 0) start = i;
      } else if (start >= 0) {
        onWord(lower.slice(start, i), start, i);
        start = -1;
      }
    }
    return;
  }
  WORD.lastIndex = 0;
  for (let match = WORD.exec(text); match; match = WORD.exec(text)) onWord(fold(match[0]), match.index, match.index + match[0].length);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  scanWords(text, (word, start, end, pos, compound) => tokens.push({ word, start, end, pos, compound }));
  return tokens;
}

/** Folded words of a query fragment, in order. */
export function queryWords(text: string): string[] {
  return [...text.matchAll(WORD)].map((m) => fold(m[0]));
}
