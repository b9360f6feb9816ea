// `papers pick`, the full-screen picker, driven through a real pseudo-terminal: keys typed, the window resized,
// stdout a file while the picker draws on the terminal. Runs the built binary (`node scripts/build.mjs` first).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { afterAll, describe, expect, it } from 'vitest';
import { PAPERS_BIN, playInPty, ptyBackendAvailable, type PtyStep } from './pty.js';

const dir = mkdtempSync(join(tmpdir(), 'papers-pick-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const PAPERS = [
  ['attention-is-all-you-need', 'Attention Is All You Need', 'Ashish Vaswani, Noam Shazeer', 'The dominant sequence transduction models are recurrent.'],
  ['graph-attention-networks', 'Graph Attention Networks', 'Petar Velickovic', 'We present graph attention networks operating on graph data.'],
  [
    'denoising-diffusion-models',
    'Denoising Diffusion Probabilistic Models',
    'Jonathan Ho, Ajay Jain, Pieter Abbeel',
    `We present high quality image synthesis results. ${'Sampling is slow but the samples are good. '.repeat(6)}`,
  ],
  ['deep-residual-learning', 'Deep Residual Learning for Image Recognition', 'Kaiming He', 'Deeper neural networks are more difficult to train.'],
  [
    'adam-stochastic-optimization',
    'Adam: A Method for Stochastic Optimization',
    'Diederik Kingma, Jimmy Ba',
    'We introduce Adam, an algorithm for gradient-based optimization.',
  ],
] as const;
const CORPUS = join(dir, 'papers.yaml');
writeFileSync(
  CORPUS,
  `papers:\n${PAPERS.map(
    ([id, title, authors, abstract]) =>
      `  - id: ${id}\n    title: ${JSON.stringify(title)}\n    authors: ${JSON.stringify(authors.split(', '))}\n    date: Mar 11\n    source: pick.txt\n    code: null\n    links: []\n    url: https://example.org/${id}\n    abstract: ${JSON.stringify(abstract)}`,
  ).join('\n')}\n`,
);

const ALT_SCREEN = '\x1b[?1049h';
const MAIN_SCREEN = '\x1b[?1049l';
const SHOW_CURSOR = '\x1b[?25h';
// Each frame starts by hiding the cursor; the last one drawn is what the screen shows.
const FRAME = '\x1b[?25l';
const KEYS = { down: '\x1b[B', up: '\x1b[A', ctrlN: '\x0e', ctrlP: '\x10', tab: '\t', enter: '\r', esc: '\x1b', ctrlC: '\x03', ctrlO: '\x0f' };

/** The screen as the last frame before `at` left it: its lines, escapes removed, trailing blanks trimmed. */
function lastScreen(output: string, at = output.length): string[] {
  const frames = output.slice(0, at).split(FRAME);
  return stripVTControlCharacters(frames.at(-1)!)
    .split('\r\n')
    .map((line) => line.trimEnd());
}

let session = 0;
/** Runs `papers pick` on the fixture corpus with stdout (and stderr) in files; returns what each held. */
async function pick(args: string[], steps: PtyStep[], columns = 80, rows = 24, env: Record<string, string> = {}) {
  const stdoutFile = join(dir, `out-${++session}.txt`);
  const stderrFile = join(dir, `err-${session}.txt`);
  const result = await playInPty(['--corpus', CORPUS, 'pick', ...args], steps, { columns, rows, stdoutFile, stderrFile, env, timeoutMs: 8_000 });
  return { ...result, printed: readFileSync(stdoutFile, 'utf8'), errors: readFileSync(stderrFile, 'utf8') };
}

// A session takes well under a second, but the machine may be busy.
describe.skipIf(!ptyBackendAvailable('python'))('papers pick', { timeout: 20_000 }, () => {
  it.each([40, 80, 200])('at %i columns: typing re-ranks, Enter prints the current id, and every line fits', async (columns) => {
    const run = await pick(
      [],
      [{ wait: 'Attention Is' }, { send: 'diffusion' }, { wait: '> diffusion' }, { wait: '>  Denoising' }, { send: KEYS.enter }],
      columns,
    );
    expect(run.code).toBe(0);
    expect(run.printed).toBe('denoising-diffusion-models\n');
    expect(run.errors).toBe('');
    const screen = lastScreen(run.stdout, run.stdout.lastIndexOf(MAIN_SCREEN));
    expect(screen[0]).toBe('> diffusion');
    expect(screen[1]).toMatch(/^ {2}1\/1\b/);
    expect(screen[2]).toMatch(/^> {2}Denoising Diffusion/);
    // The preview: title, authors, date, then the abstract wrapped to the width.
    expect(screen).toContain('Jonathan Ho, Ajay Jain, Pieter Abbeel'.slice(0, columns));
    expect(screen.some((line) => line.startsWith('Mar 11'))).toBe(true);
    expect(screen.filter((line) => /Sampling is slow/.test(line)).length).toBeGreaterThan(1);
    for (const line of screen) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    expect(run.stdout.startsWith(ALT_SCREEN)).toBe(true);
    expect(run.stdout.endsWith(`${MAIN_SCREEN}${SHOW_CURSOR}`)).toBe(true);
  });

  it('arrows and Ctrl-N/Ctrl-P move, Tab selects two, Enter prints exactly those, in the order selected', async () => {
    const steps: PtyStep[] = [
      { wait: 'Attention Is' },
      { send: KEYS.down },
      { wait: '>  Graph Attention' },
      { send: KEYS.ctrlN },
      { wait: '>  Denoising' },
      { send: KEYS.tab },
      { wait: '>  Deep Residual' },
      { send: KEYS.up + KEYS.up + KEYS.ctrlP },
      { wait: '>  Attention Is' },
      { send: KEYS.tab },
      { wait: '2 selected' },
      { send: KEYS.enter },
    ];
    const run = await pick([], steps);
    expect(run.code).toBe(0);
    expect(run.printed).toBe('denoising-diffusion-models\nattention-is-all-you-need\n');
    const screen = lastScreen(run.stdout, run.stdout.lastIndexOf(MAIN_SCREEN));
    expect(screen[1]).toMatch(/^ {2}2\/5, 2 selected/);
    expect(screen.slice(2, 7).map((line) => line.slice(0, 3))).toEqual([' * ', '>  ', ' * ', '   ', '   ']);
  });

  it('starts from the query given, and prints to a pipe', () => {
    const python = `
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execv('/bin/sh', ['sh', '-c', '"$0" --corpus "$1" pick adam | cat > "$2"', ${JSON.stringify(PAPERS_BIN)}, ${JSON.stringify(CORPUS)}, ${JSON.stringify(join(dir, 'piped.txt'))}])
seen = b''
while b'Adam: A Method' not in seen:
    seen += os.read(fd, 65536)
