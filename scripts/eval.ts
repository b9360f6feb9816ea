// Prints nDCG@10 and reciprocal rank per judged query for papers' search and for plain fuse.js.
import { loadCorpus } from '../src/corpus/store.js';
import { searchPapers } from '../src/search/rank.js';
import { plainFuse } from '../tests/relevance/baseline.js';
import { CUTOFF, evaluate, loadJudgments } from '../tests/relevance/metrics.js';

const corpusPath = process.argv[2] ?? new URL('../corpus/papers.yaml', import.meta.url).pathname;
const papers = loadCorpus(corpusPath);
const judgments = loadJudgments();
const ours = await evaluate(judgments, async (q) => (await searchPapers(papers, q)).map((h) => h.paper.id));
const baseline = await evaluate(judgments, plainFuse(papers));

const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
const num = (x: number) => x.toFixed(3);
console.log(`${pad('query', 34)} ${pad('kind', 8)} ndcg@${CUTOFF}    rr   fuse-ndcg fuse-rr  first result`);
ours.rows.forEach((row, i) => {
  const base = baseline.rows[i]!;
  const first = row.ranked[0] ?? '(none)';
  const mark = (row.judgment.relevant[first] ?? 0) > 0 ? '' : ' ✗';
  console.log(
    `${pad(row.judgment.query, 34)} ${pad(row.judgment.kind, 8)} ${num(row.ndcg)}  ${num(row.rr)}  ${num(base.ndcg)}     ${num(base.rr)}   ${first}${mark}`,
  );
});
console.log(`\n${judgments.length} queries over ${papers.length} papers`);
console.log(`papers search:   nDCG@${CUTOFF} ${num(ours.ndcg)}  MRR ${num(ours.mrr)}`);
console.log(`fuse.js defaults: nDCG@${CUTOFF} ${num(baseline.ndcg)}  MRR ${num(baseline.mrr)}`);
