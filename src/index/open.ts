import { existsSync, statSync, type Stats } from 'node:fs';
import { statFile } from '../corpus/files.js';
import { duplicatesWarning, findDuplicates, resolveDuplicates, type Duplicate } from '../corpus/duplicates.js';
import { corpusFiles, isFolderCorpus } from '../corpus/layout.js';
import { CacheDamaged, InputError } from '../base/errors.js';
import { startProgress } from '../base/progress.js';
import type { Paper } from '../corpus/paper.js';
import type { Io } from '../base/terminal.js';
import { cachePath } from './cache.js';
import { openCache, tryWriteCache } from './cache-file.js';
import { memoryView } from './memory.js';
import { buildLexicon, mayHoldDuplicates, openLexicon, segmentName, type Segment } from './segments.js';
import type { CorpusView, Index, WordList } from './types.js';

/** The corpus at `path`, one file or a folder of them, through the cache when `cache` is on. */
export async function openCorpus(path: string, cache: boolean, io: Io): Promise<CorpusView> {
  if (isFolderCorpus(path)) return openFolder(path, cache, io);
  return openFile(path, cache ? cachePath(path, io.env) : null, io);
}

/**
 * A corpus file, from the cache when it matches the YAML's current size and times; otherwise the YAML is
 * read (and validated) and the cache rebuilt from it. A cache that cannot be written is not an error.
 */
async function openFile(path: string, cacheFile: string | null, io: Io): Promise<CorpusView> {
  const stat = statFile(path, 'corpus');
  const cached = cacheFile ? openCache(cacheFile, stat) : null;
  if (cached) return cached;
  const progress = startProgress(io, `reading ${path}`, stat.size);
  // The YAML parser is loaded only when the cache cannot answer: it is most of the start-up cost.
  const { loadCorpus } = await import('../corpus/store.js');
  const papers = loadCorpus(path);
  if (cacheFile) {
    progress.label(`indexing ${papers.length} papers`);
    tryWriteCache(cacheFile, papers, stat);
  }
  progress.done();
  return memoryView(papers);
}

/**
 * A corpus folder, joined through its lexicon when that is current: each file's cache is then opened only
 * when the command needs it. Otherwise each file from its own cache, or read and indexed again when it
 * changed (only that file), then joined through a lexicon built again. A lexicon is written only for files
 * without duplicates: a folder holding a paper twice (two clones merged) is read whole, each paper once
 * (see findDuplicates), with a warning, until `papers doctor --fix` repairs it.
 */
async function openFolder(folder: string, cache: boolean, io: Io): Promise<CorpusView> {
  const files = folderFiles(folder);
  const lexicon = cache ? cachePath(folder, io.env) : null;
  if (lexicon && files.some(({ path }) => !existsSync(cachePath(path, io.env)))) await loadYamlReader();
  const found = lexicon ? openLexicon(lexicon, files, (i) => reopenSegment(files[i]!.path, files[i]!.stat, cachePath(files[i]!.path, io.env))) : null;
  if (found) return found;
  const segments = await openFiles(files, cache, io);
  const joined = buildLexicon(lexicon, segments);
  if (joined) return joined;
  const duplicates = segmentDuplicates(segments);
  // Two hashes alike, or a DOI shared by two papers with different arXiv ids: no duplicates after all.
  const checked = duplicates.length === 0 ? buildLexicon(lexicon, segments, true) : null;
  if (checked) return checked;
  if (duplicates.length > 0) io.stderr.write(duplicatesWarning(duplicates, folder));
  return memoryView(
    resolveDuplicates(
      segments.flatMap((segment) => segment.view.papers()),
      duplicates,
    ),
  );
}

/** The later copies of papers among a folder's files (see findDuplicates). */
function segmentDuplicates(segments: Segment[]): Duplicate[] {
  return findDuplicates(segments.map((segment) => ({ file: segment.name, keys: segment.view.keys() })));
}

