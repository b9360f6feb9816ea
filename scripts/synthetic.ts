// Deterministic synthetic papers for benchmarks and scale tests. Text comes from a word-bigram model of
// the shipped abstracts, so sentence shapes, lengths and word frequencies look like real ones. Words
// common in the shipped corpus (in at least half of its papers: "learning", "model", "the") are
// kept; rarer words are consistently replaced by invented ones, so generated papers are about topics of
// their own and only the shipped papers are about the topics the judged queries ask for. Each paper also
// gets an invented system name, as real papers do, so the vocabulary keeps growing with N.
import { codeLink, extractLinks } from '../src/corpus/links.js';
import type { Paper } from '../src/corpus/paper.js';
import { uniqueId } from '../src/corpus/slug.js';
import { loadCorpus } from '../src/corpus/store.js';

export const SHIPPED = new URL('../corpus/papers.yaml', import.meta.url).pathname;

export interface SyntheticOptions {
  seed?: number;
  /** Real papers to place among the generated ones, evenly spread, ids kept. */
  mix?: Paper[];
}

const SYLLABLES = ['ka', 'lo', 'mi', 'net', 'tra', 'zen', 'vo', 'rex', 'qu', 'del', 'phi', 'gra', 'syn', 'tor', 'ul', 'bi', 'mor', 'pha'];
const SUFFIXES = ['', 'Net', 'Former', 'GNN', 'LM', '-2', 'X'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
// Share of papers whose abstract links a code repository, about as on the shipped digest.
const CODE_SHARE = 0.25;
const COMMON_SHARE = 0.5;

export function generatePapers(count: number, options: SyntheticOptions = {}): Paper[] {
  return [...streamPapers(count, options)];
}

/**
 * The papers of generatePapers, the same for the same seed, made one at a time: only their ids are kept,
 * so a million of them can be written without holding them.
 */
export function* streamPapers(count: number, options: SyntheticOptions = {}): Generator<Paper> {
  const seed = options.seed ?? 1;
  const random = mulberry32(seed);
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]!;
  const shipped = loadCorpus(SHIPPED);
  const rename = renamer(shipped, seed);
  const abstractModel = bigrams(shipped.map((p) => rename(p.abstract.replace(/https?:\/\/\S+/g, ''))));
  const titleModel = bigrams(shipped.map((p) => rename(p.title)));

  const generate = (model: Map<string, string[]>, min: number, max: number): string => {
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
  };
  const inventName = (): string => {
    let name = '';
    const parts = 2 + Math.floor(random() * 3);
    for (let i = 0; i < parts; i++) name += pick(SYLLABLES);
    return name[0]!.toUpperCase() + name.slice(1) + pick(SUFFIXES);
  };

  const real = [...(options.mix ?? [])];
  const taken = new Set(real.map((p) => p.id));
  const realEvery = real.length > 0 ? Math.max(1, Math.floor(count / real.length)) : Infinity;
  let made = 0;
  for (let i = 0; made < count; i++, made++) {
    if (i % realEvery === 0 && real.length > 0) {
      yield real.shift()!;
      continue;
    }
    const name = inventName();
    const title = `${name}: ${generate(titleModel, 4, 14)}`.replace(/[.:]$/, '');
    let abstract = generate(abstractModel, 120, 260).replace(/^(\S+)/, `We present ${name}, $1`);
    if (random() < CODE_SHARE) abstract += ` Code is available at https://github.com/${name.toLowerCase()}-lab/${name.toLowerCase()}.`;
    const day = Math.floor(i / 40);
    const links = extractLinks(abstract);
    yield {
      id: uniqueId(title, taken),
      title,
      abstract,
      date: `${MONTHS[Math.floor(day / 28) % 12]} ${1 + (day % 28)}`,
      source: `synthetic-${seed}.txt`,
      links,
      code: codeLink(links),
    };
  }
  yield* real;
}

/** The papers as a scraped digest would show them. */
export function digestText(papers: Paper[]): string {
  const lines = ['new', '', 'Get trending papers in your email inbox!', '', 'Subscribe', '', 'byAK and the research community', ''];
  let date: string | null | undefined;
  for (const paper of papers) {
    if (paper.date !== date) lines.push(paper.date ?? 'Jan 1', '');
    date = paper.date;
    lines.push(paper.title, '', paper.abstract, '');
  }
  return lines.join('\n');
}