os.write(fd, b'\\r')
while True:
    try:
        if not os.read(fd, 65536): break
    except OSError: break
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
`;
    const result = spawnSync('python3', ['-c', python], { encoding: 'utf8', timeout: 15_000, env: { PATH: process.env.PATH, TERM: 'xterm-256color' } });
    expect(result.status).toBe(0);
    expect(readFileSync(join(dir, 'piped.txt'), 'utf8')).toBe('adam-stochastic-optimization\n');
  });

  it('Esc leaves with exit 1, nothing printed, and the main screen back', async () => {
    const run = await pick(['graph'], [{ wait: 'Graph Attention' }, { send: KEYS.esc }]);
    expect(run.code).toBe(1);
    expect(run.printed).toBe('');
    expect(run.errors).toBe('');
    expect(run.stdout.endsWith(`${MAIN_SCREEN}${SHOW_CURSOR}`)).toBe(true);
  });

  it('Ctrl-C leaves the terminal exactly as it was: the same stty modes, the main screen, the cursor shown', async () => {
    const run = await pick([], [{ wait: 'Attention Is' }, { send: 'res' }, { wait: '> res' }, { send: KEYS.ctrlC }]);
    expect(run.code).toBe(1);
    expect(run.printed).toBe('');
    expect(run.sttyAfter).toBe(run.sttyBefore);
    expect(run.sttyAfter).toMatch(/ icanon /);
    expect(run.sttyAfter).toMatch(/ echo /);
    expect(run.stdout.indexOf(ALT_SCREEN)).toBe(0);
    expect(run.stdout.endsWith(`${MAIN_SCREEN}${SHOW_CURSOR}`)).toBe(true);
  });

  it('a resized window is drawn again at its new width', async () => {
    const run = await pick(
      [],
      [{ wait: '─{80}' }, { resize: [44, 20] }, { wait: '[^─]─{44}[^─]' }, { resize: [120, 30] }, { wait: '─{120}' }, { send: KEYS.esc }],
      80,
      24,
    );
    expect(run.code).toBe(1);
    const narrow = run.stdout.lastIndexOf(FRAME, run.stdout.search(/─{120}/));
    const screen = lastScreen(run.stdout, narrow);
    expect(screen).toHaveLength(20);
    expect(screen.find((line) => line.startsWith('─'))).toBe('─'.repeat(44));
    for (const line of screen) expect(stringWidth(line)).toBeLessThanOrEqual(44);
    const wide = lastScreen(run.stdout, run.stdout.lastIndexOf(MAIN_SCREEN));
    expect(wide).toHaveLength(30);
    // From 80 columns up, each title has its id beside it.
    expect(wide[2]).toMatch(/^> {2}Attention Is All You Need +attention-is-all-you-need$/);
  });

  it('Ctrl-O opens the current paper in the browser and says so', async () => {
    const opened = join(dir, 'opened.txt');
    const opener = join(dir, 'opener.sh');
    writeFileSync(opener, `#!/bin/sh\nprintf '%s\\n' "$1" > ${JSON.stringify(opened)}\n`);
    chmodSync(opener, 0o755);
    const run = await pick(
      ['residual'],
      [{ wait: 'Deep Residual' }, { send: KEYS.ctrlO }, { wait: 'opened https://example.org/deep-residual-learning' }, { send: KEYS.esc }],
      100,
      24,
      {
        BROWSER: opener,
      },
    );
    expect(run.code).toBe(1);
    expect(readFileSync(opened, 'utf8')).toBe('https://example.org/deep-residual-learning\n');
  });

  it('with no terminal at all (setsid, cron) refuses: exit 2 and one line', () => {
    const result = spawnSync('setsid', ['-w', PAPERS_BIN, '--corpus', CORPUS, 'pick'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 15_000,
    });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('papers: pick needs a terminal to draw on (there is no /dev/tty here); use `papers search` in scripts\n');
  });
});
