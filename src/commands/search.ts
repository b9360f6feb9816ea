import { DEFAULT_LIMIT, loadCorpusView, writeRows, type Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import type { OutputFormat } from '../render/formats.js';
import { rankedRecords, rankedRows } from '../render/ranked.js';
import { outputFormat } from '../render/rows.js';
import { parseQuery } from '../search/query.js';
import { explainNoMatch, rankPapers } from '../search/rank.js';

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
  const index = (await loadCorpusView(context)).index();
  const hits = rankPapers(index, parsed, limit, { strict: options.strict ?? false });
  if (hits.length === 0) throw new NotFoundError(explainNoMatch(index, parsed) ?? `no papers match \`${shorten(query)}\``);
  await writeRows(context, format, rankedRows(hits), () => rankedRecords(hits));
}
