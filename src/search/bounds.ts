import type { CompiledClause, CompiledTerm, Form } from './compile.js';
import type { Field } from './query.js';
import type { Postings } from '../index/types.js';
import type { Lexicon } from './lexicon.js';
import { termScore } from './score.js';
import type { Expansion } from './vocabulary.js';

/**
 * Per-paper values of the papers that have any (`docs`, in the order met): in arrays over the whole corpus,
 * by paper, when they are many (`byDoc`); else in arrays as long as `docs`, `docs[k]`'s at `k`. Large arrays
 * cost memory the collector then runs after, even where untouched.
 */
interface Dense {
  docs: Int32Array;
  byDoc: boolean;
  /** Where a paper's values are, or -1 where it has none. */
  slot(doc: number): number;
  title: Float64Array;
  abstract: Float64Array;
  authors: Float64Array;
  /** Null when no note has the word (most searches: most corpora have no notes). */
  note: Float64Array | null;
  count: Uint32Array;
}

/**
 * Word counts per paper from the postings alone, shared between the terms of one search (the run
 * "graph neural networks" reuses each word's expansion): each expansion is counted once.
 */
/** A bound for every paper (0 where it cannot match), the papers where it can, each once, and the highest. */
export interface Bounds {
  docs: number[];
  score: Float64Array;
  max: number;
}

function withMax(docs: number[], score: Float64Array): Bounds {
  let max = 0;
  for (const doc of docs) if (score[doc]! > max) max = score[doc]!;
  return { docs, score, max };
}

/** A clause (or form) read lazily: papers it can match, the highest bound it could give, its bound at one paper. */
export interface ClauseView {
  df(): number;
  max(): number;
  at(doc: number): number;
}

/** The one field a word's counts are wanted for (the others left at 0), or null for all. */
type Part = 'title' | 'abstract' | 'authors' | 'note';

// Postings are read whole only when that costs less than this many times looking them up (by binary search) at each paper needed.
export const LOOKUP_COST = 24;

// Words in this many papers or more are looked up a file at a time when only a few papers are wanted of them.
const NEAR_FROM = 50_000;
// Dense per-paper arrays are copied whole only for words in more than one paper in this many.
const SPARSE = 8;

/** Whether a word with these counts can score in `field` (termScore above 0). */
function visible(field: Field | null, title: number, abstract: number, authors: number, note: number): boolean {
  if (field === 'title') return title > 0;
  if (field === 'abstract') return abstract > 0;
  if (field === 'author') return authors > 0;
  if (field === 'note') return note > 0;
  return title > 0 || abstract > 0 || note > 0;
}

/** What one word's postings hold at most: how many have it in the title, whether any in the abstract, the authors or a note, its highest abstract count. */
interface Reach {
  titles: number;
  abstract: boolean;
  authors: boolean;
  notes: boolean;
  most: number;
}

/** A clause split by the title (a word there weighs most): what it can score at most, with and without a word of it in the title. */
export interface Tier {
  /** The most the clause can score in any paper. */
  high: number;
  /** The most it can score in a paper with none of its words in the title (`high` when its field does not split so). */
  low: number;
  /** 1 for each paper that may have the clause in its title; null when the field does not split (abstract:, author:). */
  titled: Uint8Array | null;
}

/** How many of the papers in `postings` (numbered from `base`) the word can score in and `seen` has not got yet, now marked seen. */
function countVisible(postings: Postings, base: number, field: Field | null, seen: Uint8Array): number {
  const { docs, title, abstract, authors, note } = postings;
  let n = 0;
  for (let i = 0; i < docs.length; i++) {
    const doc = docs[i]! + base;
    if (seen[doc] || !visible(field, title[i]!, abstract[i]!, authors[i]!, note?.[i] ?? 0)) continue;
    seen[doc] = 1;
    n++;
  }
  return n;
}

/** One word's postings, searched for papers from where the last search ended: galloping forward, from the start when a paper comes before it. */
class Probe {
  private cursor = 0;

  constructor(
    readonly postings: Postings,
    readonly similarity: number,
  ) {}

