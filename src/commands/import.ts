import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { Paper } from '../corpus/paper.js';
import { mergePapers, type Merge } from '../corpus/merge.js';
import { withLock } from '../corpus/lock.js';
import { fileError } from '../corpus/files.js';
import { loadCorpus, saveCorpus } from '../corpus/store.js';
import { cachePath } from '../corpus/cache.js';
import { tryWriteCache, type Context } from '../context.js';
import { startProgress } from '../progress.js';
import { NOT_TEXT, parseDigest } from '../digest/parse.js';
import { InputError } from '../errors.js';
import { renderTsv } from '../render/tsv.js';

export interface ImportOptions {
  dryRun?: boolean;
  source?: string;
}

async function readStdin(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return decodeText(Buffer.concat(chunks), 'stdin');
}

function readDigest(path: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch (error) {
    throw fileError(error, path, 'digest');
  }
  return decodeText(bytes, path);
}

/** A digest's bytes as text; binary files and other encodings are refused rather than garbled. */
function decodeText(bytes: Uint8Array, name: string): string {
  if (bytes.includes(0)) throw new InputError(NOT_TEXT, name);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new InputError('not UTF-8 text; save the papers page as UTF-8 text', name);
  }
}

/** The corpus to merge into: none yet is an empty one, which the import creates. */
function loadOrStart(path: string): Paper[] {
  try {
    statSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
  }
  return loadCorpus(path);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export async function importDigest(context: Context, file: string, options: ImportOptions): Promise<void> {
  const { io } = context;
  const fromStdin = file === '-';
  const text = fromStdin ? await readStdin(io.stdin ?? process.stdin) : readDigest(file);
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
    const merge = mergePapers(loadOrStart(context.corpusPath), digest.papers);
    progress.done();
    io.stdout.write(renderTsv(merge.added.map((p) => [p.id, p.title])));
    io.stderr.write(`dry run, ${context.corpusPath} unchanged: would import ${summarize(merge)}\n`);
    return;
  }
  // Read, merge and write under the corpus lock: a concurrent import waits and then merges into
  // what this one wrote, so neither loses papers.
  const merge = withLock(context.corpusPath, () => {
    const merge = mergePapers(loadOrStart(context.corpusPath), digest.papers);
    if (merge.added.length > 0) {
      progress.label(`writing ${merge.papers.length} papers to ${context.corpusPath}`);
      saveCorpus(context.corpusPath, merge.papers);
      // The papers are in memory already: index them now rather than on the next command.
      if (context.cache) tryWriteCache(cachePath(context.corpusPath, context.io.env), merge.papers, statSync(context.corpusPath));
    }
    return merge;
  });
  const counts = summarize(merge);
  progress.done();
  io.stderr.write(`${context.corpusPath}: ${counts}\n`);
}
