// The reader's own library: reading status (`papers mark`) and tags (`papers tag`, `papers tags`), the filters
// over them, and that nothing else (imports, pulls, adds, refreshes) ever changes them. Through the built binary.
import { spawn as spawnChild } from 'node:child_process';
import { chmodSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { generatePapers } from '../scripts/synthetic.js';
import { localDay } from '../src/corpus/dates.js';
import type { Paper } from '../src/corpus/paper.js';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { BIN, CACHE_DIR, FIXTURES, spawn, tempDir, testPaper } from './helpers.js';
import { spawnAsync, startService, type Service } from './service.js';

vi.setConfig({ testTimeout: 60_000 });

const today = localDay();
const isRoot = process.getuid?.() === 0;

const PAPERS: Paper[] = [
  testPaper('graph-networks', { title: 'Graph Networks for Molecules', abstract: 'We study graph networks.', arxiv: '2405.13786' }),
  testPaper('attention-is-all', { title: 'Attention Is All You Need', abstract: 'Transformers and attention for translation.' }),
  testPaper('layer-normalization', { title: 'Layer Normalization', abstract: 'Normalizing the layers of a network.' }),
];

function corpusFile(papers: Paper[] = PAPERS): string {
  const corpus = join(tempDir(), 'papers.yaml');
  writeFileSync(corpus, serializeCorpus(papers));
  return corpus;
}

/** A corpus folder of two files, a paper or two in each. */
function corpusFolder(): { folder: string; first: string; second: string } {
  const folder = join(tempDir(), 'lib');
  mkdirSync(folder);
  const [first, second] = [join(folder, 'a.yaml'), join(folder, 'b.yaml')];
  writeFileSync(first, serializeCorpus(PAPERS.slice(0, 2)));
  writeFileSync(second, serializeCorpus(PAPERS.slice(2)));
  return { folder: `${folder}/`, first, second };
}

const papers = (corpus: string, ...args: string[]) => spawn(['--corpus', corpus, ...args]);
const own = (corpus: string) => loadCorpus(corpus).map((p) => [p.id, p.status ?? null, p.marked ?? null, p.tags ?? null]);

describe('papers mark', () => {
  it('sets the status and the day, reading refs from standard input, and says what it did', () => {
    const corpus = corpusFile();
    const listed = papers(corpus, 'search', 'graph | attention');
    expect(listed.code).toBe(0);
    const result = spawn(['--corpus', corpus, 'mark', '-', 'queued'], { stdin: listed.stdout });
    expect(result).toEqual({ code: 0, stdout: '', stderr: `${corpus}: 2 papers marked queued\n` });
    expect(own(corpus)).toEqual([
      ['graph-networks', 'queued', today, null],
      ['attention-is-all', 'queued', today, null],
      ['layer-normalization', null, null, null],
    ]);
    expect(readFileSync(corpus, 'utf8')).toContain(`    status: queued\n    marked: "${today}"\n`);

    // An arXiv id is a ref too; a paper that has the status already keeps it (and its day).
    expect(papers(corpus, 'mark', '2405.13786', 'attention', 'reading')).toEqual({
      code: 0,
      stdout: '',
      stderr: `${corpus}: 2 papers marked reading\n`,
    });
    expect(papers(corpus, 'mark', 'graph-networks', 'reading').stderr).toBe(`${corpus}: 0 papers marked reading, 1 already reading\n`);
    expect(papers(corpus, 'mark', 'graph-networks', 'layer', 'unread').stderr).toBe(`${corpus}: 1 paper marked unread, 1 already unread\n`);
    expect(own(corpus)).toEqual([
      ['graph-networks', null, null, null],
      ['attention-is-all', 'reading', today, null],
      ['layer-normalization', null, null, null],
    ]);
  });

  it('refuses a status it does not know, or no paper, changing nothing (exit 2)', () => {
    const corpus = corpusFile();
    const before = readFileSync(corpus, 'utf8');
    expect(papers(corpus, 'mark', 'graph-networks', 'done')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: unknown status in `done`: use queued, reading, read, unread\n',
    });
    expect(papers(corpus, 'mark', 'queued')).toEqual({ code: 2, stdout: '', stderr: 'papers: name the papers, then the status: papers mark ID... queued\n' });
    // Papers without the status: the status was forgotten, not misspelled.
    for (const ref of ['graph-networks', '-']) {
      expect(papers(corpus, 'mark', ref)).toEqual({
        code: 2,
        stdout: '',
        stderr: `papers: the status goes last: papers mark ${ref} queued|reading|read|unread\n`,
      });
    }
    expect(readFileSync(corpus, 'utf8')).toBe(before);
  });

  it('a ref that names no paper changes nothing, even the papers named before it (exit 1, the closest id)', () => {
    const corpus = corpusFile();
    const before = readFileSync(corpus, 'utf8');
    const result = papers(corpus, 'mark', 'graph-networks', 'atention-is-all', 'read');
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe('papers: no paper with id `atention-is-all`; did you mean attention-is-all?\n');
    expect(readFileSync(corpus, 'utf8')).toBe(before);
  });

  it.skipIf(!isRoot)('a corpus the user cannot write is refused before anything changes (exit 2)', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const corpus = join(dir, 'papers.yaml');
    writeFileSync(corpus, serializeCorpus(PAPERS));
    chmodSync(corpus, 0o644);
    const before = readFileSync(corpus, 'utf8');
    const asNobody = (args: string[]) => spawn(['--no-cache', '--corpus', corpus, ...args], { uid: 65534, gid: 65534 });
    expect(asNobody(['mark', 'graph-networks', 'read'])).toEqual({ code: 2, stdout: '', stderr: `papers: ${dir}: cannot write: permission denied\n` });
    expect(asNobody(['tag', 'graph-networks', '--add', 'x'])).toEqual({ code: 2, stdout: '', stderr: `papers: ${dir}: cannot write: permission denied\n` });
    // A folder it may write in, and a file it may not.
    chmodSync(dir, 0o777);
    expect(asNobody(['mark', 'graph-networks', 'read'])).toEqual({ code: 2, stdout: '', stderr: `papers: ${corpus}: cannot write: permission denied\n` });
    expect(readFileSync(corpus, 'utf8')).toBe(before);
  });

  it('in a corpus folder, rewrites only the file that holds the paper', () => {
    const { folder, first, second } = corpusFolder();
    const untouched = readFileSync(first, 'utf8');
    const mtime = statSync(first).mtimeMs;
    expect(papers(folder, 'mark', 'layer-normalization', 'read')).toEqual({ code: 0, stdout: '', stderr: `${folder}: 1 paper marked read\n` });
    expect(readFileSync(first, 'utf8')).toBe(untouched);
    expect(statSync(first).mtimeMs).toBe(mtime);
    expect(own(second)).toEqual([['layer-normalization', 'read', today, null]]);
    expect(papers(folder, 'tag', 'graph', '--add', 'to-cite').stderr).toBe(`${folder}: 1 paper retagged (+to-cite)\n`);
    expect(readFileSync(second, 'utf8')).toContain('status: read');
    expect(papers(folder, 'list', '--status', 'read').stdout).toBe('layer-normalization\tLayer Normalization\tMar 1\t\n');
    expect(papers(folder, 'search', 'tag:to-cite').stdout).toMatch(/^graph-networks\t/);
  });

  it.each([['file'], ['folder']])('waits for a long import to finish with the corpus, and every change arrives (corpus %s)', async (layout) => {
    const { corpus, lock, read } = layout === 'file' ? fileLayout() : folderLayout();
    const input = join(tempDir(), 'big.yaml');
    const big = generatePapers(8_000, { seed: 5 });
    writeFileSync(input, serializeCorpus(big));
    const env = { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR };
    const importing = new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = spawnChild(BIN, ['--corpus', corpus, 'import', input], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += chunk));
      child.on('close', (code) => resolve({ code, stderr }));
    });
    // The import holds the lock once its lock file is there.
    for (let waited = 0; !statSync(lock, { throwIfNoEntry: false }) && waited < 20_000; waited += 10) await new Promise((r) => setTimeout(r, 10));
    expect(statSync(lock, { throwIfNoEntry: false })).toBeDefined();
    // The last paper is not in the corpus until the import is done: a mark that finds it waited for it.
    const last = big.at(-1)!.id;
    const marks = await Promise.all([
      spawnAsync(['--corpus', corpus, 'mark', 'graph-networks', 'queued']),
      spawnAsync(['--corpus', corpus, 'mark', 'attention-is-all', 'read']),
      spawnAsync(['--corpus', corpus, 'tag', 'layer-normalization', '--add', 'project/thesis']),
      spawnAsync(['--corpus', corpus, 'mark', last, 'reading']),
    ]);
    const imported = await importing;
    expect(imported.code).toBe(0);
    const added = Number(/: (\d+) added, 0 enriched, 0 already present/.exec(imported.stderr)?.[1]);
    expect(added).toBeGreaterThan(7_900);
    expect(marks.map((m) => [m.code, m.stderr])).toEqual([
      [0, `${corpus}: 1 paper marked queued\n`],
      [0, `${corpus}: 1 paper marked read\n`],
      [0, `${corpus}: 1 paper retagged (+project/thesis)\n`],
      [0, `${corpus}: 1 paper marked reading\n`],
    ]);
    const all = read();
    expect(all).toHaveLength(3 + added);
    // In a folder the import's new file may sort before the others: the papers by id.
    expect(PAPERS.map(({ id }) => all.find((p) => p.id === id)!).map((p) => [p.id, p.status ?? null, p.tags ?? null])).toEqual([
      ['graph-networks', 'queued', null],
      ['attention-is-all', 'read', null],
      ['layer-normalization', null, ['project/thesis']],
    ]);
    expect(all.filter((p) => p.status === 'reading').map((p) => p.id)).toEqual([last]);
  });
});

