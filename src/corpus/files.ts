import {
  accessSync,
  closeSync,
  constants,
  fchmodSync,
  fchownSync,
  fstatSync,
  linkSync,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
  type Stats,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DiskFull, InputError, symlinkLoop } from '../base/errors.js';

/** The one wording for a file that cannot be read: what kind of file it was meant to be, and why not. */
export function readError(error: unknown, path: string, what: string): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  // "input": a file to import, whatever its format.
  const kind = what === 'input' ? '' : `${what} `;
  if (code === 'ENOENT') {
    return new InputError(what === 'corpus' ? 'no corpus file here; create one with `papers import FILE` or pass --corpus FILE' : `no such ${kind}file`, path);
  }
  if (code === 'EISDIR') return new InputError(`is a directory, not a ${kind}file`, path);
  if (code === 'ELOOP') return symlinkLoop(path);
  if (code === 'EACCES' || code === 'EPERM') return new InputError(`permission denied reading the ${kind}file`, path);
  return new InputError(`cannot read the ${what} file (${code ?? String(error)})`, path);
}

/** The one wording for a file that cannot be written (`doing` names the step when it is not the write itself). */
export function writeError(error: unknown, path: string, doing = 'write'): InputError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new InputError('cannot write: the folder does not exist', path);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new InputError('cannot write: permission denied', path);
  if (code === 'EISDIR') return new InputError('cannot write: it is a directory', path);
  if (code === 'ELOOP') return symlinkLoop(path);
  if (code === 'ENOSPC') return new DiskFull('cannot write: no space left on the device', path);
  return new InputError(`cannot ${doing} (${code ?? String(error)})`, path);
}

/**
 * A file's size and times. It must be a regular file: a folder, a device or a pipe has no size to trust
 * and may never end (`--corpus /dev/zero`).
 */
export function statFile(path: string, what: string): Stats {
  let stat: Stats;
  try {
    stat = statSync(path);
  } catch (error) {
    throw readError(error, path, what);
  }
  if (stat.isDirectory()) throw readError(Object.assign(new Error(), { code: 'EISDIR' }), path, what);
  if (!stat.isFile()) throw new InputError(`not a regular file; a ${what} must be a file`, path);
  return stat;
}

/**
 * The file a path ends at: symlinks followed, also one that points to a file not yet there (so that
 * writing through `linked.yaml -> dotfiles/real.yaml` writes the real file).
 */
export function targetOf(path: string): string {
  let at = resolve(path);
  // A chain of links is followed as far as the system would (40 on Linux), not forever.
  for (let hops = 0; hops < 40; hops++) {
    let link: string;
    try {
      if (!lstatSync(at).isSymbolicLink()) return realpathSync(at);
      link = readlinkSync(at);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return at;
      try {
        return join(realpathSync(dirname(at)), basename(at));
      } catch {
        return at;
      }
    }
    at = resolve(dirname(at), link);
  }
  return at;
}

/** Whether two paths name the same file, however they are spelled (relative, `./`, links, hard links). */
export function sameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)];
    return x.dev === y.dev && x.ino === y.ino;
  } catch {
    return targetOf(a) === targetOf(b);
  }
}

/**
 * Creates a folder and the missing folders above it, one at a time: Node's recursive mkdir loops forever
 * where a parent can neither be listed as missing nor created (under /proc).
 */
export function ensureFolder(dir: string): void {
  const missing: string[] = [];
  for (let at = resolve(dir); ; at = dirname(at)) {
    const stat = statSync(at, { throwIfNoEntry: false });
    if (stat) {
      if (!stat.isDirectory()) throw Object.assign(new Error(`${at} is not a folder`), { code: 'ENOTDIR' });
      break;
    }
    missing.push(at);
    if (dirname(at) === at) break;
  }
  for (const folder of missing.reverse()) {
    try {
      mkdirSync(folder);
    } catch (error) {
      // Made meanwhile by another process: as good, if it is a folder.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory()) throw error;
    }
  }
}

/** Temporary files that a killed writer left beside `path`: their process is gone. */
function sweepTemporaryFiles(path: string): void {
  const prefix = `.${basename(path)}.`;
  sweepTemporaryFilesIn(dirname(path), (pid, _, temp) => basename(temp).startsWith(prefix) && !isRunning(pid));
}

