import type { Paper } from '../corpus/paper.js';
import { memoryIndex } from '../index/memory.js';
import type { Index } from '../index/types.js';
import { Counts, LOOKUP_COST, type ClauseView } from './bounds.js';
import { compileQuery, widenQuery, type CompiledQuery, type CompileOptions } from './compile.js';
import { companions } from './cooccur.js';
import { lexiconOf } from './lexicon.js';
import { hasRun, scorePaper, type Hit } from './match.js';
import { filtersAnything, parseQuery, type Query } from './query.js';
import { idf, withoutTitleRun, withProximity } from './score.js';

/** strict: grep's rule, every word must match as typed (or as its plural); no near misses. */
export type RankOptions = CompileOptions;

/**
 * Papers that match every word of the query first. When they are fewer than a finite `limit` (and not
 * `strict`), near misses follow, always below them: papers that match most of the words, or all of them only through
 * their word families (optimize for optimization), scored on what they match.
 */
export function rankPapers(index: Index, query: Query, limit = Infinity, options: RankOptions = {}): Hit[] {
  const lexicon = lexiconOf(index);
  // One count of each word's papers, for both passes.
  const counts = new Counts(lexicon, index.count);
  const compiled = compileQuery(query, lexicon, options);
  const full = rankCompiled(index, counts, compiled, limit);
  const hits = full.map((entry) => entry.hit);
  // Near misses miss words, never filters (author:).
  const wanted = compiled.wanted.filter((c) => c.content && !c.filter).length;
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
 *
 * Bounds are worked out a tier at a time (see `tiers`): papers with the query's words in their titles first,
 * so that a query of common words bounds the few thousand papers it can rank first, not the hundreds of
 * thousands that have its words somewhere.
 */
function rankCompiled(index: Index, counts: Counts, compiled: CompiledQuery, limit: number): Ranked[] {
  const keys = new Float64Array(index.count);
  const clauses = compiled.wanted;
  const pool = shortList(index, compiled);
  if (pool) {
    const { weights, batch } = poolCandidates(index, counts, compiled, keys, pool);
    return readInOrder(index, compiled, weights, [batch], keys, limit);
  }
  // Every paper is read anyway (--all), there are no words to tier by (filters alone), or a clause is rare enough
  // that bounding each of its papers costs little.
  if (limit === Infinity || clauses.length === 0 || Math.min(...clauses.map((clause) => counts.clauseCost(clause))) * TIERED_SHARE < index.count) {
    const { weights, batch } = everyCandidate(index, counts, compiled, keys, null);
    return readInOrder(index, compiled, weights, [batch], keys, limit);
  }
  const { weights, batches } = tiers(index, counts, compiled, keys);
  return readInOrder(index, compiled, weights, batches, keys, limit);
}

/** Papers whose bounds are worked out together: none of them above `bound`, none before `first` in the corpus. */
interface Batch {
  bound: number;
  first: number;
  /** Works out the bounds (in `keys`) and returns the candidates among the batch's papers. */
  load(): number[];
}

// Tiers pay when every clause is in one paper in this many or more (counted in postings).
const TIERED_SHARE = 20;
// Papers of a tier bounded at a time: the reading can stop within a tier when scores tie (title:networks).
const CHUNK = 4096;
// Clauses split by the title at most: a paper's tier is a bit per split clause.
const MAX_SPLIT = 8;

/**
 * The candidates in batches, best bound first. A paper's tier is which clauses it may have in its title; a
 * tier's bound is the query's score with each clause at its most (`Tier.high`) or at its most outside titles
 * (`Tier.low`), worked out as a paper's bound is, so that no paper's bound is above its tier's. Papers in no
 * clause's title come last, all at once, found as before any tiers: when the tiers above settle the page (the
 * usual case for common words), they are never bounded at all.
 */
function tiers(index: Index, counts: Counts, compiled: CompiledQuery, keys: Float64Array): { weights: number[]; batches: Batch[] } {
  const clauses = compiled.wanted;
  // Tiers read the clauses' postings whole, which their weights are then counted from.
  const tiered = clauses.map((clause) => counts.tier(clause));
  const weights = clauses.map((clause) => idf(index.count, counts.view(clause).df()));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const finish = (sum: number) => (compiled.proximity ? withProximity(sum / weightSum, 1) : sum / weightSum);
  const split = tiered
    .map((_, i) => i)
    .filter((i) => tiered[i]!.titled !== null)
    .slice(0, MAX_SPLIT);
  const boundOf = (pattern: number): number => {
    let sum = 0;
    for (let i = 0; i < clauses.length; i++) {
      const bit = split.indexOf(i);
      const most = bit < 0 || pattern & (1 << bit) ? tiered[i]!.high : tiered[i]!.low;
      // A clause that cannot score in this tier (title: outside titles) leaves it without candidates.
      if (most === 0) return 0;
      sum += weights[i]! * most;
    }
    return finish(sum);
  };
  // Tiers hold only papers that may have the clause with fewest postings: the others cannot be candidates.
  const driver = clauses.reduce((best, clause) => (counts.clauseCost(clause) < counts.clauseCost(best) ? clause : best));
  const pattern = counts.present(driver);
  split.forEach((i, bit) => {
    const titled = tiered[i]!.titled!;
    for (let doc = 0; doc < titled.length; doc++) if (titled[doc] && pattern[doc]) pattern[doc]! |= 2 << bit;
  });
  // Bit 0 says the paper may be a candidate; the others, which clauses it may have in the title.
  const sizes = new Uint32Array(2 << split.length);
  for (let doc = 0; doc < index.count; doc++) sizes[pattern[doc]!]!++;
  const members = [...sizes].map((size, p) => new Int32Array(p > 1 ? size : 0));
  const filled = new Uint32Array(sizes.length);
  for (let doc = 0; doc < index.count; doc++) if (pattern[doc]! > 1) members[pattern[doc]!]![filled[pattern[doc]!]!++] = doc;
  const loaded = new Uint8Array(index.count);
  const narrowed = narrower(index, counts, compiled);
  let evaluated = 0;
  const batches: Batch[] = [];
  for (let p = 3; p < sizes.length; p += 2) {
    const bound = boundOf(p >> 1);
    if (bound === 0) continue;
    for (let from = 0; from < sizes[p]!; from += CHUNK) {
      const docs = members[p]!.subarray(from, from + CHUNK);
      const load = () => {
        // A clause is worked out in every paper once that costs less than looking it up in the papers bounded so far.
        evaluated += docs.length;
        const at = clauses.map((clause) => counts.boundsAt(clause, evaluated));
        const pool: number[] = [];
        for (const doc of docs) {
          loaded[doc] = 1;
          if (!narrowed(doc)) continue;
          let sum = 0;
          let i = 0;
          for (; i < clauses.length; i++) {
            const s = at[i]!(doc);
            if (s === 0) break;
            sum += weights[i]! * s;
          }
          if (i < clauses.length) continue;
          keys[doc] = finish(sum);
          pool.push(doc);
        }
        return pool;
      };
      batches.push({ bound, first: docs[0]!, load });
    }
  }
  batches.sort((a, b) => b.bound - a.bound || a.first - b.first);
  // The rest: every candidate not bounded yet, as if there were no tiers. Its bounds are summed in another order, hence the margin.
  const rest = boundOf(0);
  if (rest > 0) batches.push({ bound: rest + EPSILON, first: 0, load: () => everyCandidate(index, counts, compiled, keys, loaded).batch.load() });
  return { weights, batches };
}

/** Every candidate (that passes the filters and has no excluded word, none of `skip`) as one batch, and the clauses' weights. */
function everyCandidate(
  index: Index,
  counts: Counts,
  compiled: CompiledQuery,
  keys: Float64Array,
  skip: Uint8Array | null,
): { weights: number[]; batch: Batch } {
  const { docs, sums, weights } = candidates(index.count, counts, compiled);
  const clauses = compiled.wanted;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const load = () => {
    const narrowed = narrower(index, counts, compiled);
    const pool = docs.filter((doc) => !skip?.[doc] && narrowed(doc));
    for (const doc of pool) {
      const base = clauses.length === 0 ? 1 : sums[doc]! / weightSum;
      keys[doc] = compiled.proximity ? withProximity(base, 1) : base;
    }
    return pool;
  };
  return { weights, batch: { bound: Infinity, first: 0, load } };
}

// A short list of the papers that pass the filters is walked instead of the postings when it holds fewer than one paper in this many.
const SHORT_LIST_SHARE = 50;

/** The papers that pass the query's filters, when the index has them in a list short enough to walk (see Index.passing). */
function shortList(index: Index, compiled: CompiledQuery): number[] | null {
  const pool = filtersAnything(compiled.filters) ? (index.passing?.(compiled.filters) ?? null) : null;
  return pool && pool.length * SHORT_LIST_SHARE < index.count ? pool : null;
}

/**
 * everyCandidate for a query whose filters leave a short list (is:queued, tag:a over a large folder): each
 * clause is looked up at those papers alone, with the weights and bounds `candidates` gives them.
 */
function poolCandidates(index: Index, counts: Counts, compiled: CompiledQuery, keys: Float64Array, pool: number[]): { weights: number[]; batch: Batch } {
  const views = compiled.wanted.map((clause) => counts.view(clause));
  const weights = views.map((view) => idf(index.count, view.df()));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  const load = () => {
    const narrowed = narrower(index, counts, compiled);
    return pool.filter((doc) => {
      let sum = 0;
      for (let i = 0; i < views.length; i++) {
        const s = views[i]!.at(doc);
        if (s === 0) return false;
        sum += weights[i]! * s;
      }
      if (!narrowed(doc)) return false;
      const base = views.length === 0 ? 1 : sum / weightSum;
      keys[doc] = compiled.proximity ? withProximity(base, 1) : base;
      return true;
    });
  };
  return { weights, batch: { bound: Infinity, first: 0, load } };
}

/** Whether a paper passes the query's filters and has no excluded word. */
function narrower(index: Index, counts: Counts, compiled: CompiledQuery): (doc: number) => boolean {
  const passes = filtersAnything(compiled.filters) ? index.filter(compiled.filters) : () => true;
  const excluded = counts.excludedDocs(compiled.unwanted);
  return excluded.size === 0 ? passes : (doc) => !excluded.has(doc) && passes(doc);
}

/** The candidates that pass the query's filters and have no excluded word. */
function narrow(index: Index, counts: Counts, compiled: CompiledQuery, docs: number[]): number[] {
  return docs.filter(narrower(index, counts, compiled));
}

/**
 * Papers read and scored in order of their bound (`keys`), from a heap: most searches read a few dozen of many
 * thousands. Hits are ordered by score, then by their place in the corpus (scores tie often: every paper with
 * `title:networks` scores the same), so that reading can stop at the first paper whose bound only ties the last
 * one kept, without reading every tied paper to order them. Batches (best bound first) join the heap only when
 * they could hold a paper that comes before its top.
 */
function readInOrder(index: Index, compiled: CompiledQuery, weights: number[], batches: Batch[], keys: Float64Array, limit: number, most?: number): Ranked[] {
  const queue = new BoundHeap(keys);
  const order = (a: Ranked, b: Ranked) => (Math.abs(b.hit.score - a.hit.score) > EPSILON ? b.hit.score - a.hit.score : a.doc - b.doc);
  const kept: Ranked[] = [];
  let floor: Ranked | null = null;
  let next = 0;
  // Bounds assume the query's words side by side in the title. A paper read whose title has not got them goes
  // back with its bound lowered (and is scored when it comes up again), unless it comes up first anyway:
  // most papers of common words are never scanned whole.
  const lowered = new Map<number, Paper>();
  const proximity = most === undefined ? compiled.proximity : null;
  const ahead = ({ bound, first }: { bound: number; first: number }) => {
    const top = queue.peek();
    return top === undefined || bound > keys[top]! || (bound === keys[top]! && first < top);
  };
  for (;;) {
    while (next < batches.length && ahead(batches[next]!)) queue.add(batches[next++]!.load());
    const doc = queue.pop();
    if (doc === undefined) break;
    if (floor) {
      const limitBound = keys[doc]!;
      if (limitBound < floor.hit.score - EPSILON || (limitBound <= floor.hit.score + EPSILON && doc > floor.doc)) break;
    }
    let paper = lowered.get(doc);
    if (!paper) {
      paper = index.paper(doc);
      if (proximity && !hasRun(paper.title, proximity)) {
        const bound = withoutTitleRun(keys[doc]!);
        if (!ahead({ bound, first: doc })) {
          lowered.set(doc, paper);
          keys[doc] = bound;
          queue.add([doc]);
          continue;
        }
      }
    }
    const hit = scorePaper(paper, compiled, weights, most, index.note?.(doc) ?? null);
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

/** The papers of one pool as a batch that joins the heap at once. */
const onePool = (pool: number[]): Batch[] => [{ bound: Infinity, first: 0, load: () => pool }];

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
  const content = wide.wanted.map((clause) => clause.content && !clause.filter);
  const required = wide.wanted.map((clause) => clause.filter);
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
      let filtered = false;
      for (let i = 0; i < parts.length && !filtered; i++) {
        const s = at(i, doc);
        filtered = s === 0 && required[i]!;
        sum += weights[i]! * s;
        if (s > 0 && content[i]) matched++;
      }
      if (filtered || matched < most) continue;
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
  // Every candidate has every filter: the papers of the one with fewest are all there is to read.
  const filter = byCost.find((i) => required[i]);
  for (const i of filter === undefined ? byCost : [filter]) {
    if (essential.length > 0 && enumerated + size(i) > ESSENTIAL_PAPERS) break;
    essential.push(i);
    enumerated += size(i);
  }
  const seen = new Uint8Array(index.count);
  const pool = shortList(index, wide);
  if (pool) return readInOrder(index, wide, weights, onePool(narrow(index, counts, wide, admit(pool, seen))), keys, limit, most);
  const first = narrow(index, counts, wide, admit(essential.flatMap(docsOf), seen));
  const kept = readInOrder(index, wide, weights, onePool(first), keys, limit, most);
  const rest = byCost.filter((i) => !essential.includes(i));
  // The most a paper without any essential clause could score: it needs `most` content clauses among the rest.
  const restContent = rest.filter((i) => content[i]).length;
  const ceiling = (i: number) => weights[i]! * Math.max(...parts[i]!.map((part) => part.view.max()));
  const reach = restContent < most ? -Infinity : rest.reduce((sum, i) => sum + ceiling(i), 0) / weightSum;
  if (filter !== undefined || rest.length === 0 || (kept.length >= limit && kept.at(-1)!.hit.score > reach + EPSILON)) return kept;
  // Not settled by the essential clauses: every candidate, as the exact pass does.
  const all = narrow(index, counts, wide, [...first, ...admit(rest.flatMap(docsOf), seen)]);
  return readInOrder(index, wide, weights, onePool(all), keys, limit, most);
}

// Bounds and scores are sums of the same terms in another order: equal to within rounding, not always to the bit.
const EPSILON = 1e-9;

interface Ranked {
  hit: Hit;
  doc: number;
}

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
  const costs = clauses.map((clause) => counts.clauseCost(clause));
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

/** A max-heap of papers by bound (ties: lower doc first), that papers join a batch at a time. */
class BoundHeap {
  private heap = new Int32Array(0);
  private size = 0;

  constructor(private readonly keys: Float64Array) {}

  private before(a: number, b: number): boolean {
    const x = this.keys[a]!;
    const y = this.keys[b]!;
    return x > y || (x === y && a < b);
  }

  /** Adds papers: one by one when few, else all at once and the heap built again in linear time. */
  add(docs: number[]): void {
    if (this.size + docs.length > this.heap.length) {
      const larger = new Int32Array(Math.max(2 * this.heap.length, this.size + docs.length));
      larger.set(this.heap.subarray(0, this.size));
      this.heap = larger;
    }
    if (docs.length > this.size) {
      this.heap.set(docs, this.size);
      this.size += docs.length;
      for (let i = (this.size >> 1) - 1; i >= 0; i--) this.down(i);
      return;
    }
    for (const doc of docs) this.up(this.size++, doc);
  }

  private up(at: number, doc: number): void {
    const { heap } = this;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (!this.before(doc, heap[parent]!)) break;
      heap[at] = heap[parent]!;
      at = parent;
    }
    heap[at] = doc;
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

  peek(): number | undefined {
    return this.size === 0 ? undefined : this.heap[0];
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
export function explainNoMatch(index: Index, query: Query, options: RankOptions = {}): string | null {
  const lexicon = lexiconOf(index);
  const compiled = compileQuery(query, lexicon, options);
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
