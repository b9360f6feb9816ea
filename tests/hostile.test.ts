// What a careless or hostile user can do: wrong -o targets, odd files, a shared cache folder, huge
// inputs, races. Each case failed before its fix.
import { spawn as spawnAsync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeCorpus, loadCorpus } from '../src/corpus/store.js';
import type { Paper } from '../src/corpus/paper.js';
import { BIN, FIXTURES, SHIPPED_CORPUS, spawn, tempDir, testPaper as paper } from './helpers.js';

function corpusIn(dir: string, papers: Paper[] = [paper('alpha'), paper('beta')]): string {
  const file = join(dir, 'c.yaml');
  writeFileSync(file, serializeCorpus(papers));
  return file;
}

function digest(prefix: string, count: number): string {
  const lines = ['Mar 11', ''];
  for (let i = 0; i < count; i++) lines.push(`${prefix} paper number ${i}`, '', 'An abstract about the method.', '');
  return lines.join('\n');
}

const isRoot = process.getuid?.() === 0;

describe('export -o never replaces the corpus', () => {
  it.each([
    ['the same path', (c: string) => c],
    ['a relative path', (c: string) => `./${c.split('/').pop()}`],
    ['a ./-spelled path', (c: string) => c.replace(/\/c\.yaml$/, '/./c.yaml')],
    [
      'a symlink to it',
      (c: string) => {
        const link = join(c, '..', 'link.json');
        symlinkSync(c, link);
        return link;
      },
    ],
  ])('%s is refused, exit 2, corpus untouched', (_, spell) => {
    const dir = tempDir();
    const corpus = corpusIn(dir);
    const before = readFileSync(corpus, 'utf8');
    const target = spell(corpus);
    for (const extra of [[], ['--query', 'zzzzqqqq']]) {
      const result = spawn(['--corpus', corpus, 'export', ...extra, '-o', target], { cwd: dir });
      expect(result).toEqual({ code: 2, stdout: '', stderr: `papers: \`${target}\` is the corpus itself; write the export to another file\n` });
      expect(readFileSync(corpus, 'utf8')).toBe(before);
    }
  });
});

describe('-o writes into special files instead of replacing them', () => {
  it('a FIFO stays a FIFO and its reader gets the export', async () => {
    const dir = tempDir();
    const fifo = join(dir, 'f');
    spawnSync('mkfifo', [fifo]);
    const reader = spawnAsync('cat', [fifo]);
    let read = '';
    reader.stdout.on('data', (d) => (read += d));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    const result = spawn(['--corpus', join(FIXTURES, 'corpus.yaml'), 'export', '--format', 'ndjson', '--fields', 'id', '-o', fifo]);
    await closed;
    expect(result).toEqual({ code: 0, stdout: '', stderr: `wrote 3 papers to ${fifo}\n` });
    expect(read).toBe('{"id":"graph-networks-molecules"}\n{"id":"quoting-test"}\n{"id":"hypernetworks-continual"}\n');
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });

  // A null device of the test's own (root may make one): should this ever regress, the machine's
  // /dev/null is not the file that gets replaced.
  it.skipIf(!isRoot)('as root, -o to a null device leaves it a character device', () => {
    const device = join(tempDir(), 'null');
    expect(spawnSync('mknod', ['-m', '666', device, 'c', '1', '3']).status).toBe(0);
    expect(spawn(['export', '-o', device])).toEqual({ code: 0, stdout: '', stderr: `wrote 83 papers to ${device}\n` });
    expect(lstatSync(device).isCharacterDevice()).toBe(true);
  });

  it('-o /dev/stdout writes to standard output', () => {
    const result = spawn(['--corpus', join(FIXTURES, 'corpus.yaml'), 'export', '--format', 'csv', '--fields', 'id', '-o', '/dev/stdout']);
    expect(result.stdout).toBe('id\r\ngraph-networks-molecules\r\nquoting-test\r\nhypernetworks-continual\r\n');
  });
});

