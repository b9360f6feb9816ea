import type { Stats } from 'node:fs';
import { statFile } from '../corpus/files.js';
import type { Paper } from '../corpus/paper.js';
import { startProgress } from '../progress.js';
import type { Io } from '../terminal.js';
import { openCache, writeCache } from './cache-file.js';
import { memoryView } from './memory.js';
import type { CorpusView } from './types.js';

/**
 * The corpus, from the cache when it matches the YAML's current size and times; otherwise the YAML is
 * read (and validated) and the cache rebuilt from it. A cache that cannot be written is not an error.
 */
export async function openCorpus(path: string, cacheFile: string | null, io: Io): Promise<CorpusView> {
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

export function tryWriteCache(file: string, papers: Paper[], stat: Stats): void {
  try {
    writeCache(file, papers, stat);
  } catch {
    // The cache only saves time: an unwritable cache folder leaves every command working from the YAML.
  }
}
