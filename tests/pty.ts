// Runs the built bin/papers inside a real pseudo-terminal of a given size, the way a user's terminal
// would: stdout (and stderr) are a tty, so `process.stdout.isTTY` is true and `process.stdout.columns`
// is the terminal width read by the kernel's TIOCGWINSZ, not an injected number or $COLUMNS.
//
// No native modules (node-pty needs install scripts). Two backends, chosen once per process:
//   python  python3's os.openpty(): the window size is set on the pty before the program starts, the
//           arguments go to execve() as a list (no shell, no quoting), the exit status comes straight
//           from waitpid(), and output and status come back as one JSON document. Preferred.
//   script  util-linux `script -qec 'stty cols N rows M && exec ... </dev/null' /dev/null`: needs a shell
//           command line (arguments are single-quoted here), sizes the pty with stty from inside, and
//           reports the exit status with -e; the shell leaves SHELL and PWD in the program's
//           environment. Used only when python3 is missing.
// runInPty is async so that vitest's concurrent tests can keep several terminals running at once.
// Either way stdin is /dev/null (a program that reads its terminal would otherwise wait forever), the
// terminal's CRLF is turned back into LF, and the environment is only PATH, HOME,
// TERM=xterm-256color and PAPERS_CACHE_DIR (a temp dir shared by the runs of one test file) plus what
// the caller passes: COLUMNS and LINES are not set, so the program sees the terminal's own size.
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

export const PAPERS_BIN = join(import.meta.dirname, '..', 'bin', 'papers');

export interface PtyOptions {
  columns: number;
  rows?: number;
  /** Added to (or overriding) the controlled environment. */
  env?: Record<string, string>;
  cwd?: string;
  /** Kill the program (its whole process group) after this long; default 20 s. */
  timeoutMs?: number;
  /** Force a backend; by default python3, else script. */
  backend?: PtyBackend;
  /** The executable to run instead of bin/papers (for checking the harness itself). */
  program?: string;
}

export interface PtyResult {
  /** Everything the program wrote to the terminal (stdout and stderr, as a user sees it), CRLF -> LF. */
  stdout: string;
  /** Exit status; 128 + n when killed by signal n, as a shell reports it. */
  code: number;
}

export type PtyBackend = 'python' | 'script';

const DEFAULT_ROWS = 50;
const DEFAULT_TIMEOUT_MS = 20_000;

// The pty, sized before the program starts; and in the child, the pty made its controlling terminal.
const PYTHON_OPEN_PTY = String.raw`spec = json.loads(sys.argv[1])
master, slave = os.openpty()
fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack('HHHH', spec['rows'], spec['columns'], 0, 0))`;
const PYTHON_TAKE_TERMINAL = String.raw`        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        null = os.open(os.devnull, os.O_RDONLY)`;

// The parent opens the pty and sets its size before forking, so the program can never see 0x0; the
// child makes the pty its controlling terminal (setsid + TIOCSCTTY) like a login shell's child would.
// Reads the master until EIO (every slave fd closed), then waitpid. Output is base64 in a JSON reply so
// that a harness failure (a Python traceback, exit 1) can never pass for the program's own exit 1.
const PYTHON_PTY = String.raw`
import base64, errno, fcntl, json, os, select, signal, struct, sys, termios, time
${PYTHON_OPEN_PTY}
pid = os.fork()
if pid == 0:
    try:
${PYTHON_TAKE_TERMINAL}
        os.dup2(null, 0)
        os.dup2(slave, 1)
        os.dup2(slave, 2)
        for fd in (null, slave):
            if fd > 2:
                os.close(fd)
        if spec['cwd']:
            os.chdir(spec['cwd'])
        os.execve(spec['argv'][0], spec['argv'], spec['env'])
    except BaseException as error:
        os.write(2, ('pty harness: cannot run %r: %s\n' % (spec['argv'][0], error)).encode())
    os._exit(127)
os.close(slave)
deadline = time.monotonic() + spec['timeout']
chunks, timed_out = [], False
while True:
    left = deadline - time.monotonic()
    if left <= 0:
        timed_out = True
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        break
    ready, _, _ = select.select([master], [], [], left)
    if not ready:
        continue
    try:
        data = os.read(master, 65536)
    except OSError as error:
        if error.errno == errno.EIO:
            break
        raise
    if not data:
        break
    chunks.append(data)
_, status = os.waitpid(pid, 0)
code = os.waitstatus_to_exitcode(status) if hasattr(os, 'waitstatus_to_exitcode') else (os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status))
sys.stdout.write(json.dumps({'code': code if code >= 0 else 128 - code, 'timedOut': timed_out, 'output': base64.b64encode(b''.join(chunks)).decode()}))
`;

