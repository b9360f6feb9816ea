// Writes a deterministic synthetic corpus of N papers, for benchmarks and scale tests.
//   tsx scripts/gen-corpus.ts N OUT.yaml [--digest] [--seed S] [--mix corpus/papers.yaml]
// Text comes from a word-bigram model of the shipped abstracts, so lengths, vocabulary and word
// frequencies look like real ones; each paper also gets an invented system name, as real papers do,
// so the vocabulary keeps growing with N. --mix puts the papers of a real corpus in among them.
import { writeFileSync } from 'node:fs';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { codeLink, extractLinks, uniqueId, type Paper } from '../src/corpus/paper.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const at = args.indexOf(name);
  if (at < 0) return undefined;
  const value = args[at + 1];
  args.splice(at, 2);
  return value;
};
const digest = args.includes('--digest');
if (digest) args.splice(args.indexOf('--digest'), 1);
const seed = Number(flag('--seed') ?? 1);
const mix = flag('--mix');
const [countArg, out] = args;
const count = Number(countArg);
if (!Number.isInteger(count) || count < 1 || !out) {
  console.error('usage: gen-corpus N OUT [--digest] [--seed S] [--mix corpus.yaml]');
  process.exit(2);
}

function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = mulberry32(seed);
const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;

const source = loadCorpus(new URL('../corpus/papers.yaml', import.meta.url).pathname);
function bigrams(texts: string[]): Map<string, string[]> {
  const next = new Map<string, string[]>();
  for (const text of texts) {
    const words = ['<s>', ...text.split(/\s+/).filter(Boolean), '</s>'];
    for (let i = 0; i + 1 < words.length; i++) {
      const list = next.get(words[i]!);
      if (list) list.push(words[i + 1]!);
      else next.set(words[i]!, [words[i + 1]!]);
    }
  }
  return next;
}
const abstractModel = bigrams(source.map((p) => p.abstract.replace(/https?:\/\/\S+/g, '')));
const titleModel = bigrams(source.map((p) => p.title));

function generate(model: Map<string, string[]>, min: number, max: number): string {
  const words: string[] = [];
  let word = '<s>';
  while (words.length < max) {
    word = pick(model.get(word) ?? ['</s>']);
    if (word === '</s>') {
      if (words.length >= min) break;
      word = '<s>';
      continue;
    }
    words.push(word);
  }
  return words.join(' ');
}

const SYLLABLES = ['ka', 'lo', 'mi', 'net', 'tra', 'zen', 'vo', 'rex', 'qu', 'del', 'phi', 'gra', 'syn', 'tor', 'ul', 'bi', 'mor', 'pha'];
function inventName(): string {
  let name = '';
  const parts = 2 + Math.floor(random() * 3);
  for (let i = 0; i < parts; i++) name += pick(SYLLABLES);
  return name[0]!.toUpperCase() + name.slice(1) + pick(['', 'Net', 'Former', 'GNN', 'LM', '-2', 'X']);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const taken = new Set<string>();
const papers: Paper[] = [];
const real = mix ? loadCorpus(mix) : [];
for (const paper of real) taken.add(paper.id);
const realEvery = real.length > 0 ? Math.floor(count / real.length) : Infinity;
for (let i = 0; i < count; i++) {
  if (i % realEvery === 0 && real.length > 0) {
    const paper = real.shift()!;
    taken.add(paper.id);
    papers.push(paper);
    continue;
  }
  const name = inventName();
  const title = `${name}: ${generate(titleModel, 4, 14)}`.replace(/[.:]$/, '');
  let abstract = generate(abstractModel, 120, 260).replace(/^(\S+)/, `We present ${name}, $1`);
  if (random() < 0.25) abstract += ` Code is available at https://github.com/${name.toLowerCase()}-lab/${name.toLowerCase()}.`;
  const day = Math.floor(i / 40);
  const links = extractLinks(abstract);
  papers.push({
    id: uniqueId(title, taken),
    title,
    abstract,
    date: `${MONTHS[Math.floor(day / 28) % 12]} ${1 + (day % 28)}`,
    source: `synthetic-${seed}.txt`,
    links,
    code: codeLink(links),
  });
}
papers.push(...real);

if (digest) {
  const lines = ['new', '', 'Get trending papers in your email inbox!', '', 'Subscribe', '', 'byAK and the research community', ''];
  let date: string | null = null;
  for (const paper of papers) {
    if (paper.date !== date) lines.push(paper.date ?? 'Jan 1', '');
    date = paper.date;
    lines.push(paper.title, '', paper.abstract, '');
  }
  writeFileSync(out, lines.join('\n'));
} else {
  writeFileSync(out, serializeCorpus(papers));
}
console.error(`wrote ${papers.length} papers to ${out}`);
