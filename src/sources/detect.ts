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
  if (text.startsWith('['))
    return /^\[\s*\{\s*"(?:paper|title|publishedAt|submittedBy|thumbnail|numComments)"/.test(text) && /"paper"\s*:/.test(text) ? 'hf' : 'papers';
  if (text.startsWith('{')) {
    const firstLine = text.split('\n', 1)[0]!;
    if (/"(?:versions|authors_parsed)"\s*:/.test(firstLine)) return 'arxiv-jsonl';
    // The Hugging Face API says `summary`; papers' own records (and arXiv's) say `abstract`.
    const start = text.slice(0, 4096);
    if (/"abstract"\s*:/.test(start)) return 'papers';
    if (/"(?:summary|upvotes|publishedAt|error)"\s*:/.test(start)) return 'hf';
    return 'papers';
  }
  if (/^(?:#[^\n]*\n\s*)*(?:papers:\s*(?:\n|$)|- id:)/.test(text)) return 'papers';
  return 'digest';
}

function jsonLineFormat(text: string): SourceFormat {
  const first = text.split('\n', 1)[0]!;
  return /"versions"\s*:|"authors_parsed"\s*:/.test(first) ? 'arxiv-jsonl' : 'papers';
}