/** The corpus file of PAPERS, its lock, and its papers as the file now holds them. */
function fileLayout() {
  const corpus = corpusFile();
  return { corpus, lock: `${corpus}.lock`, read: () => loadCorpus(corpus) };
}

/** The corpus folder of PAPERS, its lock, and the papers of all its files in order. */
function folderLayout() {
  const { folder } = corpusFolder();
  const read = () =>
    readdirSync(folder)
      .filter((name) => name.endsWith('.yaml'))
      .sort()
      .flatMap((name) => loadCorpus(join(folder, name)));
  return { corpus: folder, lock: join(folder, '.papers.lock'), read };
}

describe('papers mark and tag on a corpus folder', () => {
  it('a ref that names no paper changes no file (exit 1, the closest id)', () => {
    const { folder, first, second } = corpusFolder();
    const before = [readFileSync(first, 'utf8'), readFileSync(second, 'utf8')];
    for (const args of [
      ['mark', 'graph-networks', 'layer-normalization', 'atention-is-all', 'read'],
      ['tag', 'graph-networks', 'layer-normalization', 'atention-is-all', '--add', 'to-cite'],
    ]) {
      expect(papers(folder, ...args)).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper with id `atention-is-all`; did you mean attention-is-all?\n' });
    }
    expect([readFileSync(first, 'utf8'), readFileSync(second, 'utf8')]).toEqual(before);
  });

  it('tag rewrites only the file that holds the paper', () => {
    const { folder, first, second } = corpusFolder();
    const untouched = readFileSync(second, 'utf8');
    const mtime = statSync(second).mtimeMs;
    expect(papers(folder, 'tag', 'attention-is-all', '--add', 'to-cite')).toEqual({ code: 0, stdout: '', stderr: `${folder}: 1 paper retagged (+to-cite)\n` });
    expect(readFileSync(second, 'utf8')).toBe(untouched);
    expect(statSync(second).mtimeMs).toBe(mtime);
    expect(own(first)).toEqual([
      ['graph-networks', null, null, null],
      ['attention-is-all', null, null, ['to-cite']],
    ]);
  });

  it.skipIf(!isRoot)('a folder, or a file of it, the user cannot write is refused before any file changes (exit 2)', () => {
    const { folder, first, second } = corpusFolder();
    const dir = folder.slice(0, -1);
    chmodSync(dirname(dir), 0o755);
    chmodSync(dir, 0o755);
    chmodSync(first, 0o666);
    chmodSync(second, 0o644);
    const before = [readFileSync(first, 'utf8'), readFileSync(second, 'utf8')];
    const asNobody = (args: string[]) => spawn(['--no-cache', '--corpus', folder, ...args], { uid: 65534, gid: 65534 });
    // The folder takes no new file: nothing is tried, not even the lock.
    expect(asNobody(['mark', 'graph-networks', 'read'])).toEqual({ code: 2, stdout: '', stderr: `papers: ${folder}: cannot write: permission denied\n` });
    expect(asNobody(['tag', 'graph-networks', '--add', 'x'])).toEqual({ code: 2, stdout: '', stderr: `papers: ${folder}: cannot write: permission denied\n` });
    // A folder it may write in, one file it may write and one it may not: the first is not written either.
    chmodSync(dir, 0o777);
    expect(asNobody(['mark', 'graph-networks', 'layer-normalization', 'read'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${second}: cannot write: permission denied\n`,
    });
    expect([readFileSync(first, 'utf8'), readFileSync(second, 'utf8')]).toEqual(before);
    // A paper only of the file it may write is marked, and the other file is left as it is.
    expect(asNobody(['mark', 'graph-networks', 'read'])).toEqual({ code: 0, stdout: '', stderr: `${folder}: 1 paper marked read\n` });
    expect(readFileSync(second, 'utf8')).toBe(before[1]);
  });
});

describe('help', () => {
  it.each([['mark'], ['tag'], ['tags']])('papers %s --help fits 80 columns and says how it is called', (command) => {
    const help = spawn([command, '--help'], { env: { COLUMNS: '80' } });
    expect(help.code).toBe(0);
    expect(help.stderr).toBe('');
    const lines = help.stdout.trimEnd().split('\n');
    expect(lines.filter((line) => line.length > 80)).toEqual([]);
    expect(lines[0]).toBe(
      { mark: 'Usage: papers mark <ref...> queued|reading|read|unread', tag: 'Usage: papers tag [options] <ref...>', tags: 'Usage: papers tags [options]' }[
        command
      ],
    );
  });
});

describe('papers tag and papers tags', () => {
  it('adds and removes tags, and lists them most used first', () => {
    const corpus = corpusFile();
    expect(papers(corpus, 'tag', 'graph-networks', 'attention', '--add', 'project/thesis,to-cite')).toEqual({
      code: 0,
      stdout: '',
      stderr: `${corpus}: 2 papers retagged (+project/thesis +to-cite)\n`,
    });
    expect(papers(corpus, 'tag', 'graph-networks', 'layer', '--add', 'to-cite', '--remove', 'project/thesis').stderr).toBe(
      `${corpus}: 2 papers retagged (+to-cite -project/thesis)\n`,
    );
    expect(papers(corpus, 'tag', 'layer', '--add', 'to-cite').stderr).toBe(`${corpus}: 0 papers retagged (+to-cite), 1 unchanged\n`);
    expect(own(corpus).map(([id, , , tags]) => [id, tags])).toEqual([
      ['graph-networks', ['to-cite']],
      ['attention-is-all', ['project/thesis', 'to-cite']],
      ['layer-normalization', ['to-cite']],
    ]);
    expect(papers(corpus, 'tags')).toEqual({ code: 0, stdout: 'to-cite\t3\nproject/thesis\t1\n', stderr: '' });
    expect(JSON.parse(papers(corpus, 'tags', '--format', 'json').stdout)).toEqual([
      { tag: 'to-cite', count: 3 },
      { tag: 'project/thesis', count: 1 },
    ]);
    const table = spawn(['--corpus', corpus, 'tags', '--format', 'table']).stdout.split('\n');
    expect(table[0]).toMatch(/^TAG\s+PAPERS$/);
    // Removing the last tag leaves no `tags:` behind.
    expect(papers(corpus, 'tag', 'graph', '--remove', 'to-cite').code).toBe(0);
    expect(readFileSync(corpus, 'utf8').split('- id: attention-is-all')[0]).not.toContain('tags:');
  });

  it.each([
    [
      ['--add', 'Project'],
      'papers: --add: `Project` is not a tag: a tag is lower-case letters and digits, with -, _, / or . inside (like project/thesis or to-cite)\n',
    ],
    [
      ['--add', 'to cite'],
      'papers: --add: `to cite` is not a tag: a tag is lower-case letters and digits, with -, _, / or . inside (like project/thesis or to-cite)\n',
    ],
    [
      ['--remove', '-x'],
      'papers: --remove: `-x` is not a tag: a tag is lower-case letters and digits, with -, _, / or . inside (like project/thesis or to-cite)\n',
    ],
    [['--add', 'a', '--remove', 'a'], 'papers: `a` is both added and removed: keep it in one of --add and --remove\n'],
    [[], 'papers: say what to change: --add TAGS, --remove TAGS, or both\n'],
  ])('refuses %j with the rule (exit 2), changing nothing', (args, message) => {
    const corpus = corpusFile();
    const before = readFileSync(corpus, 'utf8');
    expect(papers(corpus, 'tag', 'graph-networks', ...args)).toEqual({ code: 2, stdout: '', stderr: message });
    expect(readFileSync(corpus, 'utf8')).toBe(before);
  });

  it('says when no paper has a tag (exit 1)', () => {
    expect(papers(corpusFile(), 'tags')).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper has a tag yet; `papers tag ID --add NAME` gives one\n' });
  });
});

describe('filters over status and tags', () => {
  const library = () =>
    corpusFile([
      testPaper('graph-networks', { title: 'Graph Networks', abstract: 'graph networks', status: 'queued', marked: '2026-03-02', tags: ['to-cite'] }),
      testPaper('attention-is-all', {
        title: 'Attention',
        abstract: 'attention networks',
        status: 'read',
        marked: '2026-01-05',
        tags: ['project/thesis', 'to-cite'],
      }),
      testPaper('layer-normalization', { title: 'Layer Norm', abstract: 'normalizing networks', status: 'queued', marked: '2026-02-10' }),
      testPaper('dropout', { title: 'Dropout', abstract: 'dropping networks' }),
    ]);
  const ids = (result: { stdout: string }) =>
    result.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split('\t')[0]);

  // Once building the cache, once from it, and once without it: the three ways filters are answered.
  it.each([['fresh'], ['cached'], ['--no-cache']])('list, export and search select by status and tag (%s)', (way) => {
    const corpus = library();
    const go = (...args: string[]) => spawn(way === '--no-cache' ? ['--no-cache', '--corpus', corpus, ...args] : ['--corpus', corpus, ...args]);
    if (way === 'cached') go('list');
    expect(ids(go('list', '--status', 'queued'))).toEqual(['graph-networks', 'layer-normalization']);
    // A queue is read oldest first.
    expect(ids(go('list', '--status', 'queued,reading', '--sort', 'marked'))).toEqual(['layer-normalization', 'graph-networks']);
    expect(ids(go('list', '--sort', 'marked'))).toEqual(['attention-is-all', 'layer-normalization', 'graph-networks', 'dropout']);
    expect(ids(go('list', '--status', 'unread'))).toEqual(['dropout']);
    expect(ids(go('list', '--tag', 'to-cite'))).toEqual(['graph-networks', 'attention-is-all']);
    expect(ids(go('list', '--tag', 'to-cite', '--tag', 'project/thesis'))).toEqual(['attention-is-all']);
    expect(ids(go('list', '--tag', 'to-cite', '--status', 'queued'))).toEqual(['graph-networks']);
    expect(go('list', '--tag', 'nothing-yet')).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper tagged nothing-yet\n' });
    expect(go('list', '--status', 'reading')).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper with status reading\n' });
    expect(JSON.parse(go('export', '--tag', 'project/thesis').stdout).map((p: Paper) => [p.id, p.status, p.marked, p.tags])).toEqual([
      ['attention-is-all', 'read', '2026-01-05', ['project/thesis', 'to-cite']],
    ]);
    expect(go('export', '--status', 'queued', '--format', 'csv', '--fields', 'id').stdout.split(/\r?\n/)).toEqual([
      'id',
      'graph-networks',
      'layer-normalization',
      '',
    ]);

    expect(ids(go('search', 'networks', 'is:queued', '--all'))).toEqual(expect.arrayContaining(['graph-networks', 'layer-normalization']));
    expect(ids(go('search', 'networks', 'is:queued', '--all'))).toHaveLength(2);
    expect(ids(go('search', 'networks', '-is:read', '--all')).sort()).toEqual(['dropout', 'graph-networks', 'layer-normalization']);
    expect(ids(go('search', 'networks', 'is:unread', '--all'))).toEqual(['dropout']);
    expect(ids(go('search', 'networks', 'tag:to-cite', '--all')).sort()).toEqual(['attention-is-all', 'graph-networks']);
    expect(ids(go('search', 'networks', '-tag:to-cite', '--all')).sort()).toEqual(['dropout', 'layer-normalization']);
    // A filter alone is a query: the reading queue.
    expect(ids(go('search', 'is:queued', '--all')).sort()).toEqual(['graph-networks', 'layer-normalization']);
  });

  it.each([
    [['search', 'is:done'], 'papers: unknown status in `is:done`: use queued, reading, read, unread\n'],
    [['search', 'is:queued', 'is:read'], 'papers: is:queued and is:read together match nothing (a paper has one status): keep one\n'],
    [
      ['search', 'tag:To_Cite!'],
      'papers: `tag:To_Cite!` is not a tag: a tag is lower-case letters and digits, with -, _, / or . inside (like project/thesis or to-cite)\n',
    ],
    [['list', '--status', 'later'], 'papers: unknown status in `--status later`: use queued, reading, read, unread\n'],
    [
      ['list', '--tag', 'A'],
      'papers: --tag: `A` is not a tag: a tag is lower-case letters and digits, with -, _, / or . inside (like project/thesis or to-cite)\n',
    ],
  ])('refuses %j in one line (exit 2)', (args, message) => {
    expect(papers(library(), ...args)).toEqual({ code: 2, stdout: '', stderr: message });
  });
});

describe('a corpus behind a folder the user may not enter', () => {
  it.skipIf(!isRoot)('is one line and exit 2 for list and mark alike, file or folder', () => {
    const file = corpusFile();
    const { folder } = corpusFolder();
    for (const corpus of [file, folder]) {
      const before = readFileSync(corpus.endsWith('/') ? join(corpus, 'a.yaml') : corpus, 'utf8');
      // tempDir() makes folders only their owner (root) may enter.
      for (const args of [['list'], ['mark', 'graph-networks', 'read']]) {
        expect(spawn(['--corpus', corpus, ...args], { uid: 65534, gid: 65534 })).toEqual({
          code: 2,
          stdout: '',
          stderr: `papers: ${corpus}: permission denied reading the corpus file\n`,
        });
      }
      expect(readFileSync(corpus.endsWith('/') ? join(corpus, 'a.yaml') : corpus, 'utf8')).toBe(before);
    }
  });
});

describe('papers show', () => {
  it('shows the status, the day it was set and the tags of a paper that has them, and nothing of them otherwise', () => {
    const corpus = corpusFile();
    expect(papers(corpus, 'mark', 'graph-networks', 'reading').code).toBe(0);
    expect(papers(corpus, 'tag', 'graph-networks', '--add', 'project/thesis,to-cite').code).toBe(0);
    const shown = papers(corpus, 'show', 'graph-networks');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`\nstatus  reading since ${today}\ntags    project/thesis, to-cite\nsource  `);
    expect(papers(corpus, 'show', 'layer-normalization').stdout).not.toMatch(/^(status|tags) /m);
  });
});

describe('hand edits', () => {
  it.each([
    ['status: done', '`status` `done` must be one of queued, reading, read (leave it out for unread)'],
    ['marked: 2026-13-01', '`marked` `2026-13-01` must be a day written YYYY-MM-DD'],
    [
      'tags: [To Cite]',
      '`tags` must be a list of different tags, each lower-case letters and digits, with -, _, / or . inside (like project/thesis or to-cite), not a list',
    ],
    [
      'tags: [a, a]',
      '`tags` must be a list of different tags, each lower-case letters and digits, with -, _, / or . inside (like project/thesis or to-cite), not a list',
    ],
  ])('a corpus with `%s` is refused with the file and line', (line, message) => {
    const corpus = corpusFile();
    const text = readFileSync(corpus, 'utf8').replace('    date: Mar 1\n', `    date: Mar 1\n    ${line}\n`);
    writeFileSync(corpus, text);
    const at = text.split('\n').findIndex((l) => l === `    ${line}`) + 1;
    expect(papers(corpus, 'list')).toEqual({ code: 2, stdout: '', stderr: `papers: ${corpus}:${at}: paper 1: ${message}\n` });
  });

  it('a hand-written status, day and tags are read as mark and tag write them', () => {
    const corpus = corpusFile();
    writeFileSync(
      corpus,
      readFileSync(corpus, 'utf8').replace('    date: Mar 1\n', '    date: Mar 1\n    status: reading\n    marked: 2026-05-01\n    tags: [to-cite]\n'),
    );
    expect(papers(corpus, 'list', '--status', 'reading', '--tag', 'to-cite').stdout).toBe('graph-networks\tGraph Networks for Molecules\tMar 1\t\n');
  });
});

describe('imports never change the reader\u2019s own fields', () => {
  const services: Service[] = [];
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.close()));
  });

  it('import of an export that says otherwise keeps the status, day and tags', () => {
    const corpus = corpusFile();
    papers(corpus, 'mark', 'graph-networks', 'read');
    papers(corpus, 'tag', 'graph-networks', '--add', 'mine');
    const other = corpusFile([
      testPaper('graph-networks', { ...PAPERS[0], status: 'queued', marked: '2020-01-01', tags: ['theirs'], doi: '10.1234/abc' }),
      testPaper('new-one', { title: 'A New One', status: 'reading', marked: '2020-01-01', tags: ['theirs'] }),
    ]);
    const exported = join(tempDir(), 'export.json');
    expect(papers(other, 'export', '-o', exported).code).toBe(0);
    expect(papers(corpus, 'import', exported).stderr).toBe(`${corpus}: 1 added, 1 enriched, 0 already present\n`);
    const all = loadCorpus(corpus);
    expect([all[0]!.doi, all[0]!.status, all[0]!.marked, all[0]!.tags]).toEqual(['10.1234/abc', 'read', today, ['mine']]);
    // A paper new to the corpus comes with what its export says (a library restored from a backup).
    expect([all[3]!.id, all[3]!.status, all[3]!.tags]).toEqual(['new-one', 'reading', ['theirs']]);
  });

  it('pull, add and refresh keep them', async () => {
    const HF_DAY = readFileSync(join(FIXTURES, 'sources', 'hf', 'daily_papers.json'));
    const ATOM = readFileSync(join(FIXTURES, 'sources', 'arxiv', 'feed.xml'));
    const hf = await startService(() => ({ body: HF_DAY, headers: { 'content-type': 'application/json' } }));
    const arxiv = await startService(() => ({ body: ATOM, headers: { 'content-type': 'application/atom+xml' } }));
    services.push(hf, arxiv);
    const env = { PAPERS_HF_ENDPOINT: hf.url, PAPERS_ARXIV_ENDPOINT: arxiv.url, PAPERS_RETRY_DELAY_MS: '20' };
    const corpus = join(tempDir(), 'papers.yaml');
    const run = (...args: string[]) => spawnAsync(['--corpus', corpus, ...args], { env });
    expect((await run('pull', '--date', '2024-10-23')).code).toBe(0);
    expect((await run('add', '2405.13786')).code).toBe(0);
    const [pulled, added] = [loadCorpus(corpus)[0]!.id, loadCorpus(corpus).find((p) => p.arxiv === '2405.13786')!.id];
    expect((await run('mark', pulled, added, 'reading')).code).toBe(0);
    expect((await run('tag', pulled, added, '--add', 'to-cite')).code).toBe(0);
    const before = readFileSync(corpus, 'utf8');
    const mine = () =>
      loadCorpus(corpus)
        .filter((p) => p.status !== undefined)
        .map((p) => [p.id, p.status, p.marked, p.tags]);
    const expected = [
      [pulled, 'reading', today, ['to-cite']],
      [added, 'reading', today, ['to-cite']],
    ];
    expect(mine()).toEqual(expected);
    for (const args of [
      ['pull', '--date', '2024-10-23'],
      ['add', '2405.13786'],
      ['refresh', added],
    ]) {
      const result = await run(...args);
      expect(result.code).toBe(0);
      expect(mine()).toEqual(expected);
    }
    expect(readFileSync(corpus, 'utf8')).toBe(before);
  });
});
