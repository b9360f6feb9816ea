import { loadCorpusView, writeRows, type Context } from '../app/context.js';
import { paperDay } from '../corpus/dates.js';
import { shortCode } from '../corpus/links.js';
import { paperRecord, type PaperSummary } from '../corpus/paper.js';
import { sortPapers, type SortKey } from '../corpus/sort.js';
import { NotFoundError } from '../base/errors.js';
import { checkWindow, nothingInCorpus, selectedSummaries, selects, type Selection } from '../search/select.js';
import type { OutputFormat } from '../render/formats.js';
import { outputFormat } from '../render/rows.js';

export interface ListOptions extends Selection {
  limit?: number;
  sort?: SortKey;
  reverse?: boolean;
  format?: OutputFormat;
}

/** The selected papers (see selectedSummaries), sorted, reversed and cut to --limit as asked. */
function orderPapers(wanted: PaperSummary[], options: ListOptions): PaperSummary[] {
  let selected = sortPapers(wanted, options.sort ?? 'corpus');
  if (options.reverse) selected.reverse();
  if (options.limit !== undefined && options.limit < selected.length) selected = selected.slice(0, options.limit);
  return selected;
}

export async function list(context: Context, options: ListOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  checkWindow(options.since, options.until);
  const corpus = await loadCorpusView(context);
  // The first papers in corpus order, as `list --limit 20` asks, need not read every paper's summary.
  const plain = !selects(options) && (options.sort ?? 'corpus') === 'corpus' && !options.reverse;
  const papers = plain && options.limit !== undefined ? corpus.head(options.limit) : orderPapers(selectedSummaries(corpus, options), options);
  // As search does: a filter that lets no paper through says so, rather than print nothing.
  if (papers.length === 0 && selects(options)) throw new NotFoundError(nothingInCorpus(corpus, options));
  const rows = {
    columns: [
      { header: 'ID', max: 34 },
      { header: 'TITLE', flex: true },
      { header: 'DATE', max: 12 },
      { header: 'CODE', max: 30 },
    ],
    // A table shows the repository as owner/name; TSV keeps the whole URL for scripts.
    rows: papers.map((p) => [
      { text: p.id, tone: 'id' as const },
      p.title,
      // The day it is sorted and filtered by (see paperDay), else the digest's date line.
      paperDay(p) ?? p.date ?? '',
      { text: format === 'table' ? shortCode(p.code) : (p.code ?? ''), tone: 'dim' as const },
    ]),
    shrink: [
      { column: 'CODE', to: 12 },
      { column: 'CODE', drop: true as const },
      { column: 'ID', to: 24 },
      { column: 'DATE', drop: true as const },
      { column: 'ID', to: 12 },
    ],
  };
  await writeRows(context, format, rows, () => papers.map((p) => paperRecord(corpus.paper(p.doc))));
}
