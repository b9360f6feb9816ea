import type { Paper } from '../corpus/paper.js';
import { findAcronymDefinitions, makeAcronyms, type Acronyms } from './acronyms.js';
import type { Clause, Field, Query, Term } from './query.js';
import { scanWords, tokenize, type Token } from './text.js';
import { Vocabulary, type Expansion } from './vocabulary.js';
import { documentNorms } from './related.js';

export interface Span {
  start: number;
  end: number;
}

export interface Hit {
  paper: Paper;
  /** 0 to 1, higher is better: 1 means every word matched exactly in the title and often in the abstract. */
  score: number;
  fields: Field[];
  spans: Record<Field, Span[]>;
}

/** The papers containing one word, with how often it stands in each one's title and abstract (capped at 255). */
export interface Postings {
  docs: Uint32Array;
  title: Uint8Array;
  abstract: Uint8Array;
}

/** What search needs of a corpus: held in memory, or read piecemeal from the cache. */
export interface SearchSource {
  count: number;
  vocabulary: Vocabulary;
  acronyms: Acronyms;
  postings(word: string): Postings | undefined;
  paper(doc: number): Paper;
  hasCode(doc: number): boolean;
  /** Each paper's TF-IDF vector length, for related papers. */
  norms(): Float64Array;
  /** How many papers each vocabulary word occurs in, in the vocabulary's order. */
  frequencies(): Uint32Array;
}

// A word in the title says what the paper is about; the abstract only mentions it.
const TITLE_WEIGHT = 0.6;
const ABSTRACT_WEIGHT = 0.4;
// BM25's term-frequency saturation: the third mention of a word adds less than the second.
const TF_SATURATION = 1.2;
// "GNN" for "graph neural network" (and back) is the same idea in other words, but not the words typed.
const ACRONYM_SIMILARITY = 0.9;
// Share of the score for finding the query's words side by side, as typed: "memory networks" as a phrase
// beats "memory" in one sentence and "networks" in another.
const PROXIMITY_WEIGHT = 0.15;
const PROXIMITY_ABSTRACT = 0.5;
const MAX_COUNT = 255;

/**
 * Every word of the corpus, sorted, with its postings: the papers it occurs in (ascending) and how often
 * in each one's title and abstract. Postings of word i are entries offsets[i] .. offsets[i + 1] - 1.
 */
export interface WordIndex {
  words: string[];
  offsets: Uint32Array;
  docs: Uint32Array;
  title: Uint8Array;
  abstract: Uint8Array;
}

/** Builds the word index in one pass over the text, in typed arrays: 100,000 papers fit in little memory. */
export function indexWords(papers: Paper[]): WordIndex {
  const ids = new Map<string, number>();
  const names: string[] = [];
  let capacity = 1 << 16;
  let wordOf = new Uint32Array(capacity);
  let titleOf = new Uint8Array(capacity);
  let abstractOf = new Uint8Array(capacity);
  let used = 0;
  const docEnd = new Uint32Array(papers.length);
  // Per word id: the paper it was last seen in (+1) and its slot there; replaces a Map per paper.
  let seenIn = new Uint32Array(1 << 16);
  let slotOf = new Uint32Array(1 << 16);
  let current = 0;
  let inTitle = true;
  const onWord = (word: string) => {
    let id = ids.get(word);
    if (id === undefined) {
      id = names.length;
      ids.set(word, id);
      names.push(word);
      if (id >= seenIn.length) {
        seenIn = grow(seenIn, seenIn.length * 2);
        slotOf = grow(slotOf, slotOf.length * 2);
      }
    }
    let slot: number;
    if (seenIn[id] === current) slot = slotOf[id]!;
    else {
      if (used === capacity) {
        capacity *= 2;
        wordOf = grow(wordOf, capacity);
        titleOf = grow(titleOf, capacity);
        abstractOf = grow(abstractOf, capacity);
      }
      slot = used++;
      seenIn[id] = current;
      slotOf[id] = slot;
      wordOf[slot] = id;
    }
    const counts = inTitle ? titleOf : abstractOf;
    if (counts[slot]! < MAX_COUNT) counts[slot]!++;
  };
  papers.forEach((paper, doc) => {
    current = doc + 1;
    inTitle = true;
    scanWords(paper.title, onWord);
    inTitle = false;
    scanWords(paper.abstract, onWord);
    docEnd[doc] = used;
  });

  const order = names.map((_, id) => id).sort((a, b) => (names[a]! < names[b]! ? -1 : names[a]! > names[b]! ? 1 : 0));
  const rank = new Uint32Array(names.length);
  order.forEach((id, r) => (rank[id] = r));
  const offsets = new Uint32Array(names.length + 1);
  for (let slot = 0; slot < used; slot++) offsets[rank[wordOf[slot]!]! + 1]!++;
  for (let r = 0; r < names.length; r++) offsets[r + 1]! += offsets[r]!;
  const cursor = offsets.slice(0, names.length);
  const docs = new Uint32Array(used);
  const title = new Uint8Array(used);
  const abstract = new Uint8Array(used);
  let slot = 0;
  for (let doc = 0; doc < papers.length; doc++) {
    for (; slot < docEnd[doc]!; slot++) {
      const at = cursor[rank[wordOf[slot]!]!]!++;
      docs[at] = doc;
      title[at] = titleOf[slot]!;
      abstract[at] = abstractOf[slot]!;
    }
  }
  return { words: order.map((id) => names[id]!), offsets, docs, title, abstract };
}

