import type { Paper } from '../corpus/paper.js';
import { memoryIndex } from '../index/memory.js';
import type { Index } from '../index/types.js';
import { Counts, type ClauseView } from './bounds.js';
import { compileQuery, widenQuery, type CompiledQuery } from './compile.js';
import { companions } from './cooccur.js';
import { lexiconOf } from './lexicon.js';
import { scorePaper, type Hit } from './match.js';
import { filtersAnything, parseQuery, type Query } from './query.js';
import { idf, withProximity } from './score.js';

export interface RankOptions {
  /** grep's rule: every word must match as typed; no near misses. */
  strict?: boolean;
}

/**
 * Papers that match every word of the query first. When they are fewer than a finite `limit` (and not
 * `strict`), near misses follow, always below them: papers that match most of the words, or all of them only through
 * their word families (optimize for optimization), scored on what they match.
 */
export function rankPapers(index: Index, query: Query, limit = Infinity, options: RankOptions = {}): Hit[] {
  const lexicon = lexiconOf(index);
  // One count of each word's papers, for both passes.
  const counts = new Counts(lexicon, index.count);
  const compiled = compileQuery(query, lexicon);
  const full = rankCompiled(index, counts, compiled, limit);
  const hits = full.map((entry) => entry.hit);
  const wanted = compiled.wanted.filter((c) => c.content).length;
  // Without a page (--all, export --query) there is nothing to fill: every full match, and no near miss.
  if (options.strict || limit === Infinity || hits.length >= limit || wanted === 0) return hits;
  const wide = widenQuery(compiled, lexicon, (word) => companions(index, lexicon, word));
  // Every paper with all the words is among the hits (there were fewer than the page): the others have not all
  // the words as typed, so they cannot have them side by side either.
  const found = new Set(full.map((entry) => entry.doc));
  // Most of the words: one of two, two of three or four, three of five or six.
  const most = Math.max(1, Math.ceil(wanted / 2));
  const more = rankNear(index, counts, wide, limit - hits.length, most, found).map((entry) => entry.hit);
  // A near miss may score more than a full match that has its words only in the abstract: its score is
  // scaled down, order kept, so that scores fall with the rank.
  const ceiling = hits.at(-1)?.score;
  const top = more[0]?.score;
  if (ceiling !== undefined && top !== undefined && top > ceiling) for (const hit of more) hit.score *= (0.99 * ceiling) / top;
  return [...hits, ...more];
}

/**
 * Ranks in two steps. From the postings alone, every candidate paper gets an upper bound of its score (exact
 * for single words; phrases and proximity can only lower it). Then papers are read and scored exactly in
 * order of that bound, until no unread paper can beat the `limit`-th score found: a large corpus reads only
 * a few papers, and the ranking is the same. Candidates have every wanted clause.
 */
function rankCompiled(index: Index, counts: Counts, compiled: CompiledQuery, limit: number): Ranked[] {
  const { docs, sums, weights } = candidates(index.count, counts, compiled);
  const clauses = compiled.wanted;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const pool = narrow(index, counts, compiled, docs);
  const keys = new Float64Array(index.count);
  for (const doc of pool) {
    const base = clauses.length === 0 ? 1 : sums[doc]! / weightSum;
    keys[doc] = compiled.proximity ? withProximity(base, 1) : base;
  }
  return readInOrder(index, compiled, weights, pool, keys, limit);
}

/** The candidates that pass the query's filters and have no excluded word. */
function narrow(index: Index, counts: Counts, compiled: CompiledQuery, docs: number[]): number[] {
  let pool = docs;
  if (filtersAnything(compiled.filters)) {
    const passes = index.filter(compiled.filters);
    pool = pool.filter(passes);
  }
  const excluded = counts.excludedDocs(compiled.unwanted);
  if (excluded.size > 0) pool = pool.filter((doc) => !excluded.has(doc));
  return pool;
}

/**
 * Papers read and scored in order of their bound (`keys`), from a heap: most searches read a few dozen of many
 * thousands. Hits are ordered by score, then by their place in the corpus (scores tie often: every paper with
 * `title:networks` scores the same), so that reading can stop at the first paper whose bound only ties the last
 * one kept, without reading every tied paper to order them.
 */
function readInOrder(index: Index, compiled: CompiledQuery, weights: number[], pool: number[], keys: Float64Array, limit: number, most?: number): Ranked[] {
  const queue = new BoundHeap(pool, keys);
  const order = (a: Ranked, b: Ranked) => (Math.abs(b.hit.score - a.hit.score) > EPSILON ? b.hit.score - a.hit.score : a.doc - b.doc);
  const kept: Ranked[] = [];
  let floor: Ranked | null = null;
  for (let doc = queue.pop(); doc !== undefined; doc = queue.pop()) {
    if (floor) {
      const limitBound = keys[doc]!;
      if (limitBound < floor.hit.score - EPSILON || (limitBound <= floor.hit.score + EPSILON && doc > floor.doc)) break;
    }
    const hit = scorePaper(index.paper(doc), compiled, weights, most);
    if (!hit) continue;
    const entry = { hit, doc };
    if (floor && order(entry, floor) >= 0) continue;
    let at = kept.length;
    while (at > 0 && order(entry, kept[at - 1]!) < 0) at--;
    kept.splice(at, 0, entry);
    if (kept.length > limit) kept.pop();
    if (kept.length >= limit) floor = kept[kept.length - 1]!;
  }
  return kept;
}

