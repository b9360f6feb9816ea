import type { Paper } from '../corpus/paper.js';
import type { Clause, Field, Query, Term } from './query.js';
import { tokenize, type Token } from './text.js';
import { Vocabulary, type Expansion } from './vocabulary.js';

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

interface FieldIndex {
  tokens: Token[];
  /** Plain words (no compounds) in reading order, for phrases. */
  sequence: Token[];
}

export interface SearchIndex {
  papers: Paper[];
  docs: Record<Field, FieldIndex>[];
  postings: Map<string, number[]>;
  vocabulary: Vocabulary;
}

// A word in the title says what the paper is about; the abstract only mentions it.
const TITLE_WEIGHT = 0.6;
const ABSTRACT_WEIGHT = 0.4;
// BM25's term-frequency saturation: the third mention of a word adds less than the second.
const TF_SATURATION = 1.2;

export function buildIndex(papers: Paper[]): SearchIndex {
  const postings = new Map<string, number[]>();
  const docs = papers.map((paper, doc) => {
    const fields = { title: fieldIndex(paper.title), abstract: fieldIndex(paper.abstract) };
    for (const field of [fields.title, fields.abstract]) {
      for (const token of field.tokens) {
        const list = postings.get(token.word);
        if (!list) postings.set(token.word, [doc]);
        else if (list[list.length - 1] !== doc) list.push(doc);
      }
    }
    return fields;
  });
  return { papers, docs, postings, vocabulary: new Vocabulary(postings.keys()) };
}

function fieldIndex(text: string): FieldIndex {
  const tokens = tokenize(text);
  return { tokens, sequence: tokens.filter((t) => !t.compound) };
}

interface TermMatch {
  similarity: number;
  count: number;
  spans: Span[];
}

interface CompiledTerm {
  term: Term;
  /** One expansion per word, for matching the words in sequence. */
  words: Expansion[];
  /** The words written together ("pre training" -> "pretraining"), when there is more than one. */
  joined: Expansion | null;
}

export function searchIndex(index: SearchIndex, query: Query): Hit[] {
  const clauses = joinSplitWords(query.clauses, index.vocabulary).map((clause) => ({
    clause,
    terms: clause.terms.map((term) => compileTerm(term, index.vocabulary)),
  }));
  const wanted = clauses.filter((c) => !c.clause.negated);
  const total = index.papers.length;

  let candidates: Set<number> | null = null;
  const weights: number[] = [];
  for (const { terms } of wanted) {
    const docs = new Set<number>();
    for (const term of terms) for (const doc of candidateDocs(term, index)) docs.add(doc);
    weights.push(Math.log(1 + total / (1 + docs.size)));
    candidates = candidates === null ? docs : intersect(candidates, docs);
  }
  const pool = candidates ?? new Set(index.papers.keys());
  const weightSum = weights.reduce((a, b) => a + b, 0);

  const hits: Hit[] = [];
  for (const doc of pool) {
    const paper = index.papers[doc]!;
    if (query.hasCode && !paper.code) continue;
    const fields = index.docs[doc]!;
    if (clauses.some((c) => c.clause.negated && c.terms.some((t) => matchesAnywhere(t, fields)))) continue;
    const spans: Record<Field, Span[]> = { title: [], abstract: [] };
    let score = 0;
    let matchedAll = true;
    wanted.forEach(({ terms }, i) => {
      let best = 0;
      for (const term of terms) {
        const inTitle = term.term.field !== 'abstract' ? matchField(term, fields.title) : null;
        const inAbstract = term.term.field !== 'title' ? matchField(term, fields.abstract) : null;
        if (inTitle) spans.title.push(...inTitle.spans);
        if (inAbstract) spans.abstract.push(...inAbstract.spans);
        best = Math.max(best, termScore(term.term.field, inTitle, inAbstract));
      }
      if (best === 0) matchedAll = false;
      score += (weights[i] ?? 0) * best;
    });
    if (!matchedAll) continue;
    hits.push({
      paper,
      score: wanted.length === 0 ? 1 : score / weightSum,
      fields: (['title', 'abstract'] as const).filter((f) => spans[f].length > 0),
      spans: { title: mergeSpans(spans.title), abstract: mergeSpans(spans.abstract) },
    });
  }
  return hits.sort((a, b) => b.score - a.score || b.spans.title.length - a.spans.title.length || a.paper.id.localeCompare(b.paper.id));
}