/**
 * The later copies of papers among the folder's files, as `openSegments` gave them: none when the folder's
 * lexicon is current (it is written only for files without any), so that an import into a large folder
 * does not read every paper's keys to find out.
 */
export function folderDuplicates(folder: string, segments: Segment[], cache: boolean, io: Io): Duplicate[] {
  const lexicon = cache ? cachePath(folder, io.env) : null;
  if (lexicon && openLexicon(lexicon, segments, () => null)) return [];
  return mayHoldDuplicates(segments) ? segmentDuplicates(segments) : [];
}

/** The files of a corpus folder, each as its own corpus, from its cache or read again. */
export async function openSegments(folder: string, cache: boolean, io: Io): Promise<Segment[]> {
  return openFiles(folderFiles(folder), cache, io);
}

function folderFiles(folder: string): { path: string; name: string; stat: Stats }[] {
  const files = corpusFiles(folder);
  if (files.length === 0 && !statSync(folder, { throwIfNoEntry: false })?.isDirectory()) {
    throw new InputError('no corpus folder here; create one with `papers --corpus FOLDER/ import FILE`', folder);
  }
  return files.map(({ path, stat }) => ({ path, name: segmentName(path), stat }));
}

async function openFiles(files: { path: string; name: string; stat: Stats }[], cache: boolean, io: Io): Promise<Segment[]> {
  const cacheFiles = files.map(({ path }) => (cache ? cachePath(path, io.env) : null));
  const views = files.map(({ path, stat }, i) => (cacheFiles[i] ? openSegment(path, stat, cacheFiles[i]!) : null));
  const stale = files.flatMap(({ path: file }, i) => (cacheFiles[i] && !views[i] ? [{ file, cacheFile: cacheFiles[i]! }] : []));
  if (stale.length >= PARALLEL_FROM) {
    // Many files to index again (a fresh clone, a new cache format): on the writer threads, then read back.
    const bytes = files.reduce((sum, { stat }, i) => sum + (views[i] ? 0 : stat.size), 0);
    const progress = startProgress(io, `reading and indexing ${stale.length} files`, bytes);
    const { rebuildCaches } = await import('./writer.js');
    await rebuildCaches(stale);
    progress.done();
    files.forEach(({ path, stat }, i) => (views[i] ??= cacheFiles[i] ? openSegment(path, stat, cacheFiles[i]!) : null));
  }
  const segments: Segment[] = [];
  for (const [i, { path: file, name, stat }] of files.entries()) {
    const view = views[i] ?? (await readFile(file, stat, cacheFiles[i] ?? null, io));
    segments.push({ name, stat, count: view.count, view, marks: () => view.marks() });
  }
  return segments;
}

// Files to index again past which they are indexed on the writer threads.
const PARALLEL_FROM = 4;

async function readFile(file: string, stat: Stats, cacheFile: string | null, io: Io): Promise<CorpusView> {
  const progress = startProgress(io, `reading ${file}`, stat.size);
  const loadCorpus = await loadYamlReader();
  const papers = loadCorpus(file);
  let view: CorpusView | null = null;
  if (cacheFile) {
    progress.label(`indexing ${papers.length} papers of ${file}`);
    view = rebuiltSegment(papers, stat, cacheFile);
  }
  progress.done();
  return view ?? memoryView(papers);
}

/** A file's cache written again from its papers, and read back: the folder's lexicon asks for every segment's words, not indexed again in memory. */
function rebuiltSegment(papers: Paper[], stat: Stats, cacheFile: string): CorpusView {
  tryWriteCache(cacheFile, papers, stat);
  return openCache(cacheFile, stat) ?? memoryView(papers);
}

let yamlReader: ((file: string) => Paper[]) | undefined;

/**
 * The YAML reader, loaded once (most of the start-up cost, so only when needed): once it is, a file of a
 * folder whose cache proves damaged is read again from its YAML where the command stands, even midway
 * through an output, instead of the command starting again.
 */
export async function loadYamlReader(): Promise<(file: string) => Paper[]> {
  return (yamlReader ??= (await import('../corpus/store.js')).loadCorpus);
}

