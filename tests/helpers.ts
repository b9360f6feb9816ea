import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, afterEach, expect } from 'vitest';
import { run as runCli } from '../src/cli.js';
import type { Paper } from '../src/corpus/paper.js';
import { wantsColor, type Io } from '../src/base/terminal.js';

export const ROOT = join(import.meta.dirname, '..');
export const BIN = join(ROOT, 'bin', 'papers');
export const FIXTURES = join(ROOT, 'tests', 'fixtures');
export const SHIPPED_CORPUS = join(ROOT, 'corpus', 'papers.yaml');
export const SHIPPED_DIGEST = join(ROOT, 'corpus', '000_3cc0b8f600d97439.txt');

// Tests keep their caches to themselves, never in the user's cache folder.
export const CACHE_DIR = mkdtempSync(join(tmpdir(), 'papers-cache-'));
afterAll(() => rmSync(CACHE_DIR, { recursive: true, force: true }));

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

export interface RunOptions {
  tty?: boolean;
  stderrTty?: boolean;
  columns?: number;
  stdin?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs the CLI in-process with an injected terminal (or pipe). */
export async function run(args: string[], options: RunOptions = {}): Promise<Result> {
  let stdout = '';
  let stderr = '';
  const env = { PAPERS_CACHE_DIR: CACHE_DIR, ...options.env };
  const makeIo = (mode: 'auto' | 'always' | 'never'): Io => ({
    stdout: { write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    stdin: Readable.from([options.stdin ?? '']),
    isTTY: options.tty ?? false,
    stderrIsTTY: options.stderrTty ?? false,
    columns: options.columns ?? 100,
    color: wantsColor(mode, options.tty ?? false, env),
    colorMode: mode,
    env,
  });
  const code = await runCli(args, makeIo);
  return { stdout, stderr, code };
}

export interface SpawnOptions {
  stdin?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Run as this user and group (needs root): to see what an unprivileged user sees. */
  uid?: number;
  gid?: number;
}

/** Spawns the built bin/papers, as a user's shell would, with no terminal attached. */
export function spawn(args: string[], options: SpawnOptions = {}): Result {
  const result = spawnSync(BIN, args, {
    input: options.stdin ?? '',
    encoding: 'utf8',
    cwd: options.cwd ?? tmpdir(),
    env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR, ...options.env },
    ...(options.uid === undefined ? {} : { uid: options.uid }),
    ...(options.gid === undefined ? {} : { gid: options.gid }),
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status ?? -1 };
}

const dirs: string[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'papers-test-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A paper with every required field, named `id`, and `fields` over them. */
export const testPaper = (id: string, fields: Partial<Paper> = {}): Paper => ({
  id,
  title: `Title of ${id}`,
  abstract: `The abstract of ${id}.`,
  date: 'Mar 1',
  source: 'x.txt',
  links: [],
  code: null,
  ...fields,
});

/**
 * Whom a file's permissions refuse: root reads and writes everything, so as root the CLI is run as nobody
 * (65534), when this process may switch user; any other user is refused already (`user` is then empty).
 */
export const unprivileged: { user?: { uid?: number; gid?: number }; why: string } = (() => {
  const uid = process.getuid?.();
  if (uid === undefined) return { why: 'no POSIX users on this platform' };
  if (uid !== 0) return { user: {}, why: '' };
  const nobody = { uid: 65534, gid: 65534 };
  const probe = spawnSync(process.execPath, ['-e', ''], nobody);
  return probe.status === 0 ? { user: nobody, why: '' } : { why: `root cannot run a process as nobody (${probe.error?.message})` };
})();

/** The bytes of one section of a cache file, damaged: any read of that section then fails its checksum. */
export function damageSection(file: string, section: string): Buffer {
  const bytes = readFileSync(file);
  const magic = 'papers-cache\n'.length;
  const headerLength = bytes.readUInt32LE(magic);
  const header = JSON.parse(bytes.subarray(magic + 4, magic + 4 + headerLength).toString()) as { sections: Record<string, [number, number]> };
  const [offset, size] = header.sections[section]!;
  expect(size).toBeGreaterThan(2);
  bytes[magic + 4 + headerLength + offset + 1]! ^= 0x01;
  writeFileSync(file, bytes);
  return bytes;
}