describe('writes keep mode and owner, and go through symlinks', () => {
  const importInto = (corpus: string, env: NodeJS.ProcessEnv = {}) => {
    const file = join(corpus, '..', 'd.txt');
    writeFileSync(file, digest('fresh', 1));
    return spawn(['--corpus', corpus, 'import', file], { env });
  };

  it('a chmod 600 corpus is still 600 after an import', () => {
    const corpus = corpusIn(tempDir());
    chmodSync(corpus, 0o600);
    expect(importInto(corpus).code).toBe(0);
    expect(statSync(corpus).mode & 0o777).toBe(0o600);
  });

  it('an import writes through a symlinked corpus to the real file, and the link stays a link', () => {
    const dir = tempDir();
    mkdirSync(join(dir, 'dotfiles'));
    const real = corpusIn(join(dir, 'dotfiles'));
    const link = join(dir, 'linked.yaml');
    symlinkSync(real, link);
    expect(importInto(link).code).toBe(0);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(real);
    expect(loadCorpus(real).map((p) => p.id)).toEqual(['alpha', 'beta', 'fresh-paper-number-0']);
  });

  it.skipIf(!isRoot)('as another user, a read-only root-owned corpus is refused, not replaced', () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const corpus = corpusIn(dir);
    chmodSync(corpus, 0o444);
    const file = join(dir, 'd.txt');
    writeFileSync(file, digest('fresh', 1));
    const result = spawn(['--no-cache', '--corpus', corpus, 'import', file], { uid: 65534, gid: 65534 });
    expect(result).toEqual({ code: 2, stdout: '', stderr: `papers: ${corpus}: cannot write: permission denied\n` });
    expect(statSync(corpus).uid).toBe(0);
    expect(loadCorpus(corpus)).toHaveLength(2);
  });

  it.skipIf(!isRoot)('root importing into a corpus another user owns leaves it theirs', () => {
    const corpus = corpusIn(tempDir());
    chownSync(corpus, 65534, 65534);
    expect(importInto(corpus).code).toBe(0);
    expect([statSync(corpus).uid, statSync(corpus).gid]).toEqual([65534, 65534]);
  });
});

function importAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnAsync(BIN, args, { env: { PATH: process.env.PATH, PAPERS_NO_CACHE: '1' } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

describe('the corpus lock', () => {
  it('12 imports racing a stale lock lose no paper, ten times over', { timeout: 240_000 }, async () => {
    for (let round = 0; round < 10; round++) {
      const dir = tempDir();
      const corpus = corpusIn(dir, []);
      // Left by a process that is gone (pid 2^22 - 1 is above Linux's pid_max default).
      writeFileSync(`${corpus}.lock`, `4194303 ${(await import('node:os')).hostname()} 0 gone`);
      const files = Array.from({ length: 12 }, (_, i) => {
        const file = join(dir, `d${i}.txt`);
        writeFileSync(file, digest(`racer${i}`, 1));
        return file;
      });
      const results = await Promise.all(files.map((file) => importAsync(['--corpus', corpus, 'import', file])));
      expect(results.map((r) => r.code)).toEqual(Array(12).fill(0));
      expect(loadCorpus(corpus)).toHaveLength(12);
      expect(readdirSync(dir).filter((n) => n.includes('.lock') || n.endsWith('.tmp'))).toEqual([]);
    }
  });

  it.each([
    ['a folder', (lock: string) => mkdirSync(lock), 'a folder'],
    ['a dangling symlink', (lock: string) => symlinkSync('/nonexistent/target', lock), 'a symbolic link'],
  ])('a lock path that is %s is reported at once, not spun on', (_, make, kind) => {
    const dir = tempDir();
    const corpus = corpusIn(dir);
    make(`${corpus}.lock`);
    const file = join(dir, 'd.txt');
    writeFileSync(file, digest('x', 1));
    const started = Date.now();
    const result = spawn(['--corpus', corpus, 'import', file]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${corpus}: the lock ${corpus}.lock is ${kind}, not a lock papers made; remove it if no papers is running\n`,
    });
    // Reported, not waited out: the wait for a busy lock is a minute.
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('escapes in any printed field are shown, not run', () => {
  it('a date with an OSC title sequence and a clear-screen is escaped in the list table', () => {
    const corpus = corpusIn(tempDir(), [paper('evil', { date: '\u001b]0;pwned\u0007\u001b[2JMar 1' })]);
    const result = spawn(['--corpus', corpus, '--color', 'never', 'list', '--format', 'table']);
    expect(result.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    // Cut to the date column's width, escapes and all.
    expect(result.stdout).toContain('\\x1b]0;pwne…');
    expect(spawn(['--corpus', corpus, 'list', '--format', 'tsv']).stdout).toBe('evil\tTitle of evil\t\\x1b]0;pwned\\x07\\x1b[2JMar 1\t\n');
  });
});

describe('a damaged cache is rebuilt, not trusted', () => {
  function damage(cacheDir: string, find: string, replace: string): void {
    const [name] = readdirSync(cacheDir).filter((n) => n.endsWith('.cache'));
    const file = join(cacheDir, name!);
    const bytes = readFileSync(file);
    const at = bytes.indexOf(find);
    expect(at).toBeGreaterThan(0);
    bytes.write(replace, at);
    writeFileSync(file, bytes);
  }

  it.each([
    ['an id in the list', 'magnitude-invariant', 'magnitude-invarianX', ['list']],
    ['a title inside a paper', 'Hopfield Networks is All', 'Hopfield Networks is Xll', ['show', 'hopfield-networks-all-you-need']],
    ['a word of the index', 'hypernetwork', 'hypernetworX', ['search', 'hypernetwork']],
  ])('a flipped byte in %s: the same output as without the cache, and a good cache after', (_, find, replace, args) => {
    const dir = tempDir();
    const corpus = join(dir, 'c.yaml');
    writeFileSync(corpus, readFileSync(SHIPPED_CORPUS));
    const env = { PAPERS_CACHE_DIR: join(dir, 'cache') };
    const truth = spawn(['--no-cache', '--corpus', corpus, ...args], { env });
    expect(spawn(['--corpus', corpus, ...args], { env })).toEqual(truth);
    damage(env.PAPERS_CACHE_DIR, find, replace);
    expect(spawn(['--corpus', corpus, ...args], { env })).toEqual(truth);
    expect(spawn(['--corpus', corpus, ...args], { env })).toEqual(truth);
  });

  it('an id from a cache written by someone else, with a shell command in it, is refused', () => {
    const dir = tempDir();
    const corpus = corpusIn(dir);
    const env = { PAPERS_CACHE_DIR: join(dir, 'cache') };
    spawn(['--corpus', corpus, 'list'], { env });
    // Same length, so the cache still looks whole: only its checks can tell.
    damage(env.PAPERS_CACHE_DIR, '"alpha"', '"$(id)"');
    expect(spawn(['--corpus', corpus, 'list'], { env }).stdout).toBe('alpha\tTitle of alpha\tMar 1\t\nbeta\tTitle of beta\tMar 1\t\n');
  });
});

describe('no crash or hang on big or odd input', () => {
  it('a word that occurs 200,000 times in one abstract is searched and highlighted', () => {
    const corpus = corpusIn(tempDir(), [paper('many', { abstract: 'alpha '.repeat(200_000) })]);
    expect(spawn(['--corpus', corpus, 'search', 'alpha'])).toEqual({ code: 0, stdout: 'many\tTitle of many\t0.400\n', stderr: '' });
    const table = spawn(['--corpus', corpus, 'search', 'alpha', '--format', 'table', '--color', 'always']);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain('\u001b[1m\u001b[33malpha\u001b[39m\u001b[22m');
  });

  it('a list table of 30,000 papers on a terminal', { timeout: 60_000 }, () => {
    const corpus = corpusIn(
      tempDir(),
      Array.from({ length: 30_000 }, (_, i) => paper(`p${i}`)),
    );
    const result = spawn(['--corpus', corpus, 'list', '--format', 'table']);
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toHaveLength(30_002);
  });

  it.each([['/dev/zero'], ['/dev/urandom']])('import %s stops at once: not text', (device) => {
    const corpus = corpusIn(tempDir());
    const result = spawn(['--corpus', corpus, 'import', device]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^papers: ${device}: not (a text digest|UTF-8 text)`));
  });

  it('--corpus /dev/zero is refused: a corpus must be a regular file', () => {
    expect(spawn(['--corpus', '/dev/zero', 'list'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: /dev/zero: not a regular file; a corpus must be a file\n',
    });
  });

  it('a write error other than a closed pipe is one line and exit 2', () => {
    const result = spawnSync('sh', ['-c', `"${BIN}" export > /dev/full`], { encoding: 'utf8' });
    expect({ code: result.status, stderr: result.stderr }).toEqual({
      code: 2,
      stderr: 'papers: cannot write the output: no space left on the device (ENOSPC)\n',
    });
  });

  it('a cache folder under /proc, or a FIFO where the cache file should be, leaves commands working without it', () => {
    const corpus = corpusIn(tempDir());
    const expected = 'alpha\tTitle of alpha\tMar 1\t\nbeta\tTitle of beta\tMar 1\t\n';
    const proc = spawnSync(BIN, ['--corpus', corpus, 'list'], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: '/proc/self/cache' },
    });
    expect(proc.stdout).toBe(expected);
    const cacheDir = join(tempDir(), 'cache');
    mkdirSync(cacheDir);
    const cacheFile = spawn(['--corpus', corpus, 'cache', 'path'], { env: { PAPERS_CACHE_DIR: cacheDir } }).stdout.trim();
    spawnSync('mkfifo', [cacheFile]);
    const fifo = spawnSync(BIN, ['--corpus', corpus, 'list'], {
      encoding: 'utf8',
      timeout: 20_000,
      env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: cacheDir },
    });
    expect(fifo.stdout).toBe(expected);
    expect(lstatSync(cacheFile).isFIFO()).toBe(true);
  });
});

