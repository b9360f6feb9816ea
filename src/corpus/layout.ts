import { readdirSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { InputError } from '../base/errors.js';
import { isRunning, readError, sweepTemporaryFilesIn, targetOf } from './files.js';
import { OTHER_HOST_STALE_MS } from './lock.js';

/*
 * A corpus is one YAML file, or a folder of them. In a folder every `*.yaml` and `*.yml` file directly
 * inside (not hidden, not in subfolders) holds part of the corpus; read in name order, they are one corpus
 * with ids unique across all of them. Imports add new files and rewrite only the files whose papers changed.
 */

/** What is at a corpus path, if anything; a path the user may not look at (a folder above it closed) is said in one line. */
function statCorpus(path: string): Stats | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch (error) {
    throw readError(error, path, 'corpus');
  }
}

/** A folder corpus: an existing folder, or a path that ends in `/` (created by the first import). */
export function isFolderCorpus(path: string): boolean {
  const stat = statCorpus(path);
  if (stat) return stat.isDirectory();
  return path.endsWith('/') || path.endsWith(sep);
}

/** What a corpus's lock is taken on: the corpus file, or `.papers` inside a corpus folder (its lock is `.papers.lock`). */
export function lockTarget(corpusPath: string): string {
  return isFolderCorpus(corpusPath) ? join(corpusPath, '.papers') : corpusPath;
}

/**
 * The file of saved searches (`papers watch`, `papers news`): hidden, so that a corpus folder never reads it
 * as part of the corpus; beside the real corpus file (links followed), or inside a corpus folder.
 */
export function watchFile(corpusPath: string): string {
  if (isFolderCorpus(corpusPath)) return join(targetOf(corpusPath), '.papers.watch.yaml');
  const target = targetOf(corpusPath);
  return join(dirname(target), `.${basename(target).replace(/\.ya?ml$/i, '')}.watch.yaml`);
}

/**
 * The corpus a `--corpus` path means. An existing folder named without a trailing `/` whose only YAML file
 * is `papers.yaml` (or `papers.yml`) means that file: the layout of one corpus file with its `sources/`
 * beside it, which an import would otherwise turn into a corpus folder of two files. With the `/`, or
 * with other YAML files in it, the folder is the corpus.
 */
export function resolveCorpusPath(path: string): string {
  if (path.endsWith('/') || path.endsWith(sep) || !statCorpus(path)?.isDirectory()) return path;
  const files = corpusFiles(path);
  return files.length === 1 && /^papers\.ya?ml$/.test(basename(files[0]!.path)) ? files[0]!.path : path;
}

const CORPUS_FILE = /^[^.].*\.ya?ml$/;

/** Whether a file of this name, directly in a corpus folder, is read as part of the corpus. */
export const isCorpusFileName = (name: string) => CORPUS_FILE.test(name);

/**
 * The YAML files of a folder corpus, in code-unit order of their names (the corpus order), each with its
 * size and times (which say whether its cache is current); none when the folder does not exist yet.
 */
export function corpusFiles(folder: string): { path: string; stat: Stats }[] {
  let names: string[];
  try {
    names = readdirSync(folder);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw readError(error, folder, 'corpus');
  }
  const files: { path: string; stat: Stats }[] = [];
  for (const name of names.filter((name) => CORPUS_FILE.test(name)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    const path = join(folder, name);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat && !stat.isFile() && !stat.isDirectory()) throw new InputError('not a regular file; every YAML file of a corpus folder must be one', path);
    if (stat?.isFile()) files.push({ path, stat });
  }
  return files;
}

/**
 * Removes what killed writers left in a corpus folder, called under its lock. A corpus file's temporary file:
 * when its writer's pid names no process here, or it is untouched for as long as another machine's lock is
 * trusted (under the lock no import writes, but one of another machine sharing the folder has a pid that says
 * nothing here). Another file's (an export into the folder, which takes no lock, maybe on another machine): when
 * both, for a live writer writes its file as it goes.
 */
export function sweepCorpusFolder(folder: string): void {
  const untouched = (temp: string) => Date.now() - (statSync(temp, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()) > OTHER_HOST_STALE_MS;
  sweepTemporaryFilesIn(folder, (pid, file, temp) =>
    isCorpusFileName(file) ? !isRunning(pid) || untouched(temp) : !isRunning(pid) && untouched(temp),
  );
}

/** Papers per file an import writes: small enough that editing one file re-reads a few seconds' worth. */
export const PAPERS_PER_FILE = 5_000;

/**
 * Six random letters and digits, drawn anew by each command that writes: two clones of a corpus folder
 * (shared through git) that import the same day, on two machines or in two clones on one, write files
 * of different names, which merge without a conflict. A machine's name is no such guarantee (two
 * laptops, two containers, two clones on one host).
 */
export function writerTag(): string {
  // Not a secret, only unlikely to be drawn twice (36^6, two billion): Math.random spares loading node:crypto.
  return Array.from({ length: 6 }, () => TAG_LETTERS[Math.floor(Math.random() * TAG_LETTERS.length)]).join('');
}
const TAG_LETTERS = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * Names for new files, one per call: `<day>-NNNN-<stem>-<tag>.yaml`, numbered on from the highest
 * number used that day when it is made, so that files sort in the order they were written (the corpus
 * order) and none is replaced. Made under the corpus's lock: no other import adds files meanwhile.
 */
export function fileNamer(folder: string, stem: string, day: string): () => string {
  const name = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[.-]+/, '') || 'import';
  let highest = 0;
  let names: string[] = [];
  try {
    names = readdirSync(folder);
  } catch {
    names = [];
  }
  for (const existing of names) {
    const match = existing.startsWith(`${day}-`) ? /^(\d{4,})(?:-|\.ya?ml$)/.exec(existing.slice(day.length + 1)) : null;
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  const tag = writerTag();
  return () => join(folder, `${day}-${String(++highest).padStart(4, '0')}-${name}-${tag}.yaml`);
}
