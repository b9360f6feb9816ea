import type { Io } from './terminal.js';

export interface Progress {
  label(text: string): void;
  done(): void;
}

// Anything quicker than this needs no indicator; slower work shows one, on a terminal only.
const SHOW_AFTER_BYTES = 8 * 1024 * 1024;

const SILENT: Progress = { label: () => undefined, done: () => undefined };

/** A status line on stderr, each text replacing the last (an empty one clears it); nothing when stderr is not a terminal. */
function statusLine(io: Io): (text: string) => void {
  return (text) => {
    if (io.stderrIsTTY) io.stderr.write(`\r\u001b[2K${text}`);
  };
}

/** A line said while a status line may be showing: the status is cleared first, so that the line stands alone. */
export function sayAside(io: Io, line: string): void {
  io.stderr.write(`${io.stderrIsTTY ? '\r\u001b[2K' : ''}${line}\n`);
}

/** A status line for work that may fail: cleared however `work` ends, so that an error is told on a line of its own. */
export async function withStatusLine<T>(io: Io, work: (status: (text: string) => void) => Promise<T>): Promise<T> {
  const status = statusLine(io);
  try {
    return await work(status);
  } finally {
    status('');
  }
}

/**
 * A one-line status on stderr for work that will take more than about a second (judged by the input's
 * size, since the work runs without yielding to timers). Nothing when stderr is not a terminal.
 */
export function startProgress(io: Io, text: string, bytes: number): Progress {
  if (!io.stderrIsTTY || bytes < SHOW_AFTER_BYTES) return SILENT;
  const started = Date.now();
  const show = (line: string) => io.stderr.write(`\r\u001b[2K${line}`);
  show(`${text}…`);
  return {
    label: (next) => show(`${next}… (${((Date.now() - started) / 1000).toFixed(1)} s)`),
    done: () => io.stderr.write('\r\u001b[2K'),
  };
}
