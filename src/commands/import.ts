import { createReadStream, statSync } from 'node:fs';
import type { Context } from '../app/context.js';
import { readError } from '../corpus/files.js';
import { InputError } from '../base/errors.js';
import { mergeIntoCorpus, previewMerge, summarize } from '../app/intake.js';
import { sourceName } from '../app/responses.js';
import { startProgress } from '../base/progress.js';
import { decodeStream } from '../sources/decode.js';
import { detectFormat, isGzip, unimportedFormat } from '../sources/detect.js';
import { notImported, type Reading, type SourceFormat } from '../sources/types.js';
import type { NewPaper } from '../corpus/paper.js';
import { PAPERS_PER_FILE } from '../corpus/layout.js';
import { basename } from 'node:path';
import { plural } from '../base/text/english.js';

export interface ImportOptions {
  dryRun?: boolean;
  source?: string;
  /** The format to read the input as (`--format`, or its older name `--from`); told from the input when absent. */
  format?: SourceFormat;
  from?: SourceFormat;
}

// What a reader passes over, by format.
const SKIPPED: Record<SourceFormat, (n: number) => string> = {
  digest: (n) => `${plural(n, 'line')} of page text skipped`,
  bibtex: (n) => `${plural(n, 'entry')} without a title skipped`.replace('entrys', 'entries'),
  hf: (n) => `${plural(n, 'record')} skipped`,
  arxiv: (n) => `${plural(n, 'record')} skipped`,
  'arxiv-jsonl': (n) => `${plural(n, 'record')} skipped`,
  papers: (n) => `${plural(n, 'record')} skipped`,
  csv: (n) => `${plural(n, 'record')} skipped`,
  ris: (n) => `${plural(n, 'record')} without a title or abstract skipped`,
  'csl-json': (n) => `${plural(n, 'record')} without a title or abstract skipped`,
};

// Big enough that a large file is few reads, small enough that /dev/zero stops at once.
const READ_CHUNK = 1 << 20;

/** The input's bytes as they come, the first chunk already read (to tell the format) put back in front. */
async function* replay(first: Uint8Array | undefined, rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  if (first) yield first;
  for (let next = await rest.next(); !next.done; next = await rest.next()) yield next.value;
}

/** An input being read: its papers in batches as they come, and what the reader passed over (known once it is read). */
interface Input {
  format: SourceFormat;
  batches: AsyncIterable<NewPaper[]>;
  skipped(): number;
  repeated(): number;
  /** What the reader says of each record it passed over, and of each value it left out, once it is read. */
  passedOver(): string[];
}

/** Reads the input in the format it is in (or the one asked for), as a stream: memory follows what is kept. */
async function readInput(stream: AsyncIterable<Uint8Array>, name: string, from: SourceFormat | undefined): Promise<Input> {
  const chunks = stream[Symbol.asyncIterator]();
  const head = await chunks.next();
  const first = head.done ? undefined : typeof head.value === 'string' ? Buffer.from(head.value) : head.value;
  const bytes = replay(first, chunks);
  const gzipped = first !== undefined && isGzip(first);
  const start = first ? Buffer.from(first.subarray(0, 65536)).toString('utf8') : '';
  const unimported = from || gzipped ? undefined : unimportedFormat(start, name);
  if (unimported) throw new InputError(notImported(unimported), name);
  const format = from ?? (gzipped ? 'arxiv-jsonl' : detectFormat(start, name));
  if (format === 'arxiv-jsonl') {
    // The one format big enough to stream: a folder corpus takes it a file's worth of papers at a time.
    const { jsonlLines, arxivJsonlPapers } = await import('../sources/arxiv-jsonl.js');
    const counts = { repeated: 0 };
    return {
      format,
      batches: batched(arxivJsonlPapers(jsonlLines(bytes, gzipped, name), name, counts)),
      skipped: () => 0,
      repeated: () => counts.repeated,
      passedOver: () => [],
    };
  }
  const reading = await readAs(format, bytes, name);
  return {
    format,
    batches: batched(reading.papers),
    skipped: () => reading.skipped,
    repeated: () => reading.repeated,
    passedOver: () => [...(reading.passedOver ?? []), ...(reading.dropped ?? [])],
  };
}

