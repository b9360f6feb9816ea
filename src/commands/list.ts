import { shortCode } from '../corpus/paper.js';
import type { PaperSummary } from '../corpus/view.js';
import { openCorpus, outputFormat, parseLimit, type Context } from '../context.js';
import { UsageError } from '../errors.js';
import { paperRecord, renderJson } from '../render/papers.js';
import { renderTsv } from '../render/tsv.js';
import { oneLine } from '../terminal.js';

export interface ListOptions {
  limit?: string;
  sort?: string;
  reverse?: boolean;
  hasCode?: boolean;
  format?: string;
}

const SORTS = ['id', 'title', 'date', 'corpus'] as const;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Mar 11", "11 March 2024", "2024-03-11" -> a sortable key; dates without a year sort by month and day. */
export function dateKey(date: string | null): string {
  if (!date) return '';
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const month = MONTHS.findIndex((m) => date.toLowerCase().includes(m)) + 1;
  const numbers = date.match(/\d+/g) ?? [];
  const year = numbers.find((n) => n.length === 4) ?? '0000';
  const day = numbers.find((n) => n.length <= 2) ?? '0';
  return `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}`;
}

export function selectPapers(papers: PaperSummary[], options: ListOptions): PaperSummary[] {
  const sort = options.sort ?? 'corpus';
  if (!(SORTS as readonly string[]).includes(sort)) throw new UsageError(`unknown --sort \`${sort}\`: use ${SORTS.join(', ')}`);
  const limit = options.limit === undefined ? Infinity : parseLimit(options.limit);
  let selected = options.hasCode ? papers.filter((p) => p.code) : [...papers];
  const byText = (key: (p: PaperSummary) => string) => (a: PaperSummary, b: PaperSummary) => key(a).localeCompare(key(b), 'en', { sensitivity: 'base' });
  if (sort === 'id') selected.sort(byText((p) => p.id));
  if (sort === 'title') selected.sort(byText((p) => p.title));
  if (sort === 'date') selected.sort((a, b) => dateKey(a.date).localeCompare(dateKey(b.date)));
  if (options.reverse) selected.reverse();
  if (limit < selected.length) selected = selected.slice(0, limit);
  return selected;
}

export async function list(context: Context, options: ListOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const corpus = await openCorpus(context);
  const papers = selectPapers(corpus.summaries(), options);
  const { io } = context;
  if (format === 'json') {
    io.stdout.write(renderJson(papers.map((p) => paperRecord(corpus.paper(p.doc)))));
  } else if (format === 'tsv') {
    io.stdout.write(renderTsv(papers.map((p) => [p.id, p.title, p.date ?? '', p.code ?? ''])));
  } else {
    const [{ renderTable }, { painter }] = await Promise.all([import('../render/table.js'), import('../render/paint.js')]);
    const paint = painter(io);
    io.stdout.write(
      renderTable(
        [{ header: 'ID', max: 34 }, { header: 'TITLE', flex: true }, { header: 'DATE', max: 12 }, { header: 'CODE', max: 30 }],
        papers.map((p) => [paint.cyan(p.id), oneLine(p.title), p.date ?? '', paint.dim(oneLine(shortCode(p.code)))]),
        io.columns,
        paint,
      ),
    );
  }
}
