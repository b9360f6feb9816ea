import { UsageError } from '../base/errors.js';
import { queryWords } from '../base/text/words.js';
import { NO_FILTERS, type Filters, type Reading } from '../index/facets.js';
import { isTag, STATUSES, TAG_RULE } from '../corpus/paper.js';

export { NO_FILTERS, passes } from '../index/facets.js';
export type { Filters } from '../index/facets.js';

/** Where a scoped word is looked for; `note` is the reader's own note on the paper (see notes.ts). */
export type Field = 'title' | 'abstract' | 'author' | 'note';

export interface Term {
  /** Folded words; more than one means they must stand next to each other (a phrase or a hyphenated word). */
  words: string[];
  /** Written in quotes: no fuzziness. */
  exact: boolean;
  field: Field | null;
  text: string;
}

/** Any one of the terms matches (`a | b`); a plain word is a clause of one. */
export interface Clause {
  terms: Term[];
  negated: boolean;
}

export interface Query extends Filters {
  clauses: Clause[];
}

// A filter that asks for something, enough to make a query of it alone (is:queued lists the reading queue).
const hasFilter = (f: Filters) =>
  f.code !== null ||
  f.years !== null ||
  f.since !== null ||
  f.until !== null ||
  f.categories.length > 0 ||
  f.status !== null ||
  f.notStatus.length > 0 ||
  f.tags.length > 0;

/** Whether `passes` can turn any paper away: without a filter, no paper's summary need be read. */
export const filtersAnything = (f: Filters) => hasFilter(f) || f.notCategories.length > 0 || f.notTags.length > 0;

export const QUERY_HELP = `Query syntax:
  word word         every word must match (typos are forgiven in words of 5+ letters); when few
                    papers do, near misses follow, marked ~ (--strict: words as typed, no near misses)
  "exact phrase"    the words, next to each other, as written
  -word, -"phrase"  leave out papers that match
  title:word        match in the title only (also abstract:word, title:"a phrase")
  note:word         match in your own note on the paper only (papers note); plain words are
                    looked for in notes too, weighed below the abstract
  author:name       an author's name (surname or "full name"; typos forgiven like other words); a
                    filter: near misses are by that author too
  a | b             either one (OR)
  has:code          only papers with a code repository (-has:code: only those without)
  year:2024         published that year (also year:2020..2024)
  cat:cs.LG         in that arXiv category (-cat:cs.CV: not in it)
  is:queued         with that reading status: queued, reading, read or unread (-is:read: not read)
  tag:name          with that tag (-tag:name: without it)`;

interface Piece {
  text: string;
  quoted: boolean;
  negated: boolean;
  field: Field | null;
  filter: string | null;
  or: boolean;
}