function findPython(): string | undefined {
  // /usr/bin/python3 first: a version manager's shim on PATH (pyenv) costs tens of ms per call.
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    if (candidate.startsWith('/') && !existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['-c', 'import fcntl, json, os, pty, select, termios; os.openpty()'], { stdio: 'ignore', timeout: 10_000 });
    if (probe.status === 0) return candidate;
  }
  return undefined;
}

function findScript(): string | undefined {
  for (const candidate of ['/usr/bin/script', '/bin/script']) {
    if (!existsSync(candidate)) continue;
    const probe = spawnSync(candidate, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 10_000 });
    // BSD/macOS script has neither -e nor -c; only util-linux's will do.
    if (probe.status === 0 && /util-linux/.test(probe.stdout)) return candidate;
  }
  return undefined;
}

const PYTHON = findPython();
const SCRIPT = findScript();

/** The backend runInPty uses, or null when neither python3 nor util-linux script is available. */
export const PTY_BACKEND: PtyBackend | null = PYTHON ? 'python' : SCRIPT ? 'script' : null;
/** Why pty tests cannot run here (for it.skipIf), or undefined when they can. */
export const PTY_UNAVAILABLE: string | undefined = PTY_BACKEND
  ? undefined
  : 'no pseudo-terminal runner: neither python3 (with the pty/termios modules) nor util-linux script(1) was found';
export const ptyBackendAvailable = (backend: PtyBackend) => (backend === 'python' ? PYTHON : SCRIPT) !== undefined;

/** One cache folder for every pty run in this test file: the corpus cache is written atomically, so sharing is safe. */
const PTY_CACHE_DIR = mkdtempSync(join(tmpdir(), 'papers-pty-cache-'));
const removeCacheDir = () => rmSync(PTY_CACHE_DIR, { recursive: true, force: true });
// Vitest ends its workers without an 'exit' event, so afterAll it is; 'exit' covers use outside vitest.
try {
  afterAll(removeCacheDir);
} catch {
  // not inside a vitest run
}
process.on('exit', removeCacheDir);

function environment(options: PtyOptions): Record<string, string> {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? tmpdir(),
    TERM: 'xterm-256color',
    PAPERS_CACHE_DIR: PTY_CACHE_DIR,
    ...options.env,
  };
  return env;
}

/** A word for a POSIX shell command line, whatever it contains. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The terminal's output as a program wrote it: LF line ends, none of script's own chatter. */
function clean(raw: Buffer, backend: PtyBackend): string {
  let text = raw.toString('utf8').replace(/\r\n/g, '\n');
  if (backend === 'script') {
    // -q keeps these out of the output on util-linux >= 2.35; older ones still wrote them.
    text = text.replace(/^Script started[^\n]*\n/, '').replace(/\n?Script done[^\n]*\n?$/, '');
  }
  return text;
}

function run(
  file: string,
  args: string[],
  env: Record<string, string> | undefined,
  timeoutMs: number,
  cwd?: string,
): Promise<{ stdout: Buffer; stderr: string; code: number | null; error: Error | null }> {
  return new Promise((resolve) => {
    const options = { encoding: 'buffer' as const, env, cwd, maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs, killSignal: 'SIGKILL' as const };
    const child = execFile(file, args, options, (error, stdout, stderr) => resolve({ stdout, stderr: stderr.toString('utf8'), code: child.exitCode, error }));
    child.stdin?.end();
  });
}

/**
 * Runs bin/papers (or `options.program`) with `args` in a pseudo-terminal `columns` wide and resolves
 * with what appeared on the terminal and the exit status. Rejects only when the harness itself fails
 * or the program times out.
 */