// Near misses enumerate first the papers of the clauses with fewest papers, up to this many.
const ESSENTIAL_PAPERS = 20_000;

/**
 * The near misses: papers with at least `most` of the (widened) clauses, none of `skip`. A paper's bound is the weighted sum of, for each clause, the best of its parts (the
 * clause as typed, and each form it was widened by), looked up without merging them. Papers of the clauses
 * with fewest papers are read first (MaxScore's "essential" clauses); when the last one kept beats anything a
 * paper without those clauses could reach, the rest of the corpus is not enumerated at all.
 */
function rankNear(index: Index, counts: Counts, wide: CompiledQuery, limit: number, most: number, skip: Set<number>): Ranked[] {
  // Each clause's parts: the clause as typed, and each form it was widened by; read whole only when enumerated.
  const parts = wide.wanted.map((clause) => {
    const base = clause.widens ? { ...clause, terms: clause.widens.terms, widens: undefined } : clause;
    const list: { view: ClauseView; docs: () => number[] }[] = [{ view: counts.view(base), docs: () => counts.clauseBounds(base).docs }];
    for (const { field, form } of clause.widens?.extra ?? [])
      list.push({ view: counts.formView(field, form), docs: () => counts.formBounds(field, form).docs });
    return list;
  });
  // A clause weighs as rare as the most papers any of its parts is in: the word as typed, or its family when
  // the word itself is in none (without merging the parts to count their union).
  const weights = parts.map((list) => idf(index.count, Math.max(...list.map((part) => part.view.df()))));
  const content = wide.wanted.map((clause) => clause.content);
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const at = (i: number, doc: number) => {
    let best = 0;
    for (const part of parts[i]!) best = Math.max(best, part.view.at(doc));
    return best;
  };
  const keys = new Float64Array(index.count);
  /** The candidates among `docs`, with their bounds in `keys`. */
  const admit = (docs: Iterable<number>, seen: Uint8Array): number[] => {
    const pool: number[] = [];
    for (const doc of docs) {
      if (seen[doc] || skip.has(doc)) continue;
      seen[doc] = 1;
      let sum = 0;
      let matched = 0;
      for (let i = 0; i < parts.length; i++) {
        const s = at(i, doc);
        if (s === 0) continue;
        sum += weights[i]! * s;
        if (content[i]) matched++;
      }
      if (matched < most) continue;
      keys[doc] = wide.proximity ? withProximity(sum / weightSum, 0) : sum / weightSum;
      pool.push(doc);
    }
    return pool;
  };
  const docsOf = (i: number) => parts[i]!.flatMap((part) => part.docs());
  const size = (i: number) => parts[i]!.reduce((n, part) => n + part.view.df(), 0);
  // The essential clauses: fewest papers first, as long as their papers stay few.
  const byCost = parts.map((_, i) => i).sort((a, b) => size(a) - size(b));
  const essential: number[] = [];
  let enumerated = 0;
  for (const i of byCost) {
    if (essential.length > 0 && enumerated + size(i) > ESSENTIAL_PAPERS) break;
    essential.push(i);
    enumerated += size(i);
  }
  const seen = new Uint8Array(index.count);
  const first = narrow(index, counts, wide, admit(essential.flatMap(docsOf), seen));
  const kept = readInOrder(index, wide, weights, first, keys, limit, most);
  const rest = byCost.filter((i) => !essential.includes(i));
  // The most a paper without any essential clause could score: it needs `most` content clauses among the rest.
  const restContent = rest.filter((i) => content[i]).length;
  const ceiling = (i: number) => weights[i]! * Math.max(...parts[i]!.map((part) => part.view.max()));
  const reach = restContent < most ? -Infinity : rest.reduce((sum, i) => sum + ceiling(i), 0) / weightSum;
  if (rest.length === 0 || (kept.length >= limit && kept.at(-1)!.hit.score > reach + EPSILON)) return kept;
  // Not settled by the essential clauses: every candidate, as the exact pass does.
  const all = narrow(index, counts, wide, [...first, ...admit(rest.flatMap(docsOf), seen)]);
  return readInOrder(index, wide, weights, all, keys, limit, most);
}

// Bounds and scores are sums of the same terms in another order: equal to within rounding, not always to the bit.
const EPSILON = 1e-9;

interface Ranked {
  hit: Hit;
  doc: number;
}

// A clause is read whole only when that costs less than this many times looking it up at each candidate.
const LOOKUP_COST = 24;

