import type { SearchSource } from '../search/engine.js';
import type { Paper } from './paper.js';

/** What `list` and `show` need of every paper, without the abstracts. */
export interface PaperSummary {
  doc: number;
  id: string;
  title: string;
  date: string | null;
  code: string | null;
}

/** A loaded corpus: from the YAML in memory, or from the cache, read only as far as a command needs. */
export interface CorpusView {
  count: number;
  summaries(): PaperSummary[];
  paper(doc: number): Paper;
  papers(): Paper[];
  searchSource(): SearchSource;
}

export function summarize(paper: Paper, doc: number): PaperSummary {
  return { doc, id: paper.id, title: paper.title, date: paper.date, code: paper.code };
}
