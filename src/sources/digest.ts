import { InputError } from '../base/errors.js';
import { cleanScrapedText, codeLink, extractLinks } from '../corpus/links.js';
import type { NewPaper } from '../corpus/paper.js';
import { titleKey } from '../corpus/slug.js';
import { MAX_FIELD_CHARS } from './limits.js';

export const NOT_TEXT = 'not a text digest (it contains NUL bytes); save the papers page as plain text';

export interface Digest {
  papers: NewPaper[];
  /** Non-blank lines that were page furniture (boilerplate, the date line). */
  skippedLines: number;
  /** Papers listed twice in the digest; only the first is kept. */
  repeated: number;
}

// Page furniture of the Hugging Face papers page, as it appears in saved text.
const BOILERPLATE = new Set(['new', 'get trending papers in your email inbox!', 'subscribe', 'byak and the research community']);
const MONTH = '(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\\.?';
const DATE_LINE = new RegExp(`^(?:${MONTH}\\s+\\d{1,2}(?:,?\\s+\\d{4})?|\\d{1,2}\\s+${MONTH}(?:,?\\s+\\d{4})?|\\d{4}-\\d{2}-\\d{2})$`, 'i');
// A title is one short line; a longer block where a title should be means the pairs are out of step.
const MAX_TITLE_LENGTH = 400;

interface Block {
  text: string;
  line: number;
  lines: number;
}

/**
 * The paragraphs of the text, as they come: a generator, and blank lines skipped a character at a time, so
 * that a digest of millions of lines (or of blank ones) never becomes an array of them.
 */
function indexOrEnd(text: string, search: string, from: number): number {
  const at = text.indexOf(search, from);
  return at === -1 ? text.length : at;
}

function* blocks(text: string): Generator<Block> {
  let current: Block | null = null;
  let line = 1;
  let at = 0;
  let nextNewline = -1;
  let nextReturn = -1;
  const lineEnd = (from: number) => {
    // Each searched for once past where it was last found, not from every line (no \r at all is the usual case).
    if (nextNewline < from) nextNewline = indexOrEnd(text, '\n', from);
    if (nextReturn < from) nextReturn = indexOrEnd(text, '\r', from);
    return Math.min(nextNewline, nextReturn);
  };
  while (at < text.length) {
    const c = text.charCodeAt(at);
    if (c === 10 || c === 13) {
      // An empty line: the paragraph ends.
      if (current) yield current;
      current = null;
      at += c === 13 && text.charCodeAt(at + 1) === 10 ? 2 : 1;
      line++;
      continue;
    }
    const end = lineEnd(at);
    const content = text
      .slice(at, end)
      .replace(/^\uFEFF/, '')
      .trim();
    at = end + (text.charCodeAt(end) === 13 && text.charCodeAt(end + 1) === 10 ? 2 : 1);
    if (content === '') {
      if (current) yield current;
      current = null;
    } else if (current) {
      current.text += ` ${content}`;
      current.lines++;
    } else current = { text: content, line, lines: 1 };
    line++;
  }
  if (current) yield current;
}

/**
 * A check of a digest's text as it is read (see decodeStream): a paragraph (lines up to a blank one) longer than
 * MAX_FIELD_CHARS is no title or abstract, and is refused then, so that endless text (`yes | papers import -`)
 * stops at once instead of filling memory.
 */
export function paragraphCheck(source: string): (text: string) => void {
  let length = 0;
  let line = 1;
  let start = 1;
  let blankLine = true;
  let afterReturn = false;
  return (text) => {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 && afterReturn) {
        afterReturn = false;
        continue;
      }
      afterReturn = c === 13;
      if (length > 0) length++;
      if (c === 10 || c === 13) {
        line++;
        if (blankLine) length = 0;
        blankLine = true;
        continue;
      }
      if (c > 32 && c !== 0xa0 && c !== 0xfeff) {
        if (length === 0) [length, start] = [1, line];
        blankLine = false;
      }
      if (length > MAX_FIELD_CHARS) {
        throw new InputError(`a paragraph of over ${MAX_FIELD_CHARS >> 20} MB: no title or abstract is that long, so this is no digest`, source, start);
      }
    }
  };
}

const isBoilerplate = (text: string) => BOILERPLATE.has(text.toLowerCase());
const isDateLine = (text: string) => DATE_LINE.test(text);

/**
 * Scraped digest text -> papers. Layout: page furniture, a date line, then title / blank / abstract pairs
 * (more date lines may follow). Before the first date line everything is furniture; a digest with no
 * date line at all is read as pairs after the known furniture.
 */
export function parseDigest(text: string, source: string): Digest {
  if (text.includes('\u0000')) throw new InputError(NOT_TEXT, source);
  if (text.trim() === '') throw new InputError('the digest is empty; save the papers page as text and import that file', source);

  // Read twice, rather than held: once to find the first date line, once for the papers.
  let firstDate = -1;
  let count = 0;
  for (const block of blocks(text)) {
    if (isDateLine(block.text)) {
      firstDate = count;
      break;
    }
    count++;
  }
  let skippedLines = 0;
  let date: string | null = null;
  let pendingTitle: Block | null = null;
  const papers: NewPaper[] = [];
  const seen = new Set<string>();
  let repeated = 0;

  let index = -1;
  for (const block of blocks(text)) {
    index++;
    if (index < firstDate || isBoilerplate(block.text)) {
      skippedLines += block.lines;
      continue;
    }
    if (!pendingTitle && isDateLine(block.text)) {
      date = block.text;
      skippedLines += block.lines;
      continue;
    }
    if (!pendingTitle) {
      if (block.text.length > MAX_TITLE_LENGTH) {
        throw new InputError(
          `expected a paper title but found a ${block.text.length}-character paragraph; is the title above this abstract missing?`,
          source,
          block.line,
        );
      }
      pendingTitle = block;
      continue;
    }
    const titleLine = pendingTitle.line;
    const title = cleanScrapedText(pendingTitle.text);
    const abstract = cleanScrapedText(block.text);
    const key = titleKey(title);
    pendingTitle = null;
    if (seen.has(key)) {
      repeated++;
      continue;
    }
    seen.add(key);
    const links = extractLinks(abstract);
    papers.push({ title, abstract, date, source, links, code: codeLink(links), line: titleLine });
  }

  if (pendingTitle) {
    const last = pendingTitle as Block;
    throw new InputError(`title "${truncate(last.text)}" has no abstract after it; add the abstract or remove the line`, source, last.line);
  }
  if (papers.length === 0) throw new InputError('no papers found: expected title and abstract pairs after the date line', source);
  return { papers, skippedLines, repeated };
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
