import type { Context } from './context.js';
import { InputError, NetworkError, ServiceAnswer, UsageError } from '../base/errors.js';
import { httpGet, statusText, type Fetched, type HttpSettings, type Pace } from '../net/http.js';
import type { NewPaper } from '../corpus/paper.js';
import { keepResponse } from './responses.js';
import { sayAside } from '../base/progress.js';
import { ARXIV_BATCH, ARXIV_SPACING_MS, arxivEndpoint, arxivQueryUrl, hfEndpoint, hubPaperUrl } from '../net/services.js';
import type { Reading } from '../sources/types.js';
import { USER_AGENT } from '../base/version.js';

export interface NetworkOptions {
  /** Seconds for one request. */
  timeout?: number;
  /** Seconds for the whole command. */
  maxTime?: number;
}

const DEFAULT_TIMEOUT_S = 30;
const DEFAULT_MAX_TIME_S = 600;

/** The request settings of one command: its timeouts, a deadline from now, and a way to say that it waits. */
export function httpSettings(context: Context, options: NetworkOptions, onRetry?: (message: string) => void): HttpSettings {
  const env = context.io.env;
  const base = env.PAPERS_RETRY_DELAY_MS;
  if (base !== undefined && !/^\d+$/.test(base)) throw new UsageError(`PAPERS_RETRY_DELAY_MS must be a whole number of milliseconds, not \`${base}\``);
  const maxTimeMs = (options.maxTime ?? DEFAULT_MAX_TIME_S) * 1000;
  return {
    env,
    timeoutMs: (options.timeout ?? DEFAULT_TIMEOUT_S) * 1000,
    deadline: Date.now() + maxTimeMs,
    maxTimeMs,
    userAgent: USER_AGENT,
    retryBaseMs: base === undefined ? 1000 : Number(base),
    ...(onRetry ? { onRetry } : {}),
  };
}

/** What a service answered where JSON or Atom was expected, when it is neither: an HTML page (a login or error page, a captive portal). */
function wrongShape(fetched: Fetched, want: 'JSON' | 'an Atom feed'): string | null {
  const head = fetched.body.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  const html = /html/.test(fetched.contentType) || head.startsWith('<!doctype html') || head.startsWith('<html');
  if (html) return `expected ${want}, got an HTML page${fetched.status >= 400 ? ` (HTTP ${fetched.status}${statusText(fetched.status)})` : ''}`;
  if (want === 'JSON' && head.startsWith('<')) return `expected JSON, got XML`;
  if (want === 'an Atom feed' && (head.startsWith('{') || head.startsWith('['))) return 'expected an Atom feed, got JSON';
  return null;
}

/**
 * Fetches a response and reads it as papers, or fails whole: a wrong shape, a body that does not parse,
 * or an error status is one line naming the URL. A service's own error message (an arXiv error feed,
 * Hugging Face's `{"error": …}`) is what the line says when there is one.
 */
export async function fetchReading(
  url: string,
  want: 'JSON' | 'an Atom feed',
  read: (text: string, name: string) => Reading | Promise<Reading>,
  settings: HttpSettings,
  pace?: Pace,
): Promise<{ fetched: Fetched; reading: Reading }> {
  const fetched = await httpGet(url, want === 'JSON' ? 'application/json' : 'application/atom+xml', settings, pace);
  return { fetched, reading: await readFetched(url, fetched, want, read) };
}

async function readFetched(url: string, fetched: Fetched, want: 'JSON' | 'an Atom feed', read: (text: string, name: string) => Reading | Promise<Reading>) {
  const through = fetched.proxy ? ` (through the proxy ${fetched.proxy})` : '';
  const shape = wrongShape(fetched, want);
  if (shape) throw new NetworkError(`GET ${url}: ${shape}${through}`);
  const failed = fetched.status < 200 || fetched.status >= 300;
  const status = `HTTP ${fetched.status}${statusText(fetched.status)}`;
  const text = fetched.body.toString('utf8');
  let reading: Reading;
  try {
    reading = await read(text, `GET ${url}`);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // With an error status, the service's own words and the status; else the status alone, not what its body lacks.
    if (failed) throw new NetworkError(error instanceof ServiceAnswer ? `${error.message} (${status})${through}` : `GET ${url}: ${status}${through}`);
    throw new NetworkError(error.message);
  }
  if (failed) throw new NetworkError(`GET ${url}: ${status}${through}`);
  return reading;
}

/** The Hub's record of one paper (`GET /api/papers/{id}`): its upvotes and code as they are now, and what was left out of it; null when the Hub does not have it. */
export async function fetchHubPaper(context: Context, arxiv: string, settings: HttpSettings): Promise<{ paper: NewPaper; dropped: string[] } | null> {
  const url = hubPaperUrl(hfEndpoint(context.io.env), arxiv);
  const fetched = await httpGet(url, 'application/json', settings);
  if (fetched.status === 404) return null;
  const { readHf } = await import('../sources/hf.js');
  const reading = await readFetched(url, fetched, 'JSON', readHf);
  return reading.papers[0] ? { paper: reading.papers[0], dropped: reading.dropped ?? [] } : null;
}

/** What arXiv answered for a list of ids: the papers it has, and the ids it does not know. */
export interface ArxivAnswer {
  papers: NewPaper[];
  missing: string[];
}

/**
 * Asks the arXiv API for papers by id, 100 ids a request and at least three seconds between requests;
 * keeps each response in the corpus's `sources/` folder (unless `keep` is false) and names it as the
 * papers' source. Each batch is handed to `each` as it arrives, so that what is fetched is merged
 * before the next request.
 */
export async function fetchArxiv(
  context: Context,
  ids: string[],
  settings: HttpSettings,
  keep: boolean,
  each: (answer: ArxivAnswer, done: number) => Promise<void>,
): Promise<void> {
  const base = arxivEndpoint(context.io.env);
  const pace: Pace = { minMs: ARXIV_SPACING_MS, last: 0 };
  const { readArxivAtom } = await import('../sources/arxiv-atom.js');
  for (let start = 0; start < ids.length; start += ARXIV_BATCH) {
    const batch = ids.slice(start, start + ARXIV_BATCH);
    const { fetched, reading } = await fetchReading(arxivQueryUrl(base, batch), 'an Atom feed', readArxivAtom, settings, pace);
    const source =
      keep && reading.papers.length > 0
        ? keepResponse(context.corpusPath, `arxiv-${today()}`, 'xml', fetched.body, (line) => sayAside(context.io, `papers: ${line}`))
        : 'arxiv.xml';
    for (const paper of reading.papers) paper.source = source;
    const found = new Set(reading.papers.map((paper) => paper.arxiv));
    await each({ papers: reading.papers, missing: batch.filter((id) => !found.has(id)) }, start + batch.length);
  }
}

const today = () => new Date().toISOString().slice(0, 10);
