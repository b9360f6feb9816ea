import { UsageError } from '../base/errors.js';

type Env = Record<string, string | undefined>;

/** A base URL from the environment, checked: http or https, no query; the trailing slash dropped. */
function endpoint(env: Env, names: string[], fallback: string): string {
  for (const name of names) {
    const value = env[name]?.trim();
    if (!value) continue;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      throw new UsageError(`${name} must be a base URL such as ${fallback}, not \`${value}\``);
    }
    if (!/^https?:$/.test(url.protocol) || url.search || url.hash)
      throw new UsageError(`${name} must be an http or https base URL such as ${fallback}, not \`${value}\``);
    return url.href.replace(/\/+$/, '');
  }
  return fallback;
}

/** The Hugging Face Hub: PAPERS_HF_ENDPOINT, else HF_ENDPOINT (as huggingface_hub reads it), else huggingface.co. */
export const hfEndpoint = (env: Env) => endpoint(env, ['PAPERS_HF_ENDPOINT', 'HF_ENDPOINT'], 'https://huggingface.co');

/** The arXiv API: PAPERS_ARXIV_ENDPOINT, else export.arxiv.org. */
export const arxivEndpoint = (env: Env) => endpoint(env, ['PAPERS_ARXIV_ENDPOINT'], 'https://export.arxiv.org');

/** Which daily papers to ask for: one day, an ISO week (2026-W48) or a month (2026-11). */
export type Period = { date: string } | { week: string } | { month: string };

export const periodName = (period: Period) => ('date' in period ? period.date : 'week' in period ? period.week : period.month);

/**
 * `GET /api/daily_papers` as huggingface_hub's `list_daily_papers` asks for it: the page `p` (from 0) of
 * `limit` papers, then the date, week or month.
 */
export function dailyPapersUrl(base: string, period: Period, page: number, limit: number): string {
  const [key, value] = Object.entries(period)[0] as [string, string];
  const query = new URLSearchParams({ p: String(page), limit: String(limit), [key]: value });
  return `${base}/api/daily_papers?${query}`;
}

/** `GET /api/papers/{id}`: one paper as the Hub knows it now. */
export const hubPaperUrl = (base: string, arxiv: string) => `${base}/api/papers/${arxiv}`;

/** The most papers the daily papers API is asked for in one page. */
export const HF_PAGE_SIZE = 100;

/** arXiv answers at most this many ids in one query, as its API manual and arxiv.py use. */
export const ARXIV_BATCH = 100;

/** arXiv asks for at least three seconds between calls to its API. */
export const ARXIV_SPACING_MS = 3000;

/** `GET /api/query?id_list=…`, as arxiv.py sends it (an empty search_query, then the ids, start and max_results). */
export function arxivQueryUrl(base: string, ids: string[]): string {
  return `${base}/api/query?search_query=&id_list=${ids.map(encodeURIComponent).join(',')}&start=0&max_results=${ids.length}`;
}
