import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeCorpus } from '../src/corpus/store.js';
import { arxivJsonlLines } from '../scripts/synthetic.js';
import { BIN, spawn, tempDir, testPaper } from './helpers.js';

const alpha = testPaper('alpha-paper', { title: 'Alpha Paper', date: '2024-03-01' });
const beta = testPaper('beta-paper', { title: 'Beta Paper', date: '2024-03-02' });
const gamma = testPaper('gamma-paper', { title: 'Gamma Paper', date: '2024-03-03' });
// Another paper under beta's id, in a file of its own: read under an id of its own.
const prime = testPaper('beta-paper', { title: 'Beta Prime', date: '2024-03-05' });

/**
 * A folder as two clones merged through git leave it: beta in two files (the later copy with a code link
 * the first lacks), and another paper under beta's id; and a copy of it repaired by `doctor --fix`.
 */
function doubledFolder() {
  const dir = tempDir();
  const folder = join(dir, 'doubled') + '/';
  mkdirSync(folder);
  writeFileSync(join(folder, 'a.yaml'), serializeCorpus([alpha, beta]));
  writeFileSync(join(folder, 'b.yaml'), serializeCorpus([{ ...beta, source: 'b.txt', code: 'https://github.com/x/beta' }, gamma]));
  writeFileSync(join(folder, 'c.yaml'), serializeCorpus([prime]));
  const fixed = join(dir, 'fixed') + '/';
  cpSync(folder, fixed, { recursive: true });
  const env = { PAPERS_CACHE_DIR: join(dir, 'cache') };
  expect(spawn(['--corpus', fixed, 'doctor', '--fix'], { env }).code).toBe(0);
  return { dir, folder, fixed, env };
}

const warning = (folder: string, n: number) =>
  `papers: warning: ${n} papers are in ${folder} twice (the same id, arXiv id or DOI in two places), read as one; \`papers doctor\` lists them, \`papers doctor --fix\` repairs the files\n`;

