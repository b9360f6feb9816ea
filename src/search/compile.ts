import { STOP_WORDS } from '../base/text/stopwords.js';
import type { Lexicon } from './lexicon.js';
import type { Clause, Field, Filters, Query, Term } from './query.js';
import { ACRONYM_SIMILARITY, RELATED_SIMILARITY } from './score.js';
import type { Expansion, Vocabulary } from './vocabulary.js';

/** One way of writing a term: a single word (any token, compounds too) or words side by side. */
export interface Form {
  words: Expansion[];
  similarity: number;
}

export interface CompiledTerm {
  field: Field | null;
  forms: Form[];
  /** The word of a single-word term that may be widened (unquoted), else null. */
  word: string | null;
}

export interface CompiledClause {
  negated: boolean;
  terms: CompiledTerm[];
  /** The clause as typed, to say which words a near miss matched. */
  text: string;
  /** False for a lone stop word ("of", "the"): it does not count toward matching most of a query. */
  content: boolean;
  /** Only author: terms: a filter, which near misses must match too (and which does not count toward most of a query). */
  filter: boolean;
  /** A widened clause: the clause it widens, whose bounds are reused, and what was added to it. */
  widens?: { terms: CompiledTerm[]; extra: { field: Field | null; form: Form }[] };
}

/** A query with each word expanded into the corpus words it may stand for. */
export interface CompiledQuery {
  wanted: CompiledClause[];
  unwanted: CompiledClause[];
  /** All the plain words in order, to reward papers that have them side by side; null for one word. */
  proximity: Form | null;
  filters: Filters;
}

// Longest run of query words checked for an acronym's long form.
const MAX_LONG_FORM = 5;

export interface CompileOptions {
  /** Every word as typed, or its plural: no typos, prefixes, other forms, acronyms or other spellings of a run. */
  strict?: boolean;
}

export function compileQuery(query: Query, lexicon: Lexicon, { strict = false }: CompileOptions = {}): CompiledQuery {
  const spelled = strict ? query.clauses : addRunSpellings(query.clauses, lexicon);
  const clauses = spelled.map((clause, i) => ({
    negated: clause.negated,
    terms: clause.terms.map((term) => compileTerm(strict ? { ...term, exact: true } : term, lexicon)),
    text: query.clauses[i]!.terms.map((t) => t.text).join(' | '),
    content: !query.clauses[i]!.terms.every((t) => t.words.length === 1 && STOP_WORDS.has(t.words[0]!)),
    filter: query.clauses[i]!.terms.every((t) => t.field === 'author'),
  }));
  return {
    wanted: clauses.filter((c) => !c.negated),
    unwanted: clauses.filter((c) => c.negated),
    proximity: proximityForm(query.clauses, lexicon.vocabulary, strict ? 'exact' : 'fuzzy'),
    filters: query,
  };
}

function plainWord(clause: Clause): string | null {
  const term = clause.terms[0];
  if (clause.negated || clause.terms.length !== 1 || !term || term.exact || term.field || term.words.length !== 1) return null;
  return term.words[0]!;
}

/**
 * Neighbouring plain words that the corpus also writes as one ("pre training" -> "pretraining") or that
 * spell out a known acronym ("named entity recognition" -> NER): each word of the run may also be
 * matched by the run written that other way, so either spelling satisfies the whole run.
 */
function addRunSpellings(clauses: Clause[], lexicon: Lexicon): Clause[] {
  const result = clauses.map((c) => ({ ...c, terms: [...c.terms] }));
  for (let i = 0; i < clauses.length; i++) {
    for (let n = Math.min(MAX_LONG_FORM, clauses.length - i); n >= 2; n--) {
      const words = clauses.slice(i, i + n).map(plainWord);
      if (words.some((w) => w === null)) continue;
      const run = words as string[];
      if (!lexicon.acronyms.acronymFor(run) && !(n === 2 && lexicon.vocabulary.has(run.join('')))) continue;
      const term: Term = { words: run, exact: false, field: null, text: run.join(' ') };
      for (let k = i; k < i + n; k++) result[k]!.terms.push(term);
      i += n - 1;
      break;
    }
  }
  return result;
}

/**
 * The query for near misses: each unquoted single word of a wanted clause may also be matched by its
 * relatives (word family, shipped synonyms) and by the words `related` says the corpus puts with it. The
 * compiled query's own forms are kept as they are, so what was counted for it is not counted again.
 */
export function widenQuery(compiled: CompiledQuery, { vocabulary }: Lexicon, related: (word: string) => string[]): CompiledQuery {
  const extraForms = (term: CompiledTerm): Form[] => {
    if (term.word === null) return [];
    const extra: Form[] = [];
    const relatives = vocabulary.relatives(term.word);
    if (relatives.size > 0) extra.push({ words: [relatives], similarity: 1 });
    // A companion is matched as itself: its other forms may be common words ("modeling" is rare, "model" is not).
    for (const other of related(term.word)) if (vocabulary.has(other)) extra.push({ words: [new Map([[other, 1]])], similarity: RELATED_SIMILARITY });
    return extra;
  };
  const wanted = compiled.wanted.map((clause) => {
    // An author's name is a filter: not widened to other words.
    if (clause.filter) return clause;
    const extra: { field: Field | null; form: Form }[] = [];
    const terms = clause.terms.map((term) => {
      const more = extraForms(term);
      for (const form of more) extra.push({ field: term.field, form });
      return more.length === 0 ? term : { ...term, forms: [...term.forms, ...more] };
    });
    return extra.length === 0 ? clause : { ...clause, terms, widens: { terms: clause.terms, extra } };
  });
  return { ...compiled, wanted };
}

function compileTerm(term: Term, { vocabulary, acronyms }: Lexicon): CompiledTerm {
  // Quoted words are taken as written (plurals aside): no other forms, typos or acronyms.
  const reach = term.exact ? 'exact' : 'fuzzy';
  const forms: Form[] = [];
  if (term.words.length === 1) {
    const word = term.words[0]!;
    forms.push({ words: [vocabulary.expand(word, reach)], similarity: 1 });
    for (const longForm of term.exact ? [] : acronyms.longForms(word)) {
      for (const variant of joinedSpellings(longForm, vocabulary)) {
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
  const word = term.words.length === 1 && !term.exact ? term.words[0]! : null;
  return { field: term.field, forms: forms.filter((f) => f.words.every((e) => e.size > 0)), word };
}

/** "multi layer perceptron" also as "multilayer perceptron" when the corpus has that word. */
function joinedSpellings(words: string[], vocabulary: Vocabulary): string[][] {
  const variants = [words];
  for (let i = 0; i + 1 < words.length; i++) {
    const joined = words[i]! + words[i + 1]!;
    if (vocabulary.has(joined)) variants.push([...words.slice(0, i), joined, ...words.slice(i + 2)]);
  }
  return variants;
}

function proximityForm(clauses: Clause[], vocabulary: Vocabulary, reach: 'exact' | 'fuzzy'): Form | null {
  const words: string[] = [];
  for (const clause of clauses) {
    const term = clause.terms[0];
    if (clause.negated || clause.terms.length !== 1 || !term || term.field) continue;
    for (const word of term.words) words.push(word);
  }
  if (words.length < 2) return null;
  return { words: words.map((w) => vocabulary.expand(w, reach)), similarity: 1 };
}
