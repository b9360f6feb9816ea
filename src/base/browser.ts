import { spawn } from 'node:child_process';
import { PapersError } from './errors.js';
import { commandWords } from './text/command-line.js';

/**
 * The programs that may open a URL, in the order to try them: each command of $BROWSER (a list separated as PATH
 * is, `%s` in its words standing for the URL, else the URL its last argument), else the platform's opener. None
 * is given `--`: xdg-open refuses it and a browser's own options cannot be known, and a URL starting `http` is
 * never an option anyway. Windows' `start` is a cmd.exe built-in, which would read `&` in a URL as a command of
 * its own; rundll32 hands the URL to the default browser with no shell in between.
 */
function openers(url: string, env: NodeJS.ProcessEnv): [string, string[]][] {
  const browser = env.BROWSER ?? '';
  const commands = browser
    .split(process.platform === 'win32' ? ';' : ':')
    .map((command) => commandWords(command, 'BROWSER', browser))
    .filter((words) => words.length > 0);
  if (commands.length > 0) {
    return commands.map(([program, ...words]) => {
      const args = words.map((w) => w.split('%s').join(url));
      return [program!, words.some((w) => w.includes('%s')) ? args : [...args, url]];
    });
  }
  if (process.platform === 'darwin') return [['open', [url]]];
  if (process.platform === 'win32') return [['rundll32', ['url.dll,FileProtocolHandler', url]]];
  return [['xdg-open', [url]]];
}

// An opener that runs this long is taken to be the browser itself, showing the page: waiting longer would hold
// the shell until the browser is closed. xdg-open, open and a browser handing the URL to a running one exit sooner.
const OPENER_SETTLES_MS = 3000;

/** What became of one opener: it opened the page, or why not (and whether it ran at all). */
type Outcome = { opened: true } | { opened: false; started: boolean; why: string };

/** Runs an opener, without a shell, and waits for it to say whether it opened the page. */
function tryOpener(program: string, args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  return new Promise((resolve) => {
    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(program, args, { detached: true, stdio: 'ignore', env, shell: false });
    } catch (error) {
      resolve({ opened: false, started: false, why: (error as NodeJS.ErrnoException).code ?? String(error) });
      return;
    }
    let settled: NodeJS.Timeout | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => resolve({ opened: false, started: false, why: error.code ?? error.message }));
    child.once('spawn', () => {
      settled = setTimeout(() => {
        child.removeAllListeners('exit');
        child.unref();
        resolve({ opened: true });
      }, OPENER_SETTLES_MS);
    });
    child.once('exit', (code, signal) => {
      clearTimeout(settled);
      resolve(code === 0 ? { opened: true } : { opened: false, started: true, why: signal ? `killed by ${signal}` : `exit status ${code}` });
    });
  });
}

/** Opens a URL in the browser: tries each opener in turn until one opens the page: exit 1 when those that ran failed, 2 when none could run. */
export async function openInBrowser(url: string, env: NodeJS.ProcessEnv): Promise<void> {
  const tried = openers(url, env);
  const failures: [string, Outcome & { opened: false }][] = [];
  for (const [program, args] of tried) {
    const outcome = await tryOpener(program, args, env);
    if (outcome.opened) return;
    failures.push([program, outcome]);
  }
  const started = failures.some(([, outcome]) => outcome.started);
  const advice = started ? 'use --print to get the URL' : 'set BROWSER, or use --print';
  if (failures.length === 1) {
    const [program, { why }] = failures[0]!;
    throw new PapersError(
      started ? `\`${program}\` could not open ${url} (${why}); ${advice}` : `cannot run \`${program}\` to open ${url} (${why}); ${advice}`,
      started ? 1 : 2,
    );
  }
  const each = failures.map(([program, { why }]) => `\`${program}\`: ${why}`).join('; ');
  throw new PapersError(`no program in BROWSER could open ${url} (${each}); ${advice}`, started ? 1 : 2);
}
