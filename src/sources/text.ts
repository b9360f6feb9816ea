/** Text a service hard-wrapped (arXiv titles and abstracts keep their line breaks): one line, single spaces. */
export function unwrap(text: string): string {
  return text.replace(BREAKS, ' ').trim();
}

// Runs of white space other than a single space: replacing only those gives the same text as replacing
// every run, at a fraction of the cost on text that is mostly single spaces.
const BREAKS = /\s{2,}|[^\S ]\s*/g;

/** An ISO date (YYYY-MM-DD) from a timestamp such as `2024-10-22T17:59:59Z`, or null. */
export function isoDay(timestamp: unknown): string | null {
  if (typeof timestamp !== 'string') return null;
  const day = /^(\d{4}-\d{2}-\d{2})/.exec(timestamp.trim());
  return day ? day[1]! : null;
}
