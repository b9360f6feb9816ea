import { Readable, pipeline } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { codeLink, extractLinks } from '../corpus/links.js';
import { checkField, type NewPaper } from '../corpus/paper.js';
import { InputError } from '../base/errors.js';
import { parseArxivRef } from './arxiv-id.js';
import { unwrap } from './text.js';
import { decodeTex } from './tex.js';
import { GZIP_FREE_BYTES, MAX_GZIP_RATIO, MAX_LINE_BYTES } from './limits.js';
import type { Reading } from './types.js';

const NEWLINE = 0x0a;
// JSON's own whitespace: a line of nothing else is blank.
const isBlank = (byte: number) => byte === NEWLINE || byte === 0x0d || byte === 0x20 || byte === 0x09;

/** A line of the input and its number (blank lines are passed over, but counted). */
export interface Line {
  text: string;
  line: number;
}

/** Counts the compressed bytes going into the gunzip, to tell a gzip bomb from real data. */
async function* counted(stream: AsyncIterable<Uint8Array>, into: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) {
    into.bytes += chunk.length;
    yield chunk;
  }
}

/**
 * The non-blank lines of a byte stream, read as it comes: gunzipped when asked, split at newlines, each decoded as
 * UTF-8 (a character split across two chunks is whole again, since lines are cut at newline bytes). Only the line
 * being read is held; blank lines are skipped byte by byte, at the speed of reading. `name` names the file in errors.
 */
export async function* jsonlLines(stream: AsyncIterable<Uint8Array>, gzipped: boolean, name?: string): AsyncIterable<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let source: AsyncIterable<Uint8Array> = stream;
  const compressed = { bytes: 0 };
  if (gzipped) {
    // pipeline() carries an error of either side to the other and closes both when the reader stops early.
    const gunzip = createGunzip();
    pipeline(Readable.from(counted(stream, compressed), { objectMode: false }), gunzip, () => {});
    source = gunzip;
  }
  let inflated = 0;
  let line = 0;
  let first = true;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const decode = (bytes: Uint8Array): Line => {
    line++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      throw new InputError('not UTF-8 text', name, line);
    }
    if (first && text.startsWith('\uFEFF')) text = text.slice(1);
    first = false;
    return { text: stripReturn(text), line };
  };
  try {
    for await (const bytes of source) {
      if (gzipped) {
        inflated += bytes.length;
        if (inflated > GZIP_FREE_BYTES && inflated > MAX_GZIP_RATIO * compressed.bytes) {
          throw new InputError(
            `the gzip data inflates to over ${MAX_GZIP_RATIO} times its size (${inflated >> 20} MB from ${compressed.bytes >> 20} MB read): refused as a decompression bomb`,
            name,
          );
        }
      }
      // A Buffer view, for its fast indexOf (memchr); no copy.
      const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      let start = 0;
      while (start < chunk.length) {
        if (pendingBytes === 0) {
          while (start < chunk.length && isBlank(chunk[start]!)) if (chunk[start++] === NEWLINE) line++;
          if (start === chunk.length) break;
        }
        const end = chunk.indexOf(NEWLINE, start);
        if (end === -1) {
          // Copied: the stream may reuse its buffer for the next chunk.
          pending.push(Uint8Array.prototype.slice.call(chunk, start));
          pendingBytes += chunk.length - start;
          if (pendingBytes > MAX_LINE_BYTES) throw new InputError(`a line longer than ${MAX_LINE_BYTES >> 20} MB: this is not JSON Lines`, name, line + 1);
          break;
        }
        const piece = chunk.subarray(start, end);
        yield decode(pendingBytes === 0 ? piece : Buffer.concat([...pending, piece]));
        pending = [];
        pendingBytes = 0;
        start = end + 1;
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as { code?: string }).code;
    if (gzipped && typeof code === 'string' && code.startsWith('Z_')) throw new InputError(`not a complete gzip file (${(error as Error).message})`, name);
    throw error;
  }
  if (pendingBytes > 0) yield decode(Buffer.concat(pending));
}

const stripReturn = (line: string) => (line.endsWith('\r') ? line.slice(0, -1) : line);

/**
 * The arXiv metadata snapshot (Kaggle's "arXiv dataset" by Cornell University, from arXiv's OAI-PMH feed): one
 * JSON object a line. Read as the lines come, keeping only the papers; a broken line stops the import.
 */
export async function readArxivJsonl(lines: AsyncIterable<Line>, name: string): Promise<Reading> {
  const papers: NewPaper[] = [];
  const counts = { repeated: 0 };
  for await (const paper of arxivJsonlPapers(lines, name, counts)) papers.push(paper);
  return { papers, skipped: 0, repeated: counts.repeated };
}

/** The papers of an arXiv metadata file one at a time, as its lines come; `counts.repeated` counts the records seen before. */
export async function* arxivJsonlPapers(lines: AsyncIterable<Line>, name: string, counts: { repeated: number }): AsyncGenerator<NewPaper> {
  const seen = new Set<string>();
  for await (const { text, line } of lines) {
    if (text.trim() === '') continue;
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new InputError(`not valid JSON (${(error as Error).message}); each line must be one arXiv metadata record`, name, line);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw new InputError(
        `expected an arXiv metadata record ({"id": ..., "title": ...}), found ${record === null ? 'null' : Array.isArray(record) ? 'a list' : `a ${typeof record}`}`,
        name,
        line,
      );
    }
    const paper = toPaper(record as Record<string, unknown>, name, line);
    if (seen.has(paper.arxiv!)) {
      counts.repeated++;
      continue;
    }
    seen.add(paper.arxiv!);
    yield paper;
  }
}

