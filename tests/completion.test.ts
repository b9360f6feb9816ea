// `papers completion bash|zsh|fish`, used the way a shell uses it: each script is loaded into the real shell
// and asked to complete a command line. Paper ids come from `papers list`, and a corpus's cache can sit in a
// shared PAPERS_CACHE_DIR, so what `list` prints may be hostile: the scripts must treat it as data.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, ROOT, spawn, tempDir } from './helpers.js';

const ID = /^[a-z0-9][a-z0-9-]*$/;
const TIMEOUT = 60_000;

// Each runs `touch PWNED` in the shell's directory if anything evaluates it.
const HOSTILE = [
  'x$(touch PWNED)',
  '`touch PWNED`',
  '$(touch PWNED)',
  '(touch PWNED)',
  'al-$(touch PWNED)',
  'al-`touch PWNED`',
  'al-(touch PWNED)',
  'al;touch PWNED',
  'al-$HOME',
  '{al-a,al-b}',
  'al*',
  '*',
  '~',
  "al-'q",
  'al-"q',
  'al-\\q',
  'Al-upper',
  '-al',
];
const VALID = ['alpha-one', 'alpha-two', 'beta', 'ok-id'];
// What a fake `papers list --format tsv` prints: valid ids (one with a hostile title), hostile ids, a blank line.
const FAKE_LIST = [
  ...['alpha-one', 'alpha-two', 'beta'].map((id) => `${id}\tA title`),
  ...HOSTILE.map((id) => `${id}\tA title`),
  'ok-id\t$(touch PWNED) `touch PWNED`',
  '',
];

const corpusYaml = (ids: string[]) =>
  `papers:\n${ids.map((id) => `  - id: ${id}\n    title: Paper ${id}\n    date: Apr 2\n    source: hand-written\n    code: null\n    links: []\n    abstract: About ${id}.\n`).join('')}`;
const OTHER_IDS = ['other-first', 'other-second'];

interface World {
  dir: string;
  env: NodeJS.ProcessEnv;
  /** The arguments of each call of the fake `papers`, when there is one. */
  calls: () => string[][];
  pwned: () => boolean;
}

/** A directory to complete in, with a home, its own cache, corpora, and optionally a fake `papers` first on PATH. */
function world(options: { fake?: boolean; env?: NodeJS.ProcessEnv } = {}): World {
  const dir = tempDir();
  const home = join(dir, 'home');
  mkdirSync(home);
  writeFileSync(join(dir, 'c.yaml'), corpusYaml(['alpha-one', 'alpha-two', 'beta']));
  writeFileSync(join(dir, 'other.yaml'), corpusYaml(OTHER_IDS));
  writeFileSync(join(dir, 'my other.yaml'), corpusYaml(OTHER_IDS));
  writeFileSync(join(home, 'other.yaml'), corpusYaml(OTHER_IDS));
  const fakeBin = join(dir, 'fake-bin');
  let path = `${join(ROOT, 'bin')}:${process.env.PATH}`;
  if (options.fake) {
    mkdirSync(fakeBin);
    writeFileSync(join(fakeBin, 'list.tsv'), FAKE_LIST.join('\n'));
    writeFileSync(join(fakeBin, 'papers'), `#!/bin/sh\nprintf '%s\\n' "$@" -- >> "${fakeBin}/calls"\ncat "${fakeBin}/list.tsv"\n`, { mode: 0o755 });
    path = `${fakeBin}:${path}`;
  }
  return {
    dir,
    env: { PATH: path, HOME: home, TERM: 'xterm', PAPERS_CACHE_DIR: join(dir, 'cache'), XDG_CONFIG_HOME: join(home, '.config'), ...options.env },
    calls: () => {
      const log = existsSync(join(fakeBin, 'calls')) ? readFileSync(join(fakeBin, 'calls'), 'utf8') : '';
      return log
        .split('--\n')
        .slice(0, -1)
        .map((call) => call.split('\n').slice(0, -1));
    },
    pwned: () => existsSync(join(dir, 'PWNED')),
  };
}

