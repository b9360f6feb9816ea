// The writer threads' code (see segmentWriters and rebuildCaches): each message is a file of a corpus folder to
// write, or one whose cache to rebuild.
import { parentPort } from 'node:worker_threads';
import { DiskFull, PapersError } from '../base/errors.js';
import { rebuildSegment, writeSegment, type Answer, type Job } from './writer.js';

parentPort?.on('message', (job: Job) => {
  ('papers' in job ? writeSegment(job.file, job.papers, job.cacheFile) : rebuildSegment(job.file, job.rebuild)).then(
    () => parentPort!.postMessage({ ok: true } satisfies Answer),
    (error: unknown) =>
      parentPort!.postMessage({
        ok: false,
        message: error instanceof Error ? error.message : String(error),
        exitCode: error instanceof PapersError ? error.exitCode : 2,
        diskFull: error instanceof DiskFull,
      } satisfies Answer),
  );
});