/** A file of a folder from its cache, if current (see recovering). */
function openSegment(file: string, stat: Stats, cacheFile: string): CorpusView | null {
  const cached = openCache(cacheFile, stat);
  return cached && recovering(cached, file, stat, cacheFile);
}

/** A file of a folder whose lexicon is current: from its cache, else (removed as damaged) read again from the YAML when the reader is loaded. */
function reopenSegment(file: string, stat: Stats, cacheFile: string): CorpusView | null {
  return openSegment(file, stat, cacheFile) ?? (yamlReader ? rebuiltSegment(yamlReader(file), stat, cacheFile) : null);
}

/**
 * A folder's file through its cache, which, found damaged while the command reads it, is read
 * from the YAML and written again (when the YAML reader is loaded; else the damage stands, and the command
 * starts again with the cache removed). Its papers and words are then numbered as the cache numbered them.
 */
function recovering(cached: CorpusView, file: string, stat: Stats, cacheFile: string): CorpusView {
  let view = cached;
  let recovered = false;
  const attempt = <T>(call: (view: CorpusView) => T): T => {
    try {
      return call(view);
    } catch (error) {
      if (!(error instanceof CacheDamaged) || recovered || !yamlReader) throw error;
      recovered = true;
      view = rebuiltSegment(yamlReader(file), stat, cacheFile);
      return call(view);
    }
  };
  let index: Index | undefined;
  return {
    count: cached.count,
    summaries: () => attempt((v) => v.summaries()),
    keys: () => attempt((v) => v.keys()),
    ids: () => attempt((v) => v.ids()),
    idTest: () => {
      const test = per((v) => v.idTest());
      attempt(test);
      return (id) => attempt((v) => test(v)(id));
    },
    keysMatching: (wanted) => attempt((v) => v.keysMatching(wanted)),
    keyHashes: () => attempt((v) => v.keyHashes()),
    sortedIds: () => attempt((v) => v.sortedIds()),
    head: (n) => attempt((v) => v.head(n)),
    withId: (id, limit) => attempt((v) => v.withId(id, limit)),
    paper: (doc) => attempt((v) => v.paper(doc)),
    papers: () => attempt((v) => v.papers()),
    select: (filters) => attempt((v) => v.select(filters)),
    summariesOf: (docs) => attempt((v) => v.summariesOf(docs)),
    marks: () => attempt((v) => v.marks()),
    chunks: (docs) => [attempt((v) => (docs ? [...v.chunks(docs)].flat() : v.papers()))],
    index: () => (index ??= recoveringIndex(attempt)),
  };
}

/** What is made once and then asked many times (an id test, a filter), made again for the view read from the YAML after a recovery. */
function per<T>(make: (view: CorpusView) => T): (view: CorpusView) => T {
  const made = new Map<CorpusView, T>();
  return (view) => (made.has(view) ? made.get(view)! : made.set(view, make(view)).get(view)!);
}

/** A file's index, through `attempt` (see recovering). */
function recoveringIndex(attempt: <T>(call: (view: CorpusView) => T) => T): Index {
  const words: WordList = {
    get length() {
      return attempt((v) => v.index().words.length);
    },
    at: (i) => attempt((v) => v.index().words.at(i)),
  };
  return {
    get count() {
      return attempt((v) => v.index().count);
    },
    words,
    masks: () => attempt((v) => v.index().masks()),
    get acronyms() {
      return attempt((v) => v.index().acronyms);
    },
    postings: (at, take) => attempt((v) => v.index().postings(at, take)),
    forEachWord: (visit) => attempt((v) => v.index().forEachWord(visit)),
    paper: (doc) => attempt((v) => v.index().paper(doc)),
    filter: (filters) => {
      const test = per((v) => v.index().filter(filters));
      attempt(test);
      return (doc) => attempt((v) => test(v)(doc));
    },
    norms: () => attempt((v) => v.index().norms()),
    frequencies: () => attempt((v) => v.index().frequencies()),
  };
}
