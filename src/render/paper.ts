import { paperPages } from '../corpus/links.js';
import type { Paper } from '../corpus/paper.js';
import { authorText } from '../index/words.js';
import type { Span } from '../search/match.js';
import type { Field } from '../search/query.js';
import { sanitize, sanitizeLines, type Io } from '../base/terminal.js';
import { highlight } from './highlight.js';
import { loadPaint } from './paint.js';

// Reading measure for abstracts: wider lines are hard to follow even on a wide terminal.
const MAX_TEXT_WIDTH = 100;
// Filling the last terminal column makes some terminals wrap the line.
const RIGHT_MARGIN = 1;
// The longest label (`upvotes`, `project`) and a space: a value never runs into its label.
const LABEL_WIDTH = 8;
// Sets the user's note apart from the paper's own text above it.
const NOTE_RULE = '── note ──';

/**
 * One paper to read: title, id, date, source, links, then the abstract, wrapped to the terminal (not in a
 * pipe), with the `spans` of a query highlighted, and the user's own note under it. Only a URL, which cannot be
 * broken, may run wider.
 */
export async function renderPaper(
  paper: Paper,
  spans: Record<Field, Span[]>,
  io: Pick<Io, 'isTTY' | 'columns' | 'color'>,
  note: string | null = null,
): Promise<string> {
  const paint = await loadPaint(io.color);
  const width = io.isTTY ? Math.min(io.columns - RIGHT_MARGIN, MAX_TEXT_WIDTH) : 0;
  const wrapAnsi = width > 0 ? (await import('wrap-ansi')).default : null;
  const wrap = (text: string, within = width) => (wrapAnsi ? wrapAnsi(text, within, { hard: true }) : text);
  const label = (name: string) => paint.dim(name.padEnd(LABEL_WIDTH));
  // A value is wrapped beside its label, so that its wrapped lines start under it, not under the label.
  const field = (name: string, text: string) => `${label(name)}${wrap(text, width - LABEL_WIDTH).replaceAll('\n', `\n${' '.repeat(LABEL_WIDTH)}`)}`;
  const lines = [paint.heading(wrap(highlight(paper.title, spans.title, paint)))];
  if (paper.authors?.length) lines.push(field('by', highlight(authorText(paper.authors), spans.author, paint)));
  lines.push(field('id', paint.id(paper.id)));
  if (paper.arxiv) lines.push(field('arxiv', sanitize(paper.arxiv)));
  if (paper.published) lines.push(field('date', sanitize(paper.published) + (paper.date ? ` (digest ${sanitize(paper.date)})` : '')));
  else lines.push(field('date', sanitize(paper.date ?? '-')));
  if (paper.daily) lines.push(field('daily', `${sanitize(paper.daily)} (Hugging Face daily papers)`));
  if (paper.categories?.length) lines.push(field('topics', sanitize(paper.categories.join(', '))));
  const venue = paper.journal || paper.booktitle;
  if (venue) lines.push(field('in', sanitize(venue)));
  if (paper.key) lines.push(field('cite', sanitize(paper.key)));
  if (paper.doi) lines.push(field('doi', sanitize(paper.doi)));
  if (paper.upvotes !== undefined) lines.push(field('upvotes', String(paper.upvotes)));
  if (paper.comments) lines.push(field('notes', sanitize(paper.comments)));
  // The reader's own: checked on load to be a status, a day and tags, nothing that needs escaping.
  if (paper.status) lines.push(field('status', paper.marked ? `${paper.status} since ${paper.marked}` : paper.status));
  if (paper.tags?.length) lines.push(field('tags', paper.tags.join(', ')));
  lines.push(field('source', sanitize(paper.source || '-')));
  // URLs are not wrapped: cut, they could not be opened or copied.
  const pages = paperPages(paper);
  const shown = new Set<string>();
  for (const [name, url] of [
    ['page', pages.page],
    ['pdf', pages.pdf],
    ['hf', pages.hf],
    ['code', pages.code],
    ['project', pages.project],
  ] as const) {
    if (!url || shown.has(url)) continue;
    shown.add(url);
    lines.push(`${label(name)}${sanitize(url)}`);
  }
  for (const link of paper.links.filter((l) => !shown.has(l))) lines.push(`${label('link')}${sanitize(link)}`);
  if (paper.abstract) lines.push('', wrap(highlight(paper.abstract, spans.abstract, paint)));
  if (note !== null) lines.push('', paint.dim(NOTE_RULE), wrap(sanitizeLines(note.replace(/\s+$/, ''))));
  return `${lines.join('\n')}\n`;
}
