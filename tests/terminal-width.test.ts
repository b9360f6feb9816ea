// Every line papers prints on a terminal must fit that terminal. These run the built binary
// (bin/papers -> dist/, so `node scripts/build.mjs` first) in a real pseudo-terminal of each width:
// the program reads the width from the tty itself, COLUMNS is not set, and colour stays on (as
// --color auto gives on a terminal), since escapes must not change what fits.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import stringWidth from 'string-width';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { PAPERS_BIN, PTY_BACKEND, PTY_UNAVAILABLE, ptyBackendAvailable, runInPty, shellQuote, type PtyBackend } from './pty.js';

const WIDTHS = [40, 41, 48, 55, 64, 72, 80, 120, 250];
// One run takes well under a second, but these start a few at a time on a machine that may be busy.
const RUN_TIMEOUT = 60_000;

// --- fixture corpora --------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'papers-width-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface FixturePaper {
  id: string;
  title: string;
  code: string | null;
  links: string[];
  abstract: string;
}

function writeCorpus(name: string, papers: FixturePaper[]): string {
  const path = join(dir, name);
  const yaml = papers.map((p) =>
    [
      `  - id: ${p.id}`,
      `    title: ${JSON.stringify(p.title)}`,
      '    date: Mar 11',
      '    source: width-fixture.txt',
      `    code: ${p.code ?? 'null'}`,
      p.links.length === 0 ? '    links: []' : ['    links:', ...p.links.map((l) => `      - ${l}`)].join('\n'),
      `    abstract: ${JSON.stringify(p.abstract)}`,
    ].join('\n'),
  );
  writeFileSync(path, `papers:\n${yaml.join('\n')}\n`);
  return path;
}

const LONG_ABSTRACT =
  'We propose a hypernetwork that generates the weights of a very deep target network for every task in a ' +
  'continual learning stream, and show that the hypernetwork-generated weights transfer across domains, ' +
  'architectures and datasets, with extensive ablations on initialisation, normalisation and regularisation.';
const longRepo = (n: number) => `https://github.com/an-unusually-long-organisation-name/hypernetwork-experiments-repository-number-${n}`;

// Ids of exactly 32 characters, titles far wider than any terminal, CJK and emoji (two cells each),
// and a long code URL in every paper.
const WIDE_IDS = [
  'hypernetwork-weight-generation-1',
  'hypernetwork-weight-generation-2',
  'hypernetwork-cjk-emoji-title-003',
  'a-very-long-identifier-for-hn-04',
  'x',
];
const LONG_CORPUS = writeCorpus('long.yaml', [
  {
    id: WIDE_IDS[0]!,
    title:
      'Hypernetwork Weight Generation for Extremely Deep Networks: A Comprehensive Study of Initialisation, Normalisation, Regularisation and Transfer Across Many Domains',
    code: longRepo(1),
    links: [longRepo(1), 'https://arxiv.org/abs/2403.01234'],
    abstract: LONG_ABSTRACT,
  },
  {
    id: WIDE_IDS[1]!,
    title: 'Supercalifragilisticexpialidociouslylonghypernetworkwordwithoutanybreakopportunitiesatall and more',
    code: longRepo(2),
    links: [longRepo(2)],
    abstract: `Unbreakable: ${'hypernetworkhypernetworkhypernetwork'.repeat(4)}. ${LONG_ABSTRACT}`,
  },
  {
    id: WIDE_IDS[2]!,
    title: '超网络：用于持续学习的权重生成方法研究 🚀🧠🔥 Hypernetwork 权重生成 with 絵文字 😀😀😀 and 日本語のタイトル',
    code: longRepo(3),
    links: [longRepo(3)],
    abstract: `超网络生成目标网络的权重。本文研究超网络在持续学习中的应用 🚀 hypernetwork ${LONG_ABSTRACT} 全角文字ＡＢＣ１２３`,
  },
  {
    id: WIDE_IDS[3]!,
    title: 'Short Hypernetwork Title',
    code: 'https://gitlab.com/some-group/some-subgroup/another-subgroup/a-hypernetwork-project-with-a-long-name',
    links: ['https://gitlab.com/some-group/some-subgroup/another-subgroup/a-hypernetwork-project-with-a-long-name'],
    abstract: LONG_ABSTRACT,
  },
  { id: WIDE_IDS[4]!, title: 'H', code: 'https://github.com/o/r', links: ['https://github.com/o/r'], abstract: 'hypernetwork' },
]);