function lex(input: string): Piece[] {
  const pieces: Piece[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '|') {
      pieces.push({ text: '|', quoted: false, negated: false, field: null, filter: null, or: true });
      i++;
      continue;
    }
    let negated = false;
    let field: Field | null = null;
    let filter: string | null = null;
    if (c === '-' && i + 1 < input.length && !/\s/.test(input[i + 1]!)) {
      negated = true;
      i++;
    }
    const scope = /^(title|abstract|author|note|has|year|cat|is|tag):/i.exec(input.slice(i));
    if (scope) {
      const name = scope[1]!.toLowerCase();
      if (name === 'has' || name === 'year' || name === 'cat' || name === 'is' || name === 'tag') filter = name;
      else field = name as Field;
      i += scope[0].length;
      if (i >= input.length || /[\s|]/.test(input[i]!)) throw new UsageError(`empty field scope \`${scope[0]}\`: write ${scope[0]}word`);
    }
    let text: string;
    let quoted = false;
    if (input[i] === '"') {
      const close = input.indexOf('"', i + 1);
      if (close < 0) throw new UsageError('unclosed quote in the query: add the closing "');
      text = input.slice(i + 1, close);
      quoted = true;
      i = close + 1;
    } else {
      const start = i;
      while (i < input.length && !/[\s|"]/.test(input[i]!)) i++;
      if (input[i] === '"' && i > start) throw new UsageError('a quote inside a word: put spaces around "quoted phrases"');
      text = input.slice(start, i);
    }
    pieces.push({ text, quoted, negated, field, filter, or: false });
  }
  return pieces;
}

export function parseQuery(input: string): Query {
  if (input.trim() === '') throw new UsageError('empty query: give at least one word to search for');
  const query: Query = { clauses: [], ...NO_FILTERS, categories: [], notCategories: [], notStatus: [], tags: [], notTags: [] };
  let joinNext = false;
  for (const piece of lex(input)) {
    if (piece.or) {
      if (query.clauses.length === 0 || joinNext) throw new UsageError('`|` needs a word on each side: a | b');
      joinNext = true;
      continue;
    }
    if (piece.filter) {
      if (joinNext) throw new UsageError(`${piece.filter}: cannot be part of an OR (\`|\`)`);
      addFilter(query, piece);
      continue;
    }
    const words = queryWords(piece.text);
    if (words.length === 0) {
      if (piece.quoted) throw new UsageError('empty quotes in the query: put words between them');
      continue;
    }
    const term: Term = { words, exact: piece.quoted, field: piece.field, text: piece.text };
    const last = query.clauses[query.clauses.length - 1];
    if (joinNext && last) {
      if (last.negated !== piece.negated) throw new UsageError('cannot mix excluded (-word) and wanted words in one OR (`|`)');
      last.terms.push(term);
      joinNext = false;
    } else {
      query.clauses.push({ terms: [term], negated: piece.negated });
    }
  }
  if (joinNext) throw new UsageError('`|` needs a word on each side: a | b');
  if (!query.clauses.some((c) => !c.negated) && !hasFilter(query)) {
    throw new UsageError(
      query.clauses.length > 0
        ? 'the query only excludes words: add a word to search for'
        : 'the query has no words to search for (only punctuation or symbols)',
    );
  }
  return query;
}

function addFilter(query: Query, piece: Piece): void {
  const value = piece.text.trim();
  if (piece.filter === 'has') {
    if (value.toLowerCase() !== 'code') throw new UsageError(`unknown filter \`has:${value}\`: the only one is has:code`);
    if (query.code === piece.negated) throw new UsageError('has:code and -has:code together match nothing: keep one');
    query.code = !piece.negated;
  } else if (piece.filter === 'year') {
    const years = /^(\d{4})(?:\.\.(\d{4}))?$/.exec(value);
    if (!years || piece.negated) throw new UsageError(`\`year:${value}\` is not a year: write year:2024 or year:2020..2024`);
    const [from, to] = [Number(years[1]), Number(years[2] ?? years[1])];
    if (from > to) throw new UsageError(`\`year:${value}\` runs backwards: write the earlier year first`);
    query.years = [from, to];
  } else if (piece.filter === 'is') {
    const reading = parseReading(value, `is:${value}`);
    if (piece.negated) query.notStatus.push(reading);
    else if (query.status && !query.status.includes(reading)) {
      throw new UsageError(`is:${query.status[0]} and is:${reading} together match nothing (a paper has one status): keep one`);
    } else query.status = [reading];
  } else if (piece.filter === 'tag') {
    const tag = value.toLowerCase();
    if (!isTag(tag)) throw new UsageError(`\`tag:${value}\` is not a tag: a tag is ${TAG_RULE}`);
    (piece.negated ? query.notTags : query.tags).push(tag);
  } else {
    if (!/^[a-z][a-z-]*(?:\.[a-z-]+)?$/i.test(value)) throw new UsageError(`\`cat:${value}\` is not an arXiv category: write cat:cs.LG`);
    (piece.negated ? query.notCategories : query.categories).push(value.toLowerCase());
  }
}

/** The reading statuses a filter can ask for: a status, or unread (none). */
export const READINGS: readonly Reading[] = [...STATUSES, 'unread'];

/** A reading status as written in a query or an option; `what` is how the user wrote it. */
export function parseReading(value: string, what: string): Reading {
  const reading = value.toLowerCase();
  if (!(READINGS as readonly string[]).includes(reading)) throw new UsageError(`unknown status in \`${what}\`: use ${READINGS.join(', ')}`);
  return reading as Reading;
}

/** `queued,reading` (from --status): each a reading status, at least one. */
export function parseReadings(value: string): Reading[] {
  const readings = value
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => parseReading(r, `--status ${value}`));
  if (readings.length === 0) throw new UsageError('--status needs at least one status');
  return [...new Set(readings)];
}
