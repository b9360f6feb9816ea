import type * as Ink from 'ink';
import type * as ReactModule from 'react';
import type { ReactElement, ReactNode } from 'react';
import wrapAnsi from 'wrap-ansi';
import type { Paper } from '../corpus/paper.js';
import { oneLine } from '../base/terminal.js';
import type { Paint } from './paint.js';

/** The parts of React and Ink the picker's screen is made of: loaded by the picker alone, when it starts. */
export interface Ui {
  React: typeof ReactModule;
  Box: typeof Ink.Box;
  Text: typeof Ink.Text;
}

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
  /** The tag being typed on the status line, while its prompt is open. */
  prompt?: string;
}

export const PROMPT = '> ';
export const TAG_PROMPT = 'tag: ';
const KEYS = 'Tab select, Enter print, Ctrl-O open, Alt-Q/R queued/read, Alt-T tag, Esc quit';
const PROMPT_KEYS = 'Enter add, Esc cancel';
/** Narrower than this, a title beside its mark and the preview's lines are too cut to read. */
export const MIN_COLUMNS = 40;
// Below this many columns an id beside each title leaves the title too little room.
const ID_COLUMN_FROM = 80;
const ID_MAX = 34;
// Authors take at most this many lines of the preview: the abstract is what is read.
const AUTHOR_LINES = 2;

/** How many papers the list shows on a terminal `rows` high: half of what is left below the query and status lines. */
export function listRows(rows: number): number {
  return Math.max(1, Math.floor((rows - 2) / 2));
}

/** The query as the query line shows it: a query wider than the line shows its end, where the typing is. */
export function shownQuery(query: string, columns: number): string {
  const room = Math.max(1, columns - PROMPT.length - 1);
  const chars = [...oneLine(query)];
  return chars.length > room ? `…${chars.slice(-(room - 1)).join('')}` : chars.join('');
}

/** A paper's reading status and tags, as the preview shows them when it has them. */
function readingFields(paper: Paper): string[] {
  const fields: string[] = paper.status ? [paper.status] : [];
  if (paper.tags && paper.tags.length > 0) fields.push(paper.tags.map((tag) => `#${tag}`).join(' '));
  return fields;
}

/** A line of its own, cut with … at the width, never squeezed out of its column by the lines below it. */
const lineOf =
  ({ React, Box, Text }: Ui) =>
  (key: string, text: string) =>
    React.createElement(Box, { key, flexShrink: 0 }, React.createElement(Text, { wrap: 'truncate-end' }, text));

/** The picker's whole screen, `columns` by `rows`: the query line, the status line, the list and the preview. */
export function renderPicker(ui: Ui, view: PickerView, columns: number, rows: number, paint: Paint): ReactElement {
  const { React, Box, Text } = ui;
  const h = React.createElement;
  const line = lineOf(ui);

  if (columns < MIN_COLUMNS) {
    return h(Box, { width: columns, height: rows }, h(Text, { wrap: 'wrap' }, `pick needs ${MIN_COLUMNS} columns; this window has ${columns}`));
  }

  const count = view.papers.length === 0 ? '0 papers' : `${view.current + 1}/${view.papers.length}`;
  const selected = view.selected.size > 0 ? `, ${view.selected.size} selected` : '';
  const status =
    view.prompt === undefined ? oneLine(`  ${count}${selected}${view.message ? `  ${view.message}` : ''}`) : `${TAG_PROMPT}${oneLine(view.prompt)}`;
  const keys = view.prompt === undefined ? KEYS : PROMPT_KEYS;

  const height = Math.min(listRows(rows), Math.max(0, rows - 2));
  const idWidth = columns >= ID_COLUMN_FROM ? Math.min(ID_MAX, Math.max(...view.papers.map((p) => p.id.length), 0)) : 0;
  const list: ReactNode[] = [];
  for (let row = 0; row < height; row++) {
    const at = view.top + row;
    const paper = view.papers[at];
    if (!paper) {
      list.push(line(`row-${row}`, ' '));
      continue;
    }
    const paintRow = at === view.current ? paint.heading : (text: string) => text;
    const mark = `${at === view.current ? '>' : ' '}${view.selected.has(paper.id) ? '*' : ' '} `;
    list.push(
      h(
        Box,
        { key: paper.id, width: columns, flexShrink: 0 },
        h(Box, { flexGrow: 1, flexShrink: 1 }, line('title', paintRow(`${mark}${oneLine(paper.title)}`))),
        idWidth > 0 ? h(Box, { flexShrink: 0, width: idWidth, marginLeft: 2 }, line('id', paint.id(paper.id))) : null,
      ),
    );
  }

  return h(
    Box,
    { flexDirection: 'column', width: columns, height: rows, overflow: 'hidden' },
    line('query', `${paint.heading(PROMPT)}${shownQuery(view.query, columns)}`),
    h(
      Box,
      { key: 'status', width: columns, flexShrink: 0 },
      h(Box, { flexGrow: 1, flexShrink: 1 }, line('text', status)),
      status.length + 2 + keys.length <= columns ? h(Box, { flexShrink: 0 }, line('keys', paint.dim(keys))) : null,
    ),
    h(Box, { key: 'list', flexDirection: 'column', flexShrink: 0, height }, ...list),
    line('rule', paint.dim('─'.repeat(columns))),
    view.papers[view.current] ? preview(ui, view.papers[view.current]!, columns, paint) : null,
  );
}

/** The current paper: title, authors, the date with its reading status and tags, then the abstract wrapped to the pane. */
function preview(ui: Ui, paper: Paper, columns: number, paint: Paint): ReactElement {
  const { React, Box, Text } = ui;
  const h = React.createElement;
  const line = lineOf(ui);
  const authors = wrapAnsi(oneLine((paper.authors ?? []).join(', ')), columns, { hard: true, trim: true }).split('\n');
  // The last line kept holds the rest of the authors, cut where the line ends.
  const authorLines = [...authors.slice(0, AUTHOR_LINES - 1), authors.slice(AUTHOR_LINES - 1).join(' ')].filter((text) => text !== '');
  const about = [paper.published ?? paper.date ?? 'no date', ...readingFields(paper), paper.id].join('  ');
  return h(
    Box,
    { key: 'preview', flexDirection: 'column', flexGrow: 1, flexShrink: 1, overflow: 'hidden' },
    line('title', paint.heading(oneLine(paper.title))),
    ...authorLines.map((text, at) => line(`author-${at}`, text)),
    line('about', paint.dim(oneLine(about))),
    // The abstract takes what is left of the pane, and is cut at its foot.
    h(Box, { key: 'abstract', flexShrink: 1, marginTop: 1, overflow: 'hidden' }, h(Text, { wrap: 'wrap' }, oneLine(paper.abstract))),
  );
}
