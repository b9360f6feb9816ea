import { closeSync, fsyncSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { InputError } from '../errors.js';

/** The one wording for a file that cannot be read: what kind of file it was meant to be, and why not. */
export function readError(error: unknown, path: string, what: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    return new InputError(
      what === 'corpus' ? 'no corpus file here; create one with `papers import DIGEST` or pass --corpus FILE' : `no such ${what} file`,
      path,
    );
  }
  if (code === 'EISDIR') return new InputError(`is a directory, not a ${what} file`, path);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`permission denied reading the ${what} file`, path);
  return new InputError(`cannot read the ${what} file (${code ?? String(error)})`, path);
}

/** Temporary files that a killed writer left beside `path`: their process is gone. */
function sweepTemporaryFiles(path: string): void {
  const prefix = `.${basename(path)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (!Number.isInteger(pid) || pid === process.pid) continue;
    try {
      process.kill(pid, 0);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ESRCH') rmSync(join(dirname(path), name), { force: true });
    }
  }
}

/** Write to a temporary file beside `path`, flush it, then rename it over: readers see the old or the new file, never half. */
export function writeFileAtomic(path: string, content: string | Uint8Array | Uint8Array[]): void {
  sweepTemporaryFiles(path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, 'wx', 0o644);
    for (const chunk of Array.isArray(content) ? content : [content]) writeFileSync(fd, chunk);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, path);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw writeError(error, path);
  }
}

/** The one wording for a file that cannot be written (`doing` names the step when it is not the write itself). */
export function writeError(error: unknown, path: string, doing = 'write'): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError('cannot write: the folder does not exist', path);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new InputError('cannot write: permission denied', path);
  if (code === 'EISDIR') return new InputError('cannot write: it is a directory', path);
  return new InputError(`cannot ${doing} (${code ?? String(error)})`, path);
}

/** A file's bytes, or the error a user can act on. */
export function readBytes(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw readError(error, path, what);
  }
}

/** A file's size and times, which must be a file and not a folder. */
export function statFile(path: string, what: string): Stats {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    throw readError(error, path, what);
  }
  if (stat.isDirectory()) throw readError(Object.assign(new Error(), { code: 'EISDIR' }), path, what);
  return stat;
}
