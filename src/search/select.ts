import { publishedUntil } from '../corpus/dates.js';
import { hasAuthor } from '../corpus/ids.js';
import { UsageError } from '../errors.js';
import { NO_FILTERS, passes, type Filters } from './query.js';

/** The record conditions of `list` and `export`: --has-code, --author, --since, --until. */
export interface Selection {
  hasCode?: boolean;
  author?: string;
  since?: string;
  until?: string;
}

type Record = { code: string | boolean | null; published?: string; authors?: string[]; categories?: string[] };

/** A window that ends before it starts would match nothing: said before any paper is read (2017-06 to 2017 is June to December). */
export function checkWindow(since: string | null | undefined, until: string | null | undefined): void {
  if (since && until && !publishedUntil(since, until)) throw new UsageError(`--since ${since} is after --until ${until}: put the earlier day first`);
}

/** What a date window asks for, as a user would say it. */
export function describeWindow(since: string | null | undefined, until: string | null | undefined): string {
  if (since && until) return since === until ? `published on ${since}` : `published between ${since} and ${until}`;
  return since ? `published on or after ${since}` : `published on or before ${until}`;
}

/** Each condition asked for, with how to say it and its test of a paper. */
function conditions(selection: Selection): { says: string; test: (paper: Record) => boolean }[] {
  const found: { says: string; test: (paper: Record) => boolean }[] = [];
  if (selection.author !== undefined) {
    const name = selection.author;
    found.push({ says: `by an author named \`${name}\``, test: (p) => hasAuthor(p.authors, name) });
  }
  if (selection.hasCode) found.push({ says: 'with a code repository', test: (p) => Boolean(p.code) });
  if (selection.since || selection.until) {
    const filters: Filters = { ...NO_FILTERS, since: selection.since ?? null, until: selection.until ?? null };
    found.push({ says: describeWindow(selection.since, selection.until), test: (p) => passes(filters, p) });
  }
  return found;
}

export const selects = (selection: Selection) => conditions(selection).length > 0;

/** Whether a paper meets every condition of the selection. */
export function selectionTest(selection: Selection): (paper: Record) => boolean {
  const tests = conditions(selection).map((c) => c.test);
  return (paper) => tests.every((test) => test(paper));
}

/**
 * Why no paper of `papers` was selected: the condition that alone leaves out every paper, else all of them
 * together ("no paper by an author named `kaiser` with a code repository"). `among` names what they were
 * chosen from ("matching `gnn`").
 */
export function nothingSelected(papers: Record[], selection: Selection, among = ''): string {
  const all = conditions(selection);
  const alone = all.find((condition) => !papers.some(condition.test));
  const said = alone ? [alone.says] : all.map((c) => c.says);
  return ['no paper', among, ...said].filter(Boolean).join(' ');
}
