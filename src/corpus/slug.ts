import { fold } from '../text/words.js';

// Words that make a slug longer without making it easier to recognise.
const SLUG_STOP_WORDS = new Set(['a', 'an', 'the', 'of', 'for', 'and', 'in', 'on', 'to', 'with', 'via', 'by', 'is', 'are', 'from', 'at', 'as']);
// Long enough to tell papers apart, short enough to type.
const SLUG_MAX_LENGTH = 32;

export function slugify(title: string): string {
  const words = fold(title).split(/[^a-z0-9]+/).filter(Boolean);
  const kept = words.filter((w) => !SLUG_STOP_WORDS.has(w));
  let slug = '';
  for (const word of kept.length > 0 ? kept : words) {
    const next = slug ? `${slug}-${word}` : word;
    if (next.length > SLUG_MAX_LENGTH && slug) break;
    slug = next.slice(0, SLUG_MAX_LENGTH);
  }
  return slug || 'paper';
}

/** A slug for `title` not in `taken`; the taken set is updated. */
export function uniqueId(title: string, taken: Set<string>): string {
  const base = slugify(title);
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  taken.add(id);
  return id;
}

/** Two titles that differ only in case, accents, spacing or punctuation name the same paper. */
export function titleKey(title: string): string {
  return fold(title).replace(/[^\p{L}\p{N}]+/gu, '');
}
