import Table from 'cli-table3';
import stringWidth from 'string-width';
import { oneLine } from '../base/terminal.js';
import { highlight, snippet } from './highlight.js';
import type { Paint } from './paint.js';
import type { Cell, Column, ShrinkStep } from './cells.js';

const GAP = 2;
// Filling the last terminal column makes some terminals wrap the line.
const RIGHT_MARGIN = 1;
// The flexible column (titles) shrinks to this before any other column gives up width.
const MIN_FLEX_WIDTH = 20;
const ROWS_AT_A_TIME = 200;
const BORDERLESS = {
  top: '',
  'top-mid': '',
  'top-left': '',
  'top-right': '',
  bottom: '',
  'bottom-mid': '',
  'bottom-left': '',
  'bottom-right': '',
  left: '',
  'left-mid': '',
  mid: '',
  'mid-mid': '',
  right: '',
  'right-mid': '',
  middle: ' '.repeat(GAP),
};

/**
 * Widths for `columns` (null: left out) so that the table fits `width` cells: every column at its natural
 * width up to its max; when that is too wide, the flexible column shrinks to its minimum, then the steps
 * run in order until it fits. Width a later step freed goes back to the columns squeezed last.
 */
export function fitColumns(columns: Column[], natural: number[], steps: ShrinkStep[], width: number): (number | null)[] {
  const room = width - RIGHT_MARGIN;
  const widths: (number | null)[] = columns.map((column, i) => Math.min(natural[i]!, column.max ?? Infinity));
  const flex = columns.findIndex((c) => c.flex);
  const flexMin = flex < 0 ? 0 : Math.min(widths[flex]!, MIN_FLEX_WIDTH);
  const used = () => {
    const shown = widths.filter((w): w is number => w !== null);
    return shown.reduce((a, b) => a + b, 0) - (flex < 0 ? 0 : widths[flex]! - flexMin) + GAP * (shown.length - 1);
  };
  const squeezed: number[] = [];
  for (const step of steps) {
    if (used() <= room) break;
    const i = columns.findIndex((c) => c.header === step.column);
    if (i < 0 || widths[i] === null) continue;
    if ('drop' in step) widths[i] = null;
    else if (widths[i]! > step.to) {
      widths[i] = Math.max(step.to, widths[i]! - (used() - room));
      squeezed.push(i);
    }
  }
  for (const i of squeezed.reverse()) {
    if (widths[i] === null) continue;
    const want = Math.min(natural[i]!, columns[i]!.max ?? Infinity);
    widths[i] = Math.min(want, widths[i]! + Math.max(0, room - used()));
  }
  if (flex >= 0) widths[flex] = Math.max(flexMin, Math.min(widths[flex]!, room - used() + flexMin));
  return widths;
}

/** A borderless table fitted to `width` terminal cells, painted when `color`. */
export function renderTable(columns: Column[], rows: Cell[][], steps: ShrinkStep[], width: number, paint: Paint): string {
  // A column the table may drop anyway is left out when no row has anything in it (no paper has code).
  const droppable = new Set(steps.filter((step) => 'drop' in step).map((step) => step.column));
  const empty = (column: Column, i: number) => droppable.has(column.header) && rows.every((row) => !row[i]?.text);
  const tableColumns = columns.flatMap((column, i) => (column.only === 'tsv' || empty(column, i) ? [] : [{ column, i }]));
  const natural = tableColumns.map(({ column, i }) =>
    rows.reduce((width, row) => Math.max(width, row[i]?.detail ? Infinity : stringWidth(oneLine(row[i]?.text ?? ''))), stringWidth(column.header)),
  );
  const fitted = fitColumns(
    tableColumns.map((c) => c.column),
    natural.map((n) => (Number.isFinite(n) ? n : width)),
    steps,
    width,
  );
  const shown = tableColumns.flatMap((c, k) => (fitted[k] === null ? [] : [{ ...c, width: fitted[k]! }]));
  const paintCell = (cell: Cell | undefined, cellWidth: number) => {
    if (!cell) return '';
    let text = highlight(cell.text, cell.spans ?? [], paint);
    if (cell.tone === 'id') text = paint.id(text);
    if (cell.tone === 'dim') text = paint.dim(text);
    if (cell.detail && cell.detail.spans.length > 0) {
      const excerpt = snippet(cell.detail.text, cell.detail.spans, cellWidth);
      text += `\n${paint.dim(highlight(excerpt.text, excerpt.spans, paint))}`;
    }
    return text;
  };
  // cli-table3 lays a table out in time that grows with the square of its rows: render it a slice at a
  // time, with the widths fixed above, so that a long list takes time in proportion to its length.
  const lines: string[] = [];
  for (let from = 0; from === 0 || from < rows.length; from += ROWS_AT_A_TIME) {
    const table = new Table({
      ...(from === 0 ? { head: shown.map(({ column }) => paint.heading(column.header)) } : {}),
      chars: BORDERLESS,
      colWidths: shown.map((c) => c.width),
      colAligns: shown.map(({ column }) => column.align ?? 'left'),
      style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [], compact: true },
      wordWrap: false,
    });
    for (const row of rows.slice(from, from + ROWS_AT_A_TIME)) table.push(shown.map(({ i, width: cellWidth }) => paintCell(row[i], cellWidth)));
    for (const line of table.toString().split('\n')) if (line !== '' || rows.length === 0) lines.push(line.trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
