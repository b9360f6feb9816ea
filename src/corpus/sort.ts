import { dateKey } from './dates.js';
import type { PaperSummary } from './paper.js';

/** `corpus` is the file's own order. */
export const SORT_KEYS = ['id', 'title', 'date', 'corpus'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export function sortPapers(papers: PaperSummary[], key: SortKey): PaperSummary[] {
  const byText = (text: (p: PaperSummary) => string) => (a: PaperSummary, b: PaperSummary) => text(a).localeCompare(text(b), 'en', { sensitivity: 'base' });
  const sorted = [...papers];
  if (key === 'id') sorted.sort(byText((p) => p.id));
  if (key === 'title') sorted.sort(byText((p) => p.title));
  if (key === 'date') sorted.sort((a, b) => dateKey(a.date).localeCompare(dateKey(b.date)));
  return sorted;
}
