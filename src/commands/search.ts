import { openCorpus, outputFormat, parseLimit, type Context } from '../context.js';
import { NotFoundError } from '../errors.js';
import { highlight, snippet } from '../render/highlight.js';
import { paperRecord, renderJson } from '../render/papers.js';
import { renderTsv } from '../render/tsv.js';
import { searchIndex, type Hit } from '../search/engine.js';
import { parseQuery } from '../search/query.js';
import { painter } from '../render/paint.js';

export interface SearchOptions {
  limit?: string;
  all?: boolean;
  format?: string;
}

export const DEFAULT_LIMIT = 10;
const ID_MAX = 34;

export const formatScore = (score: number) => score.toFixed(3);

export async function search(context: Context, words: string[], options: SearchOptions): Promise<void> {
  const format = outputFormat(options.format, context.io);
  const limit = options.all ? Infinity : options.limit === undefined ? DEFAULT_LIMIT : parseLimit(options.limit);
  const query = words.join(' ');
  const parsed = parseQuery(query);
  const hits = await searchIndex((await openCorpus(context)).searchSource(), parsed, limit);
  if (hits.length === 0) throw new NotFoundError(`no papers match \`${query}\``);
  const { io } = context;
  if (format === 'json') {
    io.stdout.write(renderJson(hits.map((hit, i) => ({ rank: i + 1, score: round(hit.score), matched: hit.fields, ...paperRecord(hit.paper) }))));
  } else if (format === 'tsv') {
    io.stdout.write(renderTsv(hits.map((hit) => [hit.paper.id, hit.paper.title, formatScore(hit.score)])));
  } else {
    io.stdout.write(searchTable(hits, context, await import('../render/table.js')));
  }
}

function round(score: number): number {
  return Math.round(score * 1000) / 1000;
}

function searchTable(hits: Hit[], { io }: Context, { flexWidth, renderTable }: typeof import('../render/table.js')): string {
  const paint = painter(io);
  const idWidth = Math.min(ID_MAX, Math.max(2, ...hits.map((h) => h.paper.id.length)));
  const textWidth = flexWidth([String(hits.length).length, idWidth, 'SCORE'.length], io.columns);
  return renderTable(
    [{ header: '#', align: 'right' }, { header: 'ID', max: ID_MAX }, { header: 'TITLE', flex: true }, { header: 'SCORE', align: 'right' }],
    hits.map((hit, i) => {
      const title = highlight(hit.paper.title, hit.spans.title, paint);
      const excerpt = snippet(hit.paper.abstract, hit.spans.abstract, textWidth);
      const lines = hit.spans.abstract.length > 0 ? `${title}\n${paint.dim(highlight(excerpt.text, excerpt.spans, paint))}` : title;
      return [String(i + 1), paint.cyan(hit.paper.id), lines, formatScore(hit.score)];
    }),
    io.columns,
    paint,
  );
}