/**
 * Candidate papers (every one with each clause), with each one's weighted bound sum and the clauses'
 * weights. The clause with fewest postings is read whole and its papers walked; each other clause is looked
 * up at those papers only (by binary search in its postings), unless reading it whole is as cheap.
 */
function candidates(count: number, counts: Counts, compiled: CompiledQuery): { docs: number[]; sums: Float64Array; weights: number[] } {
  const sums = new Float64Array(count);
  const docs: number[] = [];
  const clauses = compiled.wanted;
  if (clauses.length === 0) {
    for (let doc = 0; doc < count; doc++) docs.push(doc);
    return { docs, sums, weights: [] };
  }
  const cost = (i: number) =>
    clauses[i]!.terms.reduce((n, term) => n + term.forms.reduce((m, form) => m + Math.min(...form.words.map((e) => counts.cost(e))), 0), 0);
  const costs = clauses.map((_, i) => cost(i));
  const order = clauses.map((_, i) => i).sort((a, b) => costs[a]! - costs[b]!);
  const [first, ...rest] = order;
  const driver = counts.clauseBounds(clauses[first!]!);
  // Each other clause: read whole when that is about as cheap as looking it up at each of the driver's papers.
  const lookups = driver.docs.length * LOOKUP_COST;
  const others = rest.map((i) => {
    if (costs[i]! <= lookups) {
      const bounds = counts.clauseBounds(clauses[i]!);
      return { i, df: bounds.docs.length, at: (doc: number) => bounds.score[doc]! };
    }
    const view = counts.view(clauses[i]!);
    return { i, df: view.df(), at: view.at };
  });
  const weights: number[] = [];
  weights[first!] = idf(count, driver.docs.length);
  for (const { i, df } of others) weights[i] = idf(count, df);
  for (const doc of driver.docs) {
    let sum = weights[first!]! * driver.score[doc]!;
    let all = true;
    for (const { i, at } of others) {
      const s = at(doc);
      if (s === 0) {
        all = false;
        break;
      }
      sum += weights[i]! * s;
    }
    if (all) {
      sums[doc] = sum;
      docs.push(doc);
    }
  }
  return { docs, sums, weights };
}

/** A max-heap of papers by bound (ties: lower doc first), built in linear time. */
class BoundHeap {
  private readonly heap: Int32Array;
  private size: number;

  constructor(
    docs: number[],
    private readonly keys: Float64Array,
  ) {
    this.heap = Int32Array.from(docs);
    this.size = docs.length;
    for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
  }

  private before(a: number, b: number): boolean {
    const x = this.keys[a]!;
    const y = this.keys[b]!;
    return x > y || (x === y && a < b);
  }

  private down(at: number): void {
    const { heap } = this;
    for (;;) {
      const left = 2 * at + 1;
      if (left >= this.size) return;
      const right = left + 1;
      const child = right < this.size && this.before(heap[right]!, heap[left]!) ? right : left;
      if (!this.before(heap[child]!, heap[at]!)) return;
      [heap[at], heap[child]] = [heap[child]!, heap[at]!];
      at = child;
    }
  }

  pop(): number | undefined {
    if (this.size === 0) return undefined;
    const top = this.heap[0]!;
    this.heap[0] = this.heap[--this.size]!;
    this.down(0);
    return top;
  }
}

const MAX_NAMED = 5;
const MAX_WORD = 40;

/**
 * Why a query found nothing, when some of its words, as typed, are in no paper at all: `no paper has
 * "hypernetwrks"; did you mean "hypernetworks"?`. Null when every word is somewhere (the papers just do not
 * have them together).
 */
export function explainNoMatch(index: Index, query: Query): string | null {
  const lexicon = lexiconOf(index);
  const compiled = compileQuery(query, lexicon);
  const missing = [...new Set(compiled.wanted.filter((clause) => clause.terms.every((term) => term.forms.length === 0)).map((clause) => clause.text))];
  if (missing.length === 0) return null;
  // A pasted paragraph is not quoted back whole: a few words, each cut short.
  const quote = (words: string[]) => {
    const quoted = words.slice(0, MAX_NAMED).map((w) => `"${w.length > MAX_WORD ? `${w.slice(0, MAX_WORD - 1)}…` : w}"`);
    if (words.length > MAX_NAMED) return `${quoted.join(', ')} and ${words.length - MAX_NAMED} more words`;
    return quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
  };
  const single = missing.length === 1 && !/\s/.test(missing[0]!) ? missing[0]!.toLowerCase().replace(/^\w+:/, '') : null;
  const close = single ? lexicon.vocabulary.closest(single) : [];
  return `no paper has ${quote(missing)}${close.length > 0 ? `; did you mean ${close.map((w) => `"${w}"`).join(', ')}?` : ''}`;
}

/** Parse `query` and rank `papers` against it, best first, at most `limit` of them. */
export function searchPapers(papers: Paper[], query: string, limit = Infinity, options: RankOptions = {}): Hit[] {
  return rankPapers(memoryIndex(papers), parseQuery(query), limit, options);
}