const text = (value: unknown): string | undefined => {
  if (typeof value !== 'string') return undefined;
  const cleaned = unwrap(decodeTex(value));
  return cleaned === '' ? undefined : cleaned;
};

function toPaper(record: Record<string, unknown>, name: string, line: number): NewPaper {
  const fail = (message: string) => new InputError(message, name, line);
  if (typeof record.id !== 'string') throw fail('the record has no `id`; arXiv metadata records start with {"id": "2410.17243", ...}');
  const ref = parseArxivRef(record.id);
  if (!ref) throw fail(`\`id\` "${record.id.length > 40 ? `${record.id.slice(0, 40)}…` : record.id}" is not an arXiv identifier`);
  const arxiv = ref.id;
  const title = text(record.title);
  if (!title) throw fail(`record ${arxiv} has no title`);
  const abstract = text(record.abstract);
  if (!abstract) throw fail(`record ${arxiv} has no abstract`);
  const links = extractLinks(abstract);
  const comments = text(record.comments);
  // The comment line often names the code ("Code: https://github.com/..."), when the abstract does not.
  const code = codeLink(links) ?? (comments ? codeLink(extractLinks(comments)) : null);
  const paper: NewPaper = { title, abstract, date: null, source: name, links, code, arxiv, line };
  const authors = authorsOf(record);
  if (authors.length > 0) paper.authors = authors;
  const published = firstVersionDay(record.versions);
  if (published) paper.published = published;
  // Some records list two DOIs, space-separated: the first is the paper's.
  const doi = typeof record.doi === 'string' ? record.doi.trim().split(/\s+/)[0] : undefined;
  if (doi && 'value' in checkField('doi', doi)) paper.doi = doi;
  const journal = text(record['journal-ref']);
  if (journal) paper.journal = journal;
  const categories = typeof record.categories === 'string' ? record.categories.split(/\s+/).filter(Boolean) : [];
  if (categories.length > 0) paper.categories = categories;
  paper.url = `https://arxiv.org/abs/${arxiv}`;
  paper.pdf = `https://arxiv.org/pdf/${arxiv}`;
  if (comments) paper.comments = comments;
  return paper;
}

/** Names as people write them, from `authors_parsed` ([last, first, suffix]), else from the `authors` line. */
function authorsOf(record: Record<string, unknown>): string[] {
  const parsed = record.authors_parsed;
  if (Array.isArray(parsed) && parsed.length > 0) {
    return parsed.flatMap((parts: unknown) => {
      if (!Array.isArray(parts)) return [];
      const [last, first, suffix] = parts.map((part) => (typeof part === 'string' ? part : ''));
      const name = text([first, last, suffix].filter(Boolean).join(' '));
      return name ? [name] : [];
    });
  }
  if (typeof record.authors !== 'string') return [];
  // "A. One, B. Two (Univ. X, Y) and C. Three": commas and "and" separate names, outside parentheses.
  const names: string[] = [];
  let depth = 0;
  let current = '';
  for (const part of record.authors.split(/(,|\s+and\s+|[()])/)) {
    if (part === '(') depth++;
    else if (part === ')') depth = Math.max(0, depth - 1);
    else if (depth > 0) continue;
    else if (part === ',' || /^\s+and\s+$/.test(part)) {
      names.push(current);
      current = '';
    } else current += part;
  }
  names.push(current);
  return names.map(text).filter((n): n is string => n !== undefined);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// "Mon, 2 Apr 2007 19:18:42 GMT", as the snapshot writes every version's date (RFC 2822, in GMT).
const RFC_2822 = /^(?:[A-Z][a-z]{2}, )?(\d{1,2}) ([A-Z][a-z]{2}) (\d{4}) (\d{2}):(\d{2})(?::(\d{2}))? (GMT|UT|UTC|Z|[+-]\d{4})$/;

/** The UTC day of the first version (v1): when the paper appeared. Later versions and `update_date` are not it. */
function firstVersionDay(versions: unknown): string | undefined {
  if (!Array.isArray(versions)) return undefined;
  const first = versions.find((v) => (v as { version?: unknown })?.version === 'v1') ?? versions[0];
  const created = (first as { created?: unknown } | undefined)?.created;
  const match = typeof created === 'string' ? RFC_2822.exec(created.trim()) : null;
  const month = match ? MONTHS.indexOf(match[2]!) : -1;
  if (!match || month === -1) return undefined;
  const zone = match[7]!;
  const offset = /^[+-]/.test(zone) ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(3))) : 0;
  const [year, date] = [Number(match[3]), Number(match[1])];
  // Date.UTC rolls 31 Feb over into March; such a date is not one.
  if (new Date(Date.UTC(year, month, date)).getUTCDate() !== date) return undefined;
  if (offset === 0) return `${match[3]}-${String(month + 1).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
  const utc = Date.UTC(year, month, date, Number(match[4]), Number(match[5]) - offset, Number(match[6] ?? 0));
  return new Date(utc).toISOString().slice(0, 10);
}