/**
 * Removes the temporary files of `dir` (`.<name>.<pid>.<time>.tmp`, as writeFileAtomic names them) that `stale`
 * says killed writers left, judged by the writer's pid, the name of the file it was writing and the temporary
 * file itself; never this process's own.
 */
export function sweepTemporaryFilesIn(dir: string, stale: (pid: number, file: string, temp: string) => boolean): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const parts = /^\.(.+)\.(\d+)\.[0-9a-z]+\.tmp$/.exec(name);
    if (!parts || Number(parts[2]) === process.pid || !stale(Number(parts[2]), parts[1]!, join(dir, name))) continue;
    rmSync(join(dir, name), { force: true });
  }
}

/** Whether a process of this pid runs on this machine (one this user may not signal runs). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/** What may be written: text, bytes, or pieces of either, which are written one at a time as they come. */
export type Content = string | Uint8Array | Iterable<string | Uint8Array>;

// Small chunks (a cache file's papers, one each) are gathered into writes of about this many bytes: a write
// call costs more than copying its bytes.
const WRITE_SIZE = 1 << 20;

function writeChunks(fd: number, content: Content): void {
  let pending: Buffer | null = null;
  let used = 0;
  const write = (bytes: Uint8Array, length = bytes.length) => {
    for (let at = 0; at < length; ) at += writeSync(fd, bytes, at, length - at);
  };
  for (const chunk of typeof content === 'string' || content instanceof Uint8Array ? [content] : content) {
    // Text that surely fits (three bytes at most for each UTF-16 unit) is encoded straight into the buffer.
    if (typeof chunk === 'string' && 3 * chunk.length <= WRITE_SIZE / 4) {
      pending ??= Buffer.allocUnsafe(WRITE_SIZE);
      if (used + 3 * chunk.length > WRITE_SIZE) {
        write(pending, used);
        used = 0;
      }
      used += pending.write(chunk, used);
      continue;
    }
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    if (bytes.length >= WRITE_SIZE / 4) {
      if (used > 0) write(pending!, used);
      used = 0;
      write(bytes);
      continue;
    }
    pending ??= Buffer.allocUnsafe(WRITE_SIZE);
    if (used + bytes.length > WRITE_SIZE) {
      write(pending, used);
      used = 0;
    }
    pending.set(bytes, used);
    used += bytes.length;
  }
  if (used > 0) write(pending!, used);
}

/**
 * The one way papers writes a file, so that nothing is lost:
 * - a regular file (or none yet) is written beside, flushed and renamed over, so readers see the old or
 *   the new file, never half; it keeps its mode and, where the process may, its owner; a file the user
 *   could not write is not replaced;
 * - a symlink is written through, to its target;
 * - anything else (a FIFO, /dev/null, /dev/stdout, a process substitution) is written straight into,
 *   since renaming over it would replace it and its reader would get nothing.
 * `durable: false` skips flushing to the disk before the rename: for files that are derived and checked
 * when read (the cache), which a power cut may leave empty but never wrong. `private: true` makes a new file
 * readable and writable by this user alone (0600), whatever the file it replaces was and whoever owned it.
 */
