import { comparePublished, dateKey, paperDay } from './dates.js';
import type { PaperSummary } from './paper.js';

/**
 * `corpus` is the file's own order; `date` oldest first by the day `list` shows (paperDay, else the digest's
 * date line); `published` oldest first; `upvotes` most first; `marked` oldest first, as a queue is read.
 */
export const SORT_KEYS = ['id', 'title', 'date', 'published', 'upvotes', 'marked', 'corpus'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function sortPapers(papers: PaperSummary[], key: SortKey): PaperSummary[] {
  const byText = (text: (p: PaperSummary) => string) => (a: PaperSummary, b: PaperSummary) => text(a).localeCompare(text(b), 'en', { sensitivity: 'base' });
  const sorted = [...papers];
  if (key === 'id') sorted.sort(byText((p) => p.id));
  if (key === 'title') sorted.sort(byText((p) => p.title));
  // Papers without the field go last either way: they are not the oldest, nor the least liked.
  if (key === 'date') sorted.sort((a, b) => (paperDay(a) ?? (a.date ? dateKey(a.date) : '\uffff')).localeCompare(paperDay(b) ?? (b.date ? dateKey(b.date) : '\uffff')));
  if (key === 'published') sorted.sort((a, b) => comparePublished(a.published ?? '\uffff', b.published ?? '\uffff'));
  if (key === 'marked') sorted.sort((a, b) => (a.marked ?? '\uffff').localeCompare(b.marked ?? '\uffff'));
  if (key === 'upvotes') sorted.sort((a, b) => (b.upvotes ?? -1) - (a.upvotes ?? -1));
  return sorted;
}
