import { rmSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheFileOf, type Context } from './context.js';
import { duplicatesWarning, resolveInPlace, type Duplicate } from '../corpus/duplicates.js';
import { ensureFolder, targetOf, writeError } from '../corpus/files.js';
import { DiskFull, InputError } from '../base/errors.js';
import { fileNamer, isFolderCorpus, lockTarget, PAPERS_PER_FILE, sweepCorpusFolder } from '../corpus/layout.js';
import { withLock, withLockWhile } from '../corpus/lock.js';
import { mergePapers, Merger, wantedKeys, type Known, type Merge } from '../corpus/merge.js';
import type { NewPaper, Paper } from '../corpus/paper.js';
import { tryWriteCache } from '../index/cache-file.js';
import { folderDuplicates, openSegments } from '../index/open.js';
import { segmentWriters, tryWriteSegment } from '../index/writer.js';
import type { Segment } from '../index/segments.js';
import { renderTsv } from '../render/rows.js';
import { today } from './responses.js';

/** The corpus to merge into: none yet is an empty one, which the import creates. */
function loadOrStart(path: string, loadCorpus: (path: string) => Paper[]): Paper[] {
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
  }
  return loadCorpus(path);
}

/** How many papers merges added, enriched, or found already present. */
export class Tally {
  added = 0;
  enriched = 0;
  present = 0;

  add(merge: Merge | Tally): void {
    const n = counts(merge);
    this.added += n.added;
    this.enriched += n.enriched;
    this.present += n.present;
  }
}

const counts = (merge: Merge | Tally) =>
  merge instanceof Tally ? merge : { added: merge.added.length, enriched: merge.enriched.length, present: merge.present.length };

/** "12 added, 30 enriched, 41 already present", and whatever else the caller counted. */
export function summarize(merge: Merge | Tally, extras: string[] = []): string {
  const n = counts(merge);
  return [`${n.added} added`, `${n.enriched} enriched`, `${n.present} already present`, ...extras].join(', ');
}

const previewLines = (added: Paper[], enriched: Iterable<Paper>) =>
  renderTsv([...added.map((p) => ['added', p.id, p.title]), ...[...enriched].map((p) => ['enriched', p.id, p.title])]);

/** What a merge would do, without doing it: one `added|enriched<TAB>id<TAB>title` line per changed paper. */
export async function previewMerge(context: Context, incoming: NewPaper[] | AsyncIterable<NewPaper[]>): Promise<Tally> {
  if (isFolderCorpus(context.corpusPath)) return mergeIntoFolder(context, incoming, { stem: '', dryRun: true });
  const { loadCorpus } = await import('../corpus/store.js');
  const merge = mergePapers(loadOrStart(context.corpusPath, loadCorpus), await gather(incoming));
  context.io.stdout.write(previewLines(merge.added, merge.enriched));
  const tally = new Tally();
  tally.add(merge);
  return tally;
}

async function gather(incoming: NewPaper[] | AsyncIterable<NewPaper[]>): Promise<NewPaper[]> {
  if (Array.isArray(incoming)) return incoming;
  const all: NewPaper[] = [];
  for await (const batch of incoming) all.push(...batch);
  return all;
}

export interface MergeOptions {
  /** What names the files a folder corpus gets (`<stem>-<day>-0001.yaml`): the input's name, or the service's. */
  stem: string;
  dryRun?: boolean;
  /** Told how many papers are being written, and where. */
  onWrite?: (count: number, file: string) => void;
  /** Handed the papers the merge adds or fills in, a batch at a time. */
  onMerged?: (papers: Paper[]) => void;
}

/**
 * Merges papers into the corpus under its lock: read, merge and write as one step, so that a concurrent
 * import waits and then merges into what this one wrote, and neither loses papers. The papers are in
 * memory already, so the cache is written now rather than on the next command.
 */
