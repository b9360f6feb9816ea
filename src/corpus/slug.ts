import { fold } from '../base/text/words.js';

// Words that make a slug longer without making it easier to recognise.
const SLUG_STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'for', 'and', 'in', 'on', 'to', 'with', 'via', 'by', 'is', 'are', 'from', 'at', 'as']);
// Long enough to tell papers apart, short enough to type.
const SLUG_MAX_LENGTH = 32;

/**
 * The title's words, stop words left out, as many as fit in 32 letters (the first cut to fit), joined by
 * hyphens. Joined at once, so that the slug is one string: built word by word, it was a chain of pieces,
 * and an import keeps every id it gives (at a million papers, half a gigabyte of pieces).
 */
export function slugify(title: string): string {
  const words = fold(title).split(/[^a-z0-9]+/).filter(Boolean);
  const kept = words.filter((w) => !SLUG_STOP_WORDS.has(w));
  const chosen = kept.length > 0 ? kept : words;
  if (chosen.length === 0) return 'paper';
  const parts = [chosen[0]!.slice(0, SLUG_MAX_LENGTH)];
  let length = parts[0]!.length;
  for (const word of chosen.slice(1)) {
    if (length + 1 + word.length > SLUG_MAX_LENGTH) break;
    parts.push(word);
    length += 1 + word.length;
  }
  return parts.join('-');
}

/** A slug for `title` not in `taken`; the taken set is updated. */
export function uniqueId(title: string, taken: { has(id: string): boolean; add(id: string): void }): string {
  const base = slugify(title);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = [base, n].join('-');
  taken.add(id);
  return id;
}

/** Two titles that differ only in case, accents, spacing or punctuation name the same paper. */
export function titleKey(title: string): string {
  // Split and joined, not replaced: a replacement is a chain of its pieces, and a merge keeps every key.
  return fold(title)
    .split(/[^\p{L}\p{N}]+/u)
    .join('');
}
