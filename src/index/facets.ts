import { paperDay, publishedSince, publishedUntil } from '../corpus/dates.js';
import { STATUSES, type Status } from '../corpus/paper.js';

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

/** Filters that ask for nothing. */
export const NO_FILTERS: Filters = {
  code: null,
  years: null,
  since: null,
  until: null,
  categories: [],
  notCategories: [],
  status: null,
  notStatus: [],
  tags: [],
  notTags: [],
};

/** Whether only papers with a status or a tag can pass (is:queued, -is:unread, tag:a): what a folder answers from its library table. */
export function onlyMarked(filters: Filters): boolean {
  return filters.tags.length > 0 || (filters.status !== null && !filters.status.includes('unread')) || filters.notStatus.includes('unread');
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

/** The reading statuses (other than unread) and the tags that some paper of a file holds. */
export interface Marks {
  statuses: Status[];
  tags: string[];
}

/** Marks from the papers' own fields. */
export function marksOf(papers: readonly { status?: Status | undefined; tags?: string[] | undefined }[]): Marks {
  const statuses = new Set<Status>();
  const tags = new Set<string>();
  for (const paper of papers) {
    if (paper.status) statuses.add(paper.status);
    for (const tag of paper.tags ?? []) tags.add(tag);
  }
  return { statuses: [...statuses].sort(), tags: [...tags].sort() };
}

/** The marks of several files together. */
export function joinMarks(all: Marks[]): Marks {
  const statuses = new Set(all.flatMap((marks) => marks.statuses));
  const tags = new Set(all.flatMap((marks) => marks.tags));
  return { statuses: [...statuses].sort(), tags: [...tags].sort() };
}

/** Whether a value is marks as a file's summary holds them. */
export function isMarks(value: unknown): value is Marks {
  const texts = (v: unknown, known: (s: string) => boolean) => Array.isArray(v) && v.every((s) => typeof s === 'string' && known(s));
  if (typeof value !== 'object' || value === null) return false;
  const { statuses, tags } = value as Marks;
  return texts(statuses, (s) => (STATUSES as readonly string[]).includes(s)) && texts(tags, () => true);
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
