import { fold } from '../text/words.js';
import { NotFoundError, UsageError } from '../errors.js';
import type { PaperSummary } from './paper.js';

// A typo or two in an id scores under 0.25 in fuse.js; past that the "suggestions" look random.
const SUGGEST_THRESHOLD = 0.25;
// Only ids about as close as the closest: one clear match is better than three guesses.
const SUGGEST_MARGIN = 0.15;
// Ids listed when a prefix is shared by several.
const SHOWN_PREFIXED = 5;

/** The paper with this id, or the only one whose id starts with it; otherwise an error that suggests ids. */
export async function findPaper(papers: PaperSummary[], wanted: string): Promise<PaperSummary> {
  const id = wanted.trim().toLowerCase();
  const exact = papers.find((p) => p.id === id);
  if (exact) return exact;
  const prefixed = id ? papers.filter((p) => p.id.startsWith(id)) : [];
  if (prefixed.length === 1) return prefixed[0]!;
  if (prefixed.length > 1) {
    const shown = prefixed.slice(0, SHOWN_PREFIXED).map((p) => p.id).join(', ');
    throw new UsageError(`\`${wanted}\` is the start of ${prefixed.length} ids (${shown}${prefixed.length > SHOWN_PREFIXED ? ', ...' : ''}); type more of it`);
  }
  const { default: Fuse } = await import('fuse.js');
  const found = new Fuse(papers.map((p) => p.id), { threshold: SUGGEST_THRESHOLD, ignoreLocation: true, includeScore: true }).search(id);
  const best = found[0]?.score ?? 0;
  const close = found.filter((r) => (r.score ?? 1) <= best + SUGGEST_MARGIN).slice(0, 3);
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
