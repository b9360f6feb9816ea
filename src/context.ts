import type { Paper } from './corpus/paper.js';
import { loadCorpus } from './corpus/store.js';
import { UsageError } from './errors.js';
import type { Io } from './terminal.js';

export interface Context {
  io: Io;
  corpusPath: string;
}

export type OutputFormat = 'table' | 'tsv' | 'json';
export const OUTPUT_FORMATS: OutputFormat[] = ['table', 'tsv', 'json'];

/** Tables for people, tab-separated rows for pipes, unless asked. */
export function outputFormat(requested: string | undefined, io: Io): OutputFormat {
  if (requested === undefined) return io.isTTY ? 'table' : 'tsv';
  if (!(OUTPUT_FORMATS as string[]).includes(requested)) {
    throw new UsageError(`unknown --format \`${requested}\`: use ${OUTPUT_FORMATS.join(', ')}`);
  }
  return requested as OutputFormat;
}

export function loadPapers(context: Context): Paper[] {
  return loadCorpus(context.corpusPath);
}

export function parseLimit(value: string, flag = '--limit'): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < 1) {
    throw new UsageError(`${flag} takes a whole number of 1 or more, not \`${value}\``);
  }
  return Number(value);
}