export async function mergeIntoCorpus(context: Context, incoming: NewPaper[] | AsyncIterable<NewPaper[]>, options: MergeOptions): Promise<Tally> {
  if (isFolderCorpus(context.corpusPath)) return mergeIntoFolder(context, incoming, options);
  const papers = await gather(incoming);
  // The YAML parser is loaded only by the commands that read the corpus file itself.
  const { loadCorpus, saveCorpus } = await import('../corpus/store.js');
  // A corpus file in a folder not made yet is started there, as `pull` and `add` start their `sources/` beside it.
  const home = dirname(targetOf(context.corpusPath));
  try {
    ensureFolder(home);
  } catch (error) {
    throw writeError(error, home, 'make the folder');
  }
  return withLock(context.corpusPath, () => {
    const merge = mergePapers(loadOrStart(context.corpusPath, loadCorpus), papers);
    if (merge.added.length > 0 || merge.enriched.length > 0) {
      options.onWrite?.(merge.papers.length, context.corpusPath);
      saveCorpus(context.corpusPath, merge.papers);
      const cacheFile = cacheFileOf(context);
      if (cacheFile) tryWriteCache(cacheFile, merge.papers, statSync(context.corpusPath));
    }
    options.onMerged?.([...merge.added, ...merge.enriched]);
    const tally = new Tally();
    tally.add(merge);
    return tally;
  });
}

/**
 * Merges into a corpus folder, batch by batch as the input is read: new papers go to new files of up to
 * PAPERS_PER_FILE papers, written (with their caches) as each fills, so memory holds one file's worth; a
 * paper the input tells more about is filled in where it is, and only the files holding such papers are
 * rewritten, after the new ones. Each file is written whole or not at all; if the input breaks off, the
 * files already written stay (an import run again finds their papers present).
 */
async function mergeIntoFolder(context: Context, incoming: NewPaper[] | AsyncIterable<NewPaper[]>, options: MergeOptions): Promise<Tally> {
  const folder = context.corpusPath;
  const exists = statSync(folder, { throwIfNoEntry: false })?.isDirectory();
  if (!exists && options.dryRun) return previewInto([], [], incoming, context);
  try {
    ensureFolder(folder);
  } catch (error) {
    throw writeError(error, folder, 'make the folder');
  }
  return withLockWhile(lockTarget(folder), async () => {
    if (!options.dryRun) sweepCorpusFolder(folder);
    const segments = await openSegments(folder, context.cache, context.io);
    // A paper the folder holds twice is merged into as reading shows it: its first copy is the one filled in.
    const duplicates = folderDuplicates(folder, segments, context.cache, context.io);
    if (duplicates.length > 0) context.io.stderr.write(duplicatesWarning(duplicates, folder));
    if (options.dryRun) return previewInto(segments, duplicates, incoming, context);
    const input = await peek(incoming);
    const { merger, locate } = mergerOver(segments, duplicates, input.whole);
    const tally = new Tally();
    let pending: Paper[] = [];
    const enriched = new Map<number, Paper>();
    // Named here, in order, before any is written: files written on other threads land in any order.
    const nextFile = fileNamer(folder, options.stem, today());
    let numbered = 0;
    const handed: Handed[] = [];
    const writers = segmentWriters();
    const flush = async (all: boolean) => {
      while (pending.length >= PAPERS_PER_FILE || (all && pending.length > 0)) {
        const [papers, file] = [pending.slice(0, PAPERS_PER_FILE), nextFile()];
        numbered++;
        pending = pending.slice(PAPERS_PER_FILE);
        options.onWrite?.(papers.length, file);
        const job = { file, papers, cacheFile: cacheFileOf(context, file) };
        // A small import (one file) is written here; a larger one on writer threads, as its files fill.
        const written = all && numbered === 1 ? tryWriteSegment(file, papers, job.cacheFile) : (await writers.write(job)).written;
        handed.push({ file, count: papers.length, written });
      }
    };
    let failure: unknown = null;
    try {
      for await (const batch of input.batches) {
        const merge = merger.take(batch);
        tally.added += merge.added.length;
        tally.present += merge.present.length;
        for (const [at, paper] of merge.enriched) enriched.set(at, paper);
        pending.push(...merge.added);
        await flush(false);
        options.onMerged?.(merge.added);
      }
      await flush(true);
    } catch (error) {
      failure = error;
    }
    // Every file handed over is written (or has failed) before the lock is let go.
    await writers.close();
    const kept = await keepFirst(handed, (file) => cacheFileOf(context, file));
    const error = kept.error ?? failure;
    if (error instanceof DiskFull) throw diskFull(kept.papers, folder);
    if (error) {
      if (kept.papers > 0) {
        context.io.stderr.write(
          `papers: the ${kept.papers} new papers read before this error are kept, in ${kept.files} new ${kept.files === 1 ? 'file' : 'files'} of ${folder}; import again once the input is fixed and they are found present\n`,
        );
      }
      throw error;
    }
    tally.enriched = enriched.size;
    // The files whose papers were filled in, each rewritten once with all of its changes.
    const bySegment = new Map<number, Map<number, Paper>>();
    for (const [at, paper] of enriched) {
      const { segment, local } = locate(at);
      if (!bySegment.has(segment)) bySegment.set(segment, new Map());
      bySegment.get(segment)!.set(local, paper);
    }
    for (const [s, changed] of [...bySegment].sort((a, b) => a[0] - b[0])) {
      const [papers, file] = [segments[s]!.view.papers().map((paper, local) => changed.get(local) ?? paper), join(folder, segments[s]!.name)];
      options.onWrite?.(papers.length, file);
      const error = await tryWriteSegment(file, papers, cacheFileOf(context, file));
      if (error instanceof DiskFull) throw diskFull(kept.papers, folder, true);
      if (error) throw error;
    }
    options.onMerged?.([...enriched.values()]);
    return tally;
  });
}

