import { UsageError } from '../errors.js';

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

/** A day as written on the command line (YYYY-MM-DD, or YYYY-MM, or YYYY for its first day). */
export function parseDay(value: string, flag: string): string {
  const day = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value.trim());
  const iso = day ? `${day[1]}-${day[2] ?? '01'}-${day[3] ?? '01'}` : '';
  const date = new Date(`${iso}T00:00:00Z`);
  if (!day || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) {
    throw new UsageError(`${flag} takes a date written YYYY-MM-DD (or YYYY-MM, YYYY), not \`${value}\``);
  }
  return iso;
}
