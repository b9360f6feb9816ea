import { loadCorpusView, writeRows, type Context } from '../context.js';
import { paperDay } from '../corpus/dates.js';
import { shortCode } from '../corpus/links.js';
import { paperRecord, type PaperSummary } from '../corpus/paper.js';
import { hasAuthor } from '../corpus/ids.js';
import { sortPapers, type SortKey } from '../corpus/sort.js';
import { NO_FILTERS, passes } from '../search/query.js';
import type { OutputFormat } from '../render/formats.js';
import { outputFormat } from '../render/rows.js';

export interface ListOptions {
  limit?: number;
  sort?: SortKey;
  reverse?: boolean;
  hasCode?: boolean;
  author?: string;
  since?: string;
  until?: string;
  format?: OutputFormat;
}

export function selectPapers(papers: PaperSummary[], options: ListOptions): PaperSummary[] {
  const filters = { ...NO_FILTERS, code: options.hasCode ? true : null, since: options.since ?? null, until: options.until ?? null };
  const wanted = papers.filter((p) => passes(filters, p) && (options.author === undefined || hasAuthor(p.authors, options.author)));
  let selected = sortPapers(wanted, options.sort ?? 'corpus');
  if (options.reverse) selected.reverse();
  if (options.limit !== undefined && options.limit < selected.length) selected = selected.slice(0, options.limit);
  return selected;
}

export async function list(context: Context, options: ListOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const corpus = await loadCorpusView(context);
  // The first papers in corpus order, as `list --limit 20` asks, need not read every paper's summary.
  const plain =
    !options.hasCode && options.author === undefined && !options.since && !options.until && (options.sort ?? 'corpus') === 'corpus' && !options.reverse;
  const papers = plain && options.limit !== undefined ? corpus.head(options.limit) : selectPapers(corpus.summaries(), options);
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
