import type { Paper } from '../corpus/paper.js';
import { authorText } from '../index/words.js';
import { scanWords } from '../base/text/words.js';
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
  /** The reader's note, when the query matched in it (its spans are `spans.note`). */
  note?: string;
  /** A near miss: it matched only these words of the query, or some only through their word family. */
  partial?: string[];
}

interface TermMatch {
  similarity: number;
  count: number;
  spans: Span[];
}

const FIELDS: readonly Field[] = ['title', 'abstract', 'author', 'note'];

// More highlights than this in one field show nothing more to a reader; counts go on past it.
const MAX_SPANS = 1000;

/**
 * One paper scored exactly against the query (`weights`: each wanted clause's idf), or null if it does not
 * match. With `most` (a number of clauses), a paper that matches at least that many clauses is scored on
 * those it matches, the others counting 0, and says which they were. `note`: the reader's note on the paper.
 */
export function scorePaper(paper: Paper, query: CompiledQuery, weights: number[], most?: number, note: string | null = null): Hit | null {
  const forms = [...query.wanted, ...query.unwanted].flatMap((c) => c.terms.flatMap((t) => t.forms));
  if (query.proximity) forms.push(query.proximity);
  const fields: Record<Field, Map<Form, TermMatch>> = {
    title: matchField(paper.title, forms),
    abstract: matchField(paper.abstract, forms),
    author: paper.authors ? matchField(authorText(paper.authors), forms) : new Map(),
    note: note ? matchField(note, forms) : new Map(),
  };
  // Plain words are looked for in the title, abstract and note; author: words in the names only.
  const inField = (term: CompiledTerm, field: Field) =>
    term.field === field || (term.field === null && field !== 'author') ? termMatch(term, fields[field]) : null;
  if (query.unwanted.some((c) => c.terms.some((t) => FIELDS.some((field) => inField(t, field))))) return null;
  const spans: Record<Field, Span[]> = { title: [], abstract: [], author: [], note: [] };
  let score = 0;
  const matched: string[] = [];
  let content = 0;
  for (const [i, { terms, text, content: counts, filter }] of query.wanted.entries()) {
    let best = 0;
    for (const term of terms) {
      const inTitle = inField(term, 'title');
      const inAbstract = inField(term, 'abstract');
      const inAuthors = inField(term, 'author');
      const inNote = inField(term, 'note');
      if (inTitle) append(spans.title, inTitle.spans);
      if (inAbstract) append(spans.abstract, inAbstract.spans);
      if (inAuthors) append(spans.author, inAuthors.spans);
      if (inNote) append(spans.note, inNote.spans);
      // Each way of writing the term scores on its own, as its bound was worked out: a close form met once and a
      // far one met often do not add up to a close form met often.
      for (const form of inTitle || inAbstract || inAuthors || inNote ? term.forms : []) {
        const at = (field: Field) => (term.field === field || (term.field === null && field !== 'author') ? fields[field].get(form) : undefined);
        const [title, abstract, authors, noted] = [at('title'), at('abstract'), at('author'), at('note')];
        best = Math.max(
          best,
          termScore(term.field, title?.similarity ?? 0, abstract?.similarity ?? 0, abstract?.count ?? 0, authors?.similarity ?? 0, noted?.similarity ?? 0),
        );
      }
    }
    if (best === 0) {
      if (most === undefined || filter) return null;
      continue;
    }
    matched.push(text);
    if (counts && !filter) content++;
    score += weights[i]! * best;
  }
  if (most !== undefined && content < most) return null;
  const weightSum = weights.reduce((a, b) => a + b, 0);
  score = query.wanted.length === 0 ? 1 : score / weightSum;
  if (query.proximity) {
    // A near miss lacks some word as typed, so it cannot have them all side by side.
    const together = most !== undefined ? 0 : fields.title.has(query.proximity) ? 1 : fields.abstract.has(query.proximity) ? PROXIMITY_ABSTRACT : 0;
    score = withProximity(score, together);
  }
  return {
    paper,
    score,
    fields: FIELDS.filter((f) => spans[f].length > 0),
    spans: { title: mergeSpans(spans.title), abstract: mergeSpans(spans.abstract), author: mergeSpans(spans.author), note: mergeSpans(spans.note) },
    ...(note && spans.note.length > 0 ? { note } : {}),
    ...(most === undefined ? {} : { partial: matched }),
  };
}

/** Whether `text` has the form (words side by side) anywhere. */
export function hasRun(text: string, form: Form): boolean {
  return matchField(text, [form]).has(form);
}

/** Adds spans one by one, up to the cap: a spread of a huge array would overflow the call stack. */
function append(into: Span[], spans: Span[]): void {
  for (const span of spans) {
    if (into.length >= MAX_SPANS) return;
    into.push(span);
  }
}

/** How a term matched in one field: the best of its forms. */
function termMatch(term: CompiledTerm, found: Map<Form, TermMatch>): TermMatch | null {
  let best: TermMatch | null = null;
  for (const form of term.forms) {
    const match = found.get(form);
    if (!match) continue;
    if (!best) best = { similarity: match.similarity, count: match.count, spans: [...match.spans] };
    else {
      best.similarity = Math.max(best.similarity, match.similarity);
      best.count = Math.max(best.count, match.count);
      append(best.spans, match.spans);
    }
  }
  return best;
}

/**
 * Every form's matches in one pass over the text, keeping only the last few words: memory stays the
 * size of what matched, however long the text. A single word matches any token (a hyphenated run's joined
 * form too); words side by side match a run of plain words.
 */
function matchField(text: string, forms: Form[]): Map<Form, TermMatch> {
  const found = new Map<Form, TermMatch>();
  const note = (form: Form, similarity: number, start: number, end: number) => {
    let match = found.get(form);
    if (!match) found.set(form, (match = { similarity: 0, count: 0, spans: [] }));
    match.similarity = Math.max(match.similarity, similarity);
    match.count++;
    if (match.spans.length < MAX_SPANS) match.spans.push({ start, end });
  };
  const single = forms.filter((f) => f.words.length === 1);
  const runs = forms.filter((f) => f.words.length > 1);
  const longest = runs.reduce((n, f) => Math.max(n, f.words.length), 1);
  // The last `longest` plain words, oldest first.
  const recent: { word: string; start: number; end: number }[] = [];
  scanWords(text, (word, start, end, _pos, compound) => {
    for (const form of single) {
      const similarity = form.words[0]!.get(word);
      if (similarity !== undefined) note(form, similarity * form.similarity, start, end);
    }
    if (compound || runs.length === 0) return;
    recent.push({ word, start, end });
    if (recent.length > longest) recent.shift();
    for (const form of runs) {
      const n = form.words.length;
      if (recent.length < n) continue;
      const first = recent.length - n;
      let similarity = form.similarity;
      for (let k = 0; k < n && similarity > 0; k++) similarity = Math.min(similarity, form.words[k]!.get(recent[first + k]!.word) ?? 0);
      if (similarity > 0) note(form, similarity, recent[first]!.start, end);
    }
  });
  return found;
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
