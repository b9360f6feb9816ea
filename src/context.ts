import { dirname, resolve } from 'node:path';
import { sameFile, targetOf, writeFileAtomic, type Content } from './corpus/files.js';
import { corpusFiles, isFolderCorpus, lockTarget } from './corpus/layout.js';
import { lockFile } from './corpus/lock.js';
import { UsageError } from './errors.js';
import { cachePath } from './index/cache.js';
import { openCorpus } from './index/open.js';
import type { CorpusView } from './index/types.js';
import type { OutputFormat } from './render/formats.js';
import { renderJson } from './render/json.js';
import type { Rows } from './render/cells.js';
import { renderRows } from './render/rows.js';
import type { Io } from './terminal.js';

/** What every command gets: the outside world, the corpus file, and whether to use the derived cache. */
export interface Context {
  io: Io;
  corpusPath: string;
  /** Read and keep the derived cache; off with --no-cache or PAPERS_NO_CACHE=1. */
  cache: boolean;
}

export const DEFAULT_LIMIT = 10;

/** The cache file of the context's corpus (or of one file of a corpus folder), or null when the cache is off. */
export function cacheFileOf(context: Context, file = context.corpusPath): string | null {
  return context.cache ? cachePath(file, context.io.env) : null;
}

export function loadCorpusView(context: Context): Promise<CorpusView> {
  return openCorpus(context.corpusPath, context.cache, context.io);
}

/** The one output switch for lists: JSON when asked, else a table on a terminal or TSV in a pipe. */
export async function writeRows(context: Context, format: OutputFormat, rows: Rows, json: () => unknown): Promise<void> {
  context.io.stdout.write(format === 'json' ? renderJson(json()) : await renderRows(context.io, format, rows));
}

/** An output path that is the corpus itself, however spelled, would replace every paper with an export. */
export function refuseCorpus(context: Context, path: string): void {
  if (sameFile(path, context.corpusPath)) throw new UsageError(`\`${path}\` is the corpus itself; write the export to another file`);
  // Its lock, or a cache of it (or a file kept beside one), written over, would let two imports write at once or be read as an index.
  const target = targetOf(path);
  const own = (file: string) => sameFile(path, file) || target.startsWith(`${targetOf(file)}.`);
  if (own(lockFile(lockTarget(context.corpusPath)))) throw new UsageError(`\`${path}\` is the corpus's lock file; write the export to another file`);
  const folder = isFolderCorpus(context.corpusPath);
  const caches = [context.corpusPath, ...(folder ? corpusFiles(context.corpusPath).map((file) => file.path) : [])].map((file) =>
    cachePath(file, context.io.env),
  );
  if (caches.some(own)) throw new UsageError(`\`${path}\` is a cache file of the corpus; write the export to another file`);
  // In a corpus folder, a YAML file is part of the corpus: an export written there would join it.
  if (folder && /\.ya?ml$/.test(path) && sameFile(dirname(resolve(path)), context.corpusPath)) {
    throw new UsageError(`\`${path}\` would become part of the corpus folder; write the export outside it`);
  }
}

/** A file the user asked for (`-o`): never the corpus, and written as every file is (see writeFileAtomic). */
export function writeOutputFile(context: Context, path: string, content: Content): void {
  refuseCorpus(context, path);
  writeFileAtomic(path, content);
}
