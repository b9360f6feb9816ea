// Writes a deterministic synthetic corpus of N papers (YAML, or a digest with --digest).
//   npm run gen-corpus -- N OUT [--digest] [--seed S] [--mix corpus/papers.yaml]
import { writeFileSync } from 'node:fs';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { digestText, generatePapers } from './synthetic.js';

const args = process.argv.slice(2);
const take = (name: string): string | undefined => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  return args.splice(at, 2)[1];
};
const digest = args.includes('--digest');
if (digest) args.splice(args.indexOf('--digest'), 1);
const seed = Number(take('--seed') ?? 1);
const mix = take('--mix');
const [countArg, out] = args;
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || !out) {
  console.error('usage: gen-corpus N OUT [--digest] [--seed S] [--mix corpus.yaml]');
  process.exit(2);
}
const papers = generatePapers(count, { seed, mix: mix ? loadCorpus(mix) : [] });
writeFileSync(out, digest ? digestText(papers) : serializeCorpus(papers));
console.error(`wrote ${papers.length} papers to ${out}`);
