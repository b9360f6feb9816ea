import { createReadStream, statSync } from 'node:fs';
import type { Context } from '../context.js';
import { readError } from '../corpus/files.js';
import { InputError } from '../errors.js';
import { mergeIntoCorpus, previewMerge, sourceName, summarize } from '../intake.js';
import { startProgress } from '../progress.js';
import { decodeStream } from '../sources/decode.js';
import { detectFormat, isGzip } from '../sources/detect.js';
import type { Reading, SourceFormat } from '../sources/types.js';
import { plural } from '../text/english.js';

export interface ImportOptions {
  dryRun?: boolean;
  source?: string;
  from?: SourceFormat;
}

// What a reader passes over, by format.
const SKIPPED: Record<SourceFormat, (n: number) => string> = {
  digest: (n) => `${plural(n, 'line')} of page text skipped`,
  bibtex: (n) => `${plural(n, 'entry')} without a title or abstract skipped`.replace('entrys', 'entries'),
  hf: (n) => `${plural(n, 'record')} skipped`,
  arxiv: (n) => `${plural(n, 'record')} skipped`,
  'arxiv-jsonl': (n) => `${plural(n, 'record')} skipped`,
  papers: (n) => `${plural(n, 'record')} skipped`,
};

// Big enough that a large file is few reads, small enough that /dev/zero stops at once.
const READ_CHUNK = 1 << 20;

/** The input's bytes as they come, the first chunk already read (to tell the format) put back in front. */
async function* replay(first: Uint8Array | undefined, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (first) yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** Reads the input in the format it is in (or the one asked for), as a stream: memory follows what is kept. */
async function readInput(stream: AsyncIterable<Uint8Array>, name: string, from: SourceFormat | undefined): Promise<Reading & { format: SourceFormat }> {
  const chunks = stream[Symbol.asyncIterator]();
  const head = await chunks.next();
  const first = head.done ? undefined : typeof head.value === 'string' ? Buffer.from(head.value) : head.value;
  const bytes = replay(first, chunks);
  const gzipped = first !== undefined && isGzip(first);
  const format = from ?? (gzipped ? 'arxiv-jsonl' : detectFormat(first ? Buffer.from(first.subarray(0, 65536)).toString('utf8') : '', name));
  return { ...(await readAs(format, bytes, gzipped, name)), format };
}

async function readAs(format: SourceFormat, bytes: AsyncIterable<Uint8Array>, gzipped: boolean, name: string): Promise<Reading> {
  if (format === 'arxiv-jsonl') {
    const { jsonlLines, readArxivJsonl } = await import('../sources/arxiv-jsonl.js');
    return readArxivJsonl(jsonlLines(bytes, gzipped, name), name);
  }
  const text = await decodeStream(bytes, name);
  switch (format) {
    case 'hf':
      return (await import('../sources/hf.js')).readHf(text, name);
    case 'arxiv':
      return (await import('../sources/arxiv-atom.js')).readArxivAtom(text, name);
    case 'bibtex':
      return (await import('../sources/bibtex.js')).readBibtex(text, name);
    case 'papers':
      return (await import('../sources/papers.js')).readPapersExport(text, name);
    case 'digest': {
      const { parseDigest } = await import('../sources/digest.js');
      const digest = parseDigest(text, name);
      return { papers: digest.papers, skipped: digest.skippedLines, repeated: digest.repeated };
    }
  }
}

async function readSource(
  file: string,
  stdin: NodeJS.ReadableStream | undefined,
  name: string,
  from: SourceFormat | undefined,
): Promise<Reading & { format: SourceFormat }> {
  const stream = file === '-' ? (stdin ?? process.stdin) : createReadStream(file, { highWaterMark: READ_CHUNK });
  try {
    return await readInput(stream as AsyncIterable<Uint8Array>, name, from);
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw readError(error, file, 'input');
  } finally {
    if (file !== '-' && 'destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
  }
}

export async function importPapers(context: Context, file: string, options: ImportOptions): Promise<void> {
  const { io } = context;
  const fromStdin = file === '-';
  const name = fromStdin ? (options.source ?? 'stdin') : file;
  const size = fromStdin ? 0 : (statSync(file, { throwIfNoEntry: false })?.size ?? 0);
  const progress = startProgress(io, `reading ${name}`, size);
  const reading = await readSource(file, io.stdin, name, options.from);
  const source = options.source ?? (fromStdin ? 'stdin' : sourceName(context.corpusPath, file));
  // A paper keeps the source an export recorded for it, unless --source says otherwise.
  for (const paper of reading.papers) if (options.source !== undefined || !paper.source || paper.source === name) paper.source = source;
  progress.label(`merging ${reading.papers.length} papers`);

  const extras = [
    ...(reading.repeated > 0 ? [`${plural(reading.repeated, 'repeat')} in the input ignored`] : []),
    ...(reading.skipped > 0 ? [SKIPPED[reading.format](reading.skipped)] : []),
  ];
  if (options.dryRun) {
    const merge = await previewMerge(context, reading.papers);
    progress.done();
    io.stderr.write(`dry run, ${context.corpusPath} unchanged: would import ${summarize(merge, extras)}\n`);
    return;
  }
  const merge = await mergeIntoCorpus(context, reading.papers, (count) => progress.label(`writing ${count} papers to ${context.corpusPath}`));
  progress.done();
  const nothing = reading.papers.length === 0 ? ' (the input has no papers)' : '';
  io.stderr.write(`${context.corpusPath}: ${summarize(merge, extras)}${nothing}\n`);
}
