import type { Paper } from '../corpus/paper.js';
import { findAcronyms, type Acronyms } from './acronyms.js';
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
  acronyms: Acronyms;
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
  const acronyms = findAcronyms(papers.map((p) => p.abstract));
  return { papers, docs, postings, vocabulary: new Vocabulary(postings.keys()), acronyms };
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

export function searchIndex(index: SearchIndex, query: Query): Hit[] {
  const merged = addRunSpellings(query.clauses, index);
  const clauses: CompiledClause[] = merged.map((clause) => ({
    negated: clause.negated,
    terms: clause.terms.map((term) => compileTerm(term, index)),
  }));
  const wanted = clauses.filter((c) => !c.negated);
  const unwanted = clauses.filter((c) => c.negated);
  const proximity = proximityForm(query.clauses, index);
  const total = index.papers.length;

  let candidates: Set<number> | null = null;
  const weights: number[] = [];
  for (const { terms } of wanted) {
    const docs = new Set<number>();
    for (const term of terms) for (const form of term.forms) for (const doc of formDocs(form, index)) docs.add(doc);
    weights.push(idf(total, docs.size));
    candidates = candidates === null ? docs : intersect(candidates, docs);
  }
  const pool = candidates ?? new Set(index.papers.keys());
  const weightSum = weights.reduce((a, b) => a + b, 0);

  const hits: Hit[] = [];
  for (const doc of pool) {
    const paper = index.papers[doc]!;
    if (query.hasCode && !paper.code) continue;
    const fields = index.docs[doc]!;
    if (unwanted.some((c) => c.terms.some((t) => matchesAnywhere(t, fields)))) continue;
    const spans: Record<Field, Span[]> = { title: [], abstract: [] };
    let score = 0;
    let matchedAll = true;
    wanted.forEach(({ terms }, i) => {
      let best = 0;
      for (const term of terms) {
        const inTitle = term.field !== 'abstract' ? matchTerm(term, fields.title) : null;
        const inAbstract = term.field !== 'title' ? matchTerm(term, fields.abstract) : null;
        if (inTitle) spans.title.push(...inTitle.spans);
        if (inAbstract) spans.abstract.push(...inAbstract.spans);
        best = Math.max(best, termScore(term.field, inTitle, inAbstract));
      }
      if (best === 0) matchedAll = false;
      score += (weights[i] ?? 0) * best;
    });
    if (!matchedAll) continue;
    score = wanted.length === 0 ? 1 : score / weightSum;
    if (proximity) {
      const together = matchForm(proximity, fields.title) ? 1 : matchForm(proximity, fields.abstract) ? PROXIMITY_ABSTRACT : 0;
      score = (1 - PROXIMITY_WEIGHT) * score + PROXIMITY_WEIGHT * together;
    }
    hits.push({
      paper,
      score,
      fields: (['title', 'abstract'] as const).filter((f) => spans[f].length > 0),
      spans: { title: mergeSpans(spans.title), abstract: mergeSpans(spans.abstract) },
    });
  }
  return hits.sort((a, b) => b.score - a.score || b.spans.title.length - a.spans.title.length || a.paper.id.localeCompare(b.paper.id));
}

/** BM25's inverse document frequency: a word in most papers says little about any of them. */
function idf(total: number, df: number): number {
  return Math.log(1 + (total - df + 0.5) / (df + 0.5));
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
function addRunSpellings(clauses: Clause[], index: SearchIndex): Clause[] {
  const result = clauses.map((c) => ({ ...c, terms: [...c.terms] }));
  for (let i = 0; i < clauses.length; i++) {
    for (let n = Math.min(MAX_LONG_FORM, clauses.length - i); n >= 2; n--) {
      const words = clauses.slice(i, i + n).map(plainWord);
      if (words.some((w) => w === null)) continue;
      const run = words as string[];
      if (!index.acronyms.acronymFor(run) && !(n === 2 && index.vocabulary.has(run.join('')))) continue;
      const term: Term = { words: run, exact: false, field: null, text: run.join(' ') };
      for (let k = i; k < i + n; k++) result[k]!.terms.push(term);
      i += n - 1;
      break;
    }
  }
  return result;
}

function compileTerm(term: Term, index: SearchIndex): CompiledTerm {
  const { vocabulary, acronyms } = index;
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
function proximityForm(clauses: Clause[], index: SearchIndex): Form | null {
  const words: string[] = [];
  for (const clause of clauses) {
    const term = clause.terms[0];
    if (clause.negated || clause.terms.length !== 1 || !term || term.field) continue;
    words.push(...term.words);
  }
  if (words.length < 2) return null;
  return { words: words.map((w) => index.vocabulary.expand(w, 'fuzzy')), similarity: 1 };
}

function formDocs(form: Form, index: SearchIndex): Set<number> {
  let docs: Set<number> | null = null;
  for (const expansion of form.words) {
    const found = new Set<number>();
    for (const word of expansion.keys()) for (const doc of index.postings.get(word) ?? []) found.add(doc);
    docs = docs === null ? found : intersect(docs, found);
  }
  return docs ?? new Set();
}

function intersect(a: Set<number>, b: Set<number>): Set<number> {
  const result = new Set<number>();
  for (const doc of a) if (b.has(doc)) result.add(doc);
  return result;
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
