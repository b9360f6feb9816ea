import { closeSync, lstatSync, openSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { InputError } from '../base/errors.js';
import { isRunning, targetOf, writeError } from './files.js';

// How long an import waits for another one to finish before giving up.
const WAIT_MS = 60_000;
const RETRY_MS = 25;
// A lock of another machine (a shared folder) whose process cannot be asked: left over after this long.
export const OTHER_HOST_STALE_MS = 10 * 60_000;
// A lock with nothing in it is one being written this instant, unless it has been empty this long.
const EMPTY_STALE_MS = 5_000;
// A takeover takes microseconds: a guard this old was left by a process killed in the middle of one.
const GUARD_STALE_MS = 10_000;

// `<pid> <ms since 1970>`: the lock an older papers wrote. This one writes `<pid> <host> <ms> <random>`.
const OLDER_LOCK = /^(\d+) (\d+)$/;

interface Holder {
  ino: number;
  text: string;
  pid: number;
  host: string;
  age: number;
  /** When an older papers, whose locks say `<pid> <ms since 1970>` and no host, took it. */
  since?: number;
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Who holds the lock, or null when it is gone. Anything but a file papers wrote is in the way, not a lock. */
function inspect(lock: string, corpus: string): Holder | null {
  try {
    const stat = lstatSync(lock);
    if (!stat.isFile()) {
      const kind = stat.isDirectory() ? 'a folder' : stat.isSymbolicLink() ? 'a symbolic link' : 'not a file';
      throw new InputError(`the lock ${lock} is ${kind}, not a lock papers made; remove it if no papers is running`, corpus);
    }
    const text = readFileSync(lock, 'utf8');
    const holder = { ino: stat.ino, text, pid: 0, host: '', age: Date.now() - stat.mtimeMs };
    const older = OLDER_LOCK.exec(text);
    if (older) return { ...holder, pid: Number(older[1]), since: Number(older[2]) };
    const [pid, host] = text.split(' ');
    return { ...holder, pid: Number(pid), host: host ?? '' };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function isStale(holder: Holder): boolean {
  if (!holder.pid) return holder.age > EMPTY_STALE_MS;
  // Older versions wrote no host, and ran on this one: a process that is gone, or a lock older than any import.
  if (holder.since !== undefined) return !isRunning(holder.pid) || Date.now() - holder.since > OTHER_HOST_STALE_MS;
  if (holder.host === hostname()) return !isRunning(holder.pid);
  return holder.age > OTHER_HOST_STALE_MS;
}

/**
 * Removes a lock judged stale, unless it changed since: under a guard that only one process can hold, the
 * lock is looked at again and removed only if it is the same file with the same holder. Without the guard,
 * two processes that both judged it stale could each remove it, the second one the lock the first had
 * just taken, and both would write.
 */
function takeOver(lock: string, corpus: string, judged: Holder): boolean {
  const guard = `${lock}.takeover`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o644);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(error, corpus, 'lock the corpus for writing');
    const stat = lstatSync(guard, { throwIfNoEntry: false });
    if (stat && Date.now() - stat.mtimeMs > GUARD_STALE_MS) rmSync(guard, { force: true });
    return false;
  }
  try {
    const now = inspect(lock, corpus);
    if (now && now.ino === judged.ino && now.text === judged.text) rmSync(lock, { force: true });
    return true;
  } finally {
    closeSync(fd);
    rmSync(guard, { force: true });
  }
}

/**
 * Runs `work` holding `<corpus>.lock` (beside the real file when the corpus is a symlink), so that two
 * imports into one corpus take turns: each reads the corpus after the other has written it, and neither
 * loses the other's papers. A lock whose process is gone is taken over.
 */
export function withLock<T>(path: string, work: () => T): T {
  const release = acquire(path);
  try {
    return work();
  } finally {
    release();
  }
}

/** `withLock` for work that waits (reading its input as it goes): the lock is held until it is done. */
export async function withLockWhile<T>(path: string, work: () => Promise<T>): Promise<T> {
  const release = acquire(path);
  try {
    return await work();
  } finally {
    release();
  }
}

/** The lock file of `path` (a corpus file, or a folder's `.papers`): beside the real file when it is a symlink. */
export function lockFile(path: string): string {
  return `${targetOf(path)}.lock`;
}

function acquire(path: string): () => void {
  const lock = lockFile(path);
  const mine = `${process.pid} ${hostname()} ${Date.now()} ${Math.random().toString(36).slice(2)}`;
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    try {
      const fd = openSync(lock, 'wx', 0o644);
      writeSync(fd, mine);
      closeSync(fd);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw writeError(error, path, 'lock the corpus for writing');
    }
    const holder = inspect(lock, path);
    if (!holder) continue;
    if (isStale(holder)) {
      if (!takeOver(lock, path, holder)) sleep(RETRY_MS);
      continue;
    }
    if (Date.now() > deadline) {
      throw new InputError(
        `another papers process (pid ${holder.pid || 'unknown'}) is writing this corpus; try again when it is done, or delete ${lock} if it is not running`,
        path,
      );
    }
    sleep(RETRY_MS);
  }
  return () => {
    try {
      if (readFileSync(lock, 'utf8') === mine) rmSync(lock, { force: true });
    } catch {
      // Already gone.
    }
  };
}
