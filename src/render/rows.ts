import { oneLine, type Io } from '../base/terminal.js';
import type { Cell, Rows, RowsFormat } from './cells.js';
import type { OutputFormat } from './formats.js';
import { highlight } from './highlight.js';
import { loadPaint } from './paint.js';

/** Tables for people, tab-separated rows for pipes, unless asked (--format is checked by its option's choices). */
export function outputFormat(requested: string | undefined, io: Pick<Io, 'isTTY'>): OutputFormat {
  return (requested as OutputFormat | undefined) ?? (io.isTTY ? 'table' : 'tsv');
}

/**
 * The one output switch for lists: a table fitted to the terminal, or tab-separated rows with no header
 * for pipes. Colour only where wanted: tables follow --color and the terminal; TSV only `--color always`.
 */
export async function renderRows(io: Io, format: RowsFormat, { columns, rows, shrink = [] }: Rows): Promise<string> {
  const cells = rows.map((row) => row.map((cell) => (typeof cell === 'string' ? { text: cell } : cell)));
  if (format === 'table') {
    const [{ renderTable }, paint] = await Promise.all([import('./table.js'), loadPaint(io.color)]);
    return renderTable(columns, cells, shrink, io.columns, paint);
  }
  const shown = columns.flatMap((column, i) => (column.only === 'table' ? [] : [i]));
  // Plain TSV never loads chalk: it is the common case in scripts.
  const paint = io.colorMode === 'always' ? await loadPaint(true) : null;
  const field = (cell: Cell) => {
    if (!paint) return oneLine(cell.text);
    const text = highlight(cell.text, cell.spans ?? [], paint);
    return cell.tone === 'id' ? paint.id(text) : text;
  };
  return cells.map((row) => shown.map((i) => field(row[i] ?? { text: '' })).join('\t') + '\n').join('');
}

/** Tab-separated rows of plain text, for output that is never a table. */
export function renderTsv(rows: string[][]): string {
  return rows.map((row) => `${row.map(oneLine).join('\t')}\n`).join('');
}
