// What a hostile corpus can do through `open` and through output written to a terminal: links that an opener
// would read as options or run as scripts, URLs that a shell would expand, escape sequences that drive the
// terminal. Each case failed before its fix, but for the guard that a pipe still gets every byte as it is; every
// run is bounded in time.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../src/corpus/paper.js';
import { serializeCorpus } from '../src/corpus/store.js';
import { BIN, CACHE_DIR, tempDir, testPaper as paper, type Result } from './helpers.js';
import { PTY_UNAVAILABLE, runInPty } from './pty.js';

// Longer than an opener is waited for (3 s), shorter than a test may take.
const RUN_LIMIT_MS = 15_000;
const TEST_LIMIT_MS = 30_000;

/** bin/papers in a pipe, killed if it runs past RUN_LIMIT_MS. */
function papers(args: string[], env: NodeJS.ProcessEnv = {}): Result {
  const result = spawnSync(BIN, args, {
    input: '',
    encoding: 'utf8',
    timeout: RUN_LIMIT_MS,
    killSignal: 'SIGKILL',
    env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR, ...env },
  });
  if (result.error) throw result.error;
  return { stdout: result.stdout, stderr: result.stderr, code: result.status ?? -1 };
}

function corpusOf(papers: Paper[]): string[] {
  const file = join(tempDir(), 'c.yaml');
  writeFileSync(file, serializeCorpus(papers));
  return ['--corpus', file];
}

/** An executable that writes each of its arguments, NUL-ended, to `log`, then exits with `status`. */
function recorder(dir: string, name: string, status = 0): { path: string; log: string } {
  const path = join(dir, name);
  const log = `${path}.argv`;
  writeFileSync(path, `#!/bin/sh\nfor a in "$@"; do printf '%s\\0' "$a"; done > '${log}'\nexit ${status}\n`);
  chmodSync(path, 0o755);
  return { path, log };
}

const argvOf = (log: string) => (existsSync(log) ? readFileSync(log, 'utf8').split('\0').slice(0, -1) : null);

describe('open hands an opener only http(s) URLs', () => {
  it.each([
    ['code', '--renderer-cmd-prefix=touch /tmp/owned', ['--code']],
    ['code', '-e /bin/sh', ['--code']],
    ['code', 'javascript:alert(document.cookie)', ['--code']],
    ['link', 'file:///etc/passwd', []],
    ['link', 'data:text/html,<script>alert(1)</script>', []],
    ['link', ' https://example.org/a leading space', []],
    ['link', 'https//example.org', []],
  ])('a %s `%s` is refused with one line and exit 2, and no opener runs', (field, link, option) => {
    const dir = tempDir();
    const browser = recorder(dir, 'browser');
    const corpus = corpusOf([paper('evil', field === 'code' ? { code: link, links: [link] } : { links: [link] })]);
    const what = field === 'code' ? 'code' : 'link';
    const expected = {
      code: 2,
      stdout: '',
      stderr: `papers: \`evil\` has no ${what} that can be opened: \`${link}\` is not an http or https URL\n`,
    };
    expect(papers([...corpus, 'open', 'evil', ...option], { BROWSER: browser.path })).toEqual(expected);
    expect(papers([...corpus, 'open', 'evil', ...option, '--print'], { BROWSER: browser.path })).toEqual(expected);
    expect(argvOf(browser.log)).toBeNull();
  });

  it('a URL holding a NUL byte, which no program argument can hold, is refused with one line and exit 2', () => {
    const corpus = corpusOf([paper('nul', { url: 'https://example.org/a\0b' })]);
    const expected = {
      code: 2,
      stdout: '',
      stderr: 'papers: `nul` has no link that can be opened: `https://example.org/a\\x00b` is not an http or https URL\n',
    };
    expect(papers([...corpus, 'open', 'nul'], { BROWSER: '/bin/true' })).toEqual(expected);
    expect(papers([...corpus, 'open', 'nul', '--print'])).toEqual(expected);
  });

  it('xdg-open never gets a link as an option: refused before it runs, and a web URL alone as its argument', () => {
    const dir = tempDir();
    const bin = join(dir, 'bin');
    mkdirSync(bin);
    const xdg = recorder(bin, 'xdg-open');
    const corpus = corpusOf([
      paper('evil', { code: '--renderer-cmd-prefix=touch /tmp/owned', links: ['--renderer-cmd-prefix=touch /tmp/owned'] }),
      paper('good', { url: 'https://example.org/good' }),
    ]);
    const env = { PATH: `${bin}:${process.env.PATH}` };
    expect(papers([...corpus, 'open', 'evil', '--code'], env)).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: `evil` has no code that can be opened: `--renderer-cmd-prefix=touch /tmp/owned` is not an http or https URL\n',
    });
    expect(argvOf(xdg.log)).toBeNull();
    expect(papers([...corpus, 'open', 'good'], env)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(argvOf(xdg.log)).toEqual(['https://example.org/good']);
  });

  it('without an option, the first link that is a web page is opened and printed, past any that are not', () => {
    const corpus = corpusOf([paper('mixed', { code: 'javascript:alert(1)', links: ['file:///etc/passwd', 'HTTPS://example.org/mixed'] })]);
    expect(papers([...corpus, 'open', 'mixed', '--print'])).toEqual({ code: 0, stdout: 'HTTPS://example.org/mixed\n', stderr: '' });
    const dir = tempDir();
    const browser = recorder(dir, 'browser');
    expect(papers([...corpus, 'open', 'mixed'], { BROWSER: browser.path })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(argvOf(browser.log)).toEqual(['HTTPS://example.org/mixed']);
  });
});