function termScore(field: Field | null, title: TermMatch | null, abstract: TermMatch | null): number {
  const inAbstract = abstract ? abstract.similarity * saturate(abstract.count) : 0;
  const inTitle = title ? title.similarity : 0;
  if (field === 'title') return inTitle;
  if (field === 'abstract') return inAbstract;
  return TITLE_WEIGHT * inTitle + ABSTRACT_WEIGHT * inAbstract;
}

function saturate(count: number): number {
  return count / (count + TF_SATURATION);
}

/**
 * "pre training" as two query words also means "pretraining" / "pre-training": when the corpus
 * knows the joined word, two neighbouring plain words become one term that matches either way.
 */
function joinSplitWords(clauses: Clause[], vocabulary: Vocabulary): Clause[] {
  const result: Clause[] = [];
  for (const clause of clauses) {
    const previous = result[result.length - 1];
    const a = previous && plainWord(previous);
    const b = plainWord(clause);
    if (a && b && vocabulary.has(a + b)) {
      result[result.length - 1] = { negated: false, terms: [{ words: [a, b], exact: false, field: null, text: `${a} ${b}` }] };
      continue;
    }
    result.push(clause);
  }
  return result;
}

function plainWord(clause: Clause): string | null {
  const term = clause.terms[0];
  if (clause.negated || clause.terms.length !== 1 || !term || term.exact || term.field || term.words.length !== 1) return null;
  return term.words[0]!;
}

function compileTerm(term: Term, vocabulary: Vocabulary): CompiledTerm {
  const fuzzy = !term.exact;
  if (term.words.length === 1) return { term, words: [vocabulary.expand(term.words[0]!, fuzzy)], joined: null };
  return {
    term,
    // Inside a phrase each word may only be itself or its plural: fuzzy phrases match too much.
    words: term.words.map((w) => vocabulary.expand(w, false)),
    joined: vocabulary.expand(term.words.join(''), fuzzy),
  };
}

function unionPostings(expansion: Expansion, index: SearchIndex): Set<number> {
  const docs = new Set<number>();
  for (const word of expansion.keys()) for (const doc of index.postings.get(word) ?? []) docs.add(doc);
  return docs;
}

function candidateDocs(term: CompiledTerm, index: SearchIndex): Set<number> {
  let docs: Set<number> | null = null;
  for (const expansion of term.words) {
    const found = unionPostings(expansion, index);
    docs = docs === null ? found : intersect(docs, found);
  }
  if (term.joined) for (const doc of unionPostings(term.joined, index)) docs!.add(doc);
  return docs ?? new Set();
}

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const result = new Set<number>();
  for (const doc of a) if (b.has(doc)) result.add(doc);
  return result;
}

function matchesAnywhere(term: CompiledTerm, fields: Record<Field, FieldIndex>): boolean {
  return (term.term.field !== 'abstract' && matchField(term, fields.title) !== null) || (term.term.field !== 'title' && matchField(term, fields.abstract) !== null);
}

function matchField(term: CompiledTerm, field: FieldIndex): TermMatch | null {
  const match: TermMatch = { similarity: 0, count: 0, spans: [] };
  const record = (similarity: number, span: Span) => {
    match.similarity = Math.max(match.similarity, similarity);
    match.count++;
    match.spans.push(span);
  };
  const single = term.words.length === 1 ? term.words[0]! : term.joined;
  if (single) {
    for (const token of field.tokens) {
      const similarity = single.get(token.word);
      if (similarity !== undefined) record(similarity, token);
    }
  }
  if (term.words.length > 1) {
    const { sequence } = field;
    for (let i = 0; i + term.words.length <= sequence.length; i++) {
      let similarity = 1;
      for (let k = 0; k < term.words.length && similarity > 0; k++) {
        similarity = Math.min(similarity, term.words[k]!.get(sequence[i + k]!.word) ?? 0);
      }
      if (similarity > 0) record(similarity, { start: sequence[i]!.start, end: sequence[i + term.words.length - 1]!.end });
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