async function* batched(papers: AsyncIterable<NewPaper> | NewPaper[]): AsyncGenerator<NewPaper[]> {
  let batch: NewPaper[] = [];
  for await (const paper of papers) {
    batch.push(paper);
    if (batch.length === PAPERS_PER_FILE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

async function readAs(format: Exclude<SourceFormat, 'arxiv-jsonl'>, bytes: AsyncIterable<Uint8Array>, name: string): Promise<Reading> {
  const check = format === 'digest' ? (await import('../sources/digest.js')).paragraphCheck(name) : undefined;
  const text = await decodeStream(bytes, name, { check });
  switch (format) {
    case 'hf':
      return (await import('../sources/hf.js')).readHf(text, name);
    case 'arxiv':
      return (await import('../sources/arxiv-atom.js')).readArxivAtom(text, name);
    case 'bibtex':
      return (await import('../sources/bibtex.js')).readBibtex(text, name);
    case 'papers':
      return (await import('../sources/papers.js')).readPapersExport(text, name);
    case 'csv':
      return (await import('../sources/csv.js')).readCsv(text, name);
    case 'ris':
      return (await import('../sources/csl.js')).readRis(text, name);
    case 'csl-json':
      return (await import('../sources/csl.js')).readCslJson(text, name);
    case 'digest': {
      const { parseDigest } = await import('../sources/digest.js');
      const digest = parseDigest(text, name);
      return { papers: digest.papers, skipped: digest.skippedLines, repeated: digest.repeated };
    }
  }
}

/** The input, opened and told apart; its batches close the file when read to the end or given up. */
async function readSource(file: string, stdin: NodeJS.ReadableStream | undefined, name: string, from: SourceFormat | undefined): Promise<Input> {
  const stream = file === '-' ? (stdin ?? process.stdin) : createReadStream(file, { highWaterMark: READ_CHUNK });
  const close = () => {
    if (file !== '-' && 'destroy' in stream && typeof stream.destroy === 'function') stream.destroy();
  };
  const failure = (error: unknown) => (error instanceof InputError ? error : readError(error, file, 'input'));
  let input: Input;
  try {
    input = await readInput(stream as AsyncIterable<Uint8Array>, name, from);
  } catch (error) {
    close();
    throw failure(error);
  }
  const batches = input.batches;
  return {
    ...input,
    batches: (async function* () {
      try {
        yield* batches;
      } catch (error) {
        throw failure(error);
      } finally {
        close();
      }
    })(),
  };
}

/** What names a folder corpus's new files: the input's name without its extensions. */
function stemOf(file: string, source: string | undefined): string {
  if (file === '-') return source ?? 'stdin';
  return basename(file).replace(/(?:\.[A-Za-z0-9]{1,8})+$/, '') || 'import';
}

export async function importPapers(context: Context, file: string, options: ImportOptions): Promise<void> {
  const { io } = context;
  const fromStdin = file === '-';
  const name = fromStdin ? (options.source ?? 'stdin') : file;
  const size = fromStdin ? 0 : (statSync(file, { throwIfNoEntry: false })?.size ?? 0);
  const progress = startProgress(io, `reading ${name}`, size);
  const input = await readSource(file, io.stdin, name, options.format ?? options.from);
  const source = options.source ?? (fromStdin ? 'stdin' : sourceName(context.corpusPath, file));
  let read = 0;
  const stamped = (async function* () {
    for await (const batch of input.batches) {
      // A paper keeps the source an export recorded for it, unless --source says otherwise.
      for (const paper of batch) if (options.source !== undefined || !paper.source || paper.source === name) paper.source = source;
      read += batch.length;
      progress.label(`merging ${read} papers`);
      yield batch;
    }
  })();
  const extras = () => [
    ...(input.repeated() > 0 ? [`${plural(input.repeated(), 'repeat')} in the input ignored`] : []),
    ...(input.skipped() > 0 ? [SKIPPED[input.format](input.skipped())] : []),
  ];
  const namePassedOver = () => {
    for (const line of input.passedOver()) io.stderr.write(`${line}\n`);
  };
  if (options.dryRun) {
    const merge = await previewMerge(context, stamped);
    progress.done();
    namePassedOver();
    io.stderr.write(`dry run, ${context.corpusPath} unchanged: would import ${summarize(merge, extras())}\n`);
    return;
  }
  const notices = (await import('../app/watch.js')).watchNotices(context);
  const merge = await mergeIntoCorpus(context, stamped, {
    stem: stemOf(file, options.source),
    onMerged: notices?.take,
    onWrite: (count, to) => progress.label(`writing ${count} papers to ${to}`),
  });
  progress.done();
  namePassedOver();
  const nothing = read === 0 ? ' (the input has no papers)' : '';
  io.stderr.write(`${context.corpusPath}: ${summarize(merge, extras())}${nothing}\n`);
  notices?.report();
}