describe('BROWSER gets the URL exactly, without a shell', () => {
  // Everything a shell or a replacement pattern would change: $ and $& $' $`, backquotes, &, ;, %20, quotes.
  const url = "https://example.org/a$HOME/$(id)/`id`?q=1&r=$&s=$'t=$`;u=%20v\"w'x";
  const corpus = () => corpusOf([paper('tricky', { url })]);

  it.each([
    ['the URL as its last argument', (b: string) => b, (_: string) => [url]],
    ['%s replaced in a word', (b: string) => `${b} --new-tab %s`, () => ['--new-tab', url]],
    ['%s inside a word, twice', (b: string) => `${b} --url=%s --again=%s`, () => [`--url=${url}`, `--again=${url}`]],
    ['quoted words kept whole', (b: string) => `${b} "two words" 'it''s' a\\ b %s`, () => ['two words', 'its', 'a b', url]],
  ])('BROWSER with %s', (_, browser, expected) => {
    const dir = tempDir();
    const { path, log } = recorder(dir, 'browser');
    expect(papers([...corpus(), 'open', 'tricky'], { BROWSER: browser(path) })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(argvOf(log)).toEqual(expected(path));
  });

  it('a program whose path has a space, quoted in BROWSER', () => {
    const dir = join(tempDir(), 'My Browser');
    mkdirSync(dir);
    const { path, log } = recorder(dir, 'browser');
    expect(papers([...corpus(), 'open', 'tricky'], { BROWSER: `"${path}" %s` })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(argvOf(log)).toEqual([url]);
  });

  it('BROWSER as a colon-separated list: each is tried in turn until one opens the page', () => {
    const dir = tempDir();
    const failing = recorder(dir, 'failing', 3);
    const working = recorder(dir, 'working');
    const list = `/nonexistent/browser %s:${failing.path} --tab %s::${working.path} --window %s`;
    expect(papers([...corpus(), 'open', 'tricky'], { BROWSER: list })).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(argvOf(failing.log)).toEqual(['--tab', url]);
    expect(argvOf(working.log)).toEqual(['--window', url]);
  });

  it('when every program of the list fails: exit 1, one line naming each and why', () => {
    const dir = tempDir();
    const failing = recorder(dir, 'failing', 3);
    const corpus = corpusOf([paper('plain', { url: 'https://example.org/plain' })]);
    expect(papers([...corpus, 'open', 'plain'], { BROWSER: `/nonexistent/browser:${failing.path}` })).toEqual({
      code: 1,
      stdout: '',
      stderr: `papers: no program in BROWSER could open https://example.org/plain (\`/nonexistent/browser\`: ENOENT; \`${failing.path}\`: exit status 3); use --print to get the URL\n`,
    });
    expect(papers([...corpus, 'open', 'plain'], { BROWSER: '/nonexistent/one:/nonexistent/two' })).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'papers: no program in BROWSER could open https://example.org/plain (`/nonexistent/one`: ENOENT; `/nonexistent/two`: ENOENT); set BROWSER, or use --print\n',
    });
  });

  it('a BROWSER with an unmatched quote is one line and exit 2, and nothing runs', () => {
    const dir = tempDir();
    const { path, log } = recorder(dir, 'browser');
    const corpus = corpusOf([paper('plain', { url: 'https://example.org/plain' })]);
    expect(papers([...corpus, 'open', 'plain'], { BROWSER: `${path} "--new-tab %s` })).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: BROWSER has an unmatched quote: \`${path} "--new-tab %s\`\n`,
    });
    expect(argvOf(log)).toBeNull();
  });
});

