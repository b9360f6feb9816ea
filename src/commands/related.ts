import { DEFAULT_LIMIT, findPaperByRef, loadCorpusView, writeRows, type Context } from '../app/context.js';
import { NotFoundError } from '../base/errors.js';
import type { OutputFormat } from '../render/formats.js';
import { rankedRecords, rankedRows } from '../render/ranked.js';
import { outputFormat } from '../render/rows.js';
import { relatedPapers } from '../search/related.js';

export interface RelatedOptions {
  limit?: number;
  format?: OutputFormat;
}

export async function related(context: Context, id: string, options: RelatedOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const corpus = await loadCorpusView(context);
  const target = await findPaperByRef(corpus, id);
  const found = relatedPapers(corpus.index(), target.doc, options.limit ?? DEFAULT_LIMIT);
  if (found.length === 0) throw new NotFoundError(`no paper shares words with \`${target.id}\``);
  await writeRows(context, format, rankedRows(found), () => rankedRecords(found));
}
