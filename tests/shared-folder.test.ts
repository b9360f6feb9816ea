// A corpus folder shared through git: two clones that pull and import the same papers merge without a
// conflict, read the papers they both hold as one, and `papers doctor` finds and repairs the duplicates.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import type { Paper } from '../src/corpus/paper.js';
import { fnv1a } from '../src/base/text/hash.js';
import { FIXTURES, run, spawn, tempDir } from './helpers.js';
import { spawnAsync, startService, type Service } from './service.js';

// Each test spawns the built binary a dozen times or more, on a machine that may be busy.
vi.setConfig({ testTimeout: 60_000 });

const HF_DAY = readFileSync(join(FIXTURES, 'sources', 'hf', 'daily_papers.json'));
const today = new Date().toISOString().slice(0, 10);
const yamlFiles = (dir: string) => readdirSync(dir).filter((name) => /\.ya?ml$/.test(name) && !name.startsWith('.'));

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'A',
  GIT_AUTHOR_EMAIL: 'a@example.org',
  GIT_COMMITTER_NAME: 'A',
  GIT_COMMITTER_EMAIL: 'a@example.org',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tempDir(),
};

function git(cwd: string, ...args: string[]): { code: number; out: string } {
  const result = spawnSync('git', ['-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  return { code: result.status ?? -1, out: result.stdout + result.stderr };
}

/** A bare repository holding an empty corpus folder `lab/`, and two clones of it. */
function twoClones(): { a: string; b: string } {
  const root = tempDir();
  git(root, 'init', '--bare', '-q', 'origin.git');
  const seed = join(root, 'seed');
  expect(git(root, 'clone', '-q', 'origin.git', 'seed').code).toBe(0);
  mkdirSync(join(seed, 'lab'));
  writeFileSync(join(seed, 'lab', '.gitignore'), '.papers.lock\n');
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'corpus folder');
  expect(git(seed, 'push', '-q', 'origin', 'HEAD:main').code).toBe(0);
  for (const name of ['a', 'b']) expect(git(root, 'clone', '-q', '-b', 'main', 'origin.git', name).code).toBe(0);
  return { a: join(root, 'a', 'lab') + '/', b: join(root, 'b', 'lab') + '/' };
}

/** The day's papers as the second machine got them a little later: other upvotes, and a code link for the third paper. */
function laterAnswer(): Buffer {
  const items = JSON.parse(HF_DAY.toString()) as { paper: Record<string, unknown> }[];
  items.forEach((item) => (item.paper.upvotes = Number(item.paper.upvotes) + 5));
  items[2]!.paper.githubRepo = 'https://github.com/example/second';
  return Buffer.from(JSON.stringify(items));
}

function commitAll(clone: string, message: string): void {
  git(clone, 'add', '-A');
  expect(git(clone, 'commit', '-q', '-m', message).code).toBe(0);
}

describe('two clones of a corpus folder', () => {
  it('pull the same day, merge through git without a conflict, read each paper once, and doctor repairs the files', async () => {
    let answers = 0;
    const hf = await startService(() => ({ body: answers++ === 0 ? HF_DAY : laterAnswer(), headers: { 'content-type': 'application/json' } }));
    services.push(hf);
    const env = { PAPERS_HF_ENDPOINT: hf.url, PAPERS_RETRY_DELAY_MS: '20' };
    const { a, b } = twoClones();
    for (const lab of [a, b]) expect(await spawnAsync(['--corpus', lab, 'pull', '--date', '2024-10-23'], { env })).toMatchObject({ code: 0, stdout: '' });
    const aList = spawn(['--corpus', a, 'list']);
    expect(aList.stderr).toBe('');
    commitAll(join(a, '..'), 'daily papers on a');
    expect(git(join(a, '..'), 'push', '-q', 'origin', 'HEAD:main').code).toBe(0);
    commitAll(join(b, '..'), 'daily papers on b');

    // Every name b adds differs from a's: git merges without a conflict.
    const merged = git(join(b, '..'), 'pull', '-q', '--no-rebase', '--no-edit', 'origin', 'main');
    expect(merged).toMatchObject({ code: 0 });
    expect(git(join(b, '..'), 'status', '--porcelain').out).toBe('');
    const sources = readdirSync(join(b, 'sources')).sort();
    expect(sources).toHaveLength(2);
    for (const name of sources) expect(name).toMatch(/^hf-2024-10-23-[a-z0-9]{6}\.json$/);
    const files = yamlFiles(b).sort();
    expect(files).toHaveLength(2);
    for (const name of files) expect(name).toMatch(new RegExp(`^${today}-0001-hf-[a-z0-9]{6}\\.yaml$`));

    // Read as one paper each, with a warning, from the caches or without them.
    const warning = `papers: warning: 3 papers are in ${b} twice (the same id, arXiv id or DOI in two places), read as one; \`papers doctor\` lists them, \`papers doctor --fix\` repairs the files\n`;
    const ids = aList.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t')[0]);
    expect(ids).toHaveLength(3);
    const before = spawn(['--corpus', b, 'list']);
    expect(before).toMatchObject({ code: 0, stderr: warning });
    expect(
      before.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[0]),
    ).toEqual(ids);
    // The code link only b's answer had is read with the paper.
    expect(before.stdout).toContain('https://github.com/example/second');
    expect(spawn(['--corpus', b, '--no-cache', 'list'])).toEqual(before);
    expect(spawn(['--corpus', b, 'list'])).toEqual(before);
    const search = spawn(['--corpus', b, 'search', 'sparse', 'autoencoders']);
    expect(search).toMatchObject({ code: 0, stderr: warning });
    expect(search.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(spawn(['--corpus', b, 'show', ids[1]!, '--format', 'json'])).toMatchObject({ code: 0, stderr: warning });

    // An import into the folder as it is merges into the papers as read (warned), and adds nothing twice.
    const aSource = sources.find((name) => readFileSync(join(b, 'sources', name)).equals(HF_DAY))!;
    const again = spawn(['--corpus', b, 'import', join(b, 'sources', aSource)]);
    expect(again).toEqual({ code: 0, stdout: '', stderr: `${warning}${b}: 0 added, 0 enriched, 3 already present\n` });
    expect(yamlFiles(b)).toHaveLength(2);

    // doctor lists each later copy and the first one, exit 1; TSV in a pipe.
    const rows = ids.map((id) => `${files[1]}\t${id}\tarxiv\t${files[0]}\t${id}\n`).join('');
    const report = spawn(['--corpus', b, 'doctor']);
    expect(report).toEqual({ code: 1, stdout: rows, stderr: `papers: ${b}: 3 papers held twice; \`papers doctor --fix\` merges each into its first copy\n` });

    // The first file is rewritten only when it gains a field: when it is a's, without the code link.
    const firstIsA = yamlFiles(a)[0] === files[0];
    const fixed = spawn(['--corpus', b, 'doctor', '--fix']);
    expect(fixed).toEqual({
      code: 0,
      stdout: rows,
      stderr: `${b}: 3 papers held twice, repaired (each merged into its first copy, or given a new id where another paper has its id); ${firstIsA ? '2 files' : '1 file'} rewritten\n`,
    });
    expect(spawn(['--corpus', b, 'doctor'])).toEqual({ code: 0, stdout: '', stderr: `${b}: no duplicates among 3 papers in 2 files\n` });
    // Nothing lost: the first file holds every paper with every field either copy had; the second none.
    expect(loadCorpus(join(b, files[0]!)).map((p) => p.id)).toEqual(ids);
    expect(loadCorpus(join(b, files[0]!))[2]!.code).toBe('https://github.com/example/second');
    expect(loadCorpus(join(b, files[1]!))).toEqual([]);
    // Reads agree with what was read before the repair, now without a warning.
    expect(spawn(['--corpus', b, 'list'])).toEqual({ ...before, stderr: '' });
    expect(spawn(['--corpus', b, '--no-cache', 'list'])).toEqual({ ...before, stderr: '' });
    expect(spawn(['--corpus', b, 'search', 'sparse', 'autoencoders'])).toEqual({ ...search, stderr: '' });
    expect(git(join(b, '..'), 'status', '--porcelain').out).toBe(`${firstIsA ? ` M lab/${files[0]}\n` : ''} M lab/${files[1]}\n`);
  });
});

const paper = (id: string, title: string, extra: Partial<Paper> = {}): Paper => ({
  id,
  title,
  date: null,
  source: '',
  code: null,
  links: [],
  abstract: `About ${title.toLowerCase()}.`,
  ...extra,
});

describe('papers doctor', () => {
  it('keeps two papers that only share an id, giving the later one a new id, and merges one DOI under two ids', () => {
    const lab = join(tempDir(), 'lab');
    mkdirSync(lab);
    writeFileSync(join(lab, 'a.yaml'), serializeCorpus([paper('graph-nets', 'Graph Nets'), paper('ode-solvers', 'ODE Solvers', { doi: '10.1234/ode' })]));
    writeFileSync(
      join(lab, 'b.yaml'),
      serializeCorpus([paper('graph-nets', 'Graph Networks Revisited'), paper('ode', 'ODE Solvers', { doi: '10.1234/ODE', code: 'https://github.com/x/ode' })]),
    );
    const warning = `papers: warning: 2 papers are in ${lab} twice (the same id, arXiv id or DOI in two places), read as one; \`papers doctor\` lists them, \`papers doctor --fix\` repairs the files\n`;
    const list = spawn(['--corpus', lab, 'list']);
    expect(list).toEqual({
      code: 0,
      stdout: 'graph-nets\tGraph Nets\t\t\node-solvers\tODE Solvers\t\thttps://github.com/x/ode\ngraph-networks-revisited\tGraph Networks Revisited\t\t\n',
      stderr: warning,
    });
    expect(spawn(['--corpus', lab, 'show', 'graph-networks-revisited', '--format', 'tsv'])).toMatchObject({ code: 0, stderr: warning });
    const json = spawn(['--corpus', lab, 'doctor', '--format', 'json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual([
      { file: 'b.yaml', id: 'graph-nets', shares: 'clash', with: { file: 'a.yaml', id: 'graph-nets' } },
      { file: 'b.yaml', id: 'ode', shares: 'doi', with: { file: 'a.yaml', id: 'ode-solvers' } },
    ]);
    expect(spawn(['--corpus', lab, '--no-cache', 'list'])).toEqual(list);
    expect(spawn(['--corpus', lab, 'doctor', '--fix']).code).toBe(0);
    expect(loadCorpus(join(lab, 'a.yaml')).map((p) => [p.id, p.code])).toEqual([
      ['graph-nets', null],
      ['ode-solvers', 'https://github.com/x/ode'],
    ]);
    expect(loadCorpus(join(lab, 'b.yaml')).map((p) => p.id)).toEqual(['graph-networks-revisited']);
    expect(spawn(['--corpus', lab, 'list'])).toEqual({ ...list, stderr: '' });
  });

  it('reads two papers whose arXiv ids only hash alike as two, without a warning', () => {
    // Two arXiv ids of one 32-bit hash, as the caches keep them: the check that finds duplicates fast must look closer.
    const seen = new Map<number, string>();
    let pair: [string, string] | undefined;
    for (let n = 0; !pair; n++) {
      const month = Math.floor(n / 100_000);
      const arxiv = `${15 + Math.floor(month / 12)}${String(1 + (month % 12)).padStart(2, '0')}.${String(n % 100_000).padStart(5, '0')}`;
      const other = seen.get(fnv1a(arxiv));
      if (other) pair = [other, arxiv];
      else seen.set(fnv1a(arxiv), arxiv);
    }
    const lab = join(tempDir(), 'lab');
    mkdirSync(lab);
    writeFileSync(join(lab, 'a.yaml'), serializeCorpus([paper('first-paper', 'First Paper', { arxiv: pair[0] })]));
    writeFileSync(join(lab, 'b.yaml'), serializeCorpus([paper('second-paper', 'Second Paper', { arxiv: pair[1] })]));
    for (const args of [['list'], ['list'], ['--no-cache', 'list']]) {
      expect(spawn(['--corpus', lab, ...args])).toEqual({ code: 0, stdout: 'first-paper\tFirst Paper\t\t\nsecond-paper\tSecond Paper\t\t\n', stderr: '' });
    }
    expect(spawn(['--corpus', lab, 'doctor'])).toEqual({ code: 0, stdout: '', stderr: `${lab}: no duplicates among 2 papers in 2 files\n` });
  });

  it('finds one arXiv id under two ids in a corpus file, shows a table on a terminal, and --fix keeps the first', async () => {
    const file = join(tempDir(), 'papers.yaml');
    writeFileSync(
      file,
      serializeCorpus([
        paper('attention-all-you-need', 'Attention Is All You Need', { arxiv: '1706.03762' }),
        paper('transformer', 'Attention Is All You Need', { arxiv: '1706.03762', code: 'https://github.com/x/t' }),
      ]),
    );
    expect(await run(['--corpus', file, '--color', 'never', 'doctor'], { tty: true })).toEqual({
      code: 1,
      stdout: 'FILE         ID           SHARES  WITH FILE    WITH ID\npapers.yaml  transformer  arxiv   papers.yaml  attention-all-you-need\n',
      stderr: `papers: ${file}: 1 paper held twice; \`papers doctor --fix\` merges each into its first copy\n`,
    });
    expect((await run(['--corpus', file, 'doctor', '--fix'])).code).toBe(0);
    expect(loadCorpus(file).map((p) => [p.id, p.code])).toEqual([['attention-all-you-need', 'https://github.com/x/t']]);
  });

  it('says a clean corpus is clean, exit 0', () => {
    const file = join(tempDir(), 'papers.yaml');
    writeFileSync(file, serializeCorpus([paper('one', 'One')]));
    expect(spawn(['--corpus', file, 'doctor'])).toEqual({ code: 0, stdout: '', stderr: `${file}: no duplicates among 1 papers in 1 file\n` });
  });
});

const DIGEST = join(FIXTURES, 'small-digest.txt');

describe('which corpus a path means', () => {
  it('a folder named without a trailing / that holds only papers.yaml is that file; with the /, the folder', () => {
    const dir = join(tempDir(), 'reading');
    const file = join(dir, 'papers.yaml');
    expect(spawn(['--corpus', file, 'import', DIGEST]).code).toBe(0);
    const before = readFileSync(file, 'utf8');
    const more = join(tempDir(), 'more.yaml');
    writeFileSync(more, serializeCorpus([paper('sparse-routing', 'Sparse Routing')]));
    expect(spawn(['--corpus', dir, 'import', more])).toEqual({ code: 0, stdout: '', stderr: `${file}: 1 added, 0 enriched, 0 already present\n` });
    expect(yamlFiles(dir)).toEqual(['papers.yaml']);
    expect(loadCorpus(file).map((p) => p.id)).toEqual([...loadCorpusIds(before), 'sparse-routing']);
    expect(spawn(['--corpus', dir, 'list'])).toEqual(spawn(['--corpus', file, 'list']));
    // With the /, the folder is the corpus: an import adds a file of its own beside papers.yaml.
    const other = join(tempDir(), 'other.yaml');
    writeFileSync(other, serializeCorpus([paper('dense-routing', 'Dense Routing')]));
    expect(spawn(['--corpus', `${dir}/`, 'import', other])).toEqual({ code: 0, stdout: '', stderr: `${dir}/: 1 added, 0 enriched, 0 already present\n` });
    expect(yamlFiles(dir)).toHaveLength(2);
  });

  it('import creates the folder of a corpus file that does not exist yet, as pull and add do', () => {
    const file = join(tempDir(), 'new', 'lab', 'papers.yaml');
    expect(spawn(['--corpus', file, 'import', DIGEST])).toEqual({
      code: 0,
      stdout: '',
      stderr: `${file}: 3 added, 0 enriched, 0 already present, 5 lines of page text skipped\n`,
    });
    expect(loadCorpus(file)).toHaveLength(3);
  });
});

describe('export -o refuses the files that belong to the corpus', () => {
  it('its lock and its cache files, for a corpus file and a corpus folder, and leaves them as they were', () => {
    const dir = tempDir();
    const file = join(dir, 'papers.yaml');
    const folder = join(dir, 'lab') + '/';
    for (const corpus of [file, folder]) expect(spawn(['--corpus', corpus, 'import', DIGEST]).code).toBe(0);
    const env = { PAPERS_CACHE_DIR: join(dir, 'cache') };
    for (const corpus of [file, folder]) expect(spawn(['--corpus', corpus, 'list'], { env }).code).toBe(0);
    const cacheOf = (corpus: string) => spawn(['--corpus', corpus, 'cache', 'path'], { env }).stdout.trim();
    const segment = cacheOf(join(folder, yamlFiles(folder)[0]!));
    const refused: [string, string, string][] = [
      [file, `${file}.lock`, 'lock file'],
      [folder, join(folder, '.papers.lock'), 'lock file'],
      [file, cacheOf(file), 'cache file'],
      [folder, cacheOf(folder), 'cache file'],
      [folder, segment, 'cache file'],
      [folder, `${cacheOf(folder)}.norms`, 'cache file'],
    ];
    for (const [corpus, output, what] of refused) {
      const before = filesIn(join(output, '..'));
      const what2 = what === 'lock file' ? "the corpus's lock file" : 'a cache file of the corpus';
      expect(spawn(['--corpus', corpus, 'export', '-o', output], { env })).toEqual({
        code: 2,
        stdout: '',
        stderr: `papers: \`${output}\` is ${what2}; write the export to another file\n`,
      });
      expect(filesIn(join(output, '..'))).toEqual(before);
    }
  });
});

/** The files of a folder with their bytes (not its subfolders). */
const filesIn = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => [entry.name, readFileSync(join(dir, entry.name))]);

const loadCorpusIds = (text: string) => [...text.matchAll(/^ {2}- id: (.+)$/gm)].map((match) => match[1]);