export function writeFileAtomic(path: string, content: Content, { durable = true, private: own = false } = {}): void {
  // /dev/stdout and its kind name a descriptor this process already has, which may be a socket that
  // cannot be opened again by name: written to as it is.
  const descriptor = /^\/(?:dev|proc\/self)\/(?:(stdout)|(stderr)|fd\/(\d+))$/.exec(path);
  if (descriptor) {
    try {
      return writeChunks(descriptor[1] ? 1 : descriptor[2] ? 2 : Number(descriptor[3]), content);
    } catch (error) {
      throw writeError(error, path);
    }
  }
  // What the path leads to, links followed: /dev/stdout and <(...) are links to pipes with no name of their own.
  const reached = statSync(path, { throwIfNoEntry: false });
  if (reached?.isDirectory()) throw writeError(Object.assign(new Error(), { code: 'EISDIR' }), path);
  if (reached && !reached.isFile()) {
    let fd: number | undefined;
    try {
      fd = openSync(path, constants.O_WRONLY | constants.O_APPEND);
      writeChunks(fd, content);
      return;
    } catch (error) {
      throw writeError(error, path);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  const target = targetOf(path);
  const existing = reached && !own ? statSync(target, { throwIfNoEntry: false }) : null;
  if (existing) {
    try {
      accessSync(target, constants.W_OK);
    } catch (error) {
      throw writeError(error, path);
    }
  }
  sweepTemporaryFiles(target);
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  let fd: number | undefined;
  try {
    // 0o666 less the umask for a new file, as any program creates one; an existing file's own mode.
    fd = openSync(temp, 'wx', existing || own ? 0o600 : 0o666);
    if (existing) {
      fchmodSync(fd, existing.mode & 0o7777);
      keepOwner(fd, existing);
    }
    writeChunks(fd, content);
    if (durable) fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temp, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
    throw writeError(error, path);
  }
}

/** The new file gets the old one's owner and group where the process may give them (root, or its own group). */
function keepOwner(fd: number, existing: Stats): void {
  const mine = fstatSync(fd);
  if (mine.uid === existing.uid && mine.gid === existing.gid) return;
  try {
    fchownSync(fd, existing.uid, existing.gid);
  } catch {
    try {
      fchownSync(fd, mine.uid, existing.gid);
    } catch {
      // Not ours to give: the file now belongs to whoever wrote it, as with any editor.
    }
  }
}

/** What is at a path, links not followed: 'a file' for a regular file, else what stands there ('a symbolic link', 'a FIFO', …); null for nothing. */
export function entryKind(path: string): string | null {
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) return null;
  if (stat.isFile()) return 'a file';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  if (stat.isDirectory()) return 'a folder';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Whether the regular file at `path` holds exactly `bytes`. Opened without following a link and without
 * waiting (a FIFO put in its place would block a read until something writes to it): anything that is not
 * a regular file holds nothing.
 */
export function holdsBytes(path: string, bytes: Uint8Array): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size !== bytes.length) return false;
    const held = Buffer.allocUnsafe(bytes.length);
    let at = 0;
    while (at < held.length) {
      const read = readSync(fd, held, at, held.length - at, at);
      if (read === 0) return false;
      at += read;
    }
    return held.equals(bytes);
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS']);

/** `content` written to a file created new at `path` (never through a link); removed again if the write fails. */
function writeExclusive(path: string, content: Uint8Array): void {
  const fd = openSync(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  try {
    writeChunks(fd, content);
    fsyncSync(fd);
  } catch (error) {
    rmSync(path, { force: true });
    throw error;
  } finally {
    closeSync(fd);
  }
}

// Past this many names taken, something is wrong with the folder (or the file system), not merely full.
const MAX_NAMES_TRIED = 10_000;

/**
 * Writes `content` as a new file in `folder` under the first name `nameAt(1)`, `nameAt(2)`, … that nothing
 * has taken, and returns that name. The content goes to a temporary file first (created new, never through
 * a link), flushed, then linked under the name, which fails where anything stands (a file another process
 * just kept, a link, a FIFO): so a file is never replaced nor written through, and appears whole or not at
 * all (where the file system has no hard links, the name is created new and written, and removed if
 * that fails). `taken` is told of each name passed over for something that is not a regular file.
 */
export function writeNewFile(folder: string, nameAt: (n: number) => string, content: Uint8Array, taken: (name: string, kind: string) => void): string {
  const first = nameAt(1);
  sweepTemporaryFiles(join(folder, first));
  const temp = join(folder, `.${first}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
  let fd: number | undefined;
  try {
    fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
    writeChunks(fd, content);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    let linking = true;
    for (let n = 1; n <= MAX_NAMES_TRIED; n++) {
      const name = n === 1 ? first : nameAt(n);
      try {
        if (linking) linkSync(temp, join(folder, name));
        else writeExclusive(join(folder, name), content);
        return name;
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code;
        // A file system without hard links (FAT, some network shares): the name is created new instead.
        if (linking && code !== undefined && NO_HARD_LINKS.has(code)) {
          linking = false;
          n--;
          continue;
        }
        if (code !== 'EEXIST') throw error;
        const kind = entryKind(join(folder, name));
        if (kind !== null && kind !== 'a file') taken(name, kind);
      }
    }
    throw Object.assign(new Error(), { code: 'EEXIST' });
  } catch (error) {
    throw writeError(error, join(folder, first));
  } finally {
    if (fd !== undefined) closeSync(fd);
    rmSync(temp, { force: true });
  }
}
