import { InputError, ServiceAnswer } from '../base/errors.js';
import { codeLink, extractLinks } from '../corpus/links.js';
import { checkField, type NewPaper } from '../corpus/paper.js';
import { titleKey } from '../corpus/slug.js';
import { parseArxivRef } from './arxiv-id.js';
import { isoDay, unwrap } from './text.js';
import type { Reading } from './types.js';

type JsonObject = Record<string, unknown>;

const WANT = 'expected the list of GET /api/daily_papers or the paper of GET /api/papers/{id}';
const HTTP_URL = /^https?:\/\/\S+$/i;

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * A response of the Hugging Face papers API -> papers. Two shapes: the list of `GET /api/daily_papers`, whose
 * items wrap the paper in `paper` beside the listing's own copies of title and summary, and the one paper of
 * `GET /api/papers/{id}`, whose fields are the nested paper's at the top level. A daily item's own `publishedAt`
 * is the day it was listed, not the paper's publication, so only the paper's is read; the day it was listed
 * is `submittedOnDailyAt`.
 */
export function readHf(text: string, name: string): Reading {
  const data = parseJson(text, name);
  let items: unknown[];
  let single = false;
  if (Array.isArray(data)) {
    items = data;
  } else if (isObject(data) && (isObject(data.paper) || 'title' in data || 'summary' in data || 'id' in data)) {
    items = [data];
    single = true;
  } else if (isObject(data) && typeof data.error === 'string') {
    // What the API sends instead of papers, e.g. {"error": "Invalid date"} for a bad `date` parameter.
    throw new ServiceAnswer(`the Hugging Face API answered with an error: ${unwrap(data.error)}`, name);
  } else {
    throw new InputError(`not a Hugging Face papers API response: found ${describe(data)}; ${WANT}`, name);
  }

  const papers: NewPaper[] = [];
  const dropped: string[] = [];
  const seen = new Set<string>();
  let repeated = 0;
  items.forEach((item, index) => {
    const paper = toPaper(item, single ? 'the paper' : `item ${index + 1}`, name, dropped);
    const key = paper.arxiv !== undefined ? `arxiv:${paper.arxiv}` : `title:${titleKey(paper.title)}`;
    if (seen.has(key)) {
      repeated++;
      return;
    }
    seen.add(key);
    papers.push(paper);
  });
  return { papers, skipped: 0, repeated, ...(dropped.length > 0 ? { dropped } : {}) };
}

function parseJson(text: string, name: string): unknown {
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw new InputError(`the file is empty; ${WANT}`, name);
  try {
    return JSON.parse(body);
  } catch (error) {
    // V8 names the offset it stopped at; one at the very end means the text stopped, not that it went wrong.
    const message = error instanceof Error ? error.message : String(error);
    const at = /at position (\d+)/.exec(message);
    const position = at ? Number(at[1]) : null;
    const truncated = /end of JSON input/.test(message) || (position !== null && position >= body.trimEnd().length);
    const line = position === null ? undefined : lineAt(body, position);
    if (truncated) throw new InputError('the JSON ends before it is complete: the file looks truncated; save the whole API response', name, line);
    const start = body.trimStart();
    if (start.startsWith('<')) throw new InputError(`not JSON: the file starts with "${snippet(start)}"; save the API response, not the web page`, name);
    throw new InputError(`not valid JSON${position === null ? '' : ` (column ${columnAt(body, position)})`}; ${WANT}`, name, line);
  }
}

function toPaper(item: unknown, subject: string, name: string, dropped: string[]): NewPaper {
  if (!isObject(item)) throw new InputError(`${subject} is ${describe(item)}, not a paper object`, name);
  // A daily item nests the paper; a paper object is the paper itself. The item's own copies come second.
  const paper = isObject(item.paper) ? item.paper : item;
  const title = firstText(paper.title, item.title);
  if (title === null) throw new InputError(`${subject} has no title`, name);
  const abstract = firstText(paper.summary, item.summary);
  if (abstract === null) throw new InputError(`${subject} has no summary`, name);

  const found: NewPaper = { title, abstract, date: null, source: name, links: extractLinks(abstract), code: null };
  const authors = authorNames(paper.authors ?? item.authors);
  if (authors.length > 0) found.authors = authors;
  const published = isoDay(paper.publishedAt);
  if (published !== null && 'value' in checkField('published', published)) found.published = published;
  const daily = isoDay(paper.submittedOnDailyAt ?? item.submittedOnDailyAt);
  if (daily !== null && 'value' in checkField('daily', daily)) found.daily = daily;

  const ref = typeof paper.id === 'string' ? parseArxivRef(paper.id) : null;
  if (ref && 'value' in checkField('arxiv', ref.id)) {
    found.arxiv = ref.id;
    found.url = `https://arxiv.org/abs/${ref.id}`;
    found.pdf = `https://arxiv.org/pdf/${ref.id}`;
  }
  const upvotes = paper.upvotes ?? item.upvotes;
  if (typeof upvotes === 'number') {
    const checked = checkField('upvotes', upvotes);
    if ('value' in checked) found.upvotes = upvotes;
    else dropped.push(`${name}: ${subject} (${found.arxiv ?? `"${title}"`}): upvotes ${upvotes} left out; upvotes must be ${checked.want}`);
  }

  // The repository the authors named on the Hub beats a guess from the abstract's links.
  found.code = httpUrl(paper.githubRepo ?? item.githubRepo) ?? codeLink(found.links);
  const project = httpUrl(paper.projectPage ?? item.projectPage);
  if (project !== null) found.project = project;
  return found;
}

/** The first value that is text with something in it, unwrapped; null when there is none. */
function firstText(...values: unknown[]): string | null {
  for (const value of values) {
    if (typeof value !== 'string') continue;
    const text = unwrap(value);
    if (text !== '') return text;
  }
  return null;
}

/**
 * Every author's name, in order. Authors the Hub marks `hidden` are kept: the flag hides the link to a Hub
 * account, and the name is still on the paper.
 */
function authorNames(authors: unknown): string[] {
  if (!Array.isArray(authors)) return [];
  const names: string[] = [];
  for (const author of authors) {
    const name = isObject(author) ? firstText(author.name) : firstText(author);
    if (name !== null) names.push(name);
  }
  return names;
}

function httpUrl(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const url = value.trim();
  return HTTP_URL.test(url) ? url : null;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0) return 'an empty object';
    const shown = keys.slice(0, 4).join(', ');
    return `an object with ${keys.length > 4 ? `${shown}, ...` : shown}`;
  }
  return typeof value === 'string' ? 'a string' : `a ${typeof value}`;
}

function lineAt(text: string, position: number): number {
  let line = 1;
  for (let i = 0; i < position && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function columnAt(text: string, position: number): number {
  return position - text.lastIndexOf('\n', position - 1);
}

function snippet(text: string): string {
  const first = text.split(/\r?\n/, 1)[0]!.trim();
  return first.length > 40 ? `${first.slice(0, 37)}...` : first;
}
