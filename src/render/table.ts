import Table from 'cli-table3';
import stringWidth from 'string-width';
import type { ChalkInstance } from 'chalk';

export interface Column {
  header: string;
  /** Takes the width left over by the other columns (one column per table). */
  flex?: boolean;
  /** Widest a fixed column may grow. */
  max?: number;
  align?: 'left' | 'right';
}

const GAP = 2;
// Filling the last terminal column makes some terminals wrap the line.
const RIGHT_MARGIN = 1;
const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '',
  bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: ' '.repeat(GAP),
};
// The flexible column never shrinks below this, even if the fixed ones must be cut.
const MIN_FLEX_WIDTH = 20;

/** Cells left for the flexible column once the fixed ones (at their natural widths) are placed. */
export function flexWidth(fixedWidths: number[], width: number): number {
  return Math.max(MIN_FLEX_WIDTH, width - RIGHT_MARGIN - fixedWidths.reduce((a, b) => a + b, 0) - GAP * fixedWidths.length);
}

/** A borderless table fitted to `columns` terminal cells; cells are already painted. */
export function renderTable(columns: Column[], rows: string[][], width: number, paint: ChalkInstance): string {
  const natural = columns.map((column, i) =>
    Math.max(stringWidth(column.header), ...rows.map((row) => Math.max(...(row[i] ?? '').split('\n').map((l) => stringWidth(l))))),
  );
  const widths = columns.map((column, i) => (column.flex ? 0 : Math.min(natural[i]!, column.max ?? Infinity)));
  const flexIndex = columns.findIndex((c) => c.flex);
  const used = widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  if (flexIndex >= 0) widths[flexIndex] = Math.max(MIN_FLEX_WIDTH, Math.min(natural[flexIndex]!, width - RIGHT_MARGIN - used));
  const table = new Table({
    head: columns.map((c) => paint.bold(c.header)),
    chars: BORDERLESS,
    colWidths: widths,
    colAligns: columns.map((c) => c.align ?? 'left'),
    style: { 'padding-left': 0, 'padding-right': 0, head: [], border: [], compact: true },
    wordWrap: false,
  });
  for (const row of rows) table.push(row);
  return `${table.toString().split('\n').map((line) => line.trimEnd()).join('\n')}\n`;
}