export async function runInPty(args: string[], options: PtyOptions): Promise<PtyResult> {
  const backend = options.backend ?? PTY_BACKEND;
  if (!backend) throw new Error(PTY_UNAVAILABLE);
  const columns = options.columns;
  const rows = options.rows ?? DEFAULT_ROWS;
  if (!Number.isInteger(columns) || columns < 1 || columns > 65535) throw new Error(`runInPty: bad columns ${columns}`);
  if (!Number.isInteger(rows) || rows < 1 || rows > 65535) throw new Error(`runInPty: bad rows ${rows}`);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const env = environment(options);
  // Gone if an earlier file in this worker (vitest --no-isolate) already cleaned up.
  mkdirSync(PTY_CACHE_DIR, { recursive: true });
  const program = options.program ?? PAPERS_BIN;
  const what = `${program} ${args.map(shellQuote).join(' ')} (${columns}x${rows}, ${backend})`;

  if (backend === 'python') {
    if (!PYTHON) throw new Error('runInPty: python3 backend not available');
    const spec = { argv: [program, ...args], env, cwd: options.cwd ?? tmpdir(), columns, rows, timeout: timeoutMs / 1000 };
    // The harness inherits this process's environment (a pyenv shim needs it); the program gets exactly `env`.
    const result = await run(PYTHON, ['-I', '-c', PYTHON_PTY, JSON.stringify(spec)], undefined, timeoutMs + 10_000);
    let reply: { code: number; timedOut: boolean; output: string };
    try {
      reply = JSON.parse(result.stdout.toString('utf8'));
    } catch {
      throw new Error(`runInPty: pty harness failed for ${what}: ${result.error?.message ?? ''}\n${result.stderr}`);
    }
    const stdout = clean(Buffer.from(reply.output, 'base64'), 'python');
    if (reply.timedOut) throw new Error(`runInPty: ${what} did not finish in ${timeoutMs} ms; output so far:\n${stdout}`);
    return { stdout, code: reply.code };
  }

  if (!SCRIPT) throw new Error('runInPty: script backend not available');
  // script runs the command with $SHELL -c, on a pty it sized 0x0 (its own stdin is no terminal), so
  // stty sizes it first; exec keeps the exit status the program's.
  const command = `stty cols ${columns} rows ${rows} && exec ${[program, ...args].map(shellQuote).join(' ')} </dev/null`;
  // The shell adds PWD to the program's environment, and SHELL (which script runs) stays in it.
  const result = await run(SCRIPT, ['-qec', command, '/dev/null'], { ...env, SHELL: '/bin/sh' }, timeoutMs, options.cwd ?? tmpdir());
  if (result.error && result.code === null) {
    throw new Error(`runInPty: ${what} did not finish in ${timeoutMs} ms (${result.error.message}); output so far:\n${clean(result.stdout, 'script')}`);
  }
  return { stdout: clean(result.stdout, 'script'), code: result.code ?? -1 };
}

/** One step of a session with a program in a pseudo-terminal. */
export type PtyStep =
  /** Wait until what the program wrote since the last key or resize, escapes left out, matches (a regular expression's source). */
  | { wait: string }
  /** Type these characters, as the keyboard would send them. */
  | { send: string }
  /** Change the terminal's size, as a resized window does (the program gets SIGWINCH). */
  | { resize: [columns: number, rows: number] }
  /** Send the program this signal, as `kill` would (e.g. SIGTERM). */
  | { signal: string };

export interface PtySession extends PtyResult {
  /** `stty -a` on the terminal before the program started and after it ended. */
  sttyBefore: string;
  sttyAfter: string;
}

