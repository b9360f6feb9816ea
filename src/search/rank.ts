import type { Paper } from '../corpus/paper.js';
import { memoryIndex } from '../index/memory.js';
import type { Index } from '../index/types.js';
import { Counts } from './bounds.js';
import { compileQuery } from './compile.js';
import { lexiconOf } from './lexicon.js';
import { scorePaper, type Hit } from './match.js';
import { parseQuery, filtersAnything, passes, type Query } from './query.js';
import { idf, withProximity } from './score.js';

/**
 * Ranks in two steps. From the postings alone, every paper that has all the query's words gets an
 * upper bound of its score (exact for single words; phrases and proximity can only lower it). Then
 * papers are read and scored exactly in order of that bound, until no unread paper can beat the
 * `limit`-th score found: a large corpus reads only a few papers, and the ranking is the same.
 */
export function rankPapers(index: Index, query: Query, limit = Infinity): Hit[] {
  const lexicon = lexiconOf(index);
  const compiled = compileQuery(query, lexicon);
  const counts = new Counts(lexicon, index.count);

  let bounds: Map<number, number> | null = null;
  const weights: number[] = [];
  for (const { terms } of compiled.wanted) {
    const scores = counts.clauseBounds(terms);
    const weight = idf(index.count, scores.size);
    weights.push(weight);
    if (bounds === null) bounds = new Map([...scores].map(([doc, s]) => [doc, weight * s]));
    else {
      const next = new Map<number, number>();
      for (const [doc, sum] of bounds) {
        const s = scores.get(doc);
        if (s !== undefined) next.set(doc, sum + weight * s);
      }
      bounds = next;
    }
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  let pool: [number, number][] = bounds ? [...bounds].map(([doc, sum]) => [doc, sum / weightSum]) : [...Array(index.count).keys()].map((doc) => [doc, 1]);
  if (filtersAnything(compiled.filters)) pool = pool.filter(([doc]) => passes(compiled.filters, index.summary(doc)));
  const excluded = counts.excludedDocs(compiled.unwanted);
  pool = pool.filter(([doc]) => !excluded.has(doc));
  const bound = (base: number) => (compiled.proximity ? withProximity(base, 1) : base);
  pool.sort((a, b) => b[1] - a[1] || a[0] - b[0]);

  const hits: Hit[] = [];
  let floor = -Infinity;
  for (const [doc, base] of pool) {
    if (hits.length >= limit && bound(base) < floor) break;
    const hit = scorePaper(index.paper(doc), compiled, weights);
    if (!hit) continue;
    if (hits.length >= limit && byRank(hit, hits[hits.length - 1]!) >= 0) continue;
    let at = hits.length;
    while (at > 0 && byRank(hit, hits[at - 1]!) < 0) at--;
    hits.splice(at, 0, hit);
    if (hits.length > limit) hits.pop();
    if (hits.length >= limit) floor = hits[hits.length - 1]!.score;
  }
  return hits;
}

function byRank(a: Hit, b: Hit): number {
  return b.score - a.score || b.spans.title.length - a.spans.title.length || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0);
}

/** Parse `query` and rank `papers` against it, best first, at most `limit` of them. */
export function searchPapers(papers: Paper[], query: string, limit = Infinity): Hit[] {
  return rankPapers(memoryIndex(papers), parseQuery(query), limit);
}
