import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import type { Context } from './context.js';
import { isPartialDate } from '../corpus/dates.js';
import { readError, writeFileAtomic } from '../corpus/files.js';
import { lockTarget, watchFile } from '../corpus/layout.js';
import { withLock } from '../corpus/lock.js';
import type { Paper } from '../corpus/paper.js';
import { safeYaml, yamlErrorMessage } from '../corpus/yaml.js';
import { InputError, PapersError, UsageError } from '../base/errors.js';
import { memoryIndex } from '../index/memory.js';
import { parseQuery, type Query } from '../search/query.js';
import { rankPapers } from '../search/rank.js';

/*
 * Saved searches and what `papers news` has shown of each, in one small YAML file beside the corpus. It is a
 * hidden file (`.papers.watch.yaml` beside `papers.yaml`, `.papers.watch.yaml` inside a corpus folder), so a
 * corpus folder never reads it as part of the corpus. Papers record no day they were added, and a paper
 * imported today may have been published years ago: so "new" is kept as the ids each search has already
 * shown (or matched when it was saved), not as a date.
 */

export interface Watch {
  name: string;
  query: string;
  /** The day the search was saved. */
  added?: string;
  /** The last day `papers news` showed papers of it. */
  shown?: string;
  /** Papers already shown by `papers news`, or matching when the search was saved: never news again. */
  seen: string[];
}

const NAME = /^[a-z0-9][a-z0-9_-]*$/;
const MAX_NAME = 40;
const FIELDS = ['name', 'query', 'added', 'shown', 'seen'] as const;
const HEADER =
  ' Saved searches of papers (papers watch add/list/rm, papers news). Edit freely: `seen` lists the papers\n news has already shown (or that matched when the search was saved); remove an id to see it again.';
const YAML_LAYOUT = { lineWidth: 100, minContentWidth: 40 };

/** A name is refused before anything is read: one lower-case word, with - or _ inside. */
export function checkName(name: string): string {
  if (!NAME.test(name) || name.length > MAX_NAME) {
    throw new UsageError(`a saved search's name is one lower-case word of letters, digits, - and _ (at most ${MAX_NAME}), not \`${name}\``);
  }
  return name;
}

/** The saved searches, validated: a mistake names the file and line. None when the file is not there. */
export function loadWatches(file: string): Watch[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw readError(error, file, 'saved-search');
  }
  return parseWatches(text, file);
}

function parseWatches(text: string, file: string): Watch[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, schema: 'failsafe' });
  const lineOf = (node: unknown) => {
    const range = (node as Node | null | undefined)?.range;
    return range ? lineCounter.linePos(range[0]).line : undefined;
  };
  const first = doc.errors[0];
  if (first) throw new InputError(yamlErrorMessage(text, first), file, first.linePos?.[0].line);
  const root = doc.contents;
  if (root === null || (isScalar(root) && (root.value === null || root.value === ''))) return [];
  if (!isMap(root) || !root.has('searches')) throw new InputError('expected a mapping with a `searches:` list at the top', file, lineOf(root) ?? 1);
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'searches') throw new InputError(`unknown key \`${key}\` (the file holds only \`searches:\`)`, file, lineOf(pair.key));
  }
  const list = root.get('searches', true) as Node | undefined;
  if (list === undefined || (isScalar(list) && (list.value === null || list.value === ''))) return [];
  if (!isSeq(list)) throw new InputError('`searches:` must be a list (items starting with "- ")', file, lineOf(list));
  const names = new Set<string>();
  return list.items.map((item, index) => {
    const where = `search ${index + 1}`;
    if (!isMap(item)) throw new InputError(`${where} must be a mapping of name, query, added, shown and seen`, file, lineOf(item));
    const fail = (message: string, key?: string): never => {
      const pair = key === undefined ? undefined : item.items.find((p) => isScalar(p.key) && p.key.value === key);
      throw new InputError(`${where}: ${message}`, file, lineOf(pair?.value ?? pair?.key) ?? lineOf(item));
    };
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!(FIELDS as readonly string[]).includes(key)) {
        throw new InputError(`${where}: unknown field \`${key}\` (fields are ${FIELDS.join(', ')})`, file, lineOf(pair.key));
      }
    }
    const raw = item.toJSON() as Record<string, unknown>;
    const text = (key: string): string | undefined => {
      const value = raw[key];
      if (value === undefined || value === null || value === '') return undefined;
      if (typeof value !== 'string') return fail(`\`${key}\` must be text, not a ${Array.isArray(value) ? 'list' : 'mapping'}`, key);
      return value.trim();
    };
    const name = text('name') ?? fail('missing `name`; add one');
    if (!NAME.test(name) || name.length > MAX_NAME) fail(`\`${name}\` is not a name: one lower-case word of letters, digits, - and _`, 'name');
    if (names.has(name)) fail(`the name \`${name}\` is used twice`, 'name');
    names.add(name);
    const query = text('query') ?? fail('missing `query`; add one');
    try {
      parseQuery(query);
    } catch (error) {
      if (error instanceof PapersError) fail(`the query \`${query}\`: ${error.message}`, 'query');
      throw error;
    }
    const watch: Watch = { name, query, seen: [] };
    for (const key of ['added', 'shown'] as const) {
      const day = text(key);
      if (day === undefined) continue;
      if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || !isPartialDate(day)) fail(`\`${key}\` must be a day written YYYY-MM-DD, not \`${day}\``, key);
      watch[key] = day;
    }
    const seen = raw.seen;
    if (seen !== undefined && seen !== null && seen !== '') {
      if (!Array.isArray(seen) || seen.some((id) => typeof id !== 'string')) fail('`seen` must be a list of paper ids', 'seen');
      watch.seen = (seen as string[]).map((id) => id.trim()).filter(Boolean);
    }
    return watch;
  });
}

