import { statSync, type Stats } from 'node:fs';
import { cachePath, memoryView, openCache, writeCache } from './corpus/cache.js';
import { fileError } from './corpus/files.js';
import type { CorpusView } from './corpus/view.js';
import { UsageError } from './errors.js';
import { startProgress } from './progress.js';
import type { Io } from './terminal.js';

export interface Context {
  io: Io;
  corpusPath: string;
  /** Read and keep the derived cache; off with --no-cache or PAPERS_NO_CACHE=1. */
  cache: boolean;
}

export type OutputFormat = 'table' | 'tsv' | 'json';
export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'tsv', 'json'];

/** Tables for people, tab-separated rows for pipes, unless asked. */
export function outputFormat(requested: string | undefined, io: Io): OutputFormat {
  if (requested === undefined) return io.isTTY ? 'table' : 'tsv';
  if (!(OUTPUT_FORMATS as string[]).includes(requested)) {
    throw new UsageError(`unknown --format \`${requested}\`: use ${OUTPUT_FORMATS.join(', ')}`);
  }
  return requested as OutputFormat;
}

export function statCorpus(path: string): Stats {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    throw fileError(error, path, 'corpus');
  }
  if (stat.isDirectory()) throw fileError(Object.assign(new Error(), { code: 'EISDIR' }), path, 'corpus');
  return stat;
}

/**
 * The corpus, from the cache when it matches the YAML's current size and times; otherwise the YAML is
 * read (and validated) and the cache rebuilt from it. A cache that cannot be written is not an error.
 */
export async function openCorpus(context: Context): Promise<CorpusView> {
  const stat = statCorpus(context.corpusPath);
  const cacheFile = context.cache ? cachePath(context.corpusPath, context.io.env) : null;
  const cached = cacheFile ? openCache(cacheFile, stat) : null;
  if (cached) return cached;
  const progress = startProgress(context.io, `reading ${context.corpusPath}`, stat.size);
  // The YAML parser is loaded only when the cache cannot answer: it is most of the start-up cost.
  const { loadCorpus } = await import('./corpus/store.js');
  const papers = loadCorpus(context.corpusPath);
  if (cacheFile) {
    progress.label(`indexing ${papers.length} papers`);
    tryWriteCache(cacheFile, papers, stat);
  }
  progress.done();
  return memoryView(papers);
}

export function tryWriteCache(file: string, papers: Parameters<typeof writeCache>[1], stat: Stats): void {
  try {
    writeCache(file, papers, stat);
  } catch {
    // The cache only saves time: an unwritable cache folder leaves every command working from the YAML.
  }
}

export function parseLimit(value: string, flag = '--limit'): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`${flag} takes a whole number of 1 or more, not \`${value}\``);
  }
  return Number(value);
}
