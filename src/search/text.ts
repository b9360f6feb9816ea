import { fold } from '../corpus/paper.js';

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

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let pos = 0;
  let runStart = -1;
  for (const match of text.matchAll(WORD)) {
    const start = match.index;
    const end = start + match[0].length;
    const previous = tokens.length > 0 ? tokens[tokens.length - 1]! : undefined;
    const hyphenated = previous !== undefined && !previous.compound && text.slice(previous.end, start) === '-';
    if (!hyphenated) runStart = tokens.length;
    tokens.push({ word: fold(match[0]), start, end, pos: pos++, compound: false });
    if (hyphenated) {
      const parts = tokens.slice(runStart).filter((t) => !t.compound);
      tokens.push({
        word: parts.map((t) => t.word).join(''),
        start: parts[0]!.start,
        end,
        pos: parts[0]!.pos,
        compound: true,
      });
    }
  }
  return tokens;
}

/** Folded words of a query fragment, in order. */
export function queryWords(text: string): string[] {
  return [...text.matchAll(WORD)].map((m) => fold(m[0]));
}
