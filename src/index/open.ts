import { statSync, type Stats } from 'node:fs';
import { statFile } from '../corpus/files.js';
import { duplicatesWarning, findDuplicates, resolveDuplicates, type Duplicate } from '../corpus/duplicates.js';
import { corpusFiles, isFolderCorpus } from '../corpus/layout.js';
import { InputError } from '../errors.js';
import { startProgress } from '../progress.js';
import type { Io } from '../terminal.js';
import { cachePath } from './cache.js';
import { openCache, tryWriteCache } from './cache-file.js';
import { memoryView } from './memory.js';
import { buildLexicon, mayHoldDuplicates, openLexicon, segmentName, type Segment } from './segments.js';
import type { CorpusView } from './types.js';

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
  const found = lexicon ? openLexicon(lexicon, files, (i) => openCache(cachePath(files[i]!.path, io.env), files[i]!.stat)) : null;
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
  const views = files.map(({ stat }, i) => (cacheFiles[i] ? openCache(cacheFiles[i]!, stat) : null));
  const stale = files.flatMap(({ path: file }, i) => (cacheFiles[i] && !views[i] ? [{ file, cacheFile: cacheFiles[i]! }] : []));
  if (stale.length >= PARALLEL_FROM) {
    // Many files to index again (a fresh clone, a new cache format): on the writer threads, then read back.
    const bytes = files.reduce((sum, { stat }, i) => sum + (views[i] ? 0 : stat.size), 0);
    const progress = startProgress(io, `reading and indexing ${stale.length} files`, bytes);
    const { rebuildCaches } = await import('./writer.js');
    await rebuildCaches(stale);
    progress.done();
    files.forEach(({ stat }, i) => (views[i] ??= cacheFiles[i] ? openCache(cacheFiles[i]!, stat) : null));
  }
  const segments: Segment[] = [];
  for (const [i, { path: file, name, stat }] of files.entries()) {
    const view = views[i] ?? (await readFile(file, stat, cacheFiles[i] ?? null, io));
    segments.push({ name, stat, count: view.count, view });
  }
  return segments;
}

// Files to index again past which they are indexed on the writer threads.
const PARALLEL_FROM = 4;

async function readFile(file: string, stat: Stats, cacheFile: string | null, io: Io): Promise<CorpusView> {
  const progress = startProgress(io, `reading ${file}`, stat.size);
  const { loadCorpus } = await import('../corpus/store.js');
  const papers = loadCorpus(file);
  let view: CorpusView | null = null;
  if (cacheFile) {
    progress.label(`indexing ${papers.length} papers of ${file}`);
    tryWriteCache(cacheFile, papers, stat);
    // Read back rather than indexed again in memory: the folder's lexicon asks for every segment's words.
    view = openCache(cacheFile, stat);
  }
  progress.done();
  return view ?? memoryView(papers);
}
