import { chmodSync, chownSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { spawn as spawnAsync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { cachePath } from '../src/index/cache.js';
import { rewriteCache, rewriteKept } from './forge.js';
import { arxivJsonlLines, generatePapers } from '../scripts/synthetic.js';
import { BIN, SHIPPED_CORPUS, spawn, tempDir } from './helpers.js';

const shipped = loadCorpus(SHIPPED_CORPUS);

/** The shipped papers over four files of a folder, with a cache folder of its own. */
function folderCorpus() {
  const folder = join(tempDir(), 'corpus') + '/';
  mkdirSync(folder);
  [0, 10, 30, 60, shipped.length].reduce((start, end, i) => {
    if (i > 0) writeFileSync(join(folder, `part-${i}.yaml`), serializeCorpus(shipped.slice(start, end)));
    return end;
  });
  const env = { PAPERS_CACHE_DIR: join(tempDir(), 'cache') };
  return { folder, env };
}

/** Where each section of a cache file lies (see src/index/container.ts): after a magic line, a length and the header. */
function sectionsOf(bytes: Buffer): [name: string, start: number, size: number][] {
  const magic = 'papers-cache\n'.length;
  const length = bytes.readUInt32LE(magic);
  const header = JSON.parse(bytes.subarray(magic + 4, magic + 4 + length).toString()) as { sections: Record<string, [number, number]> };
  return Object.entries(header.sections).map(([name, [offset, size]]) => [name, magic + 4 + length + offset, size]);
}

const flipped = (bytes: Buffer, at: number) => {
  const copy = Buffer.from(bytes);
  copy[at] = copy[at]! ^ 0x01;
  return copy;
};

describe('a damaged cache of a corpus folder', () => {
  const id = shipped[35]!.id;
  const commands = [
    ['stats', '--format', 'tsv'],
    ['related', id],
    ['search', 'language', 'model'],
    ['search', 'title:networks', '-code'],
    ['export', '--format', 'ndjson'],
    ['export', '--format', 'bibtex'],
    ['list'],
    ['show', id],
    ['show', id.slice(0, 5)],
  ];

  it('gives every command the answer of the YAML, whichever byte of whichever cache file is flipped', { timeout: 120_000 }, () => {
    const { folder, env } = folderCorpus();
    const truth = commands.map((args) => spawn(['--no-cache', '--corpus', folder, ...args], { env }));
    expect(truth.every((result) => result.code === 0 && result.stdout !== '' && result.stderr === '')).toBe(true);
    // Every cache file written: a segment a file, the lexicon, the vector lengths and the figures of stats beside it.
    commands.forEach((args, i) => expect(spawn(['--corpus', folder, ...args], { env })).toEqual(truth[i]));
    const dir = env.PAPERS_CACHE_DIR;
    const files = readdirSync(dir).sort();
    const lexicon = cachePath(folder, env);
    expect(files).toEqual(
      [...[1, 2, 3, 4].map((n) => cachePath(join(folder, `part-${n}.yaml`), env)), lexicon, `${lexicon}.norms`, `${lexicon}.stats`]
        .map((path) => path.slice(dir.length + 1))
        .sort(),
    );
    let turn = 0;
    for (const name of files) {
      const intact = readFileSync(join(dir, name));
      // A byte of the header, then one in the middle of each section, each given to the next command in turn.
      const offsets = [20, ...sectionsOf(intact).flatMap(([, start, size]) => (size > 0 ? [start + Math.floor(size / 2)] : []))];
      for (const at of offsets) {
        const i = turn++ % commands.length;
        writeFileSync(join(dir, name), flipped(intact, at));
        expect(spawn(['--corpus', folder, ...commands[i]!], { env }), `${name} at ${at}: ${commands[i]!.join(' ')}`).toEqual(truth[i]);
        writeFileSync(join(dir, name), intact);
      }
    }
  });

  it('streams an export through a file whose cache proves damaged midway, reading that file from its YAML and writing its cache again', () => {
    const { folder, env } = folderCorpus();
    const args = ['--corpus', folder, 'export', '--format', 'ndjson'];
    const truth = spawn(['--no-cache', ...args], { env });
    expect(spawn(args, { env })).toEqual(truth);
    // The third file's papers, after two files' papers are written out.
    const segment = cachePath(join(folder, 'part-3.yaml'), env);
    const intact = readFileSync(segment);
    const [, start, size] = sectionsOf(intact).find(([name]) => name === 'docs')!;
    const damaged = flipped(intact, start + size - 10);
    writeFileSync(segment, damaged);
    expect(spawn(args, { env })).toEqual(truth);
    expect(readFileSync(segment).equals(damaged)).toBe(false);
    expect(sectionsOf(readFileSync(segment)).map(([name]) => name)).toEqual(sectionsOf(intact).map(([name]) => name));
    expect(spawn(args, { env })).toEqual(truth);
  });

  it('rebuilds a segment and the lexicon that are both damaged, in one command', () => {
    const { folder, env } = folderCorpus();
    const args = ['--corpus', folder, 'search', 'language', 'model'];
    const truth = spawn(['--no-cache', ...args], { env });
    expect(spawn(args, { env })).toEqual(truth);
    for (const file of [cachePath(folder, env), cachePath(join(folder, 'part-2.yaml'), env), cachePath(join(folder, 'part-4.yaml'), env)]) {
      const bytes = readFileSync(file);
      const [, start, size] = sectionsOf(bytes).find(([name]) => name === 'frequencies' || name === 'postings')!;
      writeFileSync(file, flipped(bytes, start + Math.floor(size / 2)));
    }
    expect(spawn(args, { env })).toEqual(truth);
  });
});

describe('a cache written by someone else', () => {
  const isRoot = process.getuid?.() === 0;
  const other = 12345;
  const withRoot = isRoot ? it : it.skip;
  if (!isRoot) it('(the tests that hand a cache file to another user need root: skipped)', () => {});

  /** A corpus file, its cache written, and a title forged in the cache with checksums that match (what another user could write). */
  function forged() {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const corpus = join(dir, 'papers.yaml');
    writeFileSync(corpus, serializeCorpus(shipped.slice(0, 5)));
    chmodSync(corpus, 0o644);
    const env = { PAPERS_CACHE_DIR: join(dir, 'cache') };
    const args = ['--corpus', corpus, 'list'];
    const truth = spawn(['--no-cache', ...args], { env });
    expect(spawn(args, { env })).toEqual(truth);
    const file = cachePath(corpus, env);
    rewriteCache(file, (text) => text.replaceAll(shipped[0]!.title, 'Forged Title'));
    expect(spawn(args, { env }).stdout).toContain('Forged Title');
    return { corpus, env, args, truth, file };
  }

  withRoot('is not read when another user owns it: the command answers from the YAML and writes its own, readable by this user alone', () => {
    const { env, args, truth, file } = forged();
    chownSync(file, other, other);
    expect(spawn(args, { env })).toEqual(truth);
    expect([statSync(file).uid, statSync(file).mode & 0o777]).toEqual([0, 0o600]);
    expect(spawn(args, { env })).toEqual(truth);
  });

  it("is not read when others may write to it, nor when its folder is not its owner's alone", () => {
    const { env, args, truth, file } = forged();
    chmodSync(file, 0o666);
    expect(spawn(args, { env })).toEqual(truth);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    rewriteCache(file, (text) => text.replaceAll(shipped[0]!.title, 'Forged Title'));
    chmodSync(env.PAPERS_CACHE_DIR, 0o777);
    expect(spawn(args, { env })).toEqual(truth);
  });

  withRoot("nor the figures of stats kept beside a folder's lexicon", () => {
    const { folder, env } = folderCorpus();
    const args = ['--corpus', folder, 'stats', '--format', 'tsv'];
    const truth = spawn(['--no-cache', ...args], { env });
    expect(spawn(args, { env })).toEqual(truth);
    const kept = `${cachePath(folder, env)}.stats`;
    rewriteKept(kept, (text) => text.replace('"papers":83', '"papers":84'));
    expect(spawn(args, { env }).stdout).toMatch(/^papers\t84\n/);
    chownSync(kept, other, other);
    expect(spawn(args, { env })).toEqual(truth);
  });

  it("a cache folder others may write to holds this user's caches in a folder of their own, made for them alone", () => {
    const { corpus, args, truth } = forged();
    const shared = join(tempDir(), 'shared');
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const env = { PAPERS_CACHE_DIR: shared };
    const own = join(shared, `user-${process.getuid!()}`);
    expect(spawn(['--corpus', corpus, 'cache', 'path'], { env }).stdout).toBe(`${join(own, cachePath(corpus, { PAPERS_CACHE_DIR: '/' }).slice(1))}\n`);
    expect(spawn(args, { env })).toEqual(truth);
    expect(readdirSync(shared)).toEqual([`user-${process.getuid!()}`]);
    expect(statSync(own).mode & 0o777).toBe(0o700);
    expect(existsSync(cachePath(corpus, env))).toBe(true);
  });

  withRoot('another user of a shared cache folder gets answers from the YAML and caches of their own', () => {
    const { args, truth } = forged();
    const shared = join(tempDir(), 'shared');
    chmodSync(join(shared, '..'), 0o755);
    mkdirSync(shared);
    chmodSync(shared, 0o1777);
    const env = { PAPERS_CACHE_DIR: shared };
    expect(spawn(args, { env })).toEqual(truth);
    // Run as that user (setpriv --reuid=12345 --regid=12345 --clear-groups would do the same).
    expect(spawn(args, { env, uid: other, gid: other })).toEqual(truth);
    const theirs = join(shared, `user-${other}`);
    expect([statSync(theirs).uid, statSync(theirs).mode & 0o777]).toEqual([other, 0o700]);
    expect(readdirSync(theirs).map((name) => statSync(join(theirs, name)).uid)).toEqual([other]);
    expect(spawn(args, { env, uid: other, gid: other })).toEqual(truth);
  });
});

describe('a symbolic link loop', () => {
  /** A folder corpus, a digest to import, and two links that point at each other. */
  function looped() {
    const dir = tempDir();
    const folder = join(dir, 'corpus') + '/';
    mkdirSync(folder);
    writeFileSync(join(folder, 'part-1.yaml'), serializeCorpus(shipped.slice(0, 3)));
    symlinkSync('loop-b', join(dir, 'loop-a'));
    symlinkSync('loop-a', join(dir, 'loop-b'));
    const before = readdirSync(folder);
    return { dir, folder, before };
  }
  const loop = (path: string) => ({ code: 2, stdout: '', stderr: `papers: ${path}: is a symbolic link loop\n` });

  it.each([
    ['as the corpus file', (dir: string) => ['--corpus', join(dir, 'loop-a'), 'list'], (dir: string) => join(dir, 'loop-a')],
    ['as the corpus folder', (dir: string) => ['--corpus', `${join(dir, 'loop-a')}/`, 'list'], (dir: string) => `${join(dir, 'loop-a')}/`],
    ['as the corpus of an import', (dir: string) => ['--corpus', join(dir, 'loop-a'), 'import', SHIPPED_CORPUS], (dir: string) => join(dir, 'loop-a')],
    ['as the input', (dir: string) => ['--corpus', join(dir, 'corpus') + '/', 'import', join(dir, 'loop-a')], (dir: string) => join(dir, 'loop-a')],
    ['as -o', (dir: string) => ['--corpus', join(dir, 'corpus') + '/', 'export', '-o', join(dir, 'loop-a')], (dir: string) => join(dir, 'loop-a')],
    [
      'as a new -o file',
      (dir: string) => ['--corpus', join(dir, 'corpus') + '/', 'export', '-o', join(dir, 'loop-a', 'x.json')],
      (dir: string) => join(dir, 'loop-a', 'x.json'),
    ],
  ])('%s is said in one line, exit 2, nothing written', (_, args, path) => {
    const { dir, folder, before } = looped();
    expect(spawn(args(dir))).toEqual(loop(path(dir)));
    expect(readdirSync(folder)).toEqual(before);
  });

  it('as a file of a corpus folder, for a command that reads the folder and for an import into it', () => {
    const { folder, before } = looped();
    symlinkSync('loop-b.yaml', join(folder, 'loop-a.yaml'));
    symlinkSync('loop-a.yaml', join(folder, 'loop-b.yaml'));
    const names = readdirSync(folder).sort();
    expect(spawn(['--corpus', folder, 'list'])).toEqual(loop(join(folder, 'loop-a.yaml')));
    expect(spawn(['--corpus', folder, 'import', SHIPPED_CORPUS])).toEqual(loop(join(folder, 'loop-a.yaml')));
    expect(readdirSync(folder).sort()).toEqual(names);
    expect(before).toEqual(['part-1.yaml']);
  });
});

describe('export -o through a link into a corpus folder', () => {
  it.each([
    ['a dangling link to a new YAML file there', ['new.yaml']],
    ['a relative dangling link to a .yml there', ['./new.yml']],
    ['a chain of links, the last dangling', ['new.yaml', 'hop']],
  ])('%s is refused like -o onto the corpus, and the folder still reads', (_, chain) => {
    const dir = tempDir();
    const folder = join(dir, 'corpus') + '/';
    mkdirSync(folder);
    writeFileSync(join(folder, 'part-1.yaml'), serializeCorpus(shipped.slice(0, 3)));
    const [target, hop] = chain;
    if (hop) {
      symlinkSync(join(folder, target!), join(dir, hop));
      symlinkSync(hop, join(dir, 'out.yaml'));
    } else symlinkSync(join('corpus', target!), join(dir, 'out.yaml'));
    const list = spawn(['--corpus', folder, 'list']);
    expect(spawn(['--corpus', folder, 'export', '-o', join(dir, 'out.yaml')])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: \`${join(dir, 'out.yaml')}\` would become part of the corpus folder; write the export outside it\n`,
    });
    expect(readdirSync(folder)).toEqual(['part-1.yaml']);
    expect(spawn(['--corpus', folder, 'list'])).toEqual(list);
  });

  it('a link to a hidden file there, which the folder does not read, is written through', () => {
    const dir = tempDir();
    const folder = join(dir, 'corpus') + '/';
    mkdirSync(folder);
    writeFileSync(join(folder, 'part-1.yaml'), serializeCorpus(shipped.slice(0, 3)));
    symlinkSync(join(folder, '.export.yaml'), join(dir, 'out.yaml'));
    expect(spawn(['--corpus', folder, 'export', '--format', 'yaml', '-o', join(dir, 'out.yaml')])).toEqual({
      code: 0,
      stdout: '',
      stderr: `wrote 3 papers to ${join(dir, 'out.yaml')}\n`,
    });
    expect(readFileSync(join(folder, '.export.yaml'), 'utf8')).toBe(spawn(['--corpus', folder, 'export', '--format', 'yaml']).stdout);
  });
});

describe('temporary files of killed writers in a corpus folder', () => {
  const temps = (folder: string) => readdirSync(folder).filter((name) => name.endsWith('.tmp'));

  it('a folder import killed while it writes leaves temporary files, which the next import removes, nothing lost', { timeout: 120_000 }, async () => {
    const dir = tempDir();
    const input = join(dir, 'arxiv.jsonl');
    writeFileSync(input, `${[...arxivJsonlLines(generatePapers(7_000, { seed: 31 }), { seed: 31, first: 620_000 })].join('\n')}\n`);
    const env = { PATH: process.env.PATH, PAPERS_CACHE_DIR: join(dir, 'cache') };
    let folder = '';
    let left: string[] = [];
    // Killed the moment a temporary file shows in the folder (tried again should one run finish first).
    for (let run = 0; run < 3 && left.length === 0; run++) {
      folder = join(dir, `corpus-${run}`) + '/';
      const child = spawnAsync(BIN, ['--corpus', folder, 'import', input], { env, stdio: 'ignore' });
      const closed = new Promise<void>((resolve) => child.on('close', () => resolve()));
      let done = false;
      void closed.then(() => (done = true));
      while (!done && !(existsSync(folder) && temps(folder).length > 0)) await new Promise((resolve) => setImmediate(resolve));
      child.kill('SIGKILL');
      await closed;
      left = temps(folder);
    }
    expect(left.length).toBeGreaterThan(0);
    // The files written before the kill are whole: the folder reads, temporary files unseen.
    const before = spawn(['--corpus', folder, 'stats', '--format', 'tsv'], { env });
    expect(before.code).toBe(0);
    const kept = Number(/^papers\t(\d+)\n/.exec(before.stdout)![1]);
    const again = spawn(['--corpus', folder, 'import', input], { env });
    expect(again.code).toBe(0);
    expect(again.stderr).toBe(`${folder}: ${7_000 - kept} added, 0 enriched, ${kept} already present\n`);
    expect(temps(folder)).toEqual([]);
    expect(spawn(['--corpus', folder, 'stats', '--format', 'tsv'], { env }).stdout).toMatch(/^papers\t7000\n/);
  });

  it.each([
    ['import', (folder: string) => ['--corpus', folder, 'import', SHIPPED_CORPUS]],
    ['doctor --fix', (folder: string) => ['--corpus', folder, 'doctor', '--fix']],
  ])("%s removes the temporary files of dead writers, never a live writer's", (_, args) => {
    const folder = join(tempDir(), 'corpus') + '/';
    mkdirSync(folder);
    writeFileSync(join(folder, 'part-1.yaml'), serializeCorpus(shipped.slice(0, 3)));
    // 4194999 is above Linux's highest pid: no process has it here. This test's pid is one that runs.
    const dead = `.2026-11-27-0001-arxiv-k3x9b1.yaml.4194999.m0a1b2c3.tmp`;
    const deadExport = `.reading-list.json.4194999.m0a1b2c6.tmp`;
    // Another machine's import into the shared folder, killed eleven minutes ago: its pid happens to run here.
    const elsewhere = `.2026-11-27-0002-hf-q8x2ma.yaml.${process.pid}.m0a1b2c4.tmp`;
    // Live writers: a corpus file being written now (papers.yaml as a corpus of its own, under its own lock),
    // an export into a hidden file (which takes no lock) on this machine, untouched for long, and one just
    // written to on another machine, whose pid names no process here.
    const writing = `.papers.yaml.${process.pid}.m0a1b2c7.tmp`;
    const exporting = `.reading-list.json.${process.pid}.m0a1b2c5.tmp`;
    const exportingElsewhere = `.reading-list.json.4194998.m0a1b2c8.tmp`;
    const elevenMinutesAgo = new Date(Date.now() - 11 * 60_000);
    for (const name of [dead, deadExport, elsewhere, writing, exporting, exportingElsewhere]) writeFileSync(join(folder, name), 'half a file');
    for (const name of [deadExport, elsewhere, exporting]) utimesSync(join(folder, name), elevenMinutesAgo, elevenMinutesAgo);
    expect(spawn(args(folder)).code).toBe(0);
    expect(temps(folder).sort()).toEqual([writing, exporting, exportingElsewhere].sort());
  });
});
