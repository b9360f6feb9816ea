import { statSync } from 'node:fs';
import { basename } from 'node:path';
import { cacheFileOf, type Context } from '../context.js';
import { readBytes } from '../corpus/files.js';
import { withLock } from '../corpus/lock.js';
import { mergePapers, type Merge } from '../corpus/merge.js';
import type { Paper } from '../corpus/paper.js';
import { tryWriteCache } from '../index/open.js';
import { startProgress } from '../progress.js';
import { renderTsv } from '../render/rows.js';
import { decodeText } from '../sources/decode.js';
import { parseDigest } from '../sources/digest.js';
import { plural } from '../text/english.js';

export interface ImportOptions {
  dryRun?: boolean;
  source?: string;
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks);
}

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
  const text = decodeText(fromStdin ? await readStdin(io.stdin ?? process.stdin) : readBytes(file, 'digest'), name);
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
