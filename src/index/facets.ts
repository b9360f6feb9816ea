import { paperDay, publishedSince, publishedUntil } from '../corpus/dates.js';

/** Conditions on a paper's record rather than its words. */
export interface Filters {
  /** has:code (true), -has:code (false), or either (null). */
  code: boolean | null;
  /** Published in these years (year:2024, year:2020..2024), inclusive. */
  years: [number, number] | null;
  /** The paper's day (see paperDay) on or after / before these dates (--since, --until): YYYY-MM-DD, YYYY-MM or YYYY, each a span of days. */
  since: string | null;
  until: string | null;
  /** cat:cs.LG must be among the paper's categories; -cat:cs.CV must not. Lower-cased. */
  categories: string[];
  notCategories: string[];
}

/**
 * Whether a paper with this record passes the filters (a date filter leaves out papers without that date:
 * years read `published`, --since and --until the paper's day, `daily` before `published`);
 * `hasCategory` says whether it is in a lower-cased category. The one place filters are decided, for
 * summaries in memory and for the cache's compact tables alike.
 */
export function facetsPass(
  filters: Filters,
  code: boolean,
  dates: { published?: string | undefined; daily?: string | undefined },
  hasCategory: (category: string) => boolean,
): boolean {
  if (filters.code !== null && code !== filters.code) return false;
  if (filters.years) {
    if (!dates.published) return false;
    const year = Number(dates.published.slice(0, 4));
    if (year < filters.years[0] || year > filters.years[1]) return false;
  }
  if (filters.since || filters.until) {
    const day = paperDay(dates);
    if (!day) return false;
    if (filters.since && !publishedSince(day, filters.since)) return false;
    if (filters.until && !publishedUntil(day, filters.until)) return false;
  }
  if (filters.categories.some((c) => !hasCategory(c))) return false;
  return !filters.notCategories.some(hasCategory);
}

/** Whether a paper's record passes the filters. */
export function passes(filters: Filters, paper: { code: string | boolean | null; published?: string; daily?: string; categories?: string[] }): boolean {
  const categories = paper.categories;
  return facetsPass(filters, Boolean(paper.code), paper, (wanted) => categories?.some((c) => c.toLowerCase() === wanted) ?? false);
}
