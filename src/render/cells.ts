import type { Span } from '../search/match.js';

export type RowsFormat = 'table' | 'tsv';

/** A cell: its text, how it is coloured, the parts that matched a query, and in a table a line of detail under it. */
export interface Cell {
  text: string;
  tone?: 'id' | 'dim';
  spans?: Span[];
  /** Shown under the text in a table, cut to a snippet around its spans that fits the column; never in TSV. */
  detail?: { text: string; spans: Span[] };
}

export interface Column {
  header: string;
  /** Takes the width the other columns leave (one column a table). */
  flex?: boolean;
  /** Widest the column grows. */
  max?: number;
  align?: 'left' | 'right';
  /** Only in tables (a rank), or only in TSV. */
  only?: RowsFormat;
}

/**
 * How a table gives up width when the terminal is narrow, step by step until it fits: squeeze a column
 * to `to` cells, or drop it. The flexible column first shrinks to its minimum before any step.
 */
export type ShrinkStep = { column: string; to: number } | { column: string; drop: true };

export interface Rows {
  columns: Column[];
  rows: (Cell | string)[][];
  shrink?: ShrinkStep[];
}
