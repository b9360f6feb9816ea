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
}

export async function evaluate(
  judgments: Judgment[],
  rank: (query: string) => string[] | Promise<string[]>,
): Promise<{ rows: Scored[]; ndcg: number; mrr: number }> {
  const rows: Scored[] = [];
  for (const judgment of judgments) {
    const ranked = await rank(judgment.query);
    rows.push({ judgment, ranked, ndcg: ndcg(ranked, judgment.relevant), rr: reciprocalRank(ranked, judgment.relevant) });
  }
  const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;
  return { rows, ndcg: mean(rows.map((r) => r.ndcg)), mrr: mean(rows.map((r) => r.rr)) };
}
