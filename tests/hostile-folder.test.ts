import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serializeCorpus } from '../src/corpus/store.js';
import { spawn, tempDir, testPaper } from './helpers.js';

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

describe('import into a corpus folder that holds a paper twice', () => {
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