describe('import into a corpus folder that holds a paper twice', { timeout: 60_000 }, () => {
  const reads = [['list'], ['search', 'beta'], ['export', '--format', 'ndjson'], ['stats', '--format', 'tsv'], ['show', 'beta-prime']];

  it('every command reads each paper once, with a warning, as the repaired folder reads; import merges into what they show', () => {
    const { dir, folder, fixed, env } = doubledFolder();
    // Twice each: the first run reads the YAML, the second the caches it wrote.
    for (let run = 0; run < 2; run++) {
      for (const args of reads) {
        const [doubled, repaired] = [spawn(['--corpus', folder, ...args], { env }), spawn(['--corpus', fixed, ...args], { env })];
        expect(repaired).toMatchObject({ code: 0, stderr: '' });
        expect(doubled).toEqual({ ...repaired, stderr: warning(folder, 2) });
      }
    }
    expect(spawn(['--corpus', folder, 'list'], { env }).stdout).toBe(
      'alpha-paper\tAlpha Paper\t2024-03-01\t\nbeta-paper\tBeta Paper\t2024-03-02\thttps://github.com/x/beta\ngamma-paper\tGamma Paper\t2024-03-03\t\nbeta-prime\tBeta Prime\t2024-03-05\t\n',
    );
    // Beta with another code link (beta shows one: it stays), Beta Prime under the id it has in its file, and a
    // new paper asking for the id Beta Prime is shown under.
    const input = join(dir, 'in.yaml');
    writeFileSync(
      input,
      serializeCorpus([
        { ...beta, source: 'in.txt', code: 'https://github.com/y/other' },
        { ...prime, source: 'in.txt', code: 'https://github.com/z/prime' },
        testPaper('beta-prime', { title: 'Beta Prime Revisited', date: '2024-03-06' }),
      ]),
    );
    const preview = spawn(['--corpus', fixed, 'import', '--dry-run', input], { env });
    expect(preview.stdout).toBe('added\tbeta-prime-revisited\tBeta Prime Revisited\nenriched\tbeta-prime\tBeta Prime\n');
    expect(spawn(['--corpus', folder, 'import', '--dry-run', input], { env })).toEqual({
      code: 0,
      stdout: preview.stdout,
      stderr: `${warning(folder, 2)}dry run, ${folder} unchanged: would import 1 added, 1 enriched, 1 already present\n`,
    });
    expect(spawn(['--corpus', fixed, 'import', input], { env })).toEqual({ code: 0, stdout: '', stderr: `${fixed}: 1 added, 1 enriched, 1 already present\n` });
    expect(spawn(['--corpus', folder, 'import', input], { env })).toEqual({
      code: 0,
      stdout: '',
      stderr: `${warning(folder, 2)}${folder}: 1 added, 1 enriched, 1 already present\n`,
    });
    // Beta Prime, filled in, is written as it is read: under its own id, so only beta is left twice.
    const left = warning(folder, 1).replace('1 papers are', '1 paper is');
    for (const args of reads) expect(spawn(['--corpus', folder, ...args], { env })).toEqual({ ...spawn(['--corpus', fixed, ...args], { env }), stderr: left });
    expect(spawn(['--corpus', folder, 'list'], { env }).stdout).toBe(
      'beta-prime-revisited\tBeta Prime Revisited\t2024-03-06\t\nalpha-paper\tAlpha Paper\t2024-03-01\t\nbeta-paper\tBeta Paper\t2024-03-02\thttps://github.com/x/beta\ngamma-paper\tGamma Paper\t2024-03-03\t\nbeta-prime\tBeta Prime\t2024-03-05\thttps://github.com/z/prime\n',
    );
    expect(spawn(['--corpus', folder, 'import', input], { env })).toEqual({
      code: 0,
      stdout: '',
      stderr: `${left}${folder}: 0 added, 0 enriched, 3 already present\n`,
    });
    expect(readdirSync(folder).filter((name) => name.endsWith('.yaml')).length).toBe(4);
    expect(readFileSync(join(folder, 'c.yaml'), 'utf8')).toContain('id: beta-prime\n');
  });

  it.each([
    [
      'an id twice in one file',
      serializeCorpus([gamma, gamma]),
      /^papers: .*d\.yaml:\d+: paper 2: id `gamma-paper` is already used by paper 1; ids must be unique\n$/,
    ],
    ['a file that is not YAML', 'papers: [\n  - id: x\n', /^papers: .*d\.yaml:\d+: invalid YAML: .+\n$/],
  ])('a folder that commands refuse (%s) is refused by import too, in the same line, and nothing is written', (_, text, line) => {
    const { dir, folder, env } = doubledFolder();
    writeFileSync(join(folder, 'd.yaml'), text);
    const before = readdirSync(folder).sort();
    const refused = spawn(['--corpus', folder, 'list'], { env });
    expect(refused).toEqual({ code: 2, stdout: '', stderr: expect.stringMatching(line) });
    writeFileSync(join(dir, 'in.yaml'), serializeCorpus([testPaper('delta-paper')]));
    expect(spawn(['--corpus', folder, 'import', join(dir, 'in.yaml')], { env })).toEqual(refused);
    expect(readdirSync(folder).sort()).toEqual(before);
  });
});

/** Whether this process may mount a small file system of its own (root, with unshare): a disk to fill. */
function canMountTmpfs(): boolean {
  const dir = tempDir();
  return spawnSync('unshare', ['-m', 'sh', '-c', 'mount -t tmpfs -o size=64k tmpfs "$1"', 'sh', dir]).status === 0;
}
const mounts = canMountTmpfs();
if (!mounts) process.stderr.write('SKIPPING the full-disk import tests (tests/hostile-folder.test.ts): `unshare -m` and `mount -t tmpfs` need root\n');

