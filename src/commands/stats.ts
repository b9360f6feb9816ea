import { cacheFileOf, loadCorpusView, type Context } from '../app/context.js';
import { statSync } from 'node:fs';
import { statFile } from '../corpus/files.js';
import { isFolderCorpus } from '../corpus/layout.js';
import { readDerived, writeDerived } from '../index/cache.js';
import type { CorpusView } from '../index/types.js';
import { dateKey } from '../corpus/dates.js';
import type { Stats } from '../render/chart.js';
import type { OutputFormat } from '../render/formats.js';
import { renderJson } from '../render/json.js';
import { outputFormat, renderTsv } from '../render/rows.js';
import { byPapers, keyphrases } from '../search/keyphrases.js';
import { lexiconOf } from '../search/lexicon.js';

export interface StatsOptions {
  format?: OutputFormat;
}

const KEYWORDS = 15;
const NO_DATE = '(no date)';

// Past this many papers, keywords are worked out from this many, evenly spread: reading every paper's words
// would take minutes at a million papers, and the phrases that set a corpus apart show in a sample this large.
const KEYWORD_SAMPLE = 20_000;

type Keywords = Pick<Stats, 'keywords' | 'keywordSample'>;

export async function stats(context: Context, options: StatsOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const folder = isFolderCorpus(context.corpusPath);
  const cacheFile = cacheFileOf(context);
  // Taken before the corpus is read: what is kept below is then never newer than what it was worked out from.
  let stat = cacheFile && !folder ? statFile(context.corpusPath, 'corpus') : null;
  const corpus = await loadCorpusView(context);
  // A folder's are kept for its lexicon, which is written again whenever one of its files changes.
  if (cacheFile && folder) stat = statSync(cacheFile, { throwIfNoEntry: false }) ?? null;
  // Reading every paper's words is most of what stats costs: the figures are kept until the corpus changes.
  const found = cacheFile && stat ? readDerived<unknown>(cacheFile, 'stats', stat) : null;
  const result = isStats(found) ? found : statsOf(corpus);
  if (cacheFile && stat && result !== found) writeDerived(cacheFile, 'stats', stat, result);
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
        ...(result.keywordSample === undefined ? [] : [['keyword-sample', String(result.keywordSample)]]),
        ...result.keywords.map((k) => ['keyword', k.phrase, String(k.papers)]),
      ]),
    );
  }
}

function statsOf(corpus: CorpusView): Stats {
  const summaries = corpus.summaries();
  const byDate = new Map<string, number>();
  for (const paper of summaries) byDate.set(paper.date ?? NO_DATE, (byDate.get(paper.date ?? NO_DATE) ?? 0) + 1);
  return {
    papers: summaries.length,
    withCode: summaries.filter((p) => p.code).length,
    dates: [...byDate].map(([date, papers]) => ({ date, papers })).sort((a, b) => dateKey(a.date).localeCompare(dateKey(b.date))),
    ...keywordsOf(corpus),
  };
}

/** Figures as stats keeps them (the cache folder may be shared: what is read from it is checked). */
function isStats(value: unknown): value is Stats {
  if (typeof value !== 'object' || value === null) return false;
  const { papers, withCode, dates, keywords, keywordSample } = value as Partial<Stats>;
  return (
    Number.isInteger(papers) &&
    Number.isInteger(withCode) &&
    Array.isArray(dates) &&
    dates.every((d: unknown) => {
      const { date, papers: count } = (d ?? {}) as Partial<Stats['dates'][number]>;
      return typeof date === 'string' && !/\p{Cc}/u.test(date) && Number.isInteger(count);
    }) &&
    (keywordSample === undefined || Number.isInteger(keywordSample)) &&
    Array.isArray(keywords) &&
    keywords.every((k: unknown) => {
      const { phrase, papers, weight } = (k ?? {}) as Partial<Keywords['keywords'][number]>;
      return typeof phrase === 'string' && /^[\p{L}\p{N}' ()-]+$/u.test(phrase) && Number.isInteger(papers) && typeof weight === 'number';
    })
  );
}

/** The corpus's keywords, from every paper, or from KEYWORD_SAMPLE of them spread evenly through a larger corpus. */
function keywordsOf(corpus: CorpusView): Keywords {
  // The acronyms search knows (the common ones and those the corpus defines), so that stats merges what search does.
  const { acronyms } = lexiconOf(corpus.index());
  // The most distinctive, shown in order of the count beside each.
  if (corpus.count <= KEYWORD_SAMPLE) return { keywords: byPapers(keyphrases(corpus.papers(), KEYWORDS, acronyms)) };
  const sample = Array.from({ length: KEYWORD_SAMPLE }, (_, i) => corpus.paper(Math.floor((i * corpus.count) / KEYWORD_SAMPLE)));
  return { keywords: byPapers(keyphrases(sample, KEYWORDS, acronyms)), keywordSample: KEYWORD_SAMPLE };
}