export function frequenciesOf(offsets: Uint32Array): Uint32Array {
  const df = new Uint32Array(Math.max(0, offsets.length - 1));
  for (let i = 0; i < df.length; i++) df[i] = offsets[i + 1]! - offsets[i]!;
  return df;
}

function grow<T extends Uint8Array | Uint32Array>(array: T, size: number): T {
  const bigger = new (array.constructor as new (n: number) => T)(size);
  bigger.set(array);
  return bigger;
}

/** A search source over papers held in memory. */
export function buildIndex(papers: Paper[]): SearchSource {
  const index = indexWords(papers);
  const vocabulary = new Vocabulary(index.words);
  let norms: Float64Array | undefined;
  return {
    count: papers.length,
    vocabulary,
    acronyms: makeAcronyms(findAcronymDefinitions(papers.map((p) => p.abstract))),
    postings: (word) => {
      const at = vocabulary.indexOf(word);
      if (at < 0) return undefined;
      const [start, end] = [index.offsets[at]!, index.offsets[at + 1]!];
      return { docs: index.docs.subarray(start, end), title: index.title.subarray(start, end), abstract: index.abstract.subarray(start, end) };
    },
    paper: (doc) => papers[doc]!,
    hasCode: (doc) => Boolean(papers[doc]!.code),
    norms: () => (norms ??= documentNorms(index, papers.length)),
    frequencies: () => frequenciesOf(index.offsets),
  };
}

interface TermMatch {
  similarity: number;
  count: number;
  spans: Span[];
}

/** One way of writing a term: a single word (any token, compounds too) or words side by side. */
interface Form {
  words: Expansion[];
  similarity: number;
}

interface CompiledTerm {
  field: Field | null;
  forms: Form[];
}

interface CompiledClause {
  negated: boolean;
  terms: CompiledTerm[];
}

interface FieldIndex {
  tokens: Token[];
  /** Plain words (no compounds) in reading order, for phrases. */
  sequence: Token[];
}

/**
 * Ranks in two steps. From the postings alone, every paper that has all the query's words gets an
 * upper bound of its score (exact for single words; phrases and proximity can only lower it). Then
 * papers are read and scored exactly in order of that bound, until no unread paper can beat the
 * `limit`-th score found: a large corpus reads only a few papers, and the ranking is the same.
 */
