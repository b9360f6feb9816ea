import { spawn as spawnAsync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, FIXTURES, spawn, tempDir } from './helpers.js';
import { rewriteCache, rewriteKept } from './forge.js';

function setup() {
  const dir = tempDir();
  const corpus = join(dir, 'papers.yaml');
  writeFileSync(corpus, readFileSync(join(FIXTURES, 'corpus.yaml'), 'utf8'));
  const cache = join(dir, 'cache');
  return { dir, corpus, cache, env: { PAPERS_CACHE_DIR: cache } };
}

const cacheFiles = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
/** A file's identity: a rewrite (to a temporary file, renamed over) gives it a new inode and time. */
const identity = (file: string) => {
  const stat = statSync(file);
  return { ino: stat.ino, mtimeMs: stat.mtimeMs };
};

describe('the derived cache', () => {
  it('is written on first use, then read and not rewritten, and gives the same answers as the YAML', () => {
    const { corpus, cache, env } = setup();
    const args = ['--corpus', corpus, 'search', 'graph', '--format', 'json'];
    const direct = spawn(['--no-cache', ...args], { env });
    expect(direct.code).toBe(0);
    expect(cacheFiles(cache)).toEqual([]);
    expect(spawn(args, { env })).toEqual(direct);
    expect(cacheFiles(cache)).toHaveLength(1);
    const file = join(cache, cacheFiles(cache)[0]!);
    const written = identity(file);
    expect(spawn(args, { env })).toEqual(direct);
    expect(spawn(['--corpus', corpus, 'list'], { env })).toEqual(spawn(['--no-cache', '--corpus', corpus, 'list'], { env }));
    expect(spawn(['--corpus', corpus, 'show', 'quoting'], { env })).toEqual(spawn(['--no-cache', '--corpus', corpus, 'show', 'quoting'], { env }));
    expect(identity(file)).toEqual(written);
  });

  it('keeps the figures of stats beside it until the YAML changes', () => {
    const { corpus, cache, env } = setup();
    const stats = () => JSON.parse(spawn(['--corpus', corpus, 'stats', '--format', 'json'], { env }).stdout).keywords;
    expect(stats()).toEqual([{ phrase: 'networks', papers: 2, weight: 0.35 }]);
    const kept = join(
      cache,
      cacheFiles(cache).find((name) => name.endsWith('.stats'))!,
    );
    // What is kept is what is shown: edited, stats shows the edit...
    rewriteKept(kept, (text) => text.replace('"networks"', '"kept keyword"'));
    expect(stats()).toEqual([{ phrase: 'kept keyword', papers: 2, weight: 0.35 }]);
    // ...until the corpus changes, when the keywords are worked out again.
    writeFileSync(corpus, `${readFileSync(corpus, 'utf8')}\n`);
    expect(stats()).toEqual([{ phrase: 'networks', papers: 2, weight: 0.35 }]);
    expect(readFileSync(kept, 'utf8')).toContain('"networks"');
  });

  it('is what commands read while the YAML is unchanged', () => {
    const { corpus, cache, env } = setup();
    spawn(['--corpus', corpus, 'list'], { env });
    // A title changed inside the cache, with its checksums made to match: the answers come from the cache.
    const file = join(cache, cacheFiles(cache)[0]!);
    rewriteCache(file, (text) => text.replaceAll('Graph Networks for Molecules', 'Graph Networks for Moleculez'));
    const row = (title: string) => `graph-networks-molecules\t${title}\tApr 2\thttps://github.com/example/mol-gnn\n`;
    expect(spawn(['--corpus', corpus, 'list', '--limit', '1'], { env }).stdout).toBe(row('Graph Networks for Moleculez'));
    expect(spawn(['--corpus', corpus, 'show', 'graph-networks-molecules'], { env }).stdout).toMatch(/^Graph Networks for Moleculez\n/);
    expect(spawn(['--no-cache', '--corpus', corpus, 'list', '--limit', '1'], { env }).stdout).toBe(row('Graph Networks for Molecules'));
  });

  it('is rebuilt from the YAML when a change inside it does not match its checksums', () => {
    const { corpus, cache, env } = setup();
    spawn(['--corpus', corpus, 'list'], { env });
    const file = join(cache, cacheFiles(cache)[0]!);
    const text = readFileSync(file, 'latin1');
    writeFileSync(file, text.replaceAll('Graph Networks for Molecules', 'Graph Networks for Moleculez'), 'latin1');
    const row = `graph-networks-molecules\tGraph Networks for Molecules\tApr 2\thttps://github.com/example/mol-gnn\n`;
    expect(spawn(['--corpus', corpus, 'list', '--limit', '1'], { env }).stdout).toBe(row);
    expect(readFileSync(file, 'latin1')).not.toContain('Moleculez');
  });

  it.each([
    ['its place', (bytes: Buffer, at: number) => bytes.writeDoubleLE(bytes.readDoubleLE(at) + 1, at), 'docOffsets', 8],
    ['its checksum', (bytes: Buffer, at: number) => (bytes[at + 1]! ^= 0x40), 'docChecksums', 4],
  ])('is rebuilt from the YAML when a paper read alone has %s damaged', (_what, damage, section, width) => {
    const { corpus, cache, env } = setup();
    const good = spawn(['--corpus', corpus, 'show', 'graph-networks-molecules'], { env });
    expect(good.code).toBe(0);
    const file = join(cache, cacheFiles(cache)[0]!);
    const intact = readFileSync(file);
    const bytes = Buffer.from(intact);
    const magic = 'papers-cache\n'.length;
    const headerLength = bytes.readUInt32LE(magic);
    const header = JSON.parse(bytes.subarray(magic + 4, magic + 4 + headerLength).toString()) as { sections: Record<string, [number, number]> };
    // A paper's place and checksum are read for it alone, unchecked: its bytes must then fail their check.
    const doc =
      readFileSync(corpus, 'utf8')
        .split('\n  - id: ')
        .findIndex((part) => part.startsWith('graph-networks-molecules')) - 1;
    expect(doc).toBeGreaterThanOrEqual(0);
    damage(bytes, magic + 4 + headerLength + header.sections[section]![0] + width * doc);
    writeFileSync(file, bytes);
    expect(spawn(['--corpus', corpus, 'show', 'graph-networks-molecules'], { env })).toEqual(good);
    // Rebuilt whole (the corpus is the same, so the cache is too).
    expect(readFileSync(file).equals(intact)).toBe(true);
  });

  it('is rebuilt when the YAML changes, once', () => {
    const { corpus, cache, env } = setup();
    expect(spawn(['--corpus', corpus, 'list', '--limit', '1'], { env }).stdout).toBe(
      'graph-networks-molecules\tGraph Networks for Molecules\tApr 2\thttps://github.com/example/mol-gnn\n',
    );
    const file = join(cache, cacheFiles(cache)[0]!);
    const before = identity(file);
    writeFileSync(corpus, readFileSync(corpus, 'utf8').replace('title: Graph Networks for Molecules', 'title: Graph Networks for Crystals'));
    expect(spawn(['--corpus', corpus, 'list', '--limit', '1'], { env }).stdout).toBe(
      'graph-networks-molecules\tGraph Networks for Crystals\tApr 2\thttps://github.com/example/mol-gnn\n',
    );
    expect(cacheFiles(cache)).toHaveLength(1);
    const rebuilt = identity(file);
    expect(rebuilt).not.toEqual(before);
    expect(spawn(['--corpus', corpus, 'search', 'crystals'], { env }).stdout).toMatch(/^graph-networks-molecules\t/);
    expect(identity(file)).toEqual(rebuilt);
  });

  it('is kept current by import, without a rebuild', () => {
    const { corpus, cache, env } = setup();
    spawn(['--corpus', corpus, 'list'], { env });
    const file = join(cache, cacheFiles(cache)[0]!);
    const before = identity(file);
    expect(spawn(['--corpus', corpus, 'import', join(FIXTURES, 'small-digest.txt')], { env }).code).toBe(0);
    const afterImport = identity(file);
    expect(afterImport).not.toEqual(before);
    expect(spawn(['--corpus', corpus, 'search', '"layer normalization"'], { env }).stdout).toMatch(/^layer-normalization-revisited\t/);
    expect(cacheFiles(cache)).toHaveLength(1);
    expect(identity(file)).toEqual(afterImport);
  });

  it.each([
    ['garbage', () => 'not a cache at all'],
    ['truncated', (text: string) => text.slice(0, Math.floor(text.length / 2))],
    ['empty', () => ''],
  ])('is silently rebuilt when %s', (_name, damage) => {
    const { corpus, cache, env } = setup();
    const good = spawn(['--corpus', corpus, 'search', 'hypernetwork'], { env });
    expect(good.code).toBe(0);
    const file = join(cache, cacheFiles(cache)[0]!);
    const intact = readFileSync(file);
    writeFileSync(file, damage(intact.toString('latin1')), 'latin1');
    expect(spawn(['--corpus', corpus, 'search', 'hypernetwork'], { env })).toEqual(good);
    // Rewritten whole (the corpus is the same, so the cache is too), and then read as it is.
    expect(readFileSync(file).equals(intact)).toBe(true);
    const rebuilt = identity(file);
    expect(spawn(['--corpus', corpus, 'search', 'hypernetwork'], { env })).toEqual(good);
    expect(identity(file)).toEqual(rebuilt);
  });

  it('is bypassed with --no-cache or PAPERS_NO_CACHE=1', () => {
    const { corpus, cache, env } = setup();
    expect(spawn(['--no-cache', '--corpus', corpus, 'list'], { env }).code).toBe(0);
    expect(spawn(['--corpus', corpus, 'list'], { env: { ...env, PAPERS_NO_CACHE: '1' } }).code).toBe(0);
    expect(cacheFiles(cache)).toEqual([]);
  });

  it('does not stop a command when its folder cannot be written', () => {
    const { dir, corpus } = setup();
    const readOnly = join(dir, 'ro');
    writeFileSync(readOnly, 'a file where the cache folder should be');
    const result = spawn(['--corpus', corpus, 'search', 'graph'], { env: { PAPERS_CACHE_DIR: join(readOnly, 'cache') } });
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout).toMatch(/^graph-networks-molecules\t/);
  });

  it('cache path and cache clear', () => {
    const { corpus, cache, env } = setup();
    spawn(['--corpus', corpus, 'list'], { env });
    const path = spawn(['--corpus', corpus, 'cache', 'path'], { env });
    expect(path.code).toBe(0);
    expect(path.stdout).toMatch(new RegExp(`^${cache}/corpus-[0-9a-f]{16}\\.cache\\n$`));
    expect(existsSync(path.stdout.trim())).toBe(true);
    expect(spawn(['cache', 'clear'], { env })).toEqual({ code: 0, stdout: '', stderr: `removed 1 cache file from ${cache}\n` });
    expect(cacheFiles(cache)).toEqual([]);
  });

  it('stays correct when several commands rebuild it at once', async () => {
    const { corpus, cache, env } = setup();
    const expected = spawn(['--no-cache', '--corpus', corpus, 'search', 'graph'], { env }).stdout;
    const run = () =>
      new Promise<string>((resolve) => {
        const child = spawnAsync(BIN, ['--corpus', corpus, 'search', 'graph'], { env: { PATH: process.env.PATH, ...env } });
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.on('close', (code) => resolve(`${code}:${out}`));
      });
    const outputs = await Promise.all(Array.from({ length: 6 }, run));
    expect(outputs).toEqual(Array(6).fill(`0:${expected}`));
    expect(cacheFiles(cache)).toHaveLength(1);
    expect(spawn(['--corpus', corpus, 'search', 'graph'], { env }).stdout).toBe(expected);
  });
});