  /** Where paper `doc` is in the postings, or -1. */
  find(doc: number): number {
    const { docs } = this.postings;
    const from = this.cursor > 0 && docs[this.cursor - 1]! >= doc ? 0 : this.cursor;
    const at = (this.cursor = seek(docs, doc, from));
    return at < docs.length && docs[at] === doc ? at : -1;
  }
}

/** The first place from `from` on where `docs` (ascending, every one before `from` below `doc`) is `doc` or more: galloping, then halving. */
function seek(docs: Uint32Array, doc: number, from: number): number {
  const n = docs.length;
  let lo = from;
  let hi = lo;
  for (let step = 1; hi < n && docs[hi]! < doc; step *= 2) {
    lo = hi + 1;
    hi += step;
  }
  if (hi > n) hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (docs[mid]! < doc) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export class Counts {
  private readonly memo = new Map<Expansion, Map<Part | null, Dense>>();
  private readonly forms = new Map<Form, Map<Field | null, Bounds>>();
  private readonly clauses = new Map<CompiledTerm[], Bounds>();
  private readonly views = new Map<object, ClauseView>();
  private readonly costs = new Map<Expansion, number>();
  private readonly read = new Map<string, Postings | undefined>();
  private readonly reaches = new Map<string, Reach | undefined>();
  private readonly plans = new Map<Expansion, { plan: Probe[] | null; read: number }>();
  private readonly frequencies = new Map<string, number>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly count: number,
  ) {}

  /**
   * Per paper, the best any of the clause's terms could score, from word counts alone: `score` for every
   * paper (0 where it cannot match), and `docs`, the papers where it can, each once.
   */
  clauseBounds(clause: CompiledClause): Bounds {
    const known = this.clauses.get(clause.terms);
    if (known) return known;
    // A widened clause is never read whole: the near pass looks up its parts (see rankNear).
    let bounds: Bounds;
    if (clause.terms.length === 1 && clause.terms[0]!.forms.length === 1) {
      bounds = this.formBounds(clause.terms[0]!.field, clause.terms[0]!.forms[0]!);
    } else {
      // Start from a copy of the form with most papers, and raise it with the others. A block copy when it is in
      // many papers; else paper by paper, so that memory is touched only where they are (fresh pages cost most).
      const all = clause.terms.flatMap((term) => term.forms.map((form) => this.formBounds(term.field, form)));
      const largest = all.reduce<Bounds | null>((a, b) => (a === null || b.docs.length > a.docs.length ? b : a), null);
      const copied = largest !== null && largest.docs.length * SPARSE > this.count;
      bounds = copied ? { docs: [...largest.docs], score: largest.score.slice(), max: largest.max } : { docs: [], score: new Float64Array(this.count), max: 0 };
      for (const other of all) if (other !== largest || !copied) this.raise(bounds, other);
    }
    this.clauses.set(clause.terms, bounds);
    return bounds;
  }

  /** Raises `into` to `from` wherever `from` is higher. */
  private raise(into: Bounds, from: Bounds): void {
    for (const doc of from.docs) {
      const s = from.score[doc]!;
      if (into.score[doc] === 0) into.docs.push(doc);
      if (s > into.score[doc]!) into.score[doc] = s;
    }
    if (from.max > into.max) into.max = from.max;
  }

  /** One form's bound in every paper, worked out once however many clauses and passes share the form. */
  formBounds(field: Field | null, form: Form): Bounds {
    let byField = this.forms.get(form);
    if (!byField) this.forms.set(form, (byField = new Map()));
    const known = byField.get(field);
    if (known) return known;
    const score = new Float64Array(this.count);
    const docs: number[] = [];
    // The words side by side: walk the rarest one's papers, take the least of each count. A common word is
    // looked up at those papers (by binary search in its postings), not counted in every paper it is in.
    const [cheapest, ...others] = [...form.words].sort((a, b) => this.cost(a) - this.cost(b));
    if (cheapest) {
      // A field's bound needs only the postings that have the word in that field.
      const part = field === 'author' ? 'authors' : field;
      const first = this.wordCounts(cheapest, part);
      const lookups = first.docs.length * LOOKUP_COST;
      const rest = others.filter((expansion) => this.cost(expansion) <= lookups).map((expansion) => this.wordCounts(expansion, part));
      const probed = others.filter((expansion) => this.cost(expansion) > lookups);
      for (let k = 0; k < first.docs.length; k++) {
        const doc = first.docs[k]!;
        const at = first.byDoc ? doc : k;
        let title = first.title[at]!;
        let abstract = first.abstract[at]!;
        let authors = first.authors[at]!;
        let note = first.note?.[at] ?? 0;
        let count = first.count[at]!;
        for (const other of rest) {
          const there = other.slot(doc);
          if (there < 0) {
            [title, abstract, authors, note, count] = [0, 0, 0, 0, 0];
            break;
          }
          title = Math.min(title, other.title[there]!);
          abstract = Math.min(abstract, other.abstract[there]!);
          authors = Math.min(authors, other.authors[there]!);
          note = Math.min(note, other.note?.[there] ?? 0);
          count = Math.min(count, other.count[there]!);
        }
        for (const expansion of probed) {
          const at = this.probe(expansion, doc);
          title = Math.min(title, at.title);
          abstract = Math.min(abstract, at.abstract);
          authors = Math.min(authors, at.authors);
          note = Math.min(note, at.note);
          count = Math.min(count, at.count);
        }
        const f = form.similarity;
        const s = termScore(field, title * f, abstract * f, count, authors * f, note * f);
        if (s === 0) continue;
        docs.push(doc);
        score[doc] = s;
      }
    }
    const bounds = withMax(docs, score);
    byField.set(field, bounds);
    return bounds;
  }

  /**
   * A clause as the exact pass needs it when it is not the clause with fewest papers: how many papers it can
   * match (for its weight) and its bound at given papers, found in the postings by binary search, without
   * working out its bound in every paper. Once its bounds are worked out whole, they are used instead.
   */
  view(clause: CompiledClause): ClauseView {
    const forms = clause.terms.flatMap((term) => term.forms.map((form) => ({ field: term.field, form })));
    return this.viewOf(clause.terms, forms);
  }

  /** The same for one form (a form a clause was widened by). */
  formView(field: Field | null, form: Form): ClauseView {
    return this.viewOf(form, [{ field, form }]);
  }

  private viewOf(key: object, forms: { field: Field | null; form: Form }[]): ClauseView {
    const known = this.views.get(key);
    if (known) return known;
    // Bounds already worked out whole, if any (never worked out here).
    const dense = () => (forms.length === 1 ? this.forms.get(forms[0]!.form)?.get(forms[0]!.field) : this.clauses.get(key as CompiledTerm[]));
    let df: number | undefined;
    let max: number | undefined;
    const view: ClauseView = {
      df: () => (df ??= dense()?.docs.length ?? this.countDocs(forms)),
      max: () =>
        (max ??=
          dense()?.max ??
          Math.max(0, ...forms.map(({ field, form }) => termScore(field, form.similarity, form.similarity, 255, form.similarity, form.similarity)))),
      at: (doc) => {
        const bounds = dense();
        if (bounds) return bounds.score[doc]!;
        let best = 0;
        for (const { field, form } of forms) best = Math.max(best, this.boundAt(field, form, doc));
        return best;
      },
    };
    this.views.set(key, view);
    return view;
  }

  /** How many papers any of the forms can match, as their bounds' `docs` would count them, from the postings with one byte a paper. */
  private countDocs(forms: { field: Field | null; form: Form }[]): number {
    const seen = new Uint8Array(this.count);
    let n = 0;
    for (const { field, form } of forms) {
      const [first, ...rest] = [...form.words].sort((a, b) => this.cost(a) - this.cost(b));
      if (!first) continue;
      for (const [word] of first) {
        if (rest.length === 0) {
          // A word alone, not read whole yet, is counted a file at a time, without keeping its postings.
          if (this.read.has(word)) {
            const postings = this.read.get(word);
            if (postings) n += countVisible(postings, 0, field, seen);
          } else this.lexicon.eachPart(word, (postings, base) => (n += countVisible(postings, base, field, seen)));
          continue;
        }
        const postings = this.postings(word);
        if (!postings) continue;
        for (let i = 0; i < postings.docs.length; i++) {
          const doc = postings.docs[i]!;
          if (seen[doc] || this.boundAt(field, form, doc) === 0) continue;
          seen[doc] = 1;
          n++;
        }
      }
    }
    return n;
  }

  /** A form's bound at one paper, as formBounds would give it, from the postings by binary search. */
  private boundAt(field: Field | null, form: Form, doc: number): number {
    let title = Infinity;
    let abstract = Infinity;
    let authors = Infinity;
    let note = Infinity;
    let count = Infinity;
    for (const expansion of form.words) {
      const at = this.probe(expansion, doc);
      title = Math.min(title, at.title);
      abstract = Math.min(abstract, at.abstract);
      authors = Math.min(authors, at.authors);
      note = Math.min(note, at.note);
      count = Math.min(count, at.count);
      if (title === 0 && abstract === 0 && authors === 0 && note === 0) return 0;
    }
    const f = form.similarity;
    return termScore(field, title * f, abstract * f, count, authors * f, note * f);
  }

  /** An expansion's counts at one paper (as wordCounts gives them), from each word's postings by binary search. */
  private probe(expansion: Expansion, doc: number): { title: number; abstract: number; authors: number; note: number; count: number } {
    const at = { title: 0, abstract: 0, authors: 0, note: 0, count: 0 };
    const add = (postings: Postings, i: number, similarity: number) => {
      if (postings.title[i]! > 0 && at.title < similarity) at.title = similarity;
      if (postings.authors[i]! > 0 && at.authors < similarity) at.authors = similarity;
      if ((postings.note?.[i] ?? 0) > 0 && at.note < similarity) at.note = similarity;
      if (postings.abstract[i]! > 0) {
        if (at.abstract < similarity) at.abstract = similarity;
        at.count += postings.abstract[i]!;
      }
    };
    const plan = this.planOf(expansion);
    if (plan) {
      for (const entry of plan) {
        const i = entry.find(doc);
        if (i >= 0) add(entry.postings, i, entry.similarity);
      }
      return at;
    }
    for (const [word, similarity] of expansion) {
      // A common word not read whole is looked up in the file that holds the paper; a rare one is read whole.
      const postings = this.read.has(word) || this.frequency(word) < NEAR_FROM ? this.postings(word) : this.lexicon.postingsNear!(word, doc);
      if (!postings) continue;
      const i = seek(postings.docs, doc, 0);
      if (i < postings.docs.length && postings.docs[i] === doc) add(postings, i, similarity);
    }
    return at;
  }

  /**
   * Each word of the expansion with its postings whole, looked up from where the last lookup ended (papers are
   * mostly probed in order); null while a common word of it is looked up a file at a time instead. A rare word
   * is read whole, in a few reads.
   */
  private planOf(expansion: Expansion): Probe[] | null {
    const known = this.plans.get(expansion);
    if (known && (known.plan || known.read === this.read.size)) return known.plan;
    const near = this.lexicon.postingsNear;
    let plan: Probe[] | null = [];
    for (const [word, similarity] of expansion) {
      if (near && !this.read.has(word) && this.frequency(word) >= NEAR_FROM) {
        plan = null;
        break;
      }
      const postings = this.postings(word);
      if (postings) plan.push(new Probe(postings, similarity));
    }
    this.plans.set(expansion, { plan, read: this.read.size });
    return plan;
  }

  private frequency(word: string): number {
    let n = this.frequencies.get(word);
    if (n === undefined) this.frequencies.set(word, (n = this.lexicon.frequency(word)));
    return n;
  }

  /** A word's postings, read once per search (from a large cache each read is a file read and a checksum). */
  private postings(word: string): Postings | undefined {
    if (this.read.has(word)) return this.read.get(word);
    const postings = this.lexicon.postings(word);
    this.read.set(word, postings);
    return postings;
  }

  /**
   * The clause's tier: bounds from each word's highest counts alone (so at least every paper's bound, as
   * formBounds works it out), and which papers may have it in the title, from the title counts of one word of
   * each form (the form's rarest in titles: a paper has the form in its title only if it has every word there).
   */
  tier(clause: CompiledClause): Tier {
    const splits = clause.terms.every((term) => term.field === null || term.field === 'title');
    const titled = splits ? new Uint8Array(this.count) : null;
    let high = 0;
    let low = 0;
    for (const term of clause.terms) {
      for (const form of term.forms) {
        let [title, abstract, authors, note, count] = [Infinity, Infinity, Infinity, Infinity, Infinity];
        let marker: Expansion | null = null;
        let fewest = Infinity;
        for (const expansion of form.words) {
          let [t, a, au, n, c, titles] = [0, 0, 0, 0, 0, 0];
          for (const [word, similarity] of expansion) {
            const reach = this.reach(word);
            if (!reach) continue;
            if (reach.titles > 0) t = Math.max(t, similarity);
            if (reach.abstract) a = Math.max(a, similarity);
            if (reach.authors) au = Math.max(au, similarity);
            if (reach.notes) n = Math.max(n, similarity);
            c += reach.most;
            titles += reach.titles;
          }
          [title, abstract, authors, note, count] = [Math.min(title, t), Math.min(abstract, a), Math.min(authors, au), Math.min(note, n), Math.min(count, c)];
          if (titles < fewest) [fewest, marker] = [titles, expansion];
        }
        if (!marker) continue;
        const f = form.similarity;
        high = Math.max(high, termScore(term.field, title * f, abstract * f, count, authors * f, note * f));
        low = Math.max(low, termScore(term.field, 0, abstract * f, count, authors * f, note * f));
        if (titled && title > 0) {
          for (const [word] of marker) {
            const postings = this.postings(word);
            if (!postings) continue;
            for (let i = 0; i < postings.docs.length; i++) if (postings.title[i]! > 0) titled[postings.docs[i]!] = 1;
          }
        }
      }
    }
    return { high, low: titled ? low : high, titled };
  }

  /** 1 for each paper that may have the clause: that has a word of each form's word with fewest postings. */
  present(clause: CompiledClause): Uint8Array {
    const marks = new Uint8Array(this.count);
    for (const term of clause.terms) {
      for (const form of term.forms) {
        const cheapest = form.words.reduce<Expansion | null>((a, b) => (a === null || this.cost(b) < this.cost(a) ? b : a), null);
        for (const [word] of cheapest ?? []) {
          const postings = this.postings(word);
          if (!postings) continue;
          const { docs } = postings;
          for (let i = 0; i < docs.length; i++) marks[docs[i]!] = 1;
        }
      }
    }
    return marks;
  }

  private reach(word: string): Reach | undefined {
    if (this.reaches.has(word)) return this.reaches.get(word);
    const postings = this.postings(word);
    let reach: Reach | undefined;
    if (postings) {
      reach = { titles: 0, abstract: false, authors: false, notes: false, most: 0 };
      const { title, abstract, authors, note } = postings;
      for (let i = 0; i < title.length; i++) {
        if (title[i]! > 0) reach.titles++;
        if (abstract[i]! > reach.most) reach.most = abstract[i]!;
        if (authors[i]! > 0) reach.authors = true;
        if ((note?.[i] ?? 0) > 0) reach.notes = true;
      }
      reach.abstract = reach.most > 0;
    }
    this.reaches.set(word, reach);
    return reach;
  }

  /** A clause's bound at one paper, from its bounds worked out whole when that is cheaper than `lookups` lookups (and kept for later calls). */
  boundsAt(clause: CompiledClause, lookups: number): (doc: number) => number {
    const known = this.clauses.get(clause.terms);
    if (known || this.clauseCost(clause) <= lookups * LOOKUP_COST) {
      const { score } = known ?? this.clauseBounds(clause);
      return (doc) => score[doc]!;
    }
    const forms = clause.terms.flatMap((term) => term.forms.map((form) => ({ field: term.field, form })));
    return (doc) => {
      let best = 0;
      for (const { field, form } of forms) best = Math.max(best, this.boundAt(field, form, doc));
      return best;
    };
  }

  /** What reading a clause whole costs: each form's cheapest word, in postings. */
  clauseCost(clause: CompiledClause): number {
    return clause.terms.reduce((n, term) => n + term.forms.reduce((m, form) => m + Math.min(...form.words.map((e) => this.cost(e))), 0), 0);
  }

  /** How many postings an expansion has: what reading it whole costs. */
  cost(expansion: Expansion): number {
    let n = this.costs.get(expansion);
    if (n === undefined) {
      n = 0;
      for (const [word] of expansion) n += this.frequency(word);
      this.costs.set(expansion, n);
    }
    return n;
  }

  /** Papers that an excluded single word rules out; phrases are checked per paper. */
  excludedDocs(unwanted: CompiledClause[]): Set<number> {
    const excluded = new Set<number>();
    for (const { terms } of unwanted) {
      for (const term of terms) {
        for (const form of term.forms) {
          if (form.words.length !== 1) continue;
          const counts = this.wordCounts(form.words[0]!);
          for (let k = 0; k < counts.docs.length; k++) {
            const doc = counts.docs[k]!;
            const at = counts.byDoc ? doc : k;
            const inWords = term.field === null && (counts.title[at]! > 0 || counts.abstract[at]! > 0 || (counts.note?.[at] ?? 0) > 0);
            const inField = term.field !== null && (counts[term.field === 'author' ? 'authors' : term.field]?.[at] ?? 0) > 0;
            if (inWords || inField) excluded.add(doc);
          }
        }
      }
    }
    return excluded;
  }

  /** Per paper: the best similarity of `expansion`'s words in the title, the abstract, the authors and the note, and how often in the abstract (`part`: counted only where the word is in it). */
  private wordCounts(expansion: Expansion, part: Part | null = null): Dense {
    let byPart = this.memo.get(expansion);
    if (!byPart) this.memo.set(expansion, (byPart = new Map()));
    const known = byPart.get(part);
    if (known) return known;
    const n = this.count;
    // Few postings: values by place met, found by paper through a map; else by paper.
    const most = this.cost(expansion);
    const byDoc = most * SPARSE > n;
    const size = byDoc ? n : most;
    const [title, abstract, authors, count] = [new Float64Array(size), new Float64Array(size), new Float64Array(size), new Uint32Array(size)];
    let note: Float64Array | null = null;
    const touched = byDoc ? new Uint8Array(n) : null;
    const slots = byDoc ? null : new Map<number, number>();
    // Papers met, in a typed array: pushing hundreds of thousands of numbers onto an array costs as much as the rest.
    let docs = new Int32Array(Math.min(n, byDoc ? 1024 : most));
    let met = 0;
    for (const [word, similarity] of expansion) {
      const postings = this.postings(word);
      if (!postings) continue;
      const { docs: at, title: inTitle, abstract: inAbstract, authors: inAuthors, note: inNote } = postings;
      // No note has the word: none of its papers counts for a note: term.
      if (part === 'note' && !inNote) continue;
      if (met + at.length > docs.length) {
        const larger = new Int32Array(Math.min(n, Math.max(2 * docs.length, met + at.length)));
        larger.set(docs.subarray(0, met));
        docs = larger;
      }
      const inPart = part === 'title' ? inTitle : part === 'abstract' ? inAbstract : part === 'authors' ? inAuthors : part === 'note' ? inNote! : null;
      for (let i = 0; i < at.length; i++) {
        if (inPart && inPart[i] === 0) continue;
        const doc = at[i]!;
        let s: number;
        if (touched) {
          if (touched[doc] === 0) {
            touched[doc] = 1;
            docs[met++] = doc;
          }
          s = doc;
        } else {
          const known = slots!.get(doc);
          if (known === undefined) {
            slots!.set(doc, (s = met));
            docs[met++] = doc;
          } else s = known;
        }
        if (inTitle[i]! > 0 && title[s]! < similarity) title[s] = similarity;
        if (inAuthors[i]! > 0 && authors[s]! < similarity) authors[s] = similarity;
        if (inNote && inNote[i]! > 0) {
          note ??= new Float64Array(size);
          if (note[s]! < similarity) note[s] = similarity;
        }
        const times = inAbstract[i]!;
        if (times > 0) {
          if (abstract[s]! < similarity) abstract[s] = similarity;
          count[s]! += times;
        }
      }
    }
    const slot = touched ? (doc: number) => (touched[doc] ? doc : -1) : (doc: number) => slots!.get(doc) ?? -1;
    const dense: Dense = { docs: docs.subarray(0, met), byDoc, slot, title, abstract, authors, note, count };
    byPart.set(part, dense);
    return dense;
  }
}
