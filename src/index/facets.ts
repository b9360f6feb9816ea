import { publishedSince, publishedUntil } from '../corpus/dates.js';

/** Conditions on a paper's record rather than its words. */
export interface Filters {
  /** has:code (true), -has:code (false), or either (null). */
  code: boolean | null;
  /** Published in these years (year:2024, year:2020..2024), inclusive. */
  years: [number, number] | null;
  /** Published on or after / before these dates (--since, --until): YYYY-MM-DD, YYYY-MM or YYYY, each a span of days. */
  since: string | null;
  until: string | null;
  /** cat:cs.LG must be among the paper's categories; -cat:cs.CV must not. Lower-cased. */
  categories: string[];
  notCategories: string[];
}

/**
 * Whether a paper with this record passes the filters (a date filter leaves out papers without a date);
 * `hasCategory` says whether it is in a lower-cased category. The one place filters are decided, for
 * summaries in memory and for the cache's compact tables alike.
 */
export function facetsPass(filters: Filters, code: boolean, published: string | undefined, hasCategory: (category: string) => boolean): boolean {
  if (filters.code !== null && code !== filters.code) return false;
  if (filters.years || filters.since || filters.until) {
    if (!published) return false;
    const year = Number(published.slice(0, 4));
    if (filters.years && (year < filters.years[0] || year > filters.years[1])) return false;
    if (filters.since && !publishedSince(published, filters.since)) return false;
    if (filters.until && !publishedUntil(published, filters.until)) return false;
  }
  if (filters.categories.some((c) => !hasCategory(c))) return false;
  return !filters.notCategories.some(hasCategory);
}

/** Whether a paper's record passes the filters. */
export function passes(filters: Filters, paper: { code: string | boolean | null; published?: string; categories?: string[] }): boolean {
  const categories = paper.categories;
  return facetsPass(filters, Boolean(paper.code), paper.published, (wanted) => categories?.some((c) => c.toLowerCase() === wanted) ?? false);
}
