import { closeSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import { InputError } from '../errors.js';
import { writeError } from './files.js';

// How long an import waits for another one to finish before giving up.
const WAIT_MS = 60_000;
const RETRY_MS = 25;
// A lock this old is left over whatever its process says: no import holds one for ten minutes.
const STALE_MS = 10 * 60_000;
const EMPTY_STALE_MS = 5_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/**
 * Runs `work` holding `<path>.lock`, so that two imports into one corpus take turns: each reads the
 * corpus after the other has written it, and neither loses the other's papers. A lock left by a
 * process that no longer runs is taken over.
 */
export function withLock<T>(path: string, work: () => T): T {
  const lock = `${path}.lock`;
  const mine = `${process.pid} ${Date.now()}`;
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
    let holder = '';
    let age = 0;
    try {
      holder = readFileSync(lock, 'utf8');
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue;
    }
    const [pid, since] = holder.split(' ').map(Number);
    // An empty lock is one being written this instant, unless it has been empty for a while.
    const stale = pid ? !alive(pid) || Date.now() - (since ?? 0) > STALE_MS : age > EMPTY_STALE_MS;
    if (stale) {
      // Moved aside first, so that of several processes finding it stale only one removes it.
      const aside = `${lock}.${process.pid}.stale`;
      try {
        renameSync(lock, aside);
        rmSync(aside, { force: true });
      } catch {
        // Another process got there first.
      }
      continue;
    }
    if (Date.now() > deadline) {
      throw new InputError(`another papers process (pid ${pid || 'unknown'}) is writing this corpus; try again when it is done, or delete ${lock} if it is not running`, path);
    }
    sleep(RETRY_MS);
  }
  try {
    return work();
  } finally {
    try {
      if (readFileSync(lock, 'utf8') === mine) rmSync(lock, { force: true });
    } catch {
      // Already gone.
    }
  }
}


