import { DEFAULT_LIMIT, loadCorpusView, writeRows, type Context } from '../app/context.js';
import { NotFoundError } from '../base/errors.js';
import type { OutputFormat } from '../render/formats.js';
import { rankedRecords, rankedRows } from '../render/ranked.js';
import { outputFormat } from '../render/rows.js';
import { notedIndex } from '../index/notes.js';
import type { Index } from '../index/types.js';
import { NO_FILTERS, parseQuery, type Query } from '../search/query.js';
import { explainNoMatch, rankPapers } from '../search/rank.js';
import { checkWindow, describeWindow } from '../search/select.js';

export interface SearchOptions {
  limit?: number;
  all?: boolean;
  format?: OutputFormat;
  since?: string;
  until?: string;
  strict?: boolean;
}

// A query quoted back in a message is cut: a pasted abstract need not fill the terminal again.
const QUOTED_QUERY = 80;
const shorten = (text: string) => (text.length > QUOTED_QUERY ? `${text.slice(0, QUOTED_QUERY - 1)}…` : text);

export async function search(context: Context, words: string[], options: SearchOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const limit = options.all ? Infinity : (options.limit ?? DEFAULT_LIMIT);
  const query = words.join(' ');
  const parsed = { ...parseQuery(query), since: options.since ?? null, until: options.until ?? null };
  checkWindow(parsed.since, parsed.until);
  const index = notedIndex(await loadCorpusView(context), context.corpusPath, context.io.stderr);
  const rankOptions = { strict: options.strict ?? false };
  const hits = rankPapers(index, parsed, limit, rankOptions);
  if (hits.length === 0) {
    throw new NotFoundError(explainNoMatch(index, parsed, rankOptions) ?? emptyWindow(index, parsed) ?? `no papers match \`${shorten(query)}\``);
  }
  await writeRows(context, format, rankedRows(hits), () => rankedRecords(hits));
}

/** When the dates asked for (--since, --until, year:) leave out every paper, whatever the words: saying so. */
function emptyWindow(index: Index, { since, until, years }: Query): string | null {
  if (!since && !until && !years) return null;
  const inWindow = index.filter({ ...NO_FILTERS, since, until, years });
  for (let doc = 0; doc < index.count; doc++) if (inWindow(doc)) return null;
  const said: string[] = [];
  if (years) said.push(years[0] === years[1] ? `published in ${years[0]}` : `published in ${years[0]} to ${years[1]}`);
  if (since || until) said.push(describeWindow(since, until));
  return `no paper ${said.join(' and ')}`;
}