const SCRIPTS = mkdtempSync(join(tmpdir(), 'papers-completion-'));
afterAll(() => rmSync(SCRIPTS, { recursive: true, force: true }));
/** The file holding `papers completion <shell>`, made once. */
const script = (shell: string) => {
  const path = join(SCRIPTS, `papers.${shell}`);
  if (!existsSync(path)) {
    const result = spawn(['completion', shell]);
    expect(result.code).toBe(0);
    writeFileSync(path, result.stdout);
  }
  return path;
};

const runShell = (command: string, args: string[], w: World) => {
  const result = spawnSync(command, args, { cwd: w.dir, env: w.env, encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) throw new Error(`${command} exited ${result.status}: ${result.stderr}`);
  return result.stdout;
};

/*
 * The words bash hands a completion function: split at unquoted blanks, quotes kept as typed, and
 * --option=value split into --option, = and value, as = is in COMP_WORDBREAKS (checked against an
 * interactive bash: `papers --corpus=` gives papers, --corpus, = with the cursor on =).
 */
function bashWords(line: string): string[] {
  const words: string[] = line.match(/(?:[^\s'"\\]|\\.|'[^']*'|"(?:[^"\\]|\\.)*")+/g) ?? [];
  if (line === '' || /\s$/.test(line)) words.push('');
  return words.flatMap((word) => {
    const option = /^(--[a-z-]+)=(.*)$/.exec(word);
    return option ? [option[1]!, '=', ...(option[2] ? [option[2]] : [])] : [word];
  });
}

// zsh: an interactive zsh in a pseudo-terminal (zpty) types the line and TAB, bound to the usual complete-word;
// compadd is wrapped to record the matches it is given once filtered by what is typed.
const ZSH_SETUP = [
  'PS1=',
  'autoload -Uz compinit',
  'compinit -u -C -d "$PAPERS_TEST_DUMP"',
  'source "$PAPERS_TEST_SCRIPT"',
  'compadd() {',
  '  if (( ${@[(I)-[OAD]]} )); then builtin compadd "$@"; return; fi',
  '  local -a hits',
  '  builtin compadd -A hits "$@"',
  '  print -rl -- $hits >> "$PAPERS_TEST_HITS"',
  '  builtin compadd "$@"',
  '}',
  '_tab() { zle complete-word; : > "$PAPERS_TEST_HITS.done"; }',
  'zle -N _tab',
  "bindkey '^I' _tab",
  ': > "$PAPERS_TEST_HITS"',
].join('\n');
const ZSH_DRIVER = [
  'zmodload zsh/zpty zsh/zselect || exit 3',
  'zpty z zsh -f -i',
  `zpty -w z 'eval "$PAPERS_TEST_SETUP"; print READY$((1))'`,
  "zpty -r z x '*READY1*'",
  `zpty -w -n z "$1"$'\\t'`,
  'for t in {1..2000}; do [[ -e $PAPERS_TEST_HITS.done ]] && break; zselect -t 1; done',
  'zpty -d z',
  '[[ -e $PAPERS_TEST_HITS.done ]] || exit 4',
].join('\n');

const has = (command: string, args: string[]) => spawnSync(command, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;

interface Shell {
  name: 'bash' | 'zsh' | 'fish';
  missing: string | false;
  setup?: () => void;
  /** What TAB offers at the end of `line`, as the shell would insert it. */
  complete: (line: string, w: World) => string[];
}

let zshDump = '';
const SHELLS: Shell[] = [
  {
    name: 'bash',
    missing: has('bash', ['--norc', '-c', 'complete']) ? false : 'bash is not installed',
    complete: (line, w) =>
      runShell(
        'bash',
        // --norc: bash reads ~/.bashrc when its stdin looks like a socket, as Node's pipes do.
        ['--norc', '-c', 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _papers; printf "%s\\n" "${COMPREPLY[@]}"', 'bash'].concat(
          script('bash'),
          bashWords(line),
        ),
        w,
      )
        .split('\n')
        .filter(Boolean),
  },
  {
    name: 'zsh',
    missing: has('zsh', ['-f', '-c', 'zmodload zsh/zpty zsh/zselect']) ? false : 'zsh (with zsh/zpty) is not installed: apt-get install zsh',
    // compinit scans every completion function once (seconds); each test's zsh then loads the dump.
    setup: () => {
      const dir = mkdtempSync(join(tmpdir(), 'papers-zsh-'));
      afterAll(() => rmSync(dir, { recursive: true, force: true }));
      zshDump = join(dir, 'zcompdump');
      const dump = spawnSync('zsh', ['-f', '-c', 'autoload -Uz compinit; compinit -u -d "$1"', 'zsh', zshDump], { env: { HOME: dir }, timeout: 60_000 });
      expect(dump.status).toBe(0);
    },
    complete: (line, w) => {
      const hits = join(w.dir, `hits-${Math.random().toString(36).slice(2)}`);
      const env = { ...w.env, PAPERS_TEST_SETUP: ZSH_SETUP, PAPERS_TEST_DUMP: zshDump, PAPERS_TEST_SCRIPT: script('zsh'), PAPERS_TEST_HITS: hits };
      runShell('zsh', ['-f', '-c', ZSH_DRIVER, 'zsh', line], { ...w, env });
      return readFileSync(hits, 'utf8').split('\n').filter(Boolean);
    },
  },
  {
    name: 'fish',
    missing: has('fish', ['--no-config', '-c', 'true']) ? false : 'fish is not installed: apt-get install fish',
    complete: (line, w) =>
      runShell('fish', ['--no-config', '-c', 'source $argv[1]; complete -C $argv[2]', script('fish'), line], w)
        .split('\n')
        .filter(Boolean)
        .map((candidate) => candidate.split('\t')[0]!),
  },
];

const sorted = (words: string[]) => [...words].sort();

for (const shell of SHELLS)
  describe(`${shell.name} completion`, () => {
    const title = (text: string) => (shell.missing ? `${text} (skipped: ${shell.missing})` : text);
    if (!shell.missing && shell.setup) beforeAll(shell.setup, TIMEOUT);

    it.skipIf(shell.missing)(
      title('still completes commands, options, option values, choices and files'),
      () => {
        const w = world();
        const complete = (line: string) => shell.complete(line, w);
        expect(complete('papers se')).toEqual(['search']);
        expect(complete('papers list --so')).toEqual(['--sort']);
        expect(complete('papers export --format b')).toEqual(['bibtex']);
        expect(complete('papers --color al')).toEqual(['always']);
        expect(sorted(complete('papers cache '))).toEqual(['clear', 'path']);
        expect(sorted(complete('papers completion '))).toEqual(['bash', 'fish', 'zsh']);
        for (const line of ['papers --corpus ', 'papers export -o ', 'papers import '])
          expect(complete(line)).toEqual(expect.arrayContaining(['c.yaml', 'other.yaml']));
        // The shipped corpus, through the real program.
        expect(complete('papers show hopfield-n')).toEqual(['hopfield-networks-all-you-need']);
      },
      TIMEOUT,
    );

    it.skipIf(shell.missing)(
      title('ids that papers list prints are data: nothing in them runs, and only words that can be ids are offered'),
      () => {
        const w = world({ fake: true });
        expect(sorted(shell.complete('papers show ', w))).toEqual(VALID);
        expect(sorted(shell.complete('papers related al', w))).toEqual(['alpha-one', 'alpha-two']);
        expect(shell.complete('papers show x', w)).toEqual([]);
        expect(w.pwned()).toBe(false);
        expect(w.calls()).toContainEqual(['list', '--format', 'tsv']);
      },
      TIMEOUT,
    );

    it.skipIf(shell.missing)(
      title('a --corpus on the line reaches papers list as one argument, unquoted but never evaluated'),
      () => {
        const w = world({ fake: true });
        const cases: [string, string][] = [
          ['papers --corpus other.yaml show ', '--corpus=other.yaml'],
          ['papers --corpus=other.yaml show ', '--corpus=other.yaml'],
          ["papers --corpus 'my other.yaml' related ", '--corpus=my other.yaml'],
          ['papers --corpus my\\ other.yaml show ', '--corpus=my other.yaml'],
          ['papers --corpus ~/other.yaml show ', `--corpus=${w.env.HOME}/other.yaml`],
          ['papers --corpus "x$(touch PWNED).yaml" show ', '--corpus=x$(touch PWNED).yaml'],
          ["papers --corpus='`touch PWNED`' show ", '--corpus=`touch PWNED`'],
          ['papers --color never --corpus c.yaml show al', '--corpus=c.yaml'],
        ];
        for (const [line, argument] of cases) {
          expect(sorted(shell.complete(line, w)), line).toEqual(line.endsWith('al') ? ['alpha-one', 'alpha-two'] : VALID);
          expect(w.calls().at(-1), line).toEqual([argument, 'list', '--format', 'tsv']);
        }
        expect(w.pwned()).toBe(false);
      },
      TIMEOUT,
    );

    it.skipIf(shell.missing)(
      title('ids come from the corpus given by --corpus FILE, --corpus=FILE or PAPERS_CORPUS, as the program reads it'),
      () => {
        const w = world();
        expect(sorted(shell.complete('papers --corpus c.yaml show ', w))).toEqual(['alpha-one', 'alpha-two', 'beta']);
        expect(sorted(shell.complete('papers --corpus other.yaml show ', w))).toEqual(OTHER_IDS);
        expect(sorted(shell.complete('papers --corpus=other.yaml related other-s', w))).toEqual(['other-second']);
        expect(shell.complete('papers --corpus missing.yaml show ', w)).toEqual([]);
        // After the command too, where the program takes it as well.
        expect(sorted(shell.complete('papers show --corpus other.yaml ', w))).toEqual(OTHER_IDS);
        expect(sorted(shell.complete('papers related --corpus=other.yaml other-s', w))).toEqual(['other-second']);
        expect(sorted(shell.complete('papers refresh --corpus other.yaml other-first ', w))).toEqual(OTHER_IDS);
        const fromEnvironment = world({ env: { PAPERS_CORPUS: 'other.yaml' } });
        expect(sorted(shell.complete('papers show ', fromEnvironment))).toEqual(OTHER_IDS);
        // The command line wins over the environment, as it does for the program.
        expect(sorted(shell.complete('papers --corpus c.yaml show al', fromEnvironment))).toEqual(['alpha-one', 'alpha-two']);
      },
      TIMEOUT,
    );

    it.skipIf(shell.missing)(
      title('a poisoned cache in PAPERS_CACHE_DIR cannot run commands through TAB'),
      () => {
        const w = world({ env: { PAPERS_CORPUS: 'poisoned.yaml' } });
        // Valid ids in the YAML, each replaced in the cache's summaries by a hostile one of the same byte length,
        // so that the cache still passes its size check.
        const poison = HOSTILE.filter((id) => /^[^"\\]{4,}$/.test(id)).map((id, i) => [`p${i}-${'x'.repeat(99)}`.slice(0, id.length), id] as const);
        writeFileSync(join(w.dir, 'poisoned.yaml'), corpusYaml(['alpha-one', ...poison.map(([placeholder]) => placeholder)]));
        const list = (...args: string[]) => spawnSync(BIN, ['list', ...args], { cwd: w.dir, env: w.env, encoding: 'utf8' });
        expect(list().status).toBe(0);
        const cacheDir = join(w.dir, 'cache');
        const [file] = readdirSync(cacheDir).filter((name) => name.endsWith('.cache'));
        const bytes = readFileSync(join(cacheDir, file!));
        for (const [placeholder, hostile] of poison) {
          // The first occurrence is in the summaries, the section `list` reads.
          const at = bytes.indexOf(`"${placeholder}"`);
          expect(at).toBeGreaterThan(0);
          bytes.write(`"${hostile}"`, at);
        }
        writeFileSync(join(cacheDir, file!), bytes);
        // Whether `list` prints the hostile ids (a cache read without checks) or not, TAB offers only its id-shaped words.
        const listed = list('--format', 'tsv')
          .stdout.split('\n')
          .map((row) => row.split('\t')[0]!);
        const offered = shell.complete('papers show ', w);
        expect(w.pwned()).toBe(false);
        expect(sorted(offered)).toEqual(sorted(listed.filter((id) => ID.test(id))));
      },
      TIMEOUT,
    );
  });
