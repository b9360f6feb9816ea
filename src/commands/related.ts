import { openCorpus, outputFormat, parseLimit, type Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { renderRanked } from '../render/ranked.js';
import { relatedPapers } from '../search/related.js';
import { findPaper } from './show.js';
import { DEFAULT_LIMIT } from './search.js';

export interface RelatedOptions {
  limit?: string;
  format?: string;
}

export async function related(context: Context, id: string, options: RelatedOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const limit = options.limit === undefined ? DEFAULT_LIMIT : parseLimit(options.limit);
  const corpus = await openCorpus(context);
  const target = await findPaper(corpus.summaries(), id);
  const found = relatedPapers(corpus.searchSource(), target.doc, limit);
  if (found.length === 0) throw new NotFoundError(`no paper shares words with \`${target.id}\``);
  context.io.stdout.write(await renderRanked(found, format, context.io));
}
