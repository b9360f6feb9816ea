import stringWidth from 'string-width';
import { oneLine, type Io } from '../base/terminal.js';
import type { Paint } from './paint.js';

export interface Stats {
  papers: number;
  withCode: number;
  dates: { date: string; papers: number }[];
  keywords: { phrase: string; papers: number; weight: number }[];
  /** When the corpus is larger than the keywords are worked out from: how many papers, evenly spread, they come from. */
  keywordSample?: number;
}

// Filling the last terminal column makes some terminals wrap the line.
const RIGHT_MARGIN = 1;
// A bar shorter than this no longer shows proportions; long labels are cut to keep it.
const MIN_BAR = 10;

/** Counts, then bar charts of papers per date and of the distinctive keywords, fitted to the terminal. */
export function renderStatsChart(stats: Stats, io: Pick<Io, 'columns'>, paint: Paint): string {
  const width = io.columns - RIGHT_MARGIN;
  const share = stats.papers > 0 ? Math.round((100 * stats.withCode) / stats.papers) : 0;
  const lines = [`${paint.heading(String(stats.papers))} papers, ${stats.withCode} with code (${share}%)`, ''];
  const chart = (title: string, rows: { label: string; value: number }[]) => {
    const valueWidth = rows.reduce((w, r) => Math.max(w, String(r.value).length), 0);
    const labelRoom = width - valueWidth - MIN_BAR - 3;
    const labels = rows.map((r) => cut(oneLine(r.label), labelRoom));
    const labelWidth = labels.reduce((w, l) => Math.max(w, stringWidth(l)), 0);
    const barWidth = width - labelWidth - valueWidth - 3;
    const max = rows.reduce((m, r) => Math.max(m, r.value), 0);
    lines.push(paint.heading(cut(title, width)));
    rows.forEach((row, i) => {
      const label = labels[i]!;
      const bar = '█'.repeat(Math.max(1, Math.round((row.value / max) * barWidth)));
      lines.push(`${label}${' '.repeat(labelWidth - stringWidth(label))}  ${paint.bar(bar)} ${String(row.value).padStart(valueWidth)}`);
    });
    lines.push('');
  };
  chart(
    'Papers per digest date',
    stats.dates.map((d) => ({ label: d.date, value: d.papers })),
  );
  if (stats.keywords.length > 0) {
    chart(
      stats.keywordSample === undefined ? 'Distinctive keywords (papers)' : `Distinctive keywords (papers, of ${stats.keywordSample} evenly spread)`,
      stats.keywords.map((k) => ({ label: k.phrase, value: k.papers })),
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** `text` cut to `width` terminal cells, with an ellipsis when it was longer. */
function cut(text: string, width: number): string {
  if (stringWidth(text) <= width) return text;
  let kept = '';
  for (const char of text) {
    if (stringWidth(kept + char) > width - 1) break;
    kept += char;
  }
  return `${kept}…`;
}
