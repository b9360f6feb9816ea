import { loadCorpusView, writeRows, type Context } from '../app/context.js';
import { paperDay } from '../corpus/dates.js';
import { paperRecord, type Paper } from '../corpus/paper.js';
import { NotFoundError } from '../base/errors.js';
import type { OutputFormat } from '../render/formats.js';
import { renderNewsDigest, type NewsGroup } from '../render/news.js';
import { outputFormat } from '../render/rows.js';
import { rankPapers } from '../search/rank.js';
import { selectionTest } from '../search/select.js';
import { watchFile } from '../corpus/layout.js';
import { loadWatches, parsedWatches, today, updateWatches } from '../app/watch.js';

export interface NewsOptions {
  since?: string;
  format?: OutputFormat | 'markdown';
  dryRun?: boolean;
}

/**
 * `papers news`: for each saved search, the papers that match it and that it has not shown yet (or, with
 * --since, every one of that date or later), newest first; then they are remembered as shown.
 */
export async function news(context: Context, options: NewsOptions): Promise<void> {
  const watches = loadWatches(watchFile(context.corpusPath));
  if (watches.length === 0) throw new NotFoundError('no saved searches; save one with `papers watch add NAME QUERY`');
  const corpus = await loadCorpusView(context);
  const index = corpus.index();
  const dated = options.since ? selectionTest({ since: options.since }) : null;
  let order: Map<string, number> | undefined;
  // Newest first: by the day listed or published, and among papers of one day (or none), the later in the corpus first.
  const newestFirst = (papers: Paper[]) => {
    const { ids, docs } = corpus.sortedIds();
    order ??= new Map(ids.map((id, i) => [id, docs[i]!]));
    const day = (p: Paper) => paperDay(p) ?? '';
    return papers.sort((a, b) => (day(a) !== day(b) ? (day(a) < day(b) ? 1 : -1) : order!.get(b.id)! - order!.get(a.id)!));
  };
  const groups: NewsGroup[] = parsedWatches(watches).map(({ watch, query }) => {
    const seen = new Set(watch.seen);
    const papers = rankPapers(index, query)
      .map((hit) => hit.paper)
      .filter((paper) => (dated ? dated(paper) : !seen.has(paper.id)));
    return { name: watch.name, query: watch.query, papers: newestFirst(papers) };
  });
  const total = groups.reduce((sum, group) => sum + group.papers.length, 0);
  if (total === 0) {
    const since = options.since ? `dated ${options.since} or later` : 'since the last papers news';
    throw new NotFoundError(`nothing new for ${watches.length === 1 ? 'the saved search' : `${watches.length} saved searches`} ${since}`);
  }
  if (options.format === 'markdown') {
    context.io.stdout.write(renderNewsDigest(today(), groups));
  } else {
    const format = outputFormat(options.format, context.io);
    const rows = {
      columns: [
        { header: 'ID', max: 34 },
        { header: 'TITLE', flex: true },
        { header: 'DATE', max: 12 },
        { header: 'SEARCH', max: 24 },
      ],
      rows: groups.flatMap((group) =>
        group.papers.map((p) => [{ text: p.id, tone: 'id' as const }, p.title, paperDay(p) ?? p.date ?? '', { text: group.name, tone: 'dim' as const }]),
      ),
      shrink: [
        { column: 'SEARCH', to: 12 },
        { column: 'ID', to: 24 },
        { column: 'DATE', drop: true as const },
        { column: 'ID', to: 12 },
      ],
    };
    await writeRows(context, format, rows, () =>
      groups.map((group) => ({ search: group.name, query: group.query, papers: group.papers.map((paper) => paperRecord(paper)) })),
    );
  }
  if (options.dryRun) return;
  const shown = new Map(groups.filter((group) => group.papers.length > 0).map((group) => [group.name, group.papers.map((p) => p.id)]));
  // Read again under the lock: a search saved or removed meanwhile is kept as it now is.
  updateWatches(context.corpusPath, (now) => ({
    watches: now.map((watch) => {
      const ids = shown.get(watch.name);
      if (!ids) return watch;
      const seen = new Set(watch.seen);
      return { ...watch, shown: today(), seen: [...watch.seen, ...ids.filter((id) => !seen.has(id))] };
    }),
    result: undefined,
  }));
}
