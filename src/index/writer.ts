import { statSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import type { Paper } from '../corpus/paper.js';
import { DiskFull, PapersError } from '../base/errors.js';
import { tryWriteCache } from './cache-file.js';

/** Writes one file of a corpus folder and its cache segment: the YAML, then the cache keyed by the file as written. */
export async function writeSegment(file: string, papers: Paper[], cacheFile: string | null): Promise<void> {
  const { saveCorpus } = await import('../corpus/store.js');
  saveCorpus(file, papers);
  if (cacheFile) tryWriteCache(cacheFile, papers, statSync(file));
}

/** writeSegment, its failure given as a value: null when the file is written, else why it was not. */
export function tryWriteSegment(file: string, papers: Paper[], cacheFile: string | null): Promise<Error | null> {
  return writeSegment(file, papers, cacheFile).then(
    () => null,
    (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
  );
}

/**
 * Rebuilds a file's cache from its YAML, keyed by the file as read now. A file that cannot be read or is not
 * a valid corpus throws; the caller then reads it itself, which says why.
 */
export async function rebuildSegment(file: string, cacheFile: string): Promise<void> {
  const { loadCorpus } = await import('../corpus/store.js');
  const stat = statSync(file);
  tryWriteCache(cacheFile, loadCorpus(file), stat);
}

/** What a writer thread is asked to do (write a file and its cache, or rebuild a cache), and what it answers. */
export type Job = { file: string; papers: Paper[]; cacheFile: string | null } | { file: string; rebuild: string };
export type Answer = { ok: true } | { ok: false; message: string; exitCode: number; diskFull: boolean };

// Threads that write a large import's files while the input is still being read and merged.
const THREADS = 2;
// A thread's heap holds one file of papers being written, far below this; the limit keeps its collector
// from letting garbage pile up to gigabytes over a long import.
const OLD_MB = 512;
const IN_HAND = 3;

/** The writer threads' code, built beside this bundle; null when run from the TypeScript sources. */
function threadCode(): string | null {
  const script = fileURLToPath(new URL('./writer-thread.cjs', import.meta.url));
  return statSync(script, { throwIfNoEntry: false }) ? script : null;
}

const startThread = (script: string) => new Worker(script, { resourceLimits: { maxOldGenerationSizeMb: OLD_MB } });

/**
 * Writes the files of a large import on other threads, a file each, so that serializing and indexing one
 * file overlaps with reading the next; only a few files are in hand at once, which bounds memory. Where the
 * thread code is not there (run from the TypeScript sources), files are written here, one after another.
 * `write` resolves once the file is handed over, with `written`: the file's own outcome (null, or why it
 * was not written), as files finish in any order. Once one has failed, `write` throws its error.
 */
export function segmentWriters(): { write(job: Job): Promise<{ written: Promise<Error | null> }>; close(): Promise<void> } {
  const script = threadCode();
  let threads: { worker: Worker; busy: number; waiting: ((answer: Answer) => void)[] }[] | null = null;
  const pending = new Set<Promise<Error | null>>();
  let failure: Error | null = null;
  const start = () => {
    threads = Array.from({ length: THREADS }, () => {
      const thread = {
        worker: startThread(script!),
        busy: 0,
        waiting: [] as ((answer: Answer) => void)[],
      };
      thread.worker.on('message', (answer: Answer) => thread.waiting.shift()?.(answer));
      thread.worker.on('error', (error) => {
        for (const resolve of thread.waiting.splice(0)) resolve({ ok: false, message: error.message, exitCode: 2, diskFull: false });
      });
      return thread;
    });
  };
  return {
    async write(job) {
      if (failure) throw failure;
      if (!('papers' in job)) throw new Error('segmentWriters writes files; see rebuildCaches');
      if (!script) {
        const error = await tryWriteSegment(job.file, job.papers, job.cacheFile);
        failure ??= error;
        return { written: Promise.resolve(error) };
      }
      if (!threads) start();
      // Back-pressure: three files in hand at most, two being written and one waiting; the next is read and merged meanwhile.
      while (threads!.reduce((n, t) => n + t.busy, 0) >= IN_HAND) await Promise.race(pending);
      const thread = threads!.reduce((a, b) => (b.busy < a.busy ? b : a));
      thread.busy++;
      const written = new Promise<Error | null>((resolve) => {
        thread.waiting.push((answer) => {
          thread.busy--;
          const error = answer.ok ? null : answer.diskFull ? new DiskFull(answer.message) : new PapersError(answer.message, answer.exitCode);
          failure ??= error;
          resolve(error);
        });
        thread.worker.postMessage(job);
      });
      pending.add(written);
      void written.then(() => pending.delete(written));
      return { written };
    },
    async close() {
      await Promise.all(pending);
      if (threads) await Promise.all(threads.map((thread) => thread.worker.terminate()));
    },
  };
}

/**
 * Rebuilds the caches of many files from their YAML on the writer threads, a file at a time on each, so that
 * a folder whose caches are all missing (a fresh clone, a new cache format) is indexed on every core. Files
 * that fail are left alone: the caller finds no cache for them and reads them itself. Without the thread
 * code (run from the TypeScript sources), nothing is done here.
 */
export async function rebuildCaches(files: { file: string; cacheFile: string }[]): Promise<void> {
  const script = threadCode();
  if (!script) return;
  let next = 0;
  const thread = async () => {
    const worker = startThread(script);
    let alive = true;
    let settle: (() => void) | null = null;
    // A thread that dies (out of memory on a huge file) or stops takes no more files.
    const stop = () => {
      alive = false;
      settle?.();
    };
    worker.on('error', stop);
    worker.on('exit', stop);
    worker.on('message', () => settle?.());
    try {
      while (alive && next < files.length) {
        const { file, cacheFile } = files[next++]!;
        await new Promise<void>((resolve) => {
          settle = resolve;
          worker.postMessage({ file, rebuild: cacheFile } satisfies Job);
        });
        settle = null;
      }
    } finally {
      await worker.terminate();
    }
  };
  await Promise.all(Array.from({ length: Math.min(THREADS, files.length) }, thread));
}
