import type { CompiledClause, CompiledTerm } from './compile.js';
import type { Lexicon } from './lexicon.js';
import { termScore } from './score.js';
import type { Expansion } from './vocabulary.js';

/** Per-paper values over the whole corpus, with the papers that have any, in ascending order. */
interface Dense {
  docs: number[];
  title: Float64Array;
  abstract: Float64Array;
  authors: Float64Array;
  count: Uint32Array;
}

/**
 * Word counts per paper from the postings alone, shared between the terms of one search (the run
 * "graph neural networks" reuses each word's expansion): each expansion is counted once.
 */
export class Counts {
  private readonly memo = new Map<Expansion, Dense>();

  constructor(
    private readonly lexicon: Lexicon,
    private readonly count: number,
  ) {}

  /** Per paper, the best any of the clause's terms could score, from word counts alone. */
  clauseBounds(terms: CompiledTerm[]): Map<number, number> {
    const best = new Map<number, number>();
    for (const term of terms) {
      for (const form of term.forms) {
        const [first, ...rest] = form.words.map((expansion) => this.wordCounts(expansion));
        if (!first) continue;
        for (const doc of first.docs) {
          let title = first.title[doc]!;
          let abstract = first.abstract[doc]!;
          let authors = first.authors[doc]!;
          let count = first.count[doc]!;
          for (const other of rest) {
            title = Math.min(title, other.title[doc]!);
            abstract = Math.min(abstract, other.abstract[doc]!);
            authors = Math.min(authors, other.authors[doc]!);
            count = Math.min(count, other.count[doc]!);
          }
          const score = termScore(term.field, title * form.similarity, abstract * form.similarity, count, authors * form.similarity);
          if (score === 0) continue;
          if (score > (best.get(doc) ?? 0)) best.set(doc, score);
        }
      }
    }
    return best;
  }

  /** Papers that an excluded single word rules out; phrases are checked per paper. */
  excludedDocs(unwanted: CompiledClause[]): Set<number> {
    const excluded = new Set<number>();
    for (const { terms } of unwanted) {
      for (const term of terms) {
        for (const form of term.forms) {
          if (form.words.length !== 1) continue;
          const counts = this.wordCounts(form.words[0]!);
          for (const doc of counts.docs) {
            const inWords = term.field === null && (counts.title[doc]! > 0 || counts.abstract[doc]! > 0);
            const inField = term.field !== null && counts[term.field === 'author' ? 'authors' : term.field][doc]! > 0;
            if (inWords || inField) excluded.add(doc);
          }
        }
      }
    }
    return excluded;
  }

  /** Per paper: the best similarity of `expansion`'s words in the title and the abstract, and how often in the abstract. */
  private wordCounts(expansion: Expansion): Dense {
    const known = this.memo.get(expansion);
    if (known) return known;
    const n = this.count;
    const dense: Dense = { docs: [], title: new Float64Array(n), abstract: new Float64Array(n), authors: new Float64Array(n), count: new Uint32Array(n) };
    const touched = new Uint8Array(n);
    for (const [word, similarity] of expansion) {
      const postings = this.lexicon.postings(word);
      if (!postings) continue;
      for (let i = 0; i < postings.docs.length; i++) {
        const doc = postings.docs[i]!;
        if (!touched[doc]) {
          touched[doc] = 1;
          dense.docs.push(doc);
        }
        if (postings.title[i]! > 0 && dense.title[doc]! < similarity) dense.title[doc] = similarity;
        if (postings.authors[i]! > 0 && dense.authors[doc]! < similarity) dense.authors[doc] = similarity;
        if (postings.abstract[i]! > 0) {
          if (dense.abstract[doc]! < similarity) dense.abstract[doc] = similarity;
          dense.count[doc]! += postings.abstract[i]!;
        }
      }
    }
    this.memo.set(expansion, dense);
    return dense;
  }
}
