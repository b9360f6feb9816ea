import stringWidth from 'string-width';
import wrapAnsi from 'wrap-ansi';
import type { Paper } from '../corpus/paper.js';
import { oneLine, sanitize } from '../terminal.js';
import type { Paint } from './paint.js';

/** What the picker shows: the query, the ranked papers, which is current and which are selected. */
export interface PickerView {
  query: string;
  papers: Paper[];
  current: number;
  /** The first paper of the list shown: the list scrolls to keep the current one in view. */
  top: number;
  selected: ReadonlySet<string>;
  /** A line about the last thing done (opening a page), or why the query finds nothing. */
  message: string;
}

/** The screen the picker draws: its lines, each within the width, and where the cursor stands on the query line. */
export interface PickerFrame {
  lines: string[];
  cursorColumn: number;
}

const PROMPT = '> ';
const KEYS = 'Tab select, Enter print, Ctrl-O open, Esc quit';
// Below this many columns an id beside each title leaves the title too little room.
const ID_COLUMN_FROM = 80;
const ID_MAX = 34;
// Authors take at most this many lines of the preview: the abstract is what is read.
const AUTHOR_LINES = 2;

/** The text cut to `width` columns, with … where it was cut. */
function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (stringWidth(text) <= width) return text;
  if (width === 1) return '…';
  return `${wrapAnsi(text, width - 1, { hard: true, wordWrap: false, trim: false }).split('\n')[0]}…`;
}

const wrap = (text: string, width: number) => (width > 0 ? wrapAnsi(text, width, { hard: true, trim: true }).split('\n') : []);

/** How many papers the list shows on a terminal `rows` high: half of what is left below the query and status lines. */
export function listRows(rows: number): number {
  return Math.max(1, Math.floor((rows - 2) / 2));
}

export function renderPicker(view: PickerView, columns: number, rows: number, paint: Paint): PickerFrame {
  const width = Math.max(1, columns);
  const query = sanitize(view.query);
  // A query wider than the line shows its end, where the typing is.
  const room = Math.max(1, width - PROMPT.length - 1);
  const shown = stringWidth(query) > room ? `…${[...query].slice(-(room - 1)).join('')}` : query;
  const lines = [fit(`${paint.heading(PROMPT)}${shown}`, width)];

  const count = view.papers.length === 0 ? '0 papers' : `${view.current + 1}/${view.papers.length}`;
  const selected = view.selected.size > 0 ? `, ${view.selected.size} selected` : '';
  const status = `  ${count}${selected}${view.message ? `  ${view.message}` : ''}`;
  const keys = stringWidth(status) + 2 + KEYS.length <= width ? `${' '.repeat(width - stringWidth(status) - KEYS.length)}${paint.dim(KEYS)}` : '';
  lines.push(fit(oneLine(status), width) + keys);

  const listHeight = Math.min(listRows(rows), Math.max(0, rows - lines.length));
  const idWidth = width >= ID_COLUMN_FROM ? Math.min(ID_MAX, Math.max(...view.papers.map((p) => p.id.length), 0)) : 0;
  for (let row = 0; row < listHeight; row++) {
    const at = view.top + row;
    const paper = view.papers[at];
    if (!paper) {
      lines.push('');
      continue;
    }
    const mark = `${at === view.current ? '>' : ' '}${view.selected.has(paper.id) ? '*' : ' '} `;
    const titleWidth = width - mark.length - (idWidth > 0 ? idWidth + 2 : 0);
    const title = fit(oneLine(paper.title), titleWidth);
    const id = idWidth > 0 ? `${' '.repeat(titleWidth - stringWidth(title) + 2)}${paint.id(fit(paper.id, idWidth))}` : '';
    const line = `${mark}${title}${id}`;
    lines.push(at === view.current ? paint.heading(line) : line);
  }

  const paper = view.papers[view.current];
  if (lines.length < rows) lines.push(paint.dim('─'.repeat(width)));
  if (paper) {
    const preview = [paint.heading(fit(oneLine(paper.title), width))];
    if (paper.authors && paper.authors.length > 0) {
      const authors = wrap(oneLine(paper.authors.join(', ')), width);
      preview.push(...authors.slice(0, AUTHOR_LINES - 1), ...(authors.length >= AUTHOR_LINES ? [fit(authors.slice(AUTHOR_LINES - 1).join(' '), width)] : []));
    }
    preview.push(paint.dim(fit(oneLine(`${paper.published ?? paper.date ?? 'no date'}  ${paper.id}`), width)), '');
    preview.push(...wrap(oneLine(paper.abstract), width));
    lines.push(...preview);
  }
  while (lines.length < rows) lines.push('');
  return { lines: lines.slice(0, Math.max(1, rows)), cursorColumn: Math.min(width, PROMPT.length + stringWidth(shown)) };
}
