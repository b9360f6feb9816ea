import { cacheFileOf, loadCorpusView, type Context } from '../context.js';
import { statFile } from '../corpus/files.js';
import { isFolderCorpus } from '../corpus/layout.js';
import { readDerived, writeDerived } from '../index/cache.js';
import { dateKey } from '../corpus/dates.js';
import type { Stats } from '../render/chart.js';
import type { OutputFormat } from '../render/formats.js';
import { renderJson } from '../render/json.js';
import { outputFormat, renderTsv } from '../render/rows.js';
import { keyphrases } from '../search/keyphrases.js';

export interface StatsOptions {
  format?: OutputFormat;
}

const KEYWORDS = 15;
const NO_DATE = '(no date)';

export async function stats(context: Context, options: StatsOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  // Taken before the corpus is read: what is kept below is then never newer than what it was worked out from.
  // (A folder's keywords are worked out each time: there is no one file whose state they could be kept for.)
  const cacheFile = isFolderCorpus(context.corpusPath) ? null : cacheFileOf(context);
  const stat = cacheFile ? statFile(context.corpusPath, 'corpus') : null;
  const corpus = await loadCorpusView(context);
  // Reading every paper's words is most of what stats costs: its keywords are kept until the corpus changes.
  const kept = cacheFile && stat ? readDerived<Stats['keywords']>(cacheFile, 'keyphrases', stat) : null;
  const summaries = corpus.summaries();
  const byDate = new Map<string, number>();
  for (const paper of summaries) byDate.set(paper.date ?? NO_DATE, (byDate.get(paper.date ?? NO_DATE) ?? 0) + 1);
  const result: Stats = {
    papers: summaries.length,
    withCode: summaries.filter((p) => p.code).length,
    dates: [...byDate].map(([date, papers]) => ({ date, papers })).sort((a, b) => dateKey(a.date).localeCompare(dateKey(b.date))),
    keywords: kept ?? keyphrases(corpus.papers(), KEYWORDS),
  };
  if (cacheFile && stat && !kept) writeDerived(cacheFile, 'keyphrases', stat, result.keywords);
  const { io } = context;
  if (format === 'json') io.stdout.write(renderJson(result));
  else if (format === 'table') {
    const [{ renderStatsChart }, { loadPaint }] = await Promise.all([import('../render/chart.js'), import('../render/paint.js')]);
    io.stdout.write(renderStatsChart(result, io, await loadPaint(io.color)));
  } else {
    io.stdout.write(
      renderTsv([
        ['papers', String(result.papers)],
        ['with-code', String(result.withCode)],
        ...result.dates.map((d) => ['date', d.date, String(d.papers)]),
        ...result.keywords.map((k) => ['keyword', k.phrase, String(k.papers)]),
      ]),
    );
  }
}
