import { openCorpus, outputFormat, parseLimit, type Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { renderRanked } from '../render/ranked.js';
import { searchIndex } from '../search/engine.js';
import { parseQuery } from '../search/query.js';

export interface SearchOptions {
  limit?: string;
  all?: boolean;
  format?: string;
}

export const DEFAULT_LIMIT = 10;

export async function search(context: Context, words: string[], options: SearchOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const limit = options.all ? Infinity : options.limit === undefined ? DEFAULT_LIMIT : parseLimit(options.limit);
  const query = words.join(' ');
  const parsed = parseQuery(query);
  const hits = await searchIndex((await openCorpus(context)).searchSource(), parsed, limit);
  if (hits.length === 0) throw new NotFoundError(`no papers match \`${query}\``);
  context.io.stdout.write(await renderRanked(hits, format, context.io));
}
