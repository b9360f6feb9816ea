import { paperDay, publishedSince, publishedUntil } from '../corpus/dates.js';
import type { Status } from '../corpus/paper.js';

/** A reading status as filters ask for it: a paper without one is unread. */
export type Reading = Status | 'unread';

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
  /** is:queued, --status queued,reading: the paper's status must be one of these (null: any); -is:read: none of `notStatus`. */
  status: Reading[] | null;
  notStatus: Reading[];
  /** tag:a must be among the paper's tags; -tag:a must not. */
  tags: string[];
  notTags: string[];
}

/** The reader's own fields of a paper, as a filter reads them. */
export interface Own {
  status: Status | undefined;
  hasTag: (tag: string) => boolean;
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
  own: Own,
): boolean {
  if (filters.code !== null && code !== filters.code) return false;
  const reading: Reading = own.status ?? 'unread';
  if (filters.status && !filters.status.includes(reading)) return false;
  if (filters.notStatus.includes(reading)) return false;
  if (filters.tags.some((tag) => !own.hasTag(tag)) || filters.notTags.some(own.hasTag)) return false;
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
export function passes(
  filters: Filters,
  paper: { code: string | boolean | null; published?: string; daily?: string; categories?: string[]; status?: Status; tags?: string[] },
): boolean {
  const { categories, tags } = paper;
  return facetsPass(filters, Boolean(paper.code), paper, (wanted) => categories?.some((c) => c.toLowerCase() === wanted) ?? false, {
    status: paper.status,
    hasTag: (tag) => tags?.includes(tag) ?? false,
  });
}

/** The papers of `count` that pass `test`, in order. */
export function docsPassing(count: number, test: (doc: number) => boolean): number[] {
  const docs: number[] = [];
  for (let doc = 0; doc < count; doc++) if (test(doc)) docs.push(doc);
  return docs;
}