describe('escape sequences from the data reach a terminal only as visible escapes', () => {
  // A window title, a hyperlink, blinking, a C1 CSI (clear screen), NEL, a bell, a backspace, a carriage return.
  const HOSTILE = '\x1b]0;owned\x07\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\\x1b[5mblink\x1b[0m\x9b2J\x85\x07\x08\rX';
  const SHOWN = '\\x1b]0;owned\\x07\\x1b]8;;https://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\\\x1b[5mblink\\x1b[0m\\x9b2J\\x85\\x07\\x08\\x0dX';
  const URL_HOSTILE = 'https://example.org/\x1b]0;owned\x07';
  const papers_ = () => [
    paper('hostile', {
      title: `Title ${HOSTILE}`,
      abstract: `Abstract ${HOSTILE}`,
      authors: [`Ann ${HOSTILE}`],
      url: URL_HOSTILE,
      arxiv: '2401.00001',
      journal: `Journal ${HOSTILE}`,
      links: [URL_HOSTILE],
    }),
  ];
  const FORMATS = ['json', 'ndjson', 'yaml', 'csv', 'bibtex', 'csl-json', 'ris', 'markdown'];
  // On a terminal: no C0 control but tab and line ends (the pty shows LF as CRLF), no DEL, no C1.
  const RAW_CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]|\r(?!\n)/;

  it.skipIf(PTY_UNAVAILABLE)(
    'open --print on a terminal shows the escapes; in a pipe it prints the URL byte for byte',
    async () => {
      const corpus = corpusOf(papers_());
      const shown = await runInPty([...corpus, 'open', 'hostile', '--print'], { columns: 80, timeoutMs: RUN_LIMIT_MS, env: { PAPERS_CACHE_DIR: CACHE_DIR } });
      expect(shown).toEqual({ code: 0, stdout: 'https://example.org/\\x1b]0;owned\\x07\n' });
      expect(papers([...corpus, 'open', 'hostile', '--print'])).toEqual({ code: 0, stdout: `${URL_HOSTILE}\n`, stderr: '' });
    },
    TEST_LIMIT_MS,
  );

  it.skipIf(PTY_UNAVAILABLE)(
    'export --format csv on a terminal shows the escapes; in a pipe the bytes are kept',
    async () => {
      const corpus = corpusOf(papers_());
      const fields = ['--fields', 'id,title'];
      const shown = await runInPty([...corpus, 'export', '--format', 'csv', ...fields], {
        columns: 80,
        timeoutMs: RUN_LIMIT_MS,
        env: { PAPERS_CACHE_DIR: CACHE_DIR },
      });
      expect(shown).toEqual({ code: 0, stdout: `id,title\r\nhostile,Title ${SHOWN}\r\n` });
      expect(papers([...corpus, 'export', '--format', 'csv', ...fields])).toEqual({ code: 0, stdout: `id,title\r\nhostile,Title ${HOSTILE}\r\n`, stderr: '' });
    },
    TEST_LIMIT_MS,
  );

  it(
    'in a pipe every export format writes the bytes it writes to a file',
    () => {
      const corpus = corpusOf(papers_());
      const dir = tempDir();
      for (const format of FORMATS) {
        const file = join(dir, `out.${format}`);
        expect(papers([...corpus, 'export', '--format', format, '-o', file]).code).toBe(0);
        expect({ format, ...papers([...corpus, 'export', '--format', format]) }).toEqual({ format, code: 0, stdout: readFileSync(file, 'utf8'), stderr: '' });
      }
    },
    TEST_LIMIT_MS,
  );

  it.skipIf(PTY_UNAVAILABLE)(
    'export -o naming a terminal (/dev/tty) shows the escapes too',
    async () => {
      const corpus = corpusOf(papers_());
      const args = [...corpus, 'export', '--format', 'csv', '--fields', 'id,title', '-o', '/dev/tty'];
      const shown = await runInPty(args, { columns: 80, timeoutMs: RUN_LIMIT_MS, env: { PAPERS_CACHE_DIR: CACHE_DIR } });
      expect(shown).toEqual({ code: 0, stdout: `id,title\r\nhostile,Title ${SHOWN}\r\nwrote 1 paper to /dev/tty\n` });
    },
    TEST_LIMIT_MS,
  );

  it.skipIf(PTY_UNAVAILABLE)(
    'no export format writes a raw control character to a terminal',
    async () => {
      const corpus = corpusOf(papers_());
      const runs: [string, string[]][] = [
        ...FORMATS.map((f): [string, string[]] => [f, ['export', '--format', f]]),
        ['tsv (show)', ['show', 'hostile', '--format', 'tsv']],
        ['tsv (list)', ['list', '--format', 'tsv']],
        ['show', ['show', 'hostile']],
      ];
      // Colour is the program's own escape sequences, not the data's.
      const results = await Promise.all(
        runs.map(([, args]) =>
          runInPty([...corpus, '--color', 'never', ...args], { columns: 80, timeoutMs: RUN_LIMIT_MS, env: { PAPERS_CACHE_DIR: CACHE_DIR } }),
        ),
      );
      const seen = results.map(({ code, stdout }, i) => ({ run: runs[i]![0], code, raw: RAW_CONTROL.exec(stdout)?.[0], shown: stdout.includes('owned') }));
      expect(seen).toEqual(runs.map(([run]) => ({ run, code: 0, raw: undefined, shown: true })));
    },
    TEST_LIMIT_MS,
  );
});
