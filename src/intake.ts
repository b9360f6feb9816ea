import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';
import { cacheFileOf, type Context } from './context.js';
import { ensureFolder, targetOf, writeError, writeFileAtomic } from './corpus/files.js';
import { withLock } from './corpus/lock.js';
import { mergePapers, type Merge } from './corpus/merge.js';
import type { NewPaper, Paper } from './corpus/paper.js';
import { tryWriteCache } from './index/open.js';
import { renderTsv } from './render/rows.js';

/** The corpus to merge into: none yet is an empty one, which the import creates. */
function loadOrStart(path: string, loadCorpus: (path: string) => Paper[]): Paper[] {
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
  }
  return loadCorpus(path);
}

/** The counts of several merges into the corpus, one after another. */
export class Tally {
  added = 0;
  enriched = 0;
  present = 0;

  add(merge: Merge): void {
    this.added += merge.added.length;
    this.enriched += merge.enriched.length;
    this.present += merge.present.length;
  }
}

/** "12 added, 30 enriched, 41 already present", and whatever else the caller counted. */
export function summarize(merge: Merge | Tally, extras: string[] = []): string {
  const n = merge instanceof Tally ? merge : { added: merge.added.length, enriched: merge.enriched.length, present: merge.present.length };
  return [`${n.added} added`, `${n.enriched} enriched`, `${n.present} already present`, ...extras].join(', ');
}

/** What a merge would do, without doing it: one `added|enriched<TAB>id<TAB>title` line per changed paper. */
export async function previewMerge(context: Context, incoming: NewPaper[]): Promise<Merge> {
  const { loadCorpus } = await import('./corpus/store.js');
  const merge = mergePapers(loadOrStart(context.corpusPath, loadCorpus), incoming);
  context.io.stdout.write(renderTsv([...merge.added.map((p) => ['added', p.id, p.title]), ...merge.enriched.map((p) => ['enriched', p.id, p.title])]));
  return merge;
}

/**
 * Merges papers into the corpus under its lock: read, merge and write as one step, so that a concurrent
 * import waits and then merges into what this one wrote, and neither loses papers. The papers are in
 * memory already, so the cache is written now rather than on the next command.
 */
export async function mergeIntoCorpus(context: Context, incoming: NewPaper[], onWrite?: (count: number) => void): Promise<Merge> {
  // The YAML parser is loaded only by the commands that read the corpus file itself.
  const { loadCorpus, saveCorpus } = await import('./corpus/store.js');
  return withLock(context.corpusPath, () => {
    const merge = mergePapers(loadOrStart(context.corpusPath, loadCorpus), incoming);
    if (merge.added.length > 0 || merge.enriched.length > 0) {
      onWrite?.(merge.papers.length);
      saveCorpus(context.corpusPath, merge.papers);
      const cacheFile = cacheFileOf(context);
      if (cacheFile) tryWriteCache(cacheFile, merge.papers, statSync(context.corpusPath));
    }
    return merge;
  });
}

/** The folder beside the corpus (beside the real file, when the corpus is a link) that keeps fetched responses. */
function sourcesFolder(corpusPath: string): string {
  return join(dirname(targetOf(corpusPath)), 'sources');
}

/**
 * The `source` to record for a file: its path from the corpus's folder when it lies inside that folder
 * (`sources/hf-2026-11-26.json`, as `pull` records it, so that re-importing the kept responses rebuilds
 * the same corpus), else its name.
 */
export function sourceName(corpusPath: string, file: string): string {
  const folder = dirname(targetOf(corpusPath));
  const path = relative(folder, targetOf(file));
  const outside = path === '' || path === '..' || path.startsWith(`..${sep}`) || isAbsolute(path);
  return outside ? basename(file) : path.split(sep).join('/');
}

/**
 * Keeps a fetched response in the corpus's `sources/` folder as `<stem>.<ext>` (written whole or not at
 * all), and returns the `source` name papers record for it. A response already kept under that name is
 * reused; a different one gets `<stem>-2.<ext>`, `-3`, and so on: a kept file is never replaced.
 */
export function keepResponse(corpusPath: string, stem: string, ext: string, body: Uint8Array): string {
  const folder = sourcesFolder(corpusPath);
  try {
    ensureFolder(folder);
  } catch (error) {
    throw writeError(error, folder, 'make the folder');
  }
  for (let n = 1; ; n++) {
    const name = `${stem}${n === 1 ? '' : `-${n}`}.${ext}`;
    const path = join(folder, name);
    let existing: Buffer | undefined;
    try {
      existing = readFileSync(path);
    } catch {
      existing = undefined;
    }
    if (existing === undefined) {
      writeFileAtomic(path, body);
      return `sources/${name}`;
    }
    if (existing.equals(body)) return `sources/${name}`;
  }
}