describe('wrong results', () => {
  it('-has:code means without code', () => {
    const ids = (args: string[]) =>
      spawn(args)
        .stdout.trimEnd()
        .split('\n')
        .map((line) => line.split('\t')[0]);
    const all = ids(['search', 'graph', '--all']);
    const withCode = ids(['search', 'graph', 'has:code', '--all']);
    const without = ids(['search', 'graph', '-has:code', '--all']);
    expect(withCode).toEqual(['evaluating-deep-graph-neural', 'harnessing-explanations-llm-lm', 'self-supervised-learning-graphs']);
    expect(without.length).toBe(all.length - 3);
    expect([...withCode, ...without].sort()).toEqual([...all].sort());
    expect(without.filter((id) => withCode.includes(id))).toEqual([]);
  });
});

describe('smaller ones', () => {
  it('import of a papers corpus (the corpus file itself) is read as one, not as a digest: nothing changes', () => {
    const corpus = corpusIn(tempDir());
    const before = readFileSync(corpus, 'utf8');
    expect(spawn(['--corpus', corpus, 'import', corpus])).toEqual({ code: 0, stdout: '', stderr: `${corpus}: 0 added, 0 enriched, 2 already present\n` });
    expect(readFileSync(corpus, 'utf8')).toBe(before);
  });

  it('search x -n says -n needs a value', () => {
    expect(spawn(['search', 'x', '-n'])).toEqual({ code: 2, stdout: '', stderr: 'papers: -n needs a value\n' });
  });

  it('an empty PAPERS_CORPUS is no corpus setting; an empty --corpus is an error', () => {
    expect(spawn(['list', '--limit', '1'], { env: { PAPERS_CORPUS: '' } }).stdout).toBe(spawn(['list', '--limit', '1']).stdout);
    expect(spawn(['--corpus', '', 'list'])).toEqual({ code: 2, stdout: '', stderr: 'papers: --corpus needs a file or folder name\n' });
  });

  it('a long query that matches nothing is quoted back short: a few words, each cut', () => {
    const same = spawn(['search', ...Array(2000).fill('zzqx')]);
    expect(same).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper has "zzqx"\n' });
    const many = spawn(['search', ...Array.from({ length: 300 }, (_, i) => `zzqx${i}`), 'q'.repeat(100)]);
    expect(many).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper has "zzqx0", "zzqx1", "zzqx2", "zzqx3", "zzqx4" and 296 more words\n' });
    const long = spawn(['search', 'q'.repeat(100)]);
    expect(long.stderr).toBe(`papers: no paper has "${'q'.repeat(39)}…"\n`);
  });

  it('cache clear leaves a folder named like a cache file alone, and says how many files it removed', () => {
    const cacheDir = join(tempDir(), 'cache');
    mkdirSync(join(cacheDir, 'corpus-0123456789abcdef.cache'), { recursive: true });
    writeFileSync(join(cacheDir, 'corpus-fedcba9876543210.cache'), 'x');
    expect(spawn(['cache', 'clear'], { env: { PAPERS_CACHE_DIR: cacheDir } })).toEqual({
      code: 0,
      stdout: '',
      stderr: `removed 1 cache file from ${cacheDir}\n`,
    });
    expect(existsSync(join(cacheDir, 'corpus-0123456789abcdef.cache'))).toBe(true);
  });

  it.each([
    ['UTF-16LE with a byte-order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(digest('wide', 2), 'utf16le')])],
    ['UTF-16LE without one', Buffer.from(digest('wide', 2), 'utf16le')],
    ['UTF-16BE with a byte-order mark', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(digest('wide', 2), 'utf16le').swap16()])],
  ])('a digest saved as %s is read', (_, bytes) => {
    const dir = tempDir();
    const corpus = corpusIn(dir, []);
    writeFileSync(join(dir, 'd.txt'), bytes);
    expect(spawn(['--corpus', corpus, 'import', join(dir, 'd.txt')]).code).toBe(0);
    expect(loadCorpus(corpus).map((p) => p.title)).toEqual(['wide paper number 0', 'wide paper number 1']);
  });
});