const NO_CODE_CORPUS = writeCorpus('no-code.yaml', [
  {
    id: 'hypernetwork-without-any-code-01',
    title: `No Code Here: ${'A Hypernetwork Study Without Released Code '.repeat(3)}`,
    code: null,
    links: [],
    abstract: LONG_ABSTRACT,
  },
  { id: 'hypernetwork-without-any-code-02', title: 'Another Hypernetwork Paper Without Code', code: null, links: [], abstract: LONG_ABSTRACT },
  { id: 'short-no-code', title: 'Hypernetworks, Briefly', code: null, links: [], abstract: 'A hypernetwork, briefly.' },
]);

// --- what must fit -----------------------------------------------------------------------------

interface Case {
  name: string;
  args: string[];
}

const CASES: Case[] = [
  ['list'],
  ['list', '--has-code'],
  ['search', 'hypernetwork'],
  ['search', 'layer normalization'],
  ['search', 'graph', 'neural', 'networks'],
  ['related', 'magnitude-invariant'],
  ['show', 'hopfield'],
  ['stats'],
].map((args) => ({ name: args.map(shellQuote).join(' '), args }));
for (const [label, corpus] of [
  ['long-fixture', LONG_CORPUS],
  ['no-code-fixture', NO_CODE_CORPUS],
] as const) {
  for (const args of [['list'], ['search', 'hypernetwork']]) {
    CASES.push({ name: `${args.join(' ')} (${label})`, args: ['--corpus', corpus, ...args] });
  }
}

/** The line as the terminal shows it: escapes take no cells. */
const visible = (line: string) => stripVTControlCharacters(line);

// One URL with nothing to break it at, alone or after a label (`code   https://...`): allowed to overflow.
const LONE_URL = /^(?:[A-Za-z][\w-]* +)?[a-z][a-z0-9+.-]*:\/\/\S+$/;

interface Offender {
  line: number;
  width: number;
  text: string;
}

function tooWide(output: string, columns: number): Offender[] {
  return output
    .replace(/\n$/, '')
    .split('\n')
    .map((raw, i) => ({ line: i + 1, text: visible(raw) }))
    .map(({ line, text }) => ({ line, text, width: stringWidth(text) }))
    .filter(({ text, width }) => width > columns && !LONE_URL.test(text.trim()));
}

const unavailable = PTY_UNAVAILABLE ?? (existsSync(PAPERS_BIN) ? undefined : `${PAPERS_BIN} is missing`);
const title = (text: string) => (unavailable ? `${text} [skipped: ${unavailable}]` : `${text} (pty via ${PTY_BACKEND})`);

if (unavailable) console.warn(`terminal-width tests skipped: ${unavailable}`);

beforeAll(async () => {
  if (unavailable) return;
  // Build each corpus's cache once, instead of in every one of the runs that start together below;
  // and stop early, with one message, when bin/papers cannot run at all (dist/ not built).
  const corpora = [[], ['--corpus', LONG_CORPUS], ['--corpus', NO_CODE_CORPUS]];
  const results = await Promise.all(corpora.map((corpus) => runInPty([...corpus, 'stats'], { columns: 80 })));
  const broken = results.find((r) => r.code !== 0);
  if (broken) throw new Error(`bin/papers does not run (exit ${broken.code}); build it with \`node scripts/build.mjs\`:\n${broken.stdout}`);
}, 120_000);

