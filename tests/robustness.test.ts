import { spawn as spawnAsync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { BIN, CACHE_DIR, SHIPPED_CORPUS, spawn, tempDir } from './helpers.js';

function digest(prefix: string, count: number, abstractWords = 30): string {
  const lines = ['Mar 11', ''];
  for (let i = 0; i < count; i++) lines.push(`${prefix} paper number ${i}`, '', `${'A sentence about the method. '.repeat(abstractWords / 5)}`, '');
  return lines.join('\n');
}

function runAsync(args: string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnAsync(BIN, args, { env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR } });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

const leftovers = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.tmp') || name.endsWith('.lock') || name.endsWith('.stale'));

describe('writes that lose nothing', () => {
  it('concurrent imports into one corpus keep every paper, ten times in a row', { timeout: 120_000 }, async () => {
    for (let round = 0; round < 10; round++) {
      const dir = tempDir();
      const corpus = join(dir, 'papers.yaml');
      const digests = ['alpha', 'beta', 'gamma', 'delta', 'epsilon'].map((name) => {
        const file = join(dir, `${name}.txt`);
        writeFileSync(file, digest(name, 20));
        return file;
      });
      const results = await Promise.all(digests.map((file) => runAsync(['--corpus', corpus, 'import', file])));
      expect(results.map((r) => r.code)).toEqual([0, 0, 0, 0, 0]);
      const titles = loadCorpus(corpus).map((p) => p.title);
      expect(titles).toHaveLength(100);
      expect(new Set(titles).size).toBe(100);
      expect(leftovers(dir)).toEqual([]);
    }
  });

  it('a process killed while it writes leaves the corpus as it was, and the next import cleans up', { timeout: 300_000 }, async () => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    const before = readFileSync(SHIPPED_CORPUS);
    const big = join(dir, 'big.txt');
    writeFileSync(big, digest('big', 20_000, 60));
    // Kill the import the moment its temporary file appears, that is while it writes the corpus. A kill that
    // comes too late (the file already renamed over the corpus) proves nothing: start again, a bounded number of times.
    let landed = 0;
    for (let round = 0; round < 20 && landed === 0; round++) {
      for (const name of leftovers(dir)) rmSync(join(dir, name));
      writeFileSync(corpus, before);
      const child = spawnAsync(BIN, ['--no-cache', '--corpus', corpus, 'import', big], { env: { PATH: process.env.PATH }, stdio: 'ignore' });
      const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, signal) => resolve([code, signal])));
      const watcher = watch(dir, (_event, name) => {
        if (name?.endsWith('.tmp')) child.kill('SIGKILL');
      });
      const [code, signal] = await closed;
      watcher.close();
      if (signal === null) expect(code).toBe(0);
      if (signal !== 'SIGKILL' || !readdirSync(dir).some((name) => name.endsWith('.tmp'))) continue;
      landed = round + 1;
      expect(readFileSync(corpus).equals(before)).toBe(true);
      expect(leftovers(dir).sort()).toEqual([expect.stringMatching(/^\.papers\.yaml\.\d+\.[0-9a-z]+\.tmp$/), 'papers.yaml.lock']);
    }
    expect(landed, 'no kill landed while the corpus was being written').toBeGreaterThan(0);
    const small = join(dir, 'small.txt');
    writeFileSync(small, digest('small', 2));
    expect(spawn(['--no-cache', '--corpus', corpus, 'import', small])).toEqual({
      code: 0,
      stdout: '',
      stderr: `${corpus}: 2 added, 0 enriched, 0 already present, 1 line of page text skipped\n`,
    });
    expect(loadCorpus(corpus)).toHaveLength(85);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('terminal safety', () => {
  const evilTitle = 'Evil \u001b]0;pwned\u0007 \u001b[2J\u009b31m Title';
  const evilAbstract = 'Line one\u001b[31m red\u0008\u0008 and a bell\u0007.\nSecond line \u001bc reset.';
  const setup = () => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    writeFileSync(corpus, serializeCorpus([{ id: 'evil', title: evilTitle, abstract: evilAbstract, date: 'Mar 1', source: 'x', links: [], code: null }]));
    return corpus;
  };
  const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

  it.each([
    [['list']],
    [['list', '--format', 'table']],
    [['search', 'evil']],
    [['search', 'evil', '--format', 'table']],
    [['show', 'evil']],
    [['show', 'evil', '--format', 'tsv']],
    [['show', 'evil', '--highlight', 'line']],
  ])('%j writes no control character from the data', (args) => {
    const corpus = setup();
    const result = spawn(['--color', 'never', '--corpus', corpus, ...args]);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    expect(result.stdout).toContain('Evil \\x1b]0;pwned\\x07 \\x1b[2J\\x9b31m Title');
  });

  it.each([['json'], ['ndjson'], ['yaml']])('export --format %s escapes them and keeps them', (format) => {
    const corpus = setup();
    const result = spawn(['--corpus', corpus, 'export', '--format', format]);
    expect(result.stdout).not.toMatch(RAW_CONTROL);
    const parsed = format === 'yaml' ? parseYaml(result.stdout) : format === 'json' ? JSON.parse(result.stdout) : [JSON.parse(result.stdout)];
    expect(parsed[0].title).toBe(evilTitle);
    expect(parsed[0].abstract).toBe(evilAbstract);
  });

  it('the corpus file itself keeps them escaped and reads back the same', () => {
    const corpus = setup();
    expect(readFileSync(corpus, 'utf8')).not.toMatch(RAW_CONTROL);
    expect(loadCorpus(corpus)[0]!.title).toBe(evilTitle);
  });
});