/**
 * The papers as lines of arXiv's metadata snapshot (the Kaggle "arXiv dataset"): hard-wrapped titles and
 * abstracts, authors with TeX accents, versions with RFC 2822 dates, as the real file has them.
 */
export function arxivJsonl(papers: Paper[], seed = 3): string {
  return [...arxivJsonlLines(papers, { seed })].join('\n').concat('\n');
}

export interface JsonlOptions {
  /** Seed of the authors' names. */
  seed?: number;
  /** Number of the first record: records numbered apart get different arXiv ids and DOIs. */
  first?: number;
}

/**
 * The lines of arxivJsonl (without their newlines), one per paper as it comes. Record i gets a different
 * arXiv id from every other record: YYMM.NNNNN from i modulo 60 and 100,000, then (past 300,000 records,
 * where those repeat) ten years later for each further 300,000.
 */
export function* arxivJsonlLines(papers: Iterable<Paper>, options: JsonlOptions = {}): Generator<string> {
  const random = mulberry32(options.seed ?? 3);
  const wrap = (text: string, width: number) => text.replace(new RegExp(`(.{1,${width}})(\\s|$)`, 'g'), '$1\n').trimEnd();
  const names = [String.raw`Bal\'azs Szegedy`, String.raw`Jos\'e Garc\'ia`, String.raw`Anna M\"uller`, 'Li Wei', 'Sam Smith', String.raw`Fran\c{c}ois Dupont`];
  let i = (options.first ?? 0) - 1;
  for (const paper of papers) {
    i++;
    const year = 15 + (i % 10);
    const month = 1 + (i % 12);
    const id = `${year + 10 * Math.floor(i / 300_000)}${String(month).padStart(2, '0')}.${String(10000 + i).slice(-5)}`;
    const authors = Array.from({ length: 1 + Math.floor(random() * 4) }, () => names[Math.floor(random() * names.length)]!);
    const day = 1 + (i % 28);
    yield JSON.stringify({
      id,
      submitter: authors[0],
      authors: authors.join(', '),
      title: wrap(paper.title, 60).replace(/\n/g, '\n  '),
      comments: i % 3 === 0 ? '10 pages, 3 figures' : null,
      'journal-ref': null,
      doi: i % 5 === 0 ? `10.1000/synthetic.${i}` : null,
      'report-no': null,
      categories: i % 2 === 0 ? 'cs.LG cs.CL' : 'cs.CV',
      license: null,
      abstract: `  ${wrap(paper.abstract, 78)}\n`,
      versions: [{ version: 'v1', created: `Mon, ${day} Jan 20${year} 12:00:00 GMT` }],
      update_date: `20${year}-01-${String(day).padStart(2, '0')}`,
      authors_parsed: authors.map((a) => [a.split(' ').slice(1).join(' '), a.split(' ')[0], '']),
    });
  }
}

/** Replaces every word rarer than COMMON_SHARE of the papers by an invented word, the same each time. */
function renamer(papers: Paper[], seed: number): (text: string) => string {
  const df = new Map<string, number>();
  for (const paper of papers) {
    for (const word of new Set(`${paper.title} ${paper.abstract}`.toLowerCase().match(/[a-z0-9]+/g) ?? [])) df.set(word, (df.get(word) ?? 0) + 1);
  }
  const random = mulberry32(seed * 7919);
  const invented = new Map<string, string>();
  const inventFor = (word: string): string => {
    let name = invented.get(word);
    if (!name) {
      do {
        name = '';
        while (name.length < Math.max(4, word.length - 2)) name += SYLLABLES[Math.floor(random() * SYLLABLES.length)]!;
      } while (df.has(name));
      invented.set(word, name);
    }
    return name;
  };
  return (text) =>
    text.replace(/[A-Za-z0-9]+/g, (word) => {
      const lower = word.toLowerCase();
      if ((df.get(lower) ?? 0) >= COMMON_SHARE * papers.length || /^\d+$/.test(word)) return word;
      const name = inventFor(lower);
      return word[0] === word[0]!.toUpperCase() ? name[0]!.toUpperCase() + name.slice(1) : name;
    });
}

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

function mulberry32(a: number): () => number {
  return () => {
    a |= 0;
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
