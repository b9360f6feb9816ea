import { InputError } from '../errors.js';
import { cleanScrapedText, codeLink, extractLinks } from '../corpus/links.js';
import type { NewPaper } from '../corpus/paper.js';
import { titleKey } from '../corpus/slug.js';

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

function blocks(text: string): Block[] {
  const result: Block[] = [];
  const lines = text.split(/\r\n|\r|\n/);
  let current: Block | null = null;
  lines.forEach((raw, index) => {
    const line = raw.replace(/^\uFEFF/, '').trim();
    if (line === '') {
      current = null;
      return;
    }
    if (current) {
      current.text += ` ${line}`;
      current.lines++;
    } else {
      current = { text: line, line: index + 1, lines: 1 };
      result.push(current);
    }
  });
  return result;
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

  const all = blocks(text);
  const firstDate = all.findIndex((b) => isDateLine(b.text));
  let skippedLines = 0;
  let date: string | null = null;
  let pendingTitle: Block | null = null;
  const papers: NewPaper[] = [];
  const seen = new Set<string>();
  let repeated = 0;

  all.forEach((block, index) => {
    if (index < firstDate || isBoilerplate(block.text)) {
      skippedLines += block.lines;
      return;
    }
    if (!pendingTitle && isDateLine(block.text)) {
      date = block.text;
      skippedLines += block.lines;
      return;
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
      return;
    }
    const titleLine = pendingTitle.line;
    const title = cleanScrapedText(pendingTitle.text);
    const abstract = cleanScrapedText(block.text);
    const key = titleKey(title);
    pendingTitle = null;
    if (seen.has(key)) {
      repeated++;
      return;
    }
    seen.add(key);
    const links = extractLinks(abstract);
    papers.push({ title, abstract, date, source, links, code: codeLink(links), line: titleLine });
  });

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
