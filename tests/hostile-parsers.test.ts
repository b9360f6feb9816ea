// Inputs built to make a reader run for minutes or fill memory: deep XML, BibTeX macro bombs, huge fields, endless
// standard input, gzip bombs. Each is refused in one line (or read) within seconds, in bounded memory, through the
// built binary; peak memory is that of the spawned process, measured by GNU time.
import { spawn as spawnChild } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { BIN, CACHE_DIR, tempDir } from './helpers.js';

interface Measured {
  stdout: string;
  stderr: string;
  code: number;
  /** Peak resident memory of the papers process, in MB. */
  peakMB: number;
}

/**
 * Runs bin/papers under GNU time (its peak memory), killed after `limitMs` (a hang shows as code -1); `feed`, when
 * given, is a shell command whose output is piped into papers' standard input.
 */
function measure(args: string[], options: { cwd: string; feed?: string; limitMs?: number }): Promise<Measured> {
  const peakFile = join(options.cwd, 'peak.txt');
  const quoted = [BIN, ...args].map((arg) => `'${arg.replace(/'/g, `'\\''`)}'`).join(' ');
  const command = `${options.feed ? `${options.feed} | ` : ''}/usr/bin/time -f %M -o '${peakFile}' ${quoted}`;
  return new Promise((resolve) => {
    const child = spawnChild('/bin/sh', ['-c', command], {
      cwd: options.cwd,
      env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), options.limitMs ?? 20_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      const peak = existsSync(peakFile) ? Number(readFileSync(peakFile, 'utf8').trim().split('\n').at(-1)) : NaN;
      // GNU time adds a line of its own when the command exits non-zero.
      resolve({ stdout, stderr: stderr.replace(/^Command exited with non-zero status \d+\n/m, ''), code: code ?? -1, peakMB: peak / 1024 });
    });
  });
}

describe('gzip input', () => {
  it('256 MB of blank lines (a 256 KB .jsonl.gz) is read in seconds, as an input without papers', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'blank.jsonl.gz'), gzipSync(Buffer.alloc(256 * 1024 * 1024, 0x0a)));
    const result = await measure(['--corpus', 'c.yaml', 'import', 'blank.jsonl.gz'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: 'c.yaml: 0 added, 0 enriched, 0 already present (the input has no papers)\n' });
    expect(result.peakMB).toBeLessThan(200);
  });

  it('a gzip bomb (1.3 MB inflating to 1.3 GB) is refused once it inflates past 1 GB at over 100:1, corpus untouched', { timeout: 40_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'papers: []\n');
    // Gzip members one after another are one gzip stream: 20 of 64 MB of newlines each, without holding 1.3 GB here.
    const member = gzipSync(Buffer.alloc(64 * 1024 * 1024, 0x0a), { level: 9 });
    const fd = openSync(join(dir, 'bomb.jsonl.gz'), 'w');
    for (let i = 0; i < 20; i++) writeSync(fd, member);
    closeSync(fd);
    const result = await measure(['--corpus', 'c.yaml', 'import', 'bomb.jsonl.gz'], { cwd: dir, limitMs: 30_000 });
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'papers: bomb.jsonl.gz: the gzip data inflates to over 100 times its size (1024 MB from 1 MB read): refused as a decompression bomb\n',
    });
    expect(result.peakMB).toBeLessThan(200);
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toBe('papers: []\n');
  });
});

describe('XML (an arXiv Atom feed)', () => {
  const FEED = '<feed xmlns="http://www.w3.org/2005/Atom">\n';
  const ENTRY = '<entry><id>http://arxiv.org/abs/2401.00001v1</id><title>A title</title><summary>An abstract.</summary></entry>\n';

  it('elements nested 100,000 deep are refused at the 65th level, with its line, in well under a second of work', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'papers: []\n');
    writeFileSync(join(dir, 'deep.xml'), `${FEED}${'<a>\n'.repeat(100_000)}${'</a>'.repeat(100_000)}</feed>\n`);
    const result = await measure(['--corpus', 'c.yaml', 'import', 'deep.xml'], { cwd: dir });
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'papers: deep.xml:65: elements nested over 64 deep: this is no feed, and is not read further\n',
    });
    expect(result.peakMB).toBeLessThan(150);
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toBe('papers: []\n');
  });

  it('5,000,000 sibling elements papers does not read are passed over, in bounded memory', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'wide.xml'), `${FEED}${'<x/>'.repeat(5_000_000)}\n${ENTRY}</feed>\n`);
    const result = await measure(['--corpus', 'c.yaml', 'import', 'wide.xml'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: 'c.yaml: 1 added, 0 enriched, 0 already present\n' });
    expect(result.peakMB).toBeLessThan(300);
  });

  it.each([
    [
      '600,000 categories in an entry',
      `${FEED}<entry>${'<category term="cs.LG"/>'.repeat(600_000)}</entry></feed>\n`,
      'over 500,000 entries, authors and other elements read: this is no feed',
    ],
    [
      '300,000 attributes on one element',
      `<feed xmlns="http://www.w3.org/2005/Atom"${Array.from({ length: 300_000 }, (_, i) => ` b${i}="v"`).join('')}>\n${ENTRY}</feed>\n`,
      'an element with over 256 attributes: this is no feed',
    ],
    [
      'a 20 MB summary',
      `${FEED}${ENTRY.replace('An abstract.', 'word '.repeat(4_000_000))}</feed>\n`,
      '<summary> holds over 2 MB of text, more than a field may',
    ],
  ])('%s is refused in one line, exit 2', { timeout: 30_000 }, async (_, text, message) => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'papers: []\n');
    writeFileSync(join(dir, 'feed.xml'), text);
    const result = await measure(['--corpus', 'c.yaml', 'import', 'feed.xml'], { cwd: dir });
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: `papers: feed.xml:${text.startsWith(FEED) ? 2 : 1}: ${message}\n` });
    expect(result.peakMB).toBeLessThan(400);
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toBe('papers: []\n');
  });
});

describe('endless standard input', () => {
  it('yes | papers import - stops at the first paragraph over 2 MB, at once, in little memory, corpus untouched', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'papers: []\n');
    const result = await measure(['--corpus', 'c.yaml', 'import', '-'], { cwd: dir, feed: 'yes' });
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'papers: stdin:1: a paragraph of over 2 MB: no title or abstract is that long, so this is no digest\n',
    });
    expect(result.peakMB).toBeLessThan(150);
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toBe('papers: []\n');
  });

  it("endless blank lines (yes '') stop at 256 MB, the most papers reads whole", { timeout: 30_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'papers: []\n');
    const result = await measure(['--corpus', 'c.yaml', 'import', '-'], { cwd: dir, feed: "yes ''" });
    expect(result).toMatchObject({ code: 2, stdout: '', stderr: 'papers: stdin: more than 256 MB of text, the most papers reads at once; split the input\n' });
    expect(result.peakMB).toBeLessThan(600);
    expect(readFileSync(join(dir, 'c.yaml'), 'utf8')).toBe('papers: []\n');
  });

  it('yes | papers show - stops at 16 MB of references', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    const result = await measure(['--corpus', join(import.meta.dirname, 'fixtures', 'corpus.yaml'), 'show', '-'], { cwd: dir, feed: 'yes' });
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'papers: standard input: more than 16 MB of references, the most papers reads at once; split the input\n',
    });
    expect(result.peakMB).toBeLessThan(150);
  });

  it('a digest with 64 MB of blank lines between its papers is read, without an array of its lines', { timeout: 30_000 }, async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'gaps.txt'), `Mar 11\n\nFirst Paper\n\nIts abstract.\n${'\n'.repeat(64 * 1024 * 1024)}Second Paper\n\nIts abstract.\n`);
    const result = await measure(['--corpus', 'c.yaml', 'import', 'gaps.txt'], { cwd: dir });
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: 'c.yaml: 2 added, 0 enriched, 0 already present, 1 line of page text skipped\n' });
    expect(result.peakMB).toBeLessThan(450);
  });
});

describe('BibTeX', () => {
  /** `@string` macros each twice the one before: a0 is 16 characters, a24 256 MB. */
  const doubling = (times: number) =>
    ['@string{a0 = "xxxxxxxxxxxxxxxx"}', ...Array.from({ length: times }, (_, i) => `@string{a${i + 1} = a${i} # a${i}}`)].join('\n') + '\n';

  async function importBib(text: string): Promise<Measured & { corpus: string; file: string }> {
    const dir = tempDir();
    writeFileSync(join(dir, 'c.yaml'), 'papers: []\n');
    writeFileSync(join(dir, 'refs.bib'), text);
    const result = await measure(['--corpus', 'c.yaml', 'import', 'refs.bib'], { cwd: dir });
    return { ...result, corpus: readFileSync(join(dir, 'c.yaml'), 'utf8'), file: join(dir, 'c.yaml') };
  }

  it('macros doubled 24 times (645 bytes that would expand to 256 MB) are refused at the first one over 2 MB', { timeout: 30_000 }, async () => {
    const text = `${doubling(24)}@article{bomb, title = {T}, abstract = a24}\n`;
    expect(text.length).toBeLessThan(700);
    const result = await importBib(text);
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'papers: refs.bib:19: @string `a18` is over 2 MB, the most papers reads of a field\n',
      corpus: 'papers: []\n',
    });
    expect(result.peakMB).toBeLessThan(150);
  });

  it('macros of 2 MB used again and again are refused once all uses add up to over 16 MB', { timeout: 30_000 }, async () => {
    const uses = Array.from({ length: 10 }, (_, i) => `@article{k${i}, title = {T${i}}, abstract = a17}`).join('\n');
    const result = await importBib(`${doubling(17)}${uses}\n`);
    // The definitions add 4 MB, each use 2 MB: the seventh use passes 16 MB.
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'papers: refs.bib:25: @string macros expand to over 16 MB: refused as a macro bomb\n',
      corpus: 'papers: []\n',
    });
    expect(result.peakMB).toBeLessThan(150);
  });

  it('a 10 MB abstract is refused for its size, naming the entry and the limit', { timeout: 30_000 }, async () => {
    const result = await importBib(`@article{first, title = {Fine}}\n\n@article{huge,\n  title = {T},\n  abstract = {${'word '.repeat(2 * 1024 * 1024)}}\n}\n`);
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'papers: refs.bib:5: entry `huge`: its `abstract` is over 2 MB, the most papers reads of a field\n',
      corpus: 'papers: []\n',
    });
    expect(result.peakMB).toBeLessThan(250);
  });

  it('a 1.5 MB abstract, in braces or quotes, is imported whole', { timeout: 30_000 }, async () => {
    const abstract = 'word '.repeat(300_000).trim();
    const result = await importBib(`@article{a, title = {Braced}, abstract = {${abstract}}}\n@article{b, title = {Quoted}, abstract = "${abstract}"}\n`);
    expect(result).toMatchObject({ code: 0, stdout: '', stderr: 'c.yaml: 2 added, 0 enriched, 0 already present\n' });
    expect(loadCorpus(result.file).map((paper) => [paper.title, paper.abstract])).toEqual([
      ['Braced', abstract],
      ['Quoted', abstract],
    ]);
  });

  it('braces nested 100,000 deep are refused at the 65th', { timeout: 30_000 }, async () => {
    const result = await importBib(`@article{deep,\n  title = ${'{'.repeat(100_000)}T${'}'.repeat(100_000)}\n}\n`);
    expect(result).toMatchObject({
      code: 2,
      stdout: '',
      stderr: 'papers: refs.bib:2: braces nested over 64 deep: this is no BibTeX a tool writes\n',
      corpus: 'papers: []\n',
    });
  });
});
