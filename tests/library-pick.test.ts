// `papers pick`, the full-screen picker, driven through a real pseudo-terminal: keys typed, the window resized,
// stdout a file while the picker draws on the terminal. Runs the built binary (`node scripts/build.mjs` first).
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import xterm from '@xterm/headless';
import { afterAll, describe, expect, it } from 'vitest';
import { PAPERS_BIN, playInPty, ptyBackendAvailable, type PtyStep } from './pty.js';

const { Terminal } = xterm;
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
// Ink draws a full-screen frame from a cleared screen, each write between the marks of synchronized output.
const CLEAR = '\x1b[2J';
const FRAME = '\x1b[?2026h';
const KEYS = { down: '\x1b[B', up: '\x1b[A', ctrlN: '\x0e', ctrlP: '\x10', tab: '\t', enter: '\r', esc: '\x1b', ctrlC: '\x03', ctrlO: '\x0f' };

/**
 * The screen a terminal `columns` by `rows` shows just before `at`: what was drawn from the last clear of the screen
 * (or from the start of the alternate screen) played on a terminal emulator, its lines with trailing blanks trimmed.
 */
function screenAt(output: string, at: number, columns: number, rows: number): Promise<string[]> {
  const from = Math.max(output.lastIndexOf(CLEAR, at - 1), output.indexOf(ALT_SCREEN) + ALT_SCREEN.length);
  const terminal = new Terminal({ cols: columns, rows, allowProposedApi: true });
  return new Promise((resolve) =>
    terminal.write(output.slice(from, at), () => {
      const lines = Array.from({ length: rows }, (_, row) => terminal.buffer.active.getLine(row)?.translateToString(true).trimEnd() ?? '');
      terminal.dispose();
      resolve(lines);
    }),
  );
}

/** The screen as it was just before the first frame that shows `text` was drawn. */
const screenBefore = (output: string, text: string | RegExp, columns: number, rows: number) =>
  screenAt(output, output.lastIndexOf(FRAME, output.search(text)), columns, rows);

