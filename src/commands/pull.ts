import type { Context } from '../app/context.js';
import type { NewPaper } from '../corpus/paper.js';
import { localDay } from '../corpus/dates.js';
import { UsageError } from '../base/errors.js';
import { fetchReading, httpSettings, type NetworkOptions } from '../app/fetching.js';
import { mergeIntoCorpus, previewMerge, summarize, Tally } from '../app/intake.js';
import { keepResponse } from '../app/responses.js';
import { sayAside, withStatusLine } from '../base/progress.js';
import { dailyPapersUrl, HF_PAGE_SIZE, hfEndpoint, periodName, type Period } from '../net/services.js';
import { readHf } from '../sources/hf.js';
import { plural } from '../base/text/english.js';

export interface PullOptions extends NetworkOptions {
  date?: string;
  week?: string;
  month?: string;
  since?: string;
  until?: string;
  limit?: number;
  force?: boolean;
  dryRun?: boolean;
}

/** Days one `--since` may cover without `--force`: a month of requests. */
const MAX_DAYS = 31;
// A server that keeps sending full pages is not followed past this many.
const MAX_PAGES = 100;
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

/** `today`, `yesterday` or a YYYY-MM-DD that is a real day. */
function parsePullDay(value: string, flag: string): string {
  const word = value.trim().toLowerCase();
  if (word === 'today') return localDay();
  if (word === 'yesterday') return localDay(-1);
  const iso = /^\d{4}-\d{2}-\d{2}$/.test(word) ? word : '';
  const date = new Date(`${iso}T00:00:00Z`);
  if (!iso || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso)
    throw new UsageError(`${flag} takes a day written YYYY-MM-DD, or today or yesterday, not \`${value}\``);
  return iso;
}

function parseWeek(value: string): string {
  const week = /^(\d{4})-W(\d{2})$/i.exec(value.trim());
  if (!week || Number(week[2]) < 1 || Number(week[2]) > 53) throw new UsageError(`--week takes an ISO week written YYYY-Www (2026-W48), not \`${value}\``);
  return `${week[1]}-W${week[2]}`;
}

function parseMonth(value: string): string {
  const month = /^(\d{4})-(\d{2})$/.exec(value.trim());
  if (!month || Number(month[2]) < 1 || Number(month[2]) > 12) throw new UsageError(`--month takes a month written YYYY-MM, not \`${value}\``);
  return `${month[1]}-${month[2]}`;
}

/** Every day from `since` to `until`, both included. */
function daysBetween(since: string, until: string): string[] {
  const days: string[] = [];
  for (let at = new Date(`${since}T00:00:00Z`); at.toISOString().slice(0, 10) <= until; at.setUTCDate(at.getUTCDate() + 1))
    days.push(at.toISOString().slice(0, 10));
  return days;
}

function periodsOf(options: PullOptions): Period[] {
  const chosen = (['date', 'week', 'month', 'since'] as const).filter((key) => options[key] !== undefined);
  if (chosen.length > 1) throw new UsageError(`choose one of --${chosen.join(', --')}`);
  if (options.until !== undefined && options.since === undefined) throw new UsageError('--until needs --since');
  if (options.week !== undefined) return [{ week: parseWeek(options.week) }];
  if (options.month !== undefined) return [{ month: parseMonth(options.month) }];
  if (options.since !== undefined) {
    const since = parsePullDay(options.since, '--since');
    const until = options.until === undefined ? localDay() : parsePullDay(options.until, '--until');
    if (until < since) throw new UsageError(`--until ${until} is before --since ${since}`);
    const days = daysBetween(since, until);
    if (days.length > MAX_DAYS && !options.force)
      throw new UsageError(`--since ${since} asks for ${days.length} days, one request each; at most ${MAX_DAYS} without --force`);
    return days.map((date) => ({ date }));
  }
  return [{ date: options.date === undefined ? localDay() : parsePullDay(options.date, '--date') }];
}

