import { paperRecord, type Paper } from '../corpus/paper.js';
import type { Span } from '../search/match.js';
import type { Field } from '../search/query.js';
import type { Rows } from './cells.js';

/** A paper in a ranked list (search hits, related papers), with what matched when there is a query. */
export interface Ranked {
  paper: Paper;
  score: number;
  fields?: Field[];
  spans?: Record<Field, Span[]>;
  /** The reader's note, when the query matched in it. */
  note?: string;
  /** A near miss of a search: the query's words it matched. */
  partial?: string[];
}

// Ids are at most 32 characters; a little more room keeps the score column from jumping.
const ID_MAX = 34;
const formatScore = (score: number) => score.toFixed(3);

/** Rank, id, title (with a snippet of the abstract around the match, in tables) and score; TSV: id, title, score. */
export function rankedRows(items: Ranked[]): Rows {
  return {
    columns: [
      { header: '#', align: 'right', only: 'table' },
      { header: 'ID', max: ID_MAX },
      { header: 'TITLE', flex: true },
      { header: 'SCORE', align: 'right' },
    ],
    // A near miss is marked by a ~ after its rank, and its id dimmed.
    rows: items.map((item, i) => [
      item.partial ? `${i + 1}~` : String(i + 1),
      { text: item.paper.id, tone: item.partial ? 'dim' : 'id' },
      { text: item.paper.title, spans: item.spans?.title ?? [], detail: detailOf(item) },
      formatScore(item.score),
    ]),
    shrink: [
      { column: 'ID', to: 24 },
      { column: 'SCORE', drop: true },
      { column: '#', drop: true },
      { column: 'ID', to: 12 },
    ],
  };
}

/** The text shown under a title: the abstract around the match, or the note when only the note has it. */
function detailOf(item: Ranked): { text: string; spans: Span[] } {
  const inAbstract = item.spans?.abstract ?? [];
  if (inAbstract.length === 0 && item.note !== undefined && item.spans?.note.length) return { text: item.note, spans: item.spans.note };
  return { text: item.paper.abstract, spans: inAbstract };
}

/** The stable JSON shape of a ranked list. */
export function rankedRecords(items: Ranked[]): Record<string, unknown>[] {
  return items.map((item, i) => ({
    rank: i + 1,
    score: Math.round(item.score * 1000) / 1000,
    ...(item.fields ? { matched: item.fields } : {}),
    ...(item.partial ? { partial: true, matchedWords: item.partial } : {}),
    ...paperRecord(item.paper),
  }));
}
