import { readFileSync } from 'node:fs';

export interface Judgment {
  query: string;
  kind: string;
  /** Paper id -> grade: 2 about the query, 1 substantially related. */
  relevant: Record<string, number>;
}

export function loadJudgments(): Judgment[] {
  return JSON.parse(readFileSync(new URL('./judgments.json', import.meta.url), 'utf8')).queries;
}

export const CUTOFF = 10;

/** Normalised discounted cumulative gain at `k`, with graded gains 2^grade - 1. */
export function ndcg(ranked: string[], relevant: Record<string, number>, k = CUTOFF): number {
  const gain = (grade: number) => 2 ** grade - 1;
  const dcg = ranked.slice(0, k).reduce((sum, id, i) => sum + gain(relevant[id] ?? 0) / Math.log2(i + 2), 0);
  const ideal = Object.values(relevant)
    .sort((a, b) => b - a)
    .slice(0, k)
    .reduce((sum, grade, i) => sum + gain(grade) / Math.log2(i + 2), 0);
  return ideal === 0 ? 0 : dcg / ideal;
}

/** Reciprocal rank of the first paper judged about the query (grade 2); 0 if none is returned. */
export function reciprocalRank(ranked: string[], relevant: Record<string, number>): number {
  const best = Math.max(...Object.values(relevant));
  const at = ranked.findIndex((id) => (relevant[id] ?? 0) >= best);
  return at < 0 ? 0 : 1 / (at + 1);
}

export interface Scored {
  judgment: Judgment;
  ranked: string[];
  ndcg: number;
  rr: number;
  /** 1 when the first result is judged relevant (any grade), else 0. */
  p1: number;
}

export interface Summary {
  ndcg: number;
  mrr: number;
  p1: number;
}

/** Means over some of the rows (all of them, or one kind of query). */
export function summarize(rows: Scored[]): Summary {
  const mean = (values: number[]) => (values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length);
  return { ndcg: mean(rows.map((r) => r.ndcg)), mrr: mean(rows.map((r) => r.rr)), p1: mean(rows.map((r) => r.p1)) };
}

export async function evaluate(judgments: Judgment[], rank: (query: string) => string[] | Promise<string[]>): Promise<{ rows: Scored[] } & Summary> {
  const rows: Scored[] = [];
  for (const judgment of judgments) {
    const ranked = await rank(judgment.query);
    const first = ranked[0];
    rows.push({
      judgment,
      ranked,
      ndcg: ndcg(ranked, judgment.relevant),
      rr: reciprocalRank(ranked, judgment.relevant),
      p1: first !== undefined && (judgment.relevant[first] ?? 0) > 0 ? 1 : 0,
    });
  }
  return { rows, ...summarize(rows) };
}

/** The queries written in other words than the relevant papers use. */
export const isMismatch = (judgment: Judgment) => judgment.kind === 'mismatch';

/** The 50 queries of the first judged set, which hold the bar for exact queries. */
export const FIRST_SET = 50;
