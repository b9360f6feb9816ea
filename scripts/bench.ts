// Times whole commands as a user runs them, side by side with `node -e 0` in the same run.
//   npm run bench [-- --runs 7] [-- --sizes 10000,100000]
// Corpora: the shipped one and generated ones (scripts/synthetic.ts) written to .bench/. Each figure is
// the median of --runs runs after one warm-up (which also builds the cache); "x node" is the median of
// the run-by-run ratios to `node -e 0`, so drift of the machine's speed cancels out. Peak memory comes
// from GNU time (/usr/bin/time) when it is installed.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { arxivJsonl, digestText, generatePapers, SHIPPED } from './synthetic.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1]! : fallback;
};
const runs = Number(option('--runs', '7'));
const sizes = option('--sizes', '10000,100000').split(',').filter(Boolean).map(Number);
const root = new URL('..', import.meta.url).pathname;
const work = join(root, '.bench');
const bin = join(root, 'bin', 'papers');
const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
mkdirSync(work, { recursive: true });
const env = { ...process.env, PAPERS_CACHE_DIR: join(work, 'cache') };

interface Sample {
  seconds: number;
  peakMB: number | null;
}

function once(command: string[]): Sample {
  const argv = gnuTime ? [gnuTime, '-f', '%M', ...command] : command;
  const start = process.hrtime.bigint();
  const result = spawnSync(argv[0]!, argv.slice(1), { env, encoding: 'utf8', maxBuffer: 1 << 30 });
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0 && result.status !== 1) throw new Error(`${command.join(' ')} failed: ${result.stderr}`);
  const kb = gnuTime ? Number(result.stderr.trim().split('\n').pop()) : NaN;
  return { seconds, peakMB: Number.isFinite(kb) ? kb / 1024 : null };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const rows: string[][] = [];
function compare(label: string, corpus: string, command: string[]) {
  const papers = [bin, '--corpus', corpus, ...command];
  once(papers);
  once(['node', '-e', '0']);
  const ours: Sample[] = [];
  const ratios: number[] = [];
  for (let i = 0; i < runs; i++) {
    const a = once(papers);
    const b = once(['node', '-e', '0']);
    ours.push(a);
    ratios.push(a.seconds / b.seconds);
  }
  const peak = ours.map((s) => s.peakMB).filter((m): m is number => m !== null);
  rows.push([
    label,
    `papers ${command.join(' ')}`,
    median(ours.map((s) => s.seconds)).toFixed(3),
    median(ratios).toFixed(2),
    peak.length ? Math.max(...peak).toFixed(0) : '-',
  ]);
  console.error(`  ${label}: papers ${command.join(' ')}`);
}

function single(label: string, what: string, command: string[], prepare: () => void) {
  prepare();
  const sample = once(command);
  rows.push([label, what, sample.seconds.toFixed(1), '', sample.peakMB === null ? '-' : sample.peakMB.toFixed(0)]);
  console.error(`  ${label}: ${what}`);
}

function print() {
  const header = ['corpus', 'command', 'median s', 'x node', 'peak MB'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ');
  console.log([header, ...rows].map(line).join('\n'));
}

const node = once(['node', '-e', '0']);
console.error(`node -e 0: ${node.seconds.toFixed(3)} s; ${runs} runs each${gnuTime ? '' : '; no /usr/bin/time, so no peak memory'}`);

const shipped = loadCorpus(SHIPPED);
compare('shipped (83)', SHIPPED, ['--version']);
compare('shipped (83)', SHIPPED, ['search', 'hypernetwork']);
compare('shipped (83)', SHIPPED, ['search', 'graph', 'neural', 'networks']);
compare('shipped (83)', SHIPPED, ['list']);
compare('shipped (83)', SHIPPED, ['show', shipped[19]!.id]);
compare('shipped (83)', SHIPPED, ['related', shipped[19]!.id]);
compare('shipped (83)', SHIPPED, ['stats']);

for (const size of sizes) {
  const label = `${size.toLocaleString('en')} generated`;
  const file = join(work, `corpus-${size}.yaml`);
  if (!existsSync(file)) writeFileSync(file, serializeCorpus(generatePapers(size, { mix: shipped })));
  compare(label, file, ['search', 'hypernetwork']);
  compare(label, file, ['search', 'graph', 'neural', 'networks']);
  compare(label, file, ['list', '--limit', '20']);
  single(label, 'first search after the YAML changed', [bin, '--corpus', file, 'search', 'hypernetwork'], () => {
    const now = new Date();
    utimesSync(file, now, now);
  });
  const digest = join(work, `digest-${size}.txt`);
  if (!existsSync(digest)) writeFileSync(digest, digestText(generatePapers(size, { seed: 2 })));
  const target = join(work, `imported-${size}.yaml`);
  single(label, `import of a ${size.toLocaleString('en')}-paper digest into a new corpus`, [bin, '--corpus', target, 'import', digest], () =>
    rmSync(target, { force: true }),
  );
  const jsonl = join(work, `arxiv-${size}.jsonl`);
  if (!existsSync(jsonl)) writeFileSync(jsonl, arxivJsonl(generatePapers(size, { seed: 4 })));
  single(label, `import of a ${size.toLocaleString('en')}-record arXiv JSON Lines file into a new corpus`, [bin, '--corpus', target, 'import', jsonl], () =>
    rmSync(target, { force: true }),
  );
}
print();
