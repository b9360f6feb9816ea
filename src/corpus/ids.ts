import { fold } from '../base/text/words.js';
import { NotFoundError, UsageError } from '../base/errors.js';
import type { PaperSummary } from './paper.js';

// A typo or two in an id scores under 0.25 in fuse.js; past that the "suggestions" look random.
const SUGGEST_THRESHOLD = 0.25;
// Only ids about as close as the closest: one clear match is better than three guesses.
const SUGGEST_MARGIN = 0.15;
// Ids listed when a prefix is shared by several.
const SHOWN_PREFIXED = 5;

export interface IdMatches {
  found: { id: string; doc: number }[];
  total: number;
}

/** The paper with this id alone, else those whose ids start with it (up to `limit`), over summaries in hand. */
export function idMatches(summaries: PaperSummary[], id: string, limit: number): IdMatches {
  const exact = summaries.find((p) => p.id === id);
  if (exact) return { found: [{ id, doc: exact.doc }], total: 1 };
  // In code-unit order of the ids, as a corpus's id table gives them.
  const prefixed = id ? summaries.filter((p) => p.id.startsWith(id)).sort((a, b) => (a.id < b.id ? -1 : 1)) : [];
  return { found: prefixed.slice(0, limit).map((p) => ({ id: p.id, doc: p.doc })), total: prefixed.length };
}

/** `withId` over ids in code-unit order, read one at a time (`idAt`), with their papers (`docOf`). */
/** Where `id` is, or would be, among `count` ids in code-unit order: the first not before it. */
export function firstNotBefore(count: number, idAt: (i: number) => string, id: string): number {
  let [lo, hi] = [0, count];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (idAt(mid) < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function sortedIdMatches(count: number, idAt: (i: number) => string, docOf: (i: number) => number, id: string, limit: number): IdMatches {
  // The first id not before `id`, then those after it that still start with it.
  const lo = firstNotBefore(count, idAt, id);
  const found: { id: string; doc: number }[] = [];
  let total = 0;
  for (let i = lo; i < count && id !== ''; i++) {
    const next = idAt(i);
    if (next === id) return { found: [{ id, doc: docOf(i) }], total: 1 };
    if (!next.startsWith(id)) break;
    total++;
    if (found.length < limit) found.push({ id: next, doc: docOf(i) });
  }
  return { found, total };
}

/** What finding a paper by id needs of a corpus: a lookup, and every id for suggestions when it fails. */
interface IdLookup {
  count: number;
  withId(id: string, limit: number): IdMatches;
  summaries(): PaperSummary[];
  ids(): string[];
}

// Above this many papers, suggestions are looked for only among ids that share enough pairs of letters with
// the one typed: fuse.js over a million ids takes 13 s.
const SUGGEST_ALL_UP_TO = 20_000;
// The share of the typed id's letter pairs an id must have to be a suggestion there (a typo changes two).
const SHARED_PAIRS = 1 / 2;

/** The ids that have at least SHARED_PAIRS of the letter pairs of `id`, in code-unit order. */
function sharingPairs(ids: string[], id: string): string[] {
  const pairs = new Set<number>();
  for (let i = 0; i + 1 < id.length; i++) pairs.add((id.charCodeAt(i) << 16) | id.charCodeAt(i + 1));
  const need = Math.max(1, Math.ceil(pairs.size * SHARED_PAIRS));
  return ids
    .filter((candidate) => {
      let shared = 0;
      for (let i = 0; i + 1 < candidate.length && shared < need; i++) if (pairs.has((candidate.charCodeAt(i) << 16) | candidate.charCodeAt(i + 1))) shared++;
      return shared >= need;
    })
    .sort();
}

/** The paper with this id, or the only one whose id starts with it; otherwise an error that suggests ids. */
export async function findPaper(corpus: IdLookup, wanted: string): Promise<{ id: string; doc: number }> {
  const id = wanted.trim().toLowerCase();
  const { found, total } = id ? corpus.withId(id, SHOWN_PREFIXED) : { found: [], total: 0 };
  if (total === 1) return found[0]!;
  if (total > 1) {
    const shown = found.map((p) => p.id).join(', ');
    throw new UsageError(`\`${wanted}\` is the start of ${total} ids (${shown}${total > SHOWN_PREFIXED ? ', ...' : ''}); type more of it`);
  }
  const candidates = corpus.count <= SUGGEST_ALL_UP_TO ? corpus.summaries().map((p) => p.id) : sharingPairs(corpus.ids(), id);
  const { default: Fuse } = await import('fuse.js');
  const matches = new Fuse(candidates, { threshold: SUGGEST_THRESHOLD, ignoreLocation: true, includeScore: true }).search(id);
  const best = matches[0]?.score ?? 0;
  const close = matches.filter((r) => (r.score ?? 1) <= best + SUGGEST_MARGIN).slice(0, 3);
  const hint = close.length > 0 ? `; did you mean ${close.map((c) => c.item).join(', ')}?` : '';
  throw new NotFoundError(`no paper with id \`${wanted}\`${hint}`);
}

/**
 * Whether one of the names is the person asked for: every word of `name` is a word of that name, ignoring
 * case and accents ("hinton", "Geoffrey Hinton", "g hinton" does not match: initials are not guessed).
 */
export function hasAuthor(authors: string[] | undefined, name: string): boolean {
  const wanted = fold(name).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  if (wanted.length === 0 || !authors) return false;
  return authors.some((author) => {
    const words = fold(author).split(/[^\p{L}\p{N}]+/u);
    return wanted.every((word) => words.includes(word));
  });
}
