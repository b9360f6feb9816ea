import { UsageError } from '../base/errors.js';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** "Mar 11", "11 March 2024", "2024-03-11" -> a sortable key; dates without a year sort by month and day. */
export function dateKey(date: string | null): string {
  if (!date) return '';
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (iso) return `${iso[1]}-${iso[2]}-${iso[3]}`;
  const month = MONTHS.findIndex((m) => date.toLowerCase().includes(m)) + 1;
  const numbers = date.match(/\d+/g) ?? [];
  const year = numbers.find((n) => n.length === 4) ?? '0000';
  const day = numbers.find((n) => n.length <= 2) ?? '0';
  return `${year}-${String(month).padStart(2, '0')}-${day.padStart(2, '0')}`;
}

/**
 * The day a paper is listed, filtered (--since, --until) and sorted by: the day it was on the Hugging Face
 * daily papers list, when it was, else the day it was published; undefined for a paper with neither.
 */
export function paperDay(paper: { daily?: string; published?: string }): string | undefined {
  return paper.daily ?? paper.published;
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;

/** A date known to the year, the month or the day: 2017, 2017-06, 2017-06-12 (a real day of a real month). */
export function isPartialDate(value: string): boolean {
  const match = PARTIAL_DATE.exec(value);
  if (!match) return false;
  const [year, month = '01', day = '01'] = [match[1]!, match[2], match[3]];
  const iso = `${year}-${month}-${day}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso;
}

/**
 * A date as written on the command line: YYYY-MM-DD, or YYYY-MM or YYYY for the whole month or year, kept as
 * written (see publishedSince and publishedUntil for what a span means there).
 */
export function parseDay(value: string, flag: string): string {
  const date = value.trim();
  if (!isPartialDate(date)) throw new UsageError(`${flag} takes a date written YYYY-MM-DD (or YYYY-MM, YYYY), not \`${value}\``);
  return date;
}

// Dates known to the year, month or day are spans of days: 2017-06 is every day of June 2017. Two such dates are
// compared on the parts both know, so a span meets a day or span when any of its days does.
const shared = (a: string, b: string) => Math.min(a.length, b.length);

/** Whether a paper published on `published` may be from `since` on (some day of the one is not before the other). */
export function publishedSince(published: string, since: string): boolean {
  const n = shared(published, since);
  return published.slice(0, n) >= since.slice(0, n);
}

/** Whether a paper published on `published` may be from before the end of `until`. */
export function publishedUntil(published: string, until: string): boolean {
  const n = shared(published, until);
  return published.slice(0, n) <= until.slice(0, n);
}

/** Whether `precise` is a day of the month `known`, or a month or day of the year `known`: the same date, better known. */
export function refinesDate(known: string, precise: string): boolean {
  return precise.length > known.length && precise.startsWith(known);
}

/** Oldest first, by the first day each date may be; a year before its months, a month before its days. */
export function comparePublished(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** [year, month?, day?] of a date known to the year, month or day, as numbers. */
export function dateParts(published: string | undefined): number[] | undefined {
  const match = published === undefined ? null : PARTIAL_DATE.exec(published);
  return match ? match.slice(1).filter((part) => part !== undefined).map(Number) : undefined;
}

const pad = (n: number) => String(n).padStart(2, '0');
/** Today as the user's clock says it (the local date, as `date +%F` prints it), or `offset` days from it. */
export const localDay = (offset = 0) => {
  const day = new Date();
  day.setDate(day.getDate() + offset);
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
};
