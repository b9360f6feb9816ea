import { closeSync, constants, fstatSync, openSync, readlinkSync, statSync, writeSync } from 'node:fs';
import type { ReadStream, WriteStream } from 'node:tty';
import { OutputClosed, PapersError, UsageError } from './errors.js';
import { escapeControls } from './text/controls.js';

export type ColorMode = 'auto' | 'always' | 'never';

/** Everything a command may touch of the outside world, injected so tests can play terminal or pipe. */
export interface Io {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
  stdin?: NodeJS.ReadableStream;
  /** stdout is a terminal: tables, colour, width fitting. */
  isTTY: boolean;
  stderrIsTTY: boolean;
  columns: number;
  /** Colour for output meant for a person (tables, `show`), from --color, NO_COLOR, FORCE_COLOR and the terminal. */
  color: boolean;
  /** As asked with --color; rows for pipes are coloured only when it is `always`. */
  colorMode: ColorMode;
  env: NodeJS.ProcessEnv;
}

const DEFAULT_COLUMNS = 80;
// Below this a table cannot show a title at all; narrower terminals still get this much and wrap.
const MIN_COLUMNS = 40;

export function wantsColor(mode: ColorMode, isTTY: boolean, env: NodeJS.ProcessEnv): boolean {
  if (mode === 'always') return true;
  if (mode === 'never') return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined) return env.FORCE_COLOR !== '0' && env.FORCE_COLOR !== 'false';
  if (env.TERM === 'dumb') return false;
  return isTTY;
}

// How long to wait before writing again to a pipe that is full and non-blocking.
const FULL_PIPE_WAIT_MS = 1;

/**
 * Writes straight to a file descriptor, whole, before returning. process.stdout would do the same for files,
 * terminals and pipes on Linux, but setting it up costs more than most commands take.
 */
function descriptorWriter(fd: number): Io['stdout'] {
  return {
    write(text: string) {
      const bytes = Buffer.from(text);
      for (let at = 0; at < bytes.length;) {
        try {
          at += writeSync(fd, bytes, at);
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, FULL_PIPE_WAIT_MS);
          else if (code === 'EPIPE') throw new OutputClosed();
          else throw new PapersError(`cannot write the output${code === 'ENOSPC' ? ': no space left on the device' : ''} (${code ?? String(error)})`, 2);
        }
      }
      return true;
    },
  };
}

// Character devices that are never terminals: output thrown away or read back by scripts.
const NOT_TERMINALS = new Set(['/dev/null', '/dev/zero', '/dev/full']);

/**
 * Whether a descriptor is a terminal. Files and pipes, the common case in scripts, are told apart by fstat
 * and /dev/null by name where /proc says it: loading node:tty costs more than a short command takes.
 */
function isTerminal(fd: number): boolean {
  try {
    if (!fstatSync(fd).isCharacterDevice()) return false;
    if (NOT_TERMINALS.has(readlinkSync(`/proc/self/fd/${fd}`))) return false;
  } catch {
    // No /proc (not Linux): ask node:tty.
  }
  return process.getBuiltinModule('node:tty').isatty(fd);
}

/** Whether a path names a terminal (`-o /dev/tty`): asked only of character devices, so a FIFO is never opened. */
export function isTerminalPath(path: string): boolean {
  try {
    if (!statSync(path).isCharacterDevice()) return false;
    const fd = openSync(path, constants.O_WRONLY | constants.O_NOCTTY | constants.O_NONBLOCK);
    try {
      return isTerminal(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The terminal itself, apart from stdin and stdout: what a full-screen command draws on and reads keys from. */
export interface Terminal {
  input: ReadStream;
  output: WriteStream;
}

/**
 * The controlling terminal, /dev/tty, opened for reading and for writing as fzf does, so that stdin and stdout
 * can be pipes. Opened afresh, not shared with the shell: its raw mode and non-blocking reads are the command's own.
 */
export function openTerminal(command: string): Terminal {
  const tty = process.getBuiltinModule('node:tty');
  const fds: number[] = [];
  try {
    fds.push(openSync('/dev/tty', constants.O_RDONLY | constants.O_NOCTTY));
    fds.push(openSync('/dev/tty', constants.O_WRONLY | constants.O_NOCTTY));
    if (!fds.every((fd) => tty.isatty(fd))) throw new Error('not a terminal');
  } catch {
    for (const fd of fds) closeSync(fd);
    throw new UsageError(`${command} needs a terminal to draw on (there is no /dev/tty here); use \`papers search\` in scripts`);
  }
  return { input: new tty.ReadStream(fds[0]!), output: new tty.WriteStream(fds[1]!) };
}

export function processIo(mode: ColorMode): Io {
  const isTTY = isTerminal(1);
  return {
    stdout: descriptorWriter(1),
    stderr: descriptorWriter(2),
    // A getter: touching process.stdin sets up a stream, which only `import -` needs.
    get stdin() {
      return process.stdin;
    },
    isTTY,
    stderrIsTTY: isTerminal(2),
    // Only a terminal has a width of its own (and only then is process.stdout worth setting up to ask it).
    columns: Math.max(MIN_COLUMNS, (isTTY && process.stdout.columns) || Number(process.env.COLUMNS) || DEFAULT_COLUMNS),
    color: wantsColor(mode, isTTY, process.env),
    colorMode: mode,
    env: process.env,
  };
}

/** Text from the corpus made safe to print on a terminal: control characters shown as visible escapes. */
export function sanitize(text: string): string {
  return escapeControls(text);
}

/**
 * A file's worth of output (an export) shown on a terminal: every control character from the data as a visible
 * escape, as `sanitize` does, but its line ends (LF or CRLF) and tabs kept.
 */
export function sanitizeLines(text: string): string {
  return text.split('\r\n').map(sanitize).join('\r\n');
}

/** One line for TSV and table cells: tabs and newlines would split the field or the row. */
export function oneLine(text: string): string {
  return sanitize(text).replace(/[\t\r\n]+/g, ' ');
}