export async function searchIndex(source: SearchSource, query: Query, limit = Infinity): Promise<Hit[]> {
  await source.vocabulary.prepare(query.clauses.flatMap((c) => c.terms.flatMap((t) => t.words)));
  const extended = addRunSpellings(query.clauses, source);
  const clauses: CompiledClause[] = extended.map((clause) => ({
    negated: clause.negated,
    terms: clause.terms.map((term) => compileTerm(term, source)),
  }));
  const wanted = clauses.filter((c) => !c.negated);
  const unwanted = clauses.filter((c) => c.negated);
  const proximity = proximityForm(query.clauses, source);

  let bounds: Map<number, number> | null = null;
  const weights: number[] = [];
  // Expansions are shared between terms (the run "graph neural networks" reuses each word's): count once.
  const memo = new Map<Expansion, Dense>();
  for (const { terms } of wanted) {
    const scores = clauseBounds(terms, source, memo);
    weights.push(idf(source.count, scores.size));
    if (bounds === null) bounds = new Map([...scores].map(([doc, s]) => [doc, weights[0]! * s]));
    else {
      const w = weights[weights.length - 1]!;
      const next = new Map<number, number>();
      for (const [doc, sum] of bounds) {
        const s = scores.get(doc);
        if (s !== undefined) next.set(doc, sum + w * s);
      }
      bounds = next;
    }
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  let pool: [number, number][] = bounds ? [...bounds].map(([doc, sum]) => [doc, sum / weightSum]) : [...Array(source.count).keys()].map((doc) => [doc, 1]);
  if (query.hasCode) pool = pool.filter(([doc]) => source.hasCode(doc));
  const excluded = excludedDocs(unwanted, source, memo);
  pool = pool.filter(([doc]) => !excluded.has(doc));
  const bound = (base: number) => (proximity ? (1 - PROXIMITY_WEIGHT) * base + PROXIMITY_WEIGHT : base);
  pool.sort((a, b) => b[1] - a[1] || a[0] - b[0]);

  const hits: Hit[] = [];
  let floor = -Infinity;
  for (const [doc, base] of pool) {
    if (hits.length >= limit && bound(base) < floor) break;
    const hit = scorePaper(source.paper(doc), wanted, unwanted, weights, weightSum, proximity);
    if (!hit) continue;
    if (hits.length >= limit && byRank(hit, hits[hits.length - 1]!) >= 0) continue;
    let at = hits.length;
    while (at > 0 && byRank(hit, hits[at - 1]!) < 0) at--;
    hits.splice(at, 0, hit);
    if (hits.length > limit) hits.pop();
    if (hits.length >= limit) floor = hits[hits.length - 1]!.score;
  }
  return hits;
}

function byRank(a: Hit, b: Hit): number {
  return b.score - a.score || b.spans.title.length - a.spans.title.length || (a.paper.id < b.paper.id ? -1 : a.paper.id > b.paper.id ? 1 : 0);
}

/** Per-paper values over the whole corpus, with the papers that have any, in ascending order. */
interface Dense {
  docs: number[];
  title: Float64Array;
  abstract: Float64Array;
  count: Uint32Array;
}

/** Per paper, the best any of the clause's terms could score, from word counts alone. */
function clauseBounds(terms: CompiledTerm[], source: SearchSource, memo: Map<Expansion, Dense>): Map<number, number> {
  const best = new Map<number, number>();
  for (const term of terms) {
    for (const form of term.forms) {
      const perWord = form.words.map((expansion) => wordCounts(expansion, source, memo));
      const [first, ...rest] = perWord;
      if (!first) continue;
      for (const doc of first.docs) {
        let title = first.title[doc]!;
        let abstract = first.abstract[doc]!;
        let count = first.count[doc]!;
        for (const other of rest) {
          title = Math.min(title, other.title[doc]!);
          abstract = Math.min(abstract, other.abstract[doc]!);
          count = Math.min(count, other.count[doc]!);
        }
        if (title === 0 && abstract === 0) continue;
        const score = boundScore(term.field, title * form.similarity, abstract * form.similarity, count);
        if (score > (best.get(doc) ?? 0)) best.set(doc, score);
      }
    }
  }
  return best;
}

/** Per paper: the best similarity of `expansion`'s words in the title and the abstract, and how often in the abstract. */
function wordCounts(expansion: Expansion, source: SearchSource, memo: Map<Expansion, Dense>): Dense {
  const known = memo.get(expansion);
  if (known) return known;
  const dense: Dense = { docs: [], title: new Float64Array(source.count), abstract: new Float64Array(source.count), count: new Uint32Array(source.count) };
  const touched = new Uint8Array(source.count);
  for (const [word, similarity] of expansion) {
    const postings = source.postings(word);
    if (!postings) continue;
    for (let i = 0; i < postings.docs.length; i++) {
      const doc = postings.docs[i]!;
      if (!touched[doc]) {
        touched[doc] = 1;
        dense.docs.push(doc);
      }
      if (postings.title[i]! > 0 && dense.title[doc]! < similarity) dense.title[doc] = similarity;
      if (postings.abstract[i]! > 0) {
        if (dense.abstract[doc]! < similarity) dense.abstract[doc] = similarity;
        dense.count[doc]! += postings.abstract[i]!;
      }
    }
  }
  memo.set(expansion, dense);
  return dense;
}

/** Papers that an excluded single word rules out, known from the postings; phrases are checked per paper. */
function excludedDocs(unwanted: CompiledClause[], source: SearchSource, memo: Map<Expansion, Dense>): Set<number> {
  const excluded = new Set<number>();
  for (const { terms } of unwanted) {
    for (const term of terms) {
      for (const form of term.forms) {
        if (form.words.length !== 1) continue;
        const counts = wordCounts(form.words[0]!, source, memo);
        for (const doc of counts.docs) {
          if ((term.field !== 'abstract' && counts.title[doc]! > 0) || (term.field !== 'title' && counts.abstract[doc]! > 0)) excluded.add(doc);
        }
      }
    }
  }
  return excluded;
}

function scorePaper(
  paper: Paper,
  wanted: CompiledClause[],
  unwanted: CompiledClause[],
  weights: number[],
  weightSum: number,
  proximity: Form | null,
): Hit | null {
  const fields = { title: fieldIndex(paper.title), abstract: fieldIndex(paper.abstract) };
  if (unwanted.some((c) => c.terms.some((t) => matchesAnywhere(t, fields)))) return null;
  const spans: Record<Field, Span[]> = { title: [], abstract: [] };
  let score = 0;
  for (const [i, { terms }] of wanted.entries()) {
    let best = 0;
    for (const term of terms) {
      const inTitle = term.field !== 'abstract' ? matchTerm(term, fields.title) : null;
      const inAbstract = term.field !== 'title' ? matchTerm(term, fields.abstract) : null;
      if (inTitle) spans.title.push(...inTitle.spans);
      if (inAbstract) spans.abstract.push(...inAbstract.spans);
      best = Math.max(best, termScore(term.field, inTitle, inAbstract));
    }
    if (best === 0) return null;
    score += weights[i]! * best;
  }
  score = wanted.length === 0 ? 1 : score / weightSum;
  if (proximity) {
    const together = matchForm(proximity, fields.title) ? 1 : matchForm(proximity, fields.abstract) ? PROXIMITY_ABSTRACT : 0;
    score = (1 - PROXIMITY_WEIGHT) * score + PROXIMITY_WEIGHT * together;
  }
  return {
    paper,
    score,
    fields: (['title', 'abstract'] as const).filter((f) => spans[f].length > 0),
    spans: { title: mergeSpans(spans.title), abstract: mergeSpans(spans.abstract) },
  };
}

function fieldIndex(text: string): FieldIndex {
  const tokens = tokenize(text);
  return { tokens, sequence: tokens.filter((t) => !t.compound) };
}

/** BM25's inverse document frequency: a word in most papers says little about any of them. */
function idf(total: number, df: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
}

function termScore(field: Field | null, title: TermMatch | null, abstract: TermMatch | null): number {
  return boundScore(field, title?.similarity ?? 0, abstract?.similarity ?? 0, abstract?.count ?? 0);
}

function boundScore(field: Field | null, titleSimilarity: number, abstractSimilarity: number, abstractCount: number): number {
  const inAbstract = abstractSimilarity > 0 ? abstractSimilarity * saturate(abstractCount) : 0;
  if (field === 'title') return titleSimilarity;
  if (field === 'abstract') return inAbstract;
  return TITLE_WEIGHT * titleSimilarity + ABSTRACT_WEIGHT * inAbstract;
}

function saturate(count: number): number {
  return count / (count + TF_SATURATION);
}

function plainWord(clause: Clause): string | null {
  const term = clause.terms[0];
  if (clause.negated || clause.terms.length !== 1 || !term || term.exact || term.field || term.words.length !== 1) return null;
  return term.words[0]!;
}

const MAX_LONG_FORM = 5;

/**
 * Neighbouring plain words that the corpus also writes as one ("pre training" -> "pretraining") or that
 * spell out a known acronym ("named entity recognition" -> NER): each word of the run may also be
 * matched by the run written that other way, so either spelling satisfies the whole run.
 */
function addRunSpellings(clauses: Clause[], source: SearchSource): Clause[] {
  const result = clauses.map((c) => ({ ...c, terms: [...c.terms] }));
  for (let i = 0; i < clauses.length; i++) {
    for (let n = Math.min(MAX_LONG_FORM, clauses.length - i); n >= 2; n--) {
      const words = clauses.slice(i, i + n).map(plainWord);
      if (words.some((w) => w === null)) continue;
      const run = words as string[];
      if (!source.acronyms.acronymFor(run) && !(n === 2 && source.vocabulary.has(run.join('')))) continue;
      const term: Term = { words: run, exact: false, field: null, text: run.join(' ') };
      for (let k = i; k < i + n; k++) result[k]!.terms.push(term);
      i += n - 1;
      break;
    }
  }
  return result;
}

function compileTerm(term: Term, source: SearchSource): CompiledTerm {
  const { vocabulary, acronyms } = source;
  // Quoted words are taken as written (plurals aside): no other forms, typos or acronyms.
  const reach = term.exact ? 'exact' : 'fuzzy';
  const forms: Form[] = [];
  if (term.words.length === 1) {
    const word = term.words[0]!;
    forms.push({ words: [vocabulary.expand(word, reach)], similarity: 1 });
    for (const longForm of term.exact ? [] : acronyms.longForms(word)) {
      for (const variant of spellings(longForm, vocabulary)) {
        forms.push({ words: variant.map((w) => vocabulary.expand(w, 'forms')), similarity: ACRONYM_SIMILARITY });
      }
    }
  } else {
    forms.push({ words: term.words.map((w) => vocabulary.expand(w, reach)), similarity: 1 });
    // No typo allowance on the joined word: "multilabel" would also take "multilayer".
    forms.push({ words: [vocabulary.expand(term.words.join(''), term.exact ? 'exact' : 'forms')], similarity: 1 });
    const acronym = term.exact ? null : acronyms.acronymFor(term.words);
    if (acronym) forms.push({ words: [vocabulary.expand(acronym, 'forms')], similarity: ACRONYM_SIMILARITY });
  }
  return { field: term.field, forms: forms.filter((f) => f.words.every((e) => e.size > 0)) };
}

/** "multi layer perceptron" also as "multilayer perceptron" when the corpus has that word. */
function spellings(words: string[], vocabulary: Vocabulary): string[][] {
  const variants = [words];
  for (let i = 0; i + 1 < words.length; i++) {
    const joined = words[i]! + words[i + 1]!;
    if (vocabulary.has(joined)) variants.push([...words.slice(0, i), joined, ...words.slice(i + 2)]);
  }
  return variants;
}

/** All the query's plain words in order, to reward papers that have them side by side. */
function proximityForm(clauses: Clause[], source: SearchSource): Form | null {
  const words: string[] = [];
  for (const clause of clauses) {
    const term = clause.terms[0];
    if (clause.negated || clause.terms.length !== 1 || !term || term.field) continue;
    words.push(...term.words);
  }
  if (words.length < 2) return null;
  return { words: words.map((w) => source.vocabulary.expand(w, 'fuzzy')), similarity: 1 };
}

function matchesAnywhere(term: CompiledTerm, fields: Record<Field, FieldIndex>): boolean {
  return (term.field !== 'abstract' && matchTerm(term, fields.title) !== null) || (term.field !== 'title' && matchTerm(term, fields.abstract) !== null);
}

function matchTerm(term: CompiledTerm, field: FieldIndex): TermMatch | null {
  let best: TermMatch | null = null;
  for (const form of term.forms) {
    const match = matchForm(form, field);
    if (!match) continue;
    if (!best) best = match;
    else {
      best.similarity = Math.max(best.similarity, match.similarity);
      best.count = Math.max(best.count, match.count);
      best.spans.push(...match.spans);
    }
  }
  return best;
}

function matchForm(form: Form, field: FieldIndex): TermMatch | null {
  const match: TermMatch = { similarity: 0, count: 0, spans: [] };
  const [first] = form.words;
  if (form.words.length === 1 && first) {
    for (const token of field.tokens) {
      const similarity = first.get(token.word);
      if (similarity === undefined) continue;
      match.similarity = Math.max(match.similarity, similarity * form.similarity);
      match.count++;
      match.spans.push(token);
    }
  } else {
    const { sequence } = field;
    const n = form.words.length;
    for (let i = 0; i + n <= sequence.length; i++) {
      let similarity = form.similarity;
      for (let k = 0; k < n && similarity > 0; k++) similarity = Math.min(similarity, form.words[k]!.get(sequence[i + k]!.word) ?? 0);
      if (similarity === 0) continue;
      match.similarity = Math.max(match.similarity, similarity);
      match.count++;
      match.spans.push({ start: sequence[i]!.start, end: sequence[i + n - 1]!.end });
    }
  }
  return match.count > 0 ? match : null;
}

function mergeSpans(spans: Span[]): Span[] {
  const sorted = [...spans].sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const span of sorted) {
    const last = merged[merged.length - 1];
    if (last && span.start <= last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end });
  }
  return merged;
}