function serializeWatches(watches: Watch[]): string {
  const searches = watches.map((w) => ({
    name: w.name,
    query: w.query,
    ...(w.added ? { added: w.added } : {}),
    ...(w.shown ? { shown: w.shown } : {}),
    seen: w.seen,
  }));
  return safeYaml({ searches }, YAML_LAYOUT, HEADER);
}

/**
 * Changes the saved searches under the corpus's lock: read, changed and written whole (or not at all) as one
 * step, so that two commands saving searches at once both keep theirs.
 */
export function updateWatches<T>(corpusPath: string, change: (watches: Watch[]) => { watches: Watch[]; result: T }): T {
  const file = watchFile(corpusPath);
  return withLock(lockTarget(corpusPath), () => {
    const { watches, result } = change(loadWatches(file));
    writeFileAtomic(file, serializeWatches(watches));
    return result;
  });
}

/** The saved searches with their queries parsed, once. */
export const parsedWatches = (watches: Watch[]): { watch: Watch; query: Query }[] => watches.map((watch) => ({ watch, query: parseQuery(watch.query) }));

/** Today in UTC, as the saved-search file records days. */
export const today = () => new Date().toISOString().slice(0, 10);

/**
 * Counts, for `pull`, `add` and `import`, the papers just merged that saved searches have not shown yet:
 * only those papers are searched, never the whole corpus. Told nothing when there are no saved searches.
 * A saved-search file that cannot be read does not stop the import: it is said, and the counting skipped.
 */
export function watchNotices(context: Context): { take: (papers: Paper[]) => void; report: () => void } | undefined {
  let watched: { watch: Watch; query: Query; seen: Set<string>; found: Set<string> }[];
  try {
    watched = parsedWatches(loadWatches(watchFile(context.corpusPath))).map((w) => ({ ...w, seen: new Set(w.watch.seen), found: new Set<string>() }));
  } catch (error) {
    if (!(error instanceof PapersError)) throw error;
    context.io.stderr.write(`papers: ${error.message} (saved searches not checked)\n`);
    return undefined;
  }
  if (watched.length === 0) return undefined;
  return {
    take(papers) {
      if (papers.length === 0) return;
      const index = memoryIndex(papers);
      for (const w of watched) {
        for (const hit of rankPapers(index, w.query)) if (!w.seen.has(hit.paper.id)) w.found.add(hit.paper.id);
      }
    },
    report() {
      for (const w of watched) if (w.found.size > 0) context.io.stderr.write(`${w.watch.name}: ${w.found.size} new\n`);
    },
  };
}
