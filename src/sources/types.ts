import type { NewPaper } from '../corpus/paper.js';

export const SOURCE_FORMATS = ['digest', 'hf', 'arxiv', 'arxiv-jsonl', 'bibtex', 'papers', 'csv', 'ris', 'csl-json'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** The names of papers' own export formats that are read as `papers`. */
export const PAPERS_EXPORTS = ['json', 'ndjson', 'yaml'] as const;

/** "markdown is not a format papers imports", and the ones it does. */
export function notImported(what: string): string {
  const formats = SOURCE_FORMATS.map((f) => (f === 'papers' ? `papers (its own ${PAPERS_EXPORTS.join(', ')} exports)` : f));
  return `${what} is not a format papers imports; it imports ${formats.join(', ')}`;
}

/** What a reader found in one input. */
export interface Reading {
  papers: NewPaper[];
  /** Lines of page text (a digest's furniture) or records that were not papers and were passed over. */
  skipped: number;
  /** Papers the input listed twice; only the first is kept. */
  repeated: number;
  /** One line for each record passed over, naming it and where it is, for the user to see. */
  passedOver?: string[];
  /** One line for each value left out of a paper that is kept (a count too large to keep exactly), naming the paper. */
  dropped?: string[];
}
