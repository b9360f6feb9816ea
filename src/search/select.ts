import { publishedUntil } from '../corpus/dates.js';
import { hasAuthor } from '../corpus/ids.js';
import { UsageError } from '../base/errors.js';
import type { PaperSummary, Status } from '../corpus/paper.js';
import type { Reading } from '../index/facets.js';
import type { CorpusView } from '../index/types.js';
import { NO_FILTERS, passes, type Filters } from './query.js';

/** The record conditions of `list` and `export`: --has-code, --author, --since, --until, --status, --tag. */
export interface Selection {
  hasCode?: boolean;
  author?: string;
  since?: string;
  until?: string;
  status?: Reading[];
  tag?: string[];
}

type Record = { code: string | boolean | null; published?: string; authors?: string[]; categories?: string[]; status?: Status; tags?: string[] };

/** A window that ends before it starts would match nothing: said before any paper is read (2017-06 to 2017 is June to December). */
export function checkWindow(since: string | null | undefined, until: string | null | undefined): void {
  if (since && until && !publishedUntil(since, until)) throw new UsageError(`--since ${since} is after --until ${until}: put the earlier day first`);
}

/** What a date window asks for, as a user would say it. */
export function describeWindow(since: string | null | undefined, until: string | null | undefined): string {
  if (since && until) return since === until ? `published on ${since}` : `published between ${since} and ${until}`;
  return since ? `published on or after ${since}` : `published on or before ${until}`;
}

/** A condition asked for: how to say it, its test of a paper, and the filters that decide it from the corpus's facets (none for --author). */
interface Condition {
  says: string;
  test: (paper: Record) => boolean;
  filters?: Filters;
}

/** Each condition asked for. */
function conditions(selection: Selection): Condition[] {
  const found: Condition[] = [];
  if (selection.author !== undefined) {
    const name = selection.author;
    found.push({ says: `by an author named \`${name}\``, test: (p) => hasAuthor(p.authors, name) });
  }
  const facet = (says: string, filters: Filters) => found.push({ says, test: (p) => passes(filters, p), filters });
  if (selection.hasCode) facet('with a code repository', { ...NO_FILTERS, code: true });
  if (selection.since || selection.until) {
    facet(describeWindow(selection.since, selection.until), { ...NO_FILTERS, since: selection.since ?? null, until: selection.until ?? null });
  }
  if (selection.status) facet(`with status ${selection.status.join(' or ')}`, { ...NO_FILTERS, status: selection.status });
  for (const tag of selection.tag ?? []) facet(`tagged ${tag}`, { ...NO_FILTERS, tags: [tag] });
  return found;
}

/**
 * The conditions of the selection that the corpus's facets decide, as one set of filters: what
 * `corpus.select` narrows the papers by before any summary is read; null when there are none (only --author).
 */
export function selectionFilters(selection: Selection): Filters | null {
  if (!conditions(selection).some((condition) => condition.filters)) return null;
  return {
    ...NO_FILTERS,
    code: selection.hasCode ? true : null,
    since: selection.since ?? null,
    until: selection.until ?? null,
    status: selection.status ?? null,
    tags: selection.tag ?? [],
  };
}

/**
 * The papers of the corpus the selection selects, in corpus order: narrowed by the facets first (see
 * selectionFilters), so that only the summaries of papers that pass them are read.
 */
export function selectedSummaries(corpus: CorpusView, selection: Selection): PaperSummary[] {
  const filters = selectionFilters(selection);
  const candidates = filters ? corpus.summariesOf(corpus.select(filters)) : corpus.summaries();
  return candidates.filter(selectionTest(selection));
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
  return saying(conditions(selection), (condition) => !papers.some(condition.test), among);
}

/** nothingSelected over the whole corpus: from its facets alone when they decide every condition. */
export function nothingInCorpus(corpus: CorpusView, selection: Selection): string {
  const all = conditions(selection);
  if (all.some((condition) => !condition.filters)) return nothingSelected(corpus.summaries(), selection);
  return saying(all, (condition) => corpus.select(condition.filters!).length === 0);
}

function saying(all: Condition[], leavesOutAll: (condition: Condition) => boolean, among = ''): string {
  const alone = all.find(leavesOutAll);
  const said = alone ? [alone.says] : all.map((c) => c.says);
  return ['no paper', among, ...said].filter(Boolean).join(' ');
}
