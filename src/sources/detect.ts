import { PAPER_FIELDS } from '../corpus/paper.js';
import type { SourceFormat } from './types.js';

// The first bytes of a gzip stream.
const GZIP = [0x1f, 0x8b];

export function isGzip(bytes: Uint8Array): boolean {
  return bytes[0] === GZIP[0] && bytes[1] === GZIP[1];
}

/**
 * The format of an input, told from its first characters (the name only breaks a tie): JSON from the
 * Hugging Face API, papers' own exports, arXiv's JSON Lines snapshot, an Atom feed, BibTeX, a YAML corpus
 * or export, and otherwise a saved page of text (a digest).
 */
export function detectFormat(head: string, name: string): SourceFormat {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (/\.jsonl(?:\.gz)?$/i.test(name) && text.startsWith('{')) return jsonLineFormat(text);
  if (text.startsWith('<')) return 'arxiv';
  if (text.startsWith('@') || /^%[^\n]*\n(?:\s*%[^\n]*\n)*\s*@/.test(text) || /\.bib$/i.test(name)) return 'bibtex';
  if (/^TY {2}-/.test(text) || /\.ris$/i.test(name)) return 'ris';
  if (isCsvHeader(text) || /\.csv$/i.test(name)) return 'csv';
  if (text.startsWith('[')) {
    if (/^\[\s*\{\s*"(?:paper|title|publishedAt|submittedBy|thumbnail|numComments)"/.test(text) && /"paper"\s*:/.test(text)) return 'hf';
    // Every CSL item has a type; papers' records have no such field.
    return /^\[\s*\{[^]{0,4096}?"type"\s*:\s*"/.test(text) && !/"source"\s*:/.test(text.slice(0, 4096)) ? 'csl-json' : 'papers';
  }
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!;
    if (/"(?:versions|authors_parsed)"\s*:/.test(firstLine)) return 'arxiv-jsonl';
    // The Hugging Face API says `summary`; papers' own records (and arXiv's) say `abstract`.
    const start = text.slice(0, 4096);
    if (/"abstract"\s*:/.test(start)) return 'papers';
    if (/"(?:summary|upvotes|publishedAt|error)"\s*:/.test(start)) return 'hf';
    return 'papers';
  }
  if (/^(?:#[^\n]*\n\s*)*(?:papers:\s*(?:\n|$)|- [a-z]+:)/.test(text)) return 'papers';
  return 'digest';
}

function jsonLineFormat(text: string): SourceFormat {
  const first = text.split('\n', 1)[0]!;
  return /"versions"\s*:|"authors_parsed"\s*:/.test(first) ? 'arxiv-jsonl' : 'papers';
}

/** A header row of papers' field names: `papers export --format csv`, with every field or those chosen. */
function isCsvHeader(text: string): boolean {
  const first = /^[a-z,]+(?=\r?\n|$)/.exec(text)?.[0];
  const names = first?.split(',') ?? [];
  return names.length > 1 && names.every((n) => (PAPER_FIELDS as readonly string[]).includes(n));
}

/**
 * What an input is when it is none of the formats papers imports, told from its name and first characters:
 * papers' own Markdown reading list, a PDF, a spreadsheet or word processor's file.
 */
export function unimportedFormat(head: string, name: string): string | undefined {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (/^# Reading list\r?\n/.test(text) || (/\.(?:md|markdown)$/i.test(name) && /^(?:#{1,6} |[-*] )/.test(text))) return 'markdown';
  if (text.startsWith('%PDF-')) return 'PDF';
  if (text.startsWith('PK\u0003\u0004')) {
    const ext = /\.(xlsx|ods|docx|odt|numbers|pages)$/i.exec(name)?.[1];
    return ext ? ext.toLowerCase() : 'a zip archive';
  }
  if (/\.(?:xlsx?|ods|docx?|odt)$/i.test(name)) return /\.([a-z]+)$/i.exec(name)![1]!.toLowerCase();
  return undefined;
}