// As PYTHON_PTY, but the terminal stays open after the program ends (to ask stty about it), the program's own
// stdout and stderr can be files (spec['stdout'], spec['stderr']), and the steps are played on the terminal.
const PYTHON_SESSION = String.raw`
import base64, fcntl, json, os, re, select, signal, struct, subprocess, sys, termios, time
${PYTHON_OPEN_PTY}
stty = lambda: subprocess.run(['stty', '-a'], stdin=slave, capture_output=True, text=True).stdout
before = stty()
pid = os.fork()
if pid == 0:
    try:
${PYTHON_TAKE_TERMINAL}
        out = os.open(spec['stdout'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) if spec['stdout'] else slave
        err = os.open(spec['stderr'], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644) if spec['stderr'] else slave
        os.dup2(null, 0)
        os.dup2(out, 1)
        os.dup2(err, 2)
        os.chdir(spec['cwd'])
        os.execve(spec['argv'][0], spec['argv'], spec['env'])
    except BaseException as error:
        os.write(2, ('pty harness: cannot run %r: %s\n' % (spec['argv'][0], error)).encode())
    os._exit(127)
deadline = time.monotonic() + spec['timeout']
output, since, status, failure = bytearray(), 0, None, None
def pump(wait):
    global status
    ready, _, _ = select.select([master], [], [], wait)
    if ready:
        try:
            output.extend(os.read(master, 65536))
        except OSError:
            pass
    if status is None:
        done, code = os.waitpid(pid, os.WNOHANG)
        if done:
            status = code
for step in spec['steps']:
    if 'wait' in step:
        pattern = re.compile(step['wait'], re.S)
        while not pattern.search(re.sub(r'\x1b\[[0-9;?]*[A-Za-z]', '', bytes(output[since:]).decode('utf8', 'replace'))):
            if time.monotonic() > deadline or (status is not None and not select.select([master], [], [], 0)[0]):
                failure = 'no %r on the terminal' % step['wait']
                break
            pump(0.05)
        if failure:
            break
    else:
        pump(0)
        since = len(output)
        if 'send' in step:
            os.write(master, step['send'].encode())
        elif 'signal' in step:
            os.kill(pid, getattr(signal, step['signal']))
        else:
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack('HHHH', step['resize'][1], step['resize'][0], 0, 0))
while status is None and time.monotonic() < deadline:
    pump(0.05)
if status is None:
    os.killpg(pid, signal.SIGKILL)
    _, status = os.waitpid(pid, 0)
    failure = failure or 'the program did not end'
while select.select([master], [], [], 0.05)[0]:
    try:
        data = os.read(master, 65536)
    except OSError:
        break
    if not data:
        break
    output.extend(data)
code = os.waitstatus_to_exitcode(status)
sys.stdout.write(json.dumps({'code': code if code >= 0 else 128 - code, 'failure': failure, 'output': base64.b64encode(bytes(output)).decode(), 'before': before, 'after': stty()}))
`;

/**
 * Runs bin/papers in a pseudo-terminal and plays `steps` on it: keys typed, windows resized, signals sent, each
 * after what the program drew matches. The program's stdout (and stderr) go to files when asked, so that what it prints and what
 * it draws on the terminal can be told apart. Needs python3; rejects when a wait is not met.
 */
export async function playInPty(args: string[], steps: PtyStep[], options: PtyOptions & { stdoutFile?: string; stderrFile?: string }): Promise<PtySession> {
  if (!PYTHON) throw new Error('playInPty: needs python3');
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  mkdirSync(PTY_CACHE_DIR, { recursive: true });
  const spec = {
    argv: [options.program ?? PAPERS_BIN, ...args],
    env: environment(options),
    cwd: options.cwd ?? tmpdir(),
    columns: options.columns,
    rows: options.rows ?? DEFAULT_ROWS,
    timeout: timeoutMs / 1000,
    steps,
    stdout: options.stdoutFile ?? null,
    stderr: options.stderrFile ?? null,
  };
  const result = await run(PYTHON, ['-I', '-c', PYTHON_SESSION, JSON.stringify(spec)], undefined, timeoutMs + 10_000);
  let reply: { code: number; failure: string | null; output: string; before: string; after: string };
  try {
    reply = JSON.parse(result.stdout.toString('utf8'));
  } catch {
    throw new Error(`playInPty: pty harness failed: ${result.error?.message ?? ''}\n${result.stderr}`);
  }
  const stdout = Buffer.from(reply.output, 'base64').toString('utf8');
  if (reply.failure) throw new Error(`playInPty: ${reply.failure}; the terminal showed:\n${JSON.stringify(stdout.slice(-3000))}`);
  return { stdout, code: reply.code, sttyBefore: reply.before, sttyAfter: reply.after };
}
