import type { NewPaper } from '../corpus/paper.js';

export const SOURCE_FORMATS = ['digest', 'hf', 'arxiv', 'arxiv-jsonl', 'bibtex', 'papers'] as const;
export type SourceFormat = (typeof SOURCE_FORMATS)[number];

/** What a reader found in one input. */
export interface Reading {
  papers: NewPaper[];
  /** Lines of page text (a digest's furniture) or records that were not papers and were passed over. */
  skipped: number;
  /** Papers the input listed twice; only the first is kept. */
  repeated: number;
  /** One line for each record passed over, naming it and where it is, for the user to see. */
  passedOver?: string[];
}
