// Relevance of search on the judged queries: per query, then nDCG@10, MRR and P@1 for the whole set, the
// first 50 (exact) queries and the mismatch queries, for papers, plain fuse.js and MiniSearch side by side.
import { loadCorpus } from '../src/corpus/store.js';
import { searchPapers } from '../src/search/rank.js';
import { miniSearch, plainFuse } from '../tests/relevance/baseline.js';
import { CUTOFF, evaluate, FIRST_SET, isMismatch, loadJudgments, summarize, type Scored } from '../tests/relevance/metrics.js';

const corpusPath = process.argv[2] ?? new URL('../corpus/papers.yaml', import.meta.url).pathname;
const papers = loadCorpus(corpusPath);
const judgments = loadJudgments();
const engines = {
  papers: await evaluate(judgments, (q) => searchPapers(papers, q, CUTOFF).map((h) => h.paper.id)),
  'fuse.js': await evaluate(judgments, plainFuse(papers)),
  MiniSearch: await evaluate(judgments, miniSearch(papers)),
};

const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
const num = (x: number) => x.toFixed(3);
console.log(`${pad('query', 36)} ${pad('kind', 8)} ndcg@${CUTOFF}    rr   mini-ndcg fuse-ndcg  first result`);
engines.papers.rows.forEach((row, i) => {
  const first = row.ranked[0] ?? '(none)';
  const mark = (row.judgment.relevant[first] ?? 0) > 0 ? '' : ' ✗';
  console.log(
    `${pad(row.judgment.query, 36)} ${pad(row.judgment.kind, 8)} ${num(row.ndcg)}  ${num(row.rr)}  ${num(engines.MiniSearch.rows[i]!.ndcg)}     ${num(engines['fuse.js'].rows[i]!.ndcg)}      ${first}${mark}`,
  );
});

const sets: [string, (rows: Scored[]) => Scored[]][] = [
  [`all ${judgments.length} queries`, (rows) => rows],
  [`the first ${FIRST_SET}`, (rows) => rows.slice(0, FIRST_SET)],
  [`${judgments.filter(isMismatch).length} in other words`, (rows) => rows.filter((r) => isMismatch(r.judgment))],
];
console.log(`\n${judgments.length} queries over ${papers.length} papers\n`);
console.log(`| queries | engine | nDCG@${CUTOFF} | MRR | P@1 |\n| --- | --- | --- | --- | --- |`);
for (const [label, pick] of sets) {
  for (const [name, result] of Object.entries(engines)) {
    const s = summarize(pick(result.rows));
    console.log(`| ${label} | ${name} | ${num(s.ndcg)} | ${num(s.mrr)} | ${num(s.p1)} |`);
  }
}