describe.skipIf(!mounts)('a folder import that fills the disk', { timeout: 60_000 }, () => {
  /** Papers of short abstracts, 460 bytes each in a file: a file of 5,000 papers takes 2.3 MB. */
  function input(count: number) {
    const dir = tempDir();
    const papers = Array.from({ length: count }, (_, i) =>
      testPaper(`p${i}`, { title: `Synthetic study number ${i} of full disks`, abstract: `We study full disks, case ${i}.` }),
    );
    const file = join(dir, 'in.jsonl');
    writeFileSync(file, `${[...arxivJsonlLines(papers, { first: 1000 })].join('\n')}\n`);
    return { dir, file };
  }

  /** The import into a folder on a disk of `kb` kilobytes (a private mount, gone with the process), and what it left. */
  function importOnto(kb: number, file: string, dir: string) {
    const [disk, out] = [join(dir, 'disk'), join(dir, 'out')];
    mkdirSync(disk);
    mkdirSync(out);
    const script = [
      `mount -t tmpfs -o size=${kb}k tmpfs "$1" || exit 99`,
      '"$2" --corpus "$1/corpus/" import "$3" > "$4/import.out" 2> "$4/import.err"; echo $? > "$4/import.rc"',
      '"$2" --corpus "$1/corpus/" list > "$4/list.out" 2> "$4/list.err"; echo $? > "$4/list.rc"',
      'ls -A "$1/corpus" > "$4/files"',
    ].join('\n');
    const env = { PATH: process.env.PATH, PAPERS_CACHE_DIR: join(dir, 'cache') };
    expect(spawnSync('unshare', ['-m', 'sh', '-c', script, 'sh', disk, BIN, file, out], { env, encoding: 'utf8' }).status).toBe(0);
    const read = (name: string) => readFileSync(join(out, name), 'utf8');
    return {
      code: Number(read('import.rc')),
      stdout: read('import.out'),
      stderr: read('import.err'),
      list: { code: Number(read('list.rc')), stdout: read('list.out'), stderr: read('list.err') },
      files: read('files').split('\n').filter(Boolean),
    };
  }

  it.each([
    // Three files of 5,000 on the writer threads: the disk fills in the second (or the first, which two
    // threads write at once) or in the third.
    [15_000, 3_500],
    [15_000, 5_800],
    // One file, written on the main thread.
    [3_000, 700],
  ])('of %i papers on a disk of %i kB keeps the first papers of the input, whole files of them, and says how many', (count, kb) => {
    const { dir, file } = input(count);
    // The same import onto a disk with room, as what to compare with (its list is larger than spawn's buffer).
    const whole = ['--corpus', join(dir, 'whole') + '/'];
    const env = { PATH: process.env.PATH, PAPERS_CACHE_DIR: join(dir, 'cache-whole') };
    expect(spawn([...whole, 'import', file], { env }).code).toBe(0);
    const all = spawnSync(BIN, [...whole, 'list'], { env, encoding: 'utf8', maxBuffer: 64 << 20 })
      .stdout.split('\n')
      .filter(Boolean);
    expect(all).toHaveLength(count);
    const full = importOnto(kb, file, dir);
    const folder = join(dir, 'disk', 'corpus') + '/';
    const said =
      /^papers: the disk is full: (?:the first ([\d,]+) new papers were imported into (.+) before it filled; the rest were not|no new paper was imported into (.+))\n$/.exec(
        full.stderr,
      );
    expect(said, full.stderr).not.toBeNull();
    expect(said![2] ?? said![3]).toBe(folder);
    const kept = said![1] ? Number(said![1].replace(/,/g, '')) : 0;
    expect(kept).toBeLessThan(count);
    expect(kept % 5_000).toBe(0);
    expect([full.code, full.stdout]).toEqual([2, '']);
    // What is left reads, and is exactly the first papers of the input, in order: no hole, no temporary file.
    expect(full.list).toEqual({
      code: 0,
      stdout: all
        .slice(0, kept)
        .map((line) => `${line}\n`)
        .join(''),
      stderr: '',
    });
    expect(full.files.filter((name) => name !== '.papers.lock')).toHaveLength(kept / 5_000);
    expect(full.files.every((name) => name.endsWith('.yaml'))).toBe(true);
  });
});