/** A new file of an import, handed over to be written: how many papers it holds, and whether it was written. */
interface Handed {
  file: string;
  count: number;
  written: Promise<Error | null>;
}

/**
 * The new files an import keeps: those before the first that was not written, and that one's error. Files
 * written on two threads finish in any order; one written after a file that failed is removed, with its
 * cache, so that an import that fails keeps the first papers of its input, whole files of them, and no hole.
 */
async function keepFirst(handed: Handed[], cacheOf: (file: string) => string | null): Promise<{ papers: number; files: number; error: Error | null }> {
  const outcomes = await Promise.all(handed.map(({ written }) => written));
  const broken = outcomes.findIndex((error) => error !== null);
  const files = broken < 0 ? handed.length : broken;
  for (const [i, { file }] of handed.entries()) {
    if (i <= files || outcomes[i] !== null) continue;
    rmSync(file, { force: true });
    const cacheFile = cacheOf(file);
    if (cacheFile) rmSync(cacheFile, { force: true });
  }
  return { papers: handed.slice(0, files).reduce((sum, { count }) => sum + count, 0), files, error: outcomes[broken] ?? null };
}

/** The one line of an import into a folder that the disk filled, saying how many of its new papers are in. */
function diskFull(kept: number, folder: string, fillingIn = false): InputError {
  if (fillingIn) {
    return new InputError(
      `the disk is full: all ${kept.toLocaleString('en-US')} new papers were imported into ${folder}, but not every paper they tell more about was filled in; import again once there is room`,
    );
  }
  if (kept === 0) return new InputError(`the disk is full: no new paper was imported into ${folder}`);
  const imported = kept === 1 ? 'the first new paper was' : `the first ${kept.toLocaleString('en-US')} new papers were`;
  return new InputError(`the disk is full: ${imported} imported into ${folder} before it filled; the rest were not`);
}

