import type { Paper } from '../corpus/paper.js';
import { tokenize, type Token } from '../text/words.js';
import type { CompiledQuery, CompiledTerm, Form } from './compile.js';
import type { Field } from './query.js';
import { PROXIMITY_ABSTRACT, termScore, withProximity } from './score.js';

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

interface TermMatch {
  similarity: number;
  count: number;
  spans: Span[];
}

interface FieldIndex {
  tokens: Token[];
  /** Plain words (no compounds) in reading order, for phrases. */
  sequence: Token[];
}

/** One paper scored exactly against the query (`weights`: each wanted clause's idf), or null if it does not match. */
export function scorePaper(paper: Paper, query: CompiledQuery, weights: number[]): Hit | null {
  const fields = { title: fieldIndex(paper.title), abstract: fieldIndex(paper.abstract) };
  if (query.unwanted.some((c) => c.terms.some((t) => matchesAnywhere(t, fields)))) return null;
  const spans: Record<Field, Span[]> = { title: [], abstract: [] };
  let score = 0;
  for (const [i, { terms }] of query.wanted.entries()) {
    let best = 0;
    for (const term of terms) {
      const inTitle = term.field !== 'abstract' ? matchTerm(term, fields.title) : null;
      const inAbstract = term.field !== 'title' ? matchTerm(term, fields.abstract) : null;
      if (inTitle) spans.title.push(...inTitle.spans);
      if (inAbstract) spans.abstract.push(...inAbstract.spans);
      best = Math.max(best, termScore(term.field, inTitle?.similarity ?? 0, inAbstract?.similarity ?? 0, inAbstract?.count ?? 0));
    }
    if (best === 0) return null;
    score += weights[i]! * best;
  }
  const weightSum = weights.reduce((a, b) => a + b, 0);
  score = query.wanted.length === 0 ? 1 : score / weightSum;
  if (query.proximity) {
    score = withProximity(score, matchForm(query.proximity, fields.title) ? 1 : matchForm(query.proximity, fields.abstract) ? PROXIMITY_ABSTRACT : 0);
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
