import type { Paper } from '../corpus/paper.js';
import type { Span } from '../search/match.js';
import type { Field } from '../search/query.js';
import { sanitize, type Io } from '../terminal.js';
import { highlight } from './highlight.js';
import { loadPaint } from './paint.js';

// Reading measure for abstracts: wider lines are hard to follow even on a wide terminal.
const MAX_TEXT_WIDTH = 100;
// Filling the last terminal column makes some terminals wrap the line.
const RIGHT_MARGIN = 1;
const LABEL_WIDTH = 7;

/**
 * One paper to read: title, id, date, source, links, then the abstract, wrapped to the terminal (not in a
 * pipe), with the `spans` of a query highlighted. Only a URL, which cannot be broken, may run wider.
 */
export async function renderPaper(paper: Paper, spans: Record<Field, Span[]>, io: Pick<Io, 'isTTY' | 'columns' | 'color'>): Promise<string> {
  const paint = await loadPaint(io.color);
  const width = io.isTTY ? Math.min(io.columns - RIGHT_MARGIN, MAX_TEXT_WIDTH) : 0;
  const wrapAnsi = width > 0 ? (await import('wrap-ansi')).default : null;
  const wrap = (text: string) => (wrapAnsi ? wrapAnsi(text, width, { hard: true }) : text);
  const label = (name: string) => paint.dim(name.padEnd(LABEL_WIDTH));
  const lines = [
    paint.heading(wrap(highlight(paper.title, spans.title, paint))),
    wrap(`${label('id')}${paint.id(paper.id)}`),
    wrap(`${label('date')}${sanitize(paper.date ?? '-')}`),
    wrap(`${label('source')}${sanitize(paper.source || '-')}`),
  ];
  if (paper.code) lines.push(`${label('code')}${sanitize(paper.code)}`);
  for (const link of paper.links.filter((l) => l !== paper.code)) lines.push(`${label('link')}${sanitize(link)}`);
  lines.push('', wrap(highlight(paper.abstract, spans.abstract, paint)));
  return `${lines.join('\n')}\n`;
}