/** A dry run into a folder: the same merge, printed, nothing written. */
async function previewInto(segments: Segment[], duplicates: Duplicate[], incoming: NewPaper[] | AsyncIterable<NewPaper[]>, context: Context): Promise<Tally> {
  const input = await peek(incoming);
  const { merger } = mergerOver(segments, duplicates, input.whole);
  const tally = new Tally();
  const enriched = new Map<number, Paper>();
  for await (const batch of input.batches) {
    const merge = merger.take(batch);
    tally.added += merge.added.length;
    tally.present += merge.present.length;
    context.io.stdout.write(previewLines(merge.added, []));
    for (const [at, paper] of merge.enriched) enriched.set(at, paper);
  }
  context.io.stdout.write(previewLines([], enriched.values()));
  tally.enriched = enriched.size;
  return tally;
}

/**
 * The input's batches, and all of its papers when they are one batch: a small input is merged against
 * only the papers of the corpus that share a key with it (see Merger), not an index of every paper.
 */
async function peek(incoming: NewPaper[] | AsyncIterable<NewPaper[]>): Promise<{ batches: AsyncIterable<NewPaper[]>; whole: NewPaper[] | null }> {
  const one = async function* (batch: NewPaper[]) {
    yield batch;
  };
  if (Array.isArray(incoming)) return { batches: one(incoming), whole: incoming };
  const it = incoming[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return { batches: one([]), whole: [] };
  const second = await it.next();
  if (second.done) return { batches: one(first.value), whole: first.value };
  const rest = async function* () {
    yield first.value;
    yield second.value;
    for (let next = await it.next(); !next.done; next = await it.next()) yield next.value;
  };
  return { batches: rest(), whole: null };
}

/**
 * A merger over the folder's papers, numbered through its files in order, and where paper `at` lives. For a
 * few records known in advance (`only`), only the papers sharing a key with them are read as keys. A folder
 * holding papers twice is merged into as reading shows it (see resolveInPlace): each paper once, its first
 * copy with what the later ones add, a paper whose id another had first under the id it is read with; so an
 * import finds present, and leaves as it is, what a command shows, and gives no new paper an id shown for another.
 */
function mergerOver(
  segments: Segment[],
  duplicates: Duplicate[],
  only: NewPaper[] | null,
): { merger: Merger; locate: (at: number) => { segment: number; local: number } } {
  const starts: number[] = [];
  let count = 0;
  for (const segment of segments) {
    starts.push(count);
    count += segment.view.count;
  }
  const place = (at: number) => {
    let segment = starts.length - 1;
    while (starts[segment]! > at) segment--;
    return { segment, local: at - starts[segment]! };
  };
  if (duplicates.length > 0) {
    const read = resolveInPlace(
      segments.flatMap((segment) => segment.view.papers()),
      duplicates,
    );
    const shown = read.flatMap((paper, at) => (paper ? [at] : []));
    const papers = shown.map((at) => read[at]!);
    const merger = new Merger({ length: papers.length, keys: (at) => papers[at]!, load: (at) => papers[at]! });
    return { merger, locate: (at) => place(shown[at]!) };
  }
  const load = (at: number) => {
    const { segment, local } = place(at);
    return segments[segment]!.view.paper(local);
  };
  if (only) {
    const wanted = wantedKeys(only);
    const found = new Map<number, Known>();
    segments.forEach((segment, s) => {
      for (const [doc, keys] of segment.view.keysMatching(wanted)) found.set(starts[s]! + doc, keys);
    });
    const tests = segments.map((segment) => segment.view.idTest());
    const taken = (id: string) => tests.some((test) => test(id));
    return { merger: new Merger({ length: count, keys: (at) => found.get(at)!, load }, { papers: [...found.keys()], taken }), locate: place };
  }
  const keys = segments.flatMap((segment) => segment.view.keys());
  return { merger: new Merger({ length: count, keys: (at) => keys[at]!, load }), locate: place };
}