describe.skipIf(Boolean(unavailable))(title('output fits the terminal'), { concurrent: true }, () => {
  for (const { name, args } of CASES) {
    describe.concurrent(`papers ${name}`, () => {
      for (const columns of WIDTHS) {
        it(`at ${columns} columns`, { timeout: RUN_TIMEOUT }, async ({ expect }) => {
          const { stdout, code } = await runInPty(args, { columns });
          const where = `papers ${name} in a ${columns}-column terminal`;
          expect(code, `${where} exited ${code}:\n${stdout}`).toBe(0);
          expect(stdout.trim(), `${where} printed nothing`).not.toBe('');
          const offenders = tooWide(stdout, columns);
          const widest = offenders.reduce<Offender | undefined>((a, b) => (a && a.width >= b.width ? a : b), undefined);
          expect(
            offenders.map((o) => `line ${o.line} is ${o.width} columns: ${o.text}`),
            widest &&
              `${where}: ${offenders.length} line(s) wider than ${columns} columns; the widest, line ${widest.line}, is ${widest.width}:\n${widest.text}`,
          ).toEqual([]);
          if (name === 'list' && columns === 80) {
            expect(visible(stdout).split('\n')[0], `${where}: the first line should be the table header`).toMatch(/^ID\b/);
          }
        });
      }
    });
  }
});

describe.skipIf(Boolean(unavailable))(title('colour on a terminal'), { concurrent: true }, () => {
  it('--color auto colours a terminal', { timeout: RUN_TIMEOUT }, async ({ expect }) => {
    const { stdout, code } = await runInPty(['--color', 'auto', 'list', '--limit', '3'], { columns: 100 });
    expect(code).toBe(0);
    expect(stdout).toMatch(/\u001b\[\d+(?:;\d+)*m/);
  });

  it('NO_COLOR=1 turns it off', { timeout: RUN_TIMEOUT }, async ({ expect }) => {
    const { stdout, code } = await runInPty(['--color', 'auto', 'list', '--limit', '3'], { columns: 100, env: { NO_COLOR: '1' } });
    expect(code).toBe(0);
    expect(stdout).toContain('ID');
    expect(stdout).not.toContain('\u001b');
  });
});

// The harness itself, with node as the program: what a program sees inside runInPty.
const PROBE = `console.log(JSON.stringify({ argv: process.argv.slice(1), tty: [process.stdin.isTTY ?? false, process.stdout.isTTY, process.stderr.isTTY], size: [process.stdout.columns, process.stdout.rows], env: process.env })); process.stderr.write('err\\n'); process.exitCode = Number(process.argv[1]);`;
const TRICKY_ARGS = ['3', "it's", '"quoted"', '$HOME `id`', 'two words', '', '*', '日本語 🙂', 'back\\slash', '-x'];

describe.concurrent('runInPty', () => {
  for (const backend of ['python', 'script'] as PtyBackend[]) {
    const missing = !ptyBackendAvailable(backend);
    const name = `${backend}: a tty of the asked size, exit status, arguments, environment${missing ? ` [skipped: no ${backend} here]` : ''}`;
    it.skipIf(missing)(name, { timeout: RUN_TIMEOUT }, async ({ expect }) => {
      const { stdout, code } = await runInPty(['-e', PROBE, ...TRICKY_ARGS], {
        columns: 41,
        rows: 7,
        backend,
        program: process.execPath,
        env: { EXTRA: 'yes' },
      });
      expect(code).toBe(3);
      expect(stdout).not.toContain('\r');
      const [json, err, ...rest] = stdout.split('\n');
      const seen = JSON.parse(json!);
      expect(seen.argv).toEqual(TRICKY_ARGS);
      expect(seen.tty).toEqual([false, true, true]);
      expect(seen.size).toEqual([41, 7]);
      expect(seen.env).toMatchObject({ TERM: 'xterm-256color', EXTRA: 'yes', PATH: process.env.PATH });
      expect(seen.env.COLUMNS).toBeUndefined();
      expect(seen.env.LINES).toBeUndefined();
      expect(seen.env.PAPERS_CACHE_DIR).toMatch(/papers-pty-cache-/);
      expect([err, ...rest]).toEqual(['err', '']);
    });
  }

  it.skipIf(!PTY_BACKEND)('runs side by side keep their own terminal sizes', { timeout: RUN_TIMEOUT }, async ({ expect }) => {
    const sizes = [40, 41, 55, 80, 120, 250];
    const code = 'console.log(process.stdout.columns + "x" + process.stdout.rows)';
    const seen = await Promise.all(sizes.map((columns, i) => runInPty(['-e', code], { columns, rows: 10 + i, program: process.execPath })));
    expect(seen).toEqual(sizes.map((columns, i) => ({ stdout: `${columns}x${10 + i}\n`, code: 0 })));
  });
});
