import { oneLine } from '../terminal.js';

/** Tab-separated rows, no header: one line a record, for cut, awk and xargs. */
export function renderTsv(rows: string[][]): string {
  return rows.map((row) => row.map(oneLine).join('\t')).join('\n') + (rows.length > 0 ? '\n' : '');
}