const weekdayNote = (period: Period) => {
  if (!('date' in period)) return '';
  const weekday = new Date(`${period.date}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6 ? ` (a ${WEEKDAYS[weekday]})` : '';
};

/**
 * `papers pull`: the Hugging Face daily papers of a day, week, month or run of days, merged into the
 * corpus as `import` merges. Each period is fetched whole (every page), its responses kept in the
 * corpus's `sources/` folder, and then merged in one write: an interrupted pull leaves whole periods.
 */
export async function pull(context: Context, options: PullOptions): Promise<void> {
  const { io } = context;
  const periods = periodsOf(options);
  const base = hfEndpoint(io.env);
  let left = options.limit ?? Infinity;
  const wanted: NewPaper[] = [];
  const tally = new Tally();
  let found = 0;
  let empty = 0;
  const notices = options.dryRun ? undefined : (await import('../app/watch.js')).watchNotices(context);
  await withStatusLine(io, async (status) => {
    const settings = httpSettings(context, options, (message) => status(`${message}…`));
    for (const [at, period] of periods.entries()) {
      if (left <= 0) break;
      const name = periodName(period);
      const papers: NewPaper[] = [];
      for (let page = 0; page < MAX_PAGES; page++) {
        status(
          `fetching ${name}${periods.length > 1 ? ` (${at + 1} of ${periods.length})` : ''}${page > 0 ? `, page ${page + 1}` : ''}; ${plural(found + papers.length, 'paper')} so far…`,
        );
        const url = dailyPapersUrl(base, period, page, HF_PAGE_SIZE);
        const { fetched, reading } = await fetchReading(url, 'JSON', readHf, settings);
        const items = countItems(fetched.body);
        for (const line of reading.dropped ?? []) sayAside(io, `papers: ${line}`);
        if (!options.dryRun && items > 0) {
          const source = keepResponse(context.corpusPath, `hf-${name}${page > 0 ? `-p${page + 1}` : ''}`, 'json', fetched.body, (line) =>
            sayAside(io, `papers: ${line}`),
          );
          for (const paper of reading.papers) paper.source = source;
        } else {
          for (const paper of reading.papers) paper.source = `hf-${name}.json`;
        }
        // A paper the API gives no listing day for was on the list of the day asked for.
        if ('date' in period) for (const paper of reading.papers) paper.daily ??= period.date;
        papers.push(...reading.papers);
        if (items < HF_PAGE_SIZE) break;
      }
      const taken = papers.slice(0, left);
      left -= taken.length;
      found += taken.length;
      status('');
      if (taken.length === 0) {
        empty++;
        io.stderr.write(`${name}: no papers${weekdayNote(period)}\n`);
        continue;
      }
      if (options.dryRun) {
        wanted.push(...taken);
        io.stderr.write(`${name}: ${plural(taken.length, 'paper')}\n`);
        continue;
      }
      const merge = await mergeIntoCorpus(context, taken, { stem: 'hf', onMerged: notices?.take });
      tally.add(merge);
      io.stderr.write(`${name}: ${plural(taken.length, 'paper')}: ${summarize(merge)}\n`);
    }
  });
  if (options.dryRun) {
    const merge = await previewMerge(context, wanted);
    io.stderr.write(`dry run, ${context.corpusPath} unchanged: would import ${summarize(merge)}\n`);
    return;
  }
  if (periods.length > 1) {
    const days = `from ${plural(periods.length, 'day')}${empty ? ` (${empty} without papers)` : ''}`;
    io.stderr.write(`${context.corpusPath}: ${summarize(tally, [days])}\n`);
  }
  notices?.report();
}

/** How many items a daily papers page held (the API's page is full when it holds the limit asked for). */
function countItems(body: Buffer): number {
  const data = JSON.parse(body.toString('utf8')) as unknown;
  return Array.isArray(data) ? data.length : 1;
}
