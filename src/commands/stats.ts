import { dateKey } from './list.js';
import { openCorpus, outputFormat, type Context } from '../context.js';
import type { ChalkInstance } from 'chalk';
import { renderJson } from '../render/papers.js';
import { renderTsv } from '../render/tsv.js';
import { STOP_WORDS } from '../search/stopwords.js';
import { oneLine } from '../terminal.js';

export interface StatsOptions {
  format?: string;
}

export interface Stats {
  papers: number;
  withCode: number;
  dates: { date: string; papers: number }[];
  keywords: { word: string; papers: number }[];
}

const KEYWORDS = 15;
// Keywords are words of this length or more; shorter ones are mostly symbols and acronym fragments.
const MIN_KEYWORD = 3;

export async function stats(context: Context, options: StatsOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const corpus = await openCorpus(context);
  const summaries = corpus.summaries();
  const byDate = new Map<string, number>();
  for (const paper of summaries) byDate.set(paper.date ?? '(no date)', (byDate.get(paper.date ?? '(no date)') ?? 0) + 1);
  const source = corpus.searchSource();
  const df = source.frequencies();
  const keywords = source.vocabulary.sorted
    .map((word, i) => ({ word, papers: df[i]! }))
    .filter(({ word }) => word.length >= MIN_KEYWORD && !STOP_WORDS.has(word) && !/^\d+$/.test(word))
    .sort((a, b) => b.papers - a.papers || (a.word < b.word ? -1 : 1))
    .slice(0, KEYWORDS);
  const result: Stats = {
    papers: summaries.length,
    withCode: summaries.filter((p) => p.code).length,
    dates: [...byDate].map(([date, papers]) => ({ date, papers })).sort((a, b) => dateKey(a.date).localeCompare(dateKey(b.date))),
    keywords,
  };
  const { io } = context;
  if (format === 'json') io.stdout.write(renderJson(result));
  else if (format === 'tsv') {
    io.stdout.write(
      renderTsv([
        ['papers', String(result.papers)],
        ['with-code', String(result.withCode)],
        ...result.dates.map((d) => ['date', d.date, String(d.papers)]),
        ...result.keywords.map((k) => ['keyword', k.word, String(k.papers)]),
      ]),
    );
  } else {
    const { painter } = await import('../render/paint.js');
    io.stdout.write(statsChart(result, io.columns, painter(io)));
  }
}

function statsChart(result: Stats, columns: number, paint: ChalkInstance): string {
  const share = result.papers > 0 ? Math.round((100 * result.withCode) / result.papers) : 0;
  const lines = [`${paint.bold(String(result.papers))} papers, ${result.withCode} with code (${share}%)`, ''];
  const chart = (title: string, rows: { label: string; value: number }[]) => {
    const labelWidth = Math.max(...rows.map((r) => r.label.length));
    const valueWidth = Math.max(...rows.map((r) => String(r.value).length));
    const barWidth = Math.max(10, columns - labelWidth - valueWidth - 4);
    const max = Math.max(...rows.map((r) => r.value));
    lines.push(paint.bold(title));
    for (const row of rows) {
      const bar = '█'.repeat(Math.max(1, Math.round((row.value / max) * barWidth)));
      lines.push(`${row.label.padEnd(labelWidth)}  ${paint.cyan(bar)} ${String(row.value).padStart(valueWidth)}`);
    }
    lines.push('');
  };
  chart('Papers per digest date', result.dates.map((d) => ({ label: oneLine(d.date), value: d.papers })));
  if (result.keywords.length > 0) chart('Most frequent keywords (papers using them)', result.keywords.map((k) => ({ label: k.word, value: k.papers })));
  return `${lines.join('\n').trimEnd()}\n`;
}
