import type { Paper } from '../corpus/paper.js';
import type { OutputFormat } from '../context.js';
import type { Span } from '../search/engine.js';
import type { Field } from '../search/query.js';
import type { Io } from '../terminal.js';
import { paperRecord, renderJson } from './papers.js';
import { renderTsv } from './tsv.js';

/** A paper in a ranked list (search hits, related papers), with what matched when there is a query. */
export interface Ranked {
  paper: Paper;
  score: number;
  fields?: Field[];
  spans?: Record<Field, Span[]>;
}

const ID_MAX = 34;
export const formatScore = (score: number) => score.toFixed(3);
const round = (score: number) => Math.round(score * 1000) / 1000;

/** Rank, id, title and score: a table on a terminal, `id<TAB>title<TAB>score` rows, or JSON. */
export async function renderRanked(items: Ranked[], format: OutputFormat, io: Io): Promise<string> {
  if (format === 'json') {
    return renderJson(items.map((item, i) => ({ rank: i + 1, score: round(item.score), ...(item.fields ? { matched: item.fields } : {}), ...paperRecord(item.paper) })));
  }
  if (format === 'tsv') return renderTsv(items.map((item) => [item.paper.id, item.paper.title, formatScore(item.score)]));
  // Tables only on a terminal: their modules (and chalk) are not loaded for pipes.
  const [{ flexWidth, renderTable }, { highlight, snippet }, { painter }] = await Promise.all([import('./table.js'), import('./highlight.js'), import('./paint.js')]);
  const paint = painter(io);
  const idWidth = Math.min(ID_MAX, Math.max(2, ...items.map((h) => h.paper.id.length)));
  const textWidth = flexWidth([String(items.length).length, idWidth, 'SCORE'.length], io.columns);
  return renderTable(
    [{ header: '#', align: 'right' }, { header: 'ID', max: ID_MAX }, { header: 'TITLE', flex: true }, { header: 'SCORE', align: 'right' }],
    items.map((item, i) => {
      const title = highlight(item.paper.title, item.spans?.title ?? [], paint);
      const matched = item.spans?.abstract ?? [];
      let cell = title;
      if (matched.length > 0) {
        const excerpt = snippet(item.paper.abstract, matched, textWidth);
        cell = `${title}\n${paint.dim(highlight(excerpt.text, excerpt.spans, paint))}`;
      }
      return [String(i + 1), paint.cyan(item.paper.id), cell, formatScore(item.score)];
    }),
    io.columns,
    paint,
  );
}
