import { createReadStream, statSync } from 'node:fs';
import { basename } from 'node:path';
import { cacheFileOf, type Context } from '../context.js';
import { readError } from '../corpus/files.js';
import { withLock } from '../corpus/lock.js';
import { mergePapers, type Merge } from '../corpus/merge.js';
import type { Paper } from '../corpus/paper.js';
import { tryWriteCache } from '../index/open.js';
import { startProgress } from '../progress.js';
import { renderTsv } from '../render/rows.js';
import { decodeStream } from '../sources/decode.js';
import { parseDigest } from '../sources/digest.js';
import { plural } from '../text/english.js';
import { InputError } from '../errors.js';

export interface ImportOptions {
  dryRun?: boolean;
  source?: string;
}

/** The digest's text, read as a stream: a pipe, a FIFO or a device is read as far as it is text, and no further. */
async function readDigest(file: string, stdin: NodeJS.ReadableStream | undefined, name: string): Promise<string> {
  const stream = file === '-' ? (stdin ?? process.stdin) : createReadStream(file, { highWaterMark: READ_CHUNK });
  try {
    return await decodeStream(stream as AsyncIterable<Uint8Array>, name);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw readError(error, file, 'digest');
  } finally {
    if ('destroy' in stream && typeof stream.destroy === 'function' && file !== '-') stream.destroy();
  }
}

// A saved papers corpus (or an export of one as YAML) starts like this; it is not a page of text.
const CORPUS_START = /^\uFEFF?(?:\s*#[^\n]*\n)*\s*papers:\s*(?:\n|$)/;
// Big enough that a large digest is few reads, small enough that /dev/zero stops at once.
const READ_CHUNK = 1 << 20;

/** The corpus to merge into: none yet is an empty one, which the import creates. */
function loadOrStart(path: string, loadCorpus: (path: string) => Paper[]): Paper[] {
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
  }
  return loadCorpus(path);
}

export async function importDigest(context: Context, file: string, options: ImportOptions): Promise<void> {
  const { io } = context;
  // The YAML parser is loaded only by the commands that read the corpus file itself.
  const { loadCorpus, saveCorpus } = await import('../corpus/store.js');
  const fromStdin = file === '-';
  const name = fromStdin ? 'stdin' : file;
  const text = await readDigest(file, io.stdin, name);
  if (CORPUS_START.test(text)) throw new InputError('this is a papers corpus, not a digest; import the digest it was made from', name);
  const source = options.source ?? (fromStdin ? 'stdin' : basename(file));
  const progress = startProgress(io, `reading ${fromStdin ? 'the digest' : file}`, text.length);
  const digest = parseDigest(text, fromStdin ? source : file);
  for (const paper of digest.papers) paper.source = source;

  const summarize = (merge: Merge) =>
    [
      `${merge.added.length} added`,
      `${merge.present.length} already present`,
      ...(digest.repeated > 0 ? [`${plural(digest.repeated, 'repeat')} in the digest ignored`] : []),
      `${plural(digest.skippedLines, 'line')} of page text skipped`,
    ].join(', ');
  if (options.dryRun) {
    const merge = mergePapers(loadOrStart(context.corpusPath, loadCorpus), digest.papers);
    progress.done();
    io.stdout.write(renderTsv(merge.added.map((p) => [p.id, p.title])));
    io.stderr.write(`dry run, ${context.corpusPath} unchanged: would import ${summarize(merge)}\n`);
    return;
  }
  // Read, merge and write under the corpus lock: a concurrent import waits and then merges into
  // what this one wrote, so neither loses papers.
  const merge = withLock(context.corpusPath, () => {
    const merge = mergePapers(loadOrStart(context.corpusPath, loadCorpus), digest.papers);
    if (merge.added.length > 0) {
      progress.label(`writing ${merge.papers.length} papers to ${context.corpusPath}`);
      saveCorpus(context.corpusPath, merge.papers);
      // The papers are in memory already: index them now rather than on the next command.
      const cacheFile = cacheFileOf(context);
      if (cacheFile) tryWriteCache(cacheFile, merge.papers, statSync(context.corpusPath));
    }
    return merge;
  });
  const counts = summarize(merge);
  progress.done();
  io.stderr.write(`${context.corpusPath}: ${counts}\n`);
}