/** The screen just before the picker left the alternate screen. */
const lastScreen = (output: string, columns: number, rows: number) => screenAt(output, output.lastIndexOf(MAIN_SCREEN), columns, rows);

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
  it.each([40, 80, 200])('at %i columns: typing re-ranks, the preview shows the paper, Enter prints the current id, every line fits', async (columns) => {
    const run = await pick(
      [],
      [{ wait: 'Attention Is' }, { send: 'diffusion' }, { wait: '> diffusion' }, { wait: '>  Denoising' }, { send: KEYS.enter }],
      columns,
    );
    expect(run.code).toBe(0);
    expect(run.printed).toBe('denoising-diffusion-models\n');
    expect(run.errors).toBe('');
    const screen = await lastScreen(run.stdout, columns, 24);
    expect(screen[0]).toBe('> diffusion');
    expect(screen[1]).toMatch(/^ {2}1\/1\b/);
    expect(screen[2]).toMatch(/^> {2}Denoising Diffusion/);
    // The preview, below the rule: title, authors, date and id, then the abstract wrapped to the width.
    const rule = screen.indexOf('─'.repeat(columns));
    expect(rule).toBeGreaterThan(2);
    expect(screen[rule + 1]).toBe('Denoising Diffusion Probabilistic Models'.slice(0, columns));
    expect(screen[rule + 2]).toBe('Jonathan Ho, Ajay Jain, Pieter Abbeel');
    expect(screen[rule + 3]).toBe('Mar 11  denoising-diffusion-models');
    expect(screen[rule + 4]).toBe('');
    expect(screen[rule + 5]).toMatch(/^We present high quality/);
    expect(screen.filter((line) => /Sampling is slow/.test(line)).length).toBeGreaterThan(1);
    for (const line of screen) expect(stringWidth(line)).toBeLessThanOrEqual(columns);
    expect(run.stdout.startsWith(ALT_SCREEN)).toBe(true);
    expect(run.stdout.endsWith(`${MAIN_SCREEN}${SHOW_CURSOR}`)).toBe(true);
  });

  it('arrows and Ctrl-N/Ctrl-P move, Tab selects two, Enter prints exactly those, in the order selected (CI set or not)', async () => {
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
    // A CI machine's variables change nothing: the picker draws each key's screen there too.
    const run = await pick([], steps, 80, 24, { CI: 'true' });
    expect(run.code).toBe(0);
    expect(run.printed).toBe('denoising-diffusion-models\nattention-is-all-you-need\n');
    expect(run.errors).toBe('');
    const screen = await lastScreen(run.stdout, 80, 24);
    expect(screen[1]).toMatch(/^ {2}2\/5, 2 selected/);
    expect(screen.slice(2, 7).map((line) => line.slice(0, 3))).toEqual([' * ', '>  ', ' * ', '   ', '   ']);
  });

  it('Backspace and Ctrl-U take the query back, and the list ranks it again', async () => {
    const steps: PtyStep[] = [
      { wait: '>  Graph Attention' },
      { send: '\x7f'.repeat(5) },
      { wait: '1/5' },
      { send: 'adam' },
      { wait: '>  Adam: A Method' },
      { send: '\x15' },
      { wait: '1/5' },
      { send: KEYS.enter },
    ];
    const run = await pick(['graph'], steps);
    expect(run.code).toBe(0);
    expect(run.printed).toBe('attention-is-all-you-need\n');
    expect((await lastScreen(run.stdout, 80, 24))[0]).toBe('>');
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
    expect(run.sttyAfter).toBe(run.sttyBefore);
    expect(run.stdout.endsWith(`${MAIN_SCREEN}${SHOW_CURSOR}`)).toBe(true);
  });

  it.each([
    ['Ctrl-C', { send: KEYS.ctrlC }],
    ['SIGTERM', { signal: 'SIGTERM' }],
  ] as const)('%s leaves the terminal exactly as it was: the same stty modes, the main screen, the cursor shown', async (_, step) => {
    const run = await pick([], [{ wait: 'Attention Is' }, { send: 'res' }, { wait: '> res' }, step]);
    expect(run.code).toBe(1);
    expect(run.printed).toBe('');
    expect(run.errors).toBe('');
    expect(run.sttyAfter).toBe(run.sttyBefore);
    expect(run.sttyAfter).toMatch(/ icanon /);
    expect(run.sttyAfter).toMatch(/ echo /);
    expect(run.stdout.indexOf(ALT_SCREEN)).toBe(0);
    expect(run.stdout.endsWith(`${MAIN_SCREEN}${SHOW_CURSOR}`)).toBe(true);
  });

  it('a resized window is drawn again at its new width; below 40 columns it says so until it is wide again', async () => {
    const run = await pick(
      [],
      [
        { wait: '─{80}' },
        { resize: [44, 20] },
        { wait: '[^─]─{44}[^─]' },
        { resize: [30, 20] },
        { wait: 'pick needs 40 columns' },
        { resize: [120, 30] },
        { wait: '─{120}' },
        { send: KEYS.esc },
      ],
      80,
      24,
    );
    expect(run.code).toBe(1);
    const narrow = await screenBefore(run.stdout, 'pick needs', 44, 20);
    expect(narrow.find((line) => line.startsWith('─'))).toBe('─'.repeat(44));
    expect(narrow[2]).toBe('>  Attention Is All You Need');
    for (const line of narrow) expect(stringWidth(line)).toBeLessThanOrEqual(44);
    const tooNarrow = await screenBefore(run.stdout, /─{120}/, 30, 20);
    expect(tooNarrow.filter((line) => line !== '').join(' ')).toBe('pick needs 40 columns; this window has 30');
    const wide = await lastScreen(run.stdout, 120, 30);
    expect(wide[0]).toBe('>');
    expect(wide).toHaveLength(30);
    // From 80 columns up, each title has its id beside it.
    expect(wide[2]).toMatch(/^> {2}Attention Is All You Need +attention-is-all-you-need$/);
    expect(wide.find((line) => line.startsWith('─'))).toBe('─'.repeat(120));
  });

  it('on a terminal narrower than 40 columns refuses before drawing: exit 2 and one line', async () => {
    const run = await pick([], [], 39, 24);
    expect(run.code).toBe(2);
    expect(run.printed).toBe('');
    expect(run.errors).toBe('papers: pick needs a terminal at least 40 columns wide (this one has 39)\n');
    expect(run.stdout).toBe('');
    expect(run.sttyAfter).toBe(run.sttyBefore);
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

describe('the terminal UI library', () => {
  // Reports, as the process exits, whether React (which Ink needs, and which only the picker loads) was loaded.
  const probe = join(dir, 'probe.cjs');
  writeFileSync(
    probe,
    `process.on('exit', () => require('node:fs').writeSync(2, Object.keys(require.cache).some((file) => file.includes('/node_modules/react/')) ? 'react loaded\\n' : 'no react\\n'));\n`,
  );
  it.each([['--version'], ['search', 'attention'], ['show', 'adam-stochastic-optimization']])('is not loaded by papers %s', (...args) => {
    const result = spawnSync(PAPERS_BIN, ['--corpus', CORPUS, ...args], {
      encoding: 'utf8',
      timeout: 15_000,
      env: { ...process.env, NODE_OPTIONS: `--require ${probe}` },
    });
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('no react\n');
  });

  it.skipIf(!ptyBackendAvailable('python'))('is loaded by papers pick', async () => {
    const run = await pick([], [{ wait: 'Attention Is' }, { send: KEYS.esc }], 80, 24, { NODE_OPTIONS: `--require ${probe}` });
    expect(run.code).toBe(1);
    expect(run.errors).toBe('react loaded\n');
  });
});

describe.skipIf(!ptyBackendAvailable('python'))('papers pick: keys that mark and tag without leaving', { timeout: 30_000 }, () => {
  const ALT = { q: '\x1bq', r: '\x1br', t: '\x1bt' };
  /** A fresh copy of the fixture corpus, so that each case starts with no status and no tag. */
  function corpusCopy(name: string): string {
    const path = join(dir, `${name}.yaml`);
    writeFileSync(path, readFileSync(CORPUS, 'utf8'));
    return path;
  }
  async function pickOn(corpus: string, args: string[], steps: PtyStep[]) {
    const stdoutFile = join(dir, `out-${++session}.txt`);
    const stderrFile = join(dir, `err-${session}.txt`);
    const result = await playInPty(['--corpus', corpus, 'pick', ...args], steps, { columns: 100, rows: 24, stdoutFile, stderrFile, timeoutMs: 12_000 });
    return { ...result, printed: readFileSync(stdoutFile, 'utf8'), errors: readFileSync(stderrFile, 'utf8') };
  }
  const papers = (corpus: string, ...args: string[]) =>
    spawnSync(PAPERS_BIN, ['--corpus', corpus, ...args], { encoding: 'utf8', timeout: 15_000, env: { ...process.env, NO_COLOR: '1' } });

  it('Alt-Q marks the two papers selected queued, says so, the preview shows it, and Enter still prints the ids', async () => {
    const corpus = corpusCopy('queue');
    const run = await pickOn(
      corpus,
      [],
      [
        { wait: 'Attention Is' },
        { send: KEYS.tab },
        { wait: '1 selected' },
        { send: KEYS.tab },
        { wait: '2 selected' },
        { send: KEYS.up },
        { wait: '>\\* Graph Attention' },
        { send: ALT.q },
        { wait: '2 papers marked queued' },
        { send: KEYS.enter },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.printed).toBe('attention-is-all-you-need\ngraph-attention-networks\n');
    expect(run.errors).toBe('');
    const screen = await lastScreen(run.stdout, 100, 24);
    expect(screen[1]).toMatch(/^ {2}2\/5, 2 selected {2}2 papers marked queued/);
    const rule = screen.indexOf('─'.repeat(100));
    expect(screen[rule + 3]).toBe('Mar 11  queued  graph-attention-networks');
    const yaml = readFileSync(corpus, 'utf8');
    expect(yaml.match(/status: queued/g)).toHaveLength(2);
    const listed = papers(corpus, 'list', '--status', 'queued', '--format', 'json');
    expect(listed.status).toBe(0);
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((p) => p.id).sort()).toEqual(['attention-is-all-you-need', 'graph-attention-networks']);
  });

  it('Alt-R marks the current paper read; Esc alone still leaves', async () => {
    const corpus = corpusCopy('read');
    const run = await pickOn(corpus, ['adam'], [{ wait: '>  Adam: A Method' }, { send: ALT.r }, { wait: '1 paper marked read' }, { send: KEYS.esc }]);
    expect(run.code).toBe(1);
    expect(run.printed).toBe('');
    expect(run.errors).toBe('');
    const listed = papers(corpus, 'list', '--status', 'read', '--format', 'json');
    expect((JSON.parse(listed.stdout) as { id: string }[]).map((p) => p.id)).toEqual(['adam-stochastic-optimization']);
  });

  it('Alt-T opens a tag prompt: Enter adds the tag; a bad tag shows the rule and changes nothing; Esc puts the prompt away', async () => {
    const corpus = corpusCopy('tag');
    const run = await pickOn(
      corpus,
      ['residual'],
      [
        { wait: '>  Deep Residual' },
        { send: ALT.t },
        { wait: 'tag: ' },
        { send: 'Bad Tag' },
        { wait: 'tag: Bad Tag' },
        { send: KEYS.enter },
        { wait: 'is not a tag' },
        { send: ALT.t },
        { wait: 'tag: ' },
        { send: 'zzz' },
        { wait: 'tag: zzz' },
        { send: KEYS.esc },
        { wait: '1/1' },
        { send: ALT.t },
        { wait: 'tag: ' },
        { send: 'project/x' },
        { wait: 'tag: project/x' },
        { send: KEYS.enter },
        { wait: '1 paper tagged project/x' },
        { send: KEYS.enter },
      ],
    );
    expect(run.code).toBe(0);
    expect(run.printed).toBe('deep-residual-learning\n');
    expect(run.errors).toBe('');
    expect(run.stdout).toContain('tag: `Bad Tag` is not a tag: a tag is lower-case letters');
    const screen = await lastScreen(run.stdout, 100, 24);
    expect(screen[screen.indexOf('─'.repeat(100)) + 3]).toBe('Mar 11  #project/x  deep-residual-learning');
    const yaml = readFileSync(corpus, 'utf8');
    expect(yaml).toMatch(/id: deep-residual-learning\n(?: {4}.*\n)* {4}tags:\n {6}- project\/x\n/);
    expect(yaml).not.toMatch(/zzz|Bad Tag/);
    expect(yaml.match(/tags:/g)).toHaveLength(1);
  });

  it('in a folder corpus Alt-Q rewrites only the file that holds the paper', async () => {
    const folder = mkdtempSync(join(dir, 'folder-'));
    const text = readFileSync(CORPUS, 'utf8');
    const [head, ...entries] = text.split(/\n(?= {2}- id: )/);
    writeFileSync(join(folder, 'a.yaml'), `${[head, ...entries.slice(0, 2)].join('\n')}\n`);
    writeFileSync(join(folder, 'b.yaml'), `papers:\n${entries.slice(2).join('\n')}`);
    const untouched = readFileSync(join(folder, 'a.yaml'), 'utf8');
    const run = await pickOn(folder, ['adam'], [{ wait: '>  Adam: A Method' }, { send: ALT.q }, { wait: '1 paper marked queued' }, { send: KEYS.enter }]);
    expect(run.code).toBe(0);
    expect(run.printed).toBe('adam-stochastic-optimization\n');
    expect(readFileSync(join(folder, 'a.yaml'), 'utf8')).toBe(untouched);
    expect(readFileSync(join(folder, 'b.yaml'), 'utf8')).toMatch(/id: adam-stochastic-optimization\n(?: {4}.*\n)* {4}status: queued\n/);
  });
});
