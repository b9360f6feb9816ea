import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { memoryIndex } from '../src/index/memory.js';
import { rankPapers, searchPapers } from '../src/search/rank.js';
import { parseQuery } from '../src/search/query.js';
import { generatePapers } from '../scripts/synthetic.js';
import { SHIPPED_CORPUS } from './helpers.js';
import { evaluate, loadJudgments, ndcg, reciprocalRank } from './relevance/metrics.js';

const papers = loadCorpus(SHIPPED_CORPUS);
const judgments = loadJudgments();

describe('judged relevance set', () => {
  it('has at least 30 queries, every judged id in the shipped corpus', () => {
    expect(judgments.length).toBeGreaterThanOrEqual(30);
    const ids = new Set(papers.map((p) => p.id));
    for (const j of judgments) for (const id of Object.keys(j.relevant)) expect(ids, `${j.query}: ${id}`).toContain(id);
    const kinds = new Set(judgments.map((j) => j.kind));
    for (const kind of ['typo', 'acronym', 'phrase', 'topic', 'syntax']) expect(kinds).toContain(kind);
  });

  it('search reaches nDCG@10 >= 0.95 and MRR >= 0.95', async () => {
    const result = await evaluate(judgments, async (q) => (await searchPapers(papers, q)).map((h) => h.paper.id));
    expect(result.ndcg).toBeGreaterThanOrEqual(0.95);
    expect(result.mrr).toBeGreaterThanOrEqual(0.95);
  });
});

describe('metrics', () => {
  it('nDCG is 1 for the ideal order and less for a worse one', () => {
    const relevant = { a: 2, b: 1 };
    expect(ndcg(['a', 'b', 'x'], relevant)).toBe(1);
    expect(ndcg(['b', 'a'], relevant)).toBeCloseTo((1 + 3 / Math.log2(3)) / (3 + 1 / Math.log2(3)), 10);
    expect(ndcg(['x', 'y'], relevant)).toBe(0);
  });

  it('reciprocal rank counts the first paper with the top grade', () => {
    expect(reciprocalRank(['x', 'b', 'a'], { a: 2, b: 1 })).toBeCloseTo(1 / 3, 10);
    expect(reciprocalRank([], { a: 2 })).toBe(0);
  });
});

describe('at scale: the shipped papers among 10,000 generated ones', () => {
  it('keeps nDCG@10 >= 0.95 and MRR >= 0.95, and a limited search equals the head of the full one', { timeout: 120_000 }, async () => {
    const mixed = generatePapers(10_000, { seed: 1, mix: papers });
    expect(mixed).toHaveLength(10_000);
    const index = memoryIndex(mixed);
    const rank = async (q: string, limit = Infinity) => rankPapers(index, parseQuery(q), limit).map((h) => h.paper.id);
    const result = await evaluate(judgments, (q) => rank(q));
    expect(result.ndcg).toBeGreaterThanOrEqual(0.95);
    expect(result.mrr).toBeGreaterThanOrEqual(0.95);
    for (const { query } of judgments.slice(0, 10)) expect(await rank(query, 5), query).toEqual((await rank(query)).slice(0, 5));
  });
});
