// `list` and `export` with --status, --tag, --has-code, --since and --until decide which papers pass from the
// cache's facets, then read those papers alone: the same output as without the cache, on a file and a folder.
// Through the built binary; not timed (what is read is seen through a cache whose summaries are damaged).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generatePapers } from '../scripts/synthetic.js';
import { STATUSES, type Paper } from '../src/corpus/paper.js';
import { serializeCorpus } from '../src/corpus/store.js';
import { cachePath } from '../src/index/cache.js';
import { damageSection, spawn, tempDir } from './helpers.js';

vi.setConfig({ testTimeout: 120_000 });

const TAGS = ['gnn', 'survey', 'to-cite'];

/**
 * Papers with every kind of record the filters read: a status, tags, code, a day published or listed,
 * authors; one in `every` has a status, and one in `every` of those tags.
 */
function libraryPapers(count: number, every = 3): Paper[] {
  return generatePapers(count, { seed: 7 }).map((paper, i) => {
    const own: Partial<Paper> = {};
    if (i % every === 0) own.status = STATUSES[(i / every) % STATUSES.length];
    if (i % every === 0) own.marked = '2026-03-01';
    const tags = TAGS.filter((_, t) => i % (every === 3 ? t + 2 : every * (t + 2)) === 0);
    if (tags.length > 0) own.tags = tags;
    if (i % 4 === 0) own.code = `https://github.com/example/repo-${i}`;
    if (i % 5 !== 0) own.published = `202${3 + (i % 3)}-0${1 + (i % 9)}-1${i % 10}`;
    if (i % 7 === 0) own.daily = `2025-0${1 + (i % 9)}-2${i % 10}`;
    return { ...paper, ...own, authors: [i % 6 === 0 ? 'Ada Kaiser' : 'Bo Lindqvist'] };
  });
}

const PAPERS = libraryPapers(90);
// Few papers marked or tagged among many, as in a large library: those are read alone.
const SPARSE = libraryPapers(400, 20);

function corpusFile(papers = PAPERS): string {
  const file = join(tempDir(), 'papers.yaml');
  writeFileSync(file, serializeCorpus(papers));
  return file;
}

/** A folder of four files, the papers in the same order as in corpusFile. */
function corpusFolder(papers = PAPERS): { folder: string; files: string[] } {
  const folder = join(tempDir(), 'lib');
  mkdirSync(folder);
  const files = [0, 1, 2, 3].map((n) => join(folder, `part-${n}.yaml`));
  const size = Math.ceil(papers.length / files.length);
  files.forEach((file, n) => writeFileSync(file, serializeCorpus(papers.slice(n * size, (n + 1) * size))));
  return { folder: `${folder}/`, files };
}

const SELECTIONS: string[][] = [
  ['--status', 'queued'],
  ['--status', 'queued,read'],
  ['--status', 'unread', '--has-code'],
  ['--tag', 'gnn'],
  ['--tag', 'gnn,survey'],
  ['--tag', 'survey', '--since', '2024-03'],
  ['--has-code', '--since', '2023-02', '--until', '2024-06-30'],
  ['--since', '2025'],
  ['--status', 'reading', '--author', 'kaiser'],
  ['--tag', 'to-cite', '--status', 'read', '--sort', 'date', '--reverse', '--limit', '3'],
  ['--has-code', '--limit', '2'],
];

// Selections that let no paper through, and what each says.
const NOTHING: [string[], string][] = [
  [['--tag', 'nowhere'], 'papers: no paper tagged nowhere\n'],
  [['--status', 'reading', '--tag', 'to-cite', '--since', '2026'], 'papers: no paper published on or after 2026\n'],
  [['--status', 'queued', '--author', 'nobody'], 'papers: no paper by an author named `nobody`\n'],
];

/** What each command prints for each selection, with and without the cache (the same environment otherwise). */
function outputs(corpus: string, env: NodeJS.ProcessEnv, commands: string[][], cache: boolean) {
  return commands.map((command) => spawn(['--corpus', corpus, ...(cache ? [] : ['--no-cache']), ...command], { env }));
}

const listCommands = SELECTIONS.flatMap((selection) => [
  ['list', ...selection],
  ['list', ...selection, '--format', 'json'],
]);
const exportCommands = SELECTIONS.filter((s) => !s.includes('--sort') && !s.includes('--limit')).flatMap((selection) => [
  ['export', ...selection],
  ['export', ...selection, '--format', 'ndjson'],
  ['export', ...selection, '--format', 'bibtex'],
]);
const nothingCommands = NOTHING.flatMap(([selection]) => [
  ['list', ...selection],
  ['export', ...selection, '--format', 'ndjson'],
]);

/** The ids a simple selection keeps, worked out from the papers themselves. */
const idsWhere = (test: (paper: Paper) => boolean) =>
  PAPERS.filter(test)
    .map((p) => p.id)
    .join('\n');
const listedIds = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t')[0])
    .join('\n');

describe.each([
  ['a corpus file', () => ({ corpus: corpusFile() })],
  ['a corpus folder', () => ({ corpus: corpusFolder().folder })],
])('filters over %s', (_kind, make) => {
  it('list and export print with the cache what they print without it, for every combination', () => {
    const { corpus } = make();
    const env = { PAPERS_CACHE_DIR: tempDir() };
    const commands = [...listCommands, ...exportCommands, ...nothingCommands];
    const without = outputs(corpus, env, commands, false);
    // Twice with the cache: building it, then read from it.
    expect(outputs(corpus, env, commands, true)).toEqual(without);
    expect(outputs(corpus, env, commands, true)).toEqual(without);
    const [queued, tagged, both] = [without[0]!, without[6]!, without[8]!];
    expect(queued.code).toBe(0);
    expect(listedIds(queued.stdout)).toBe(idsWhere((p) => p.status === 'queued'));
    expect(listedIds(tagged.stdout)).toBe(idsWhere((p) => p.tags?.includes('gnn') === true));
    expect(listedIds(both.stdout)).toBe(idsWhere((p) => p.tags?.includes('gnn') === true && p.tags.includes('survey')));
    NOTHING.forEach(([, said], i) => {
      expect(without[listCommands.length + exportCommands.length + 2 * i]).toEqual({ code: 1, stdout: '', stderr: said });
      expect(without[listCommands.length + exportCommands.length + 2 * i + 1]).toEqual({ code: 1, stdout: '', stderr: said });
    });
  });
});

describe('a status or tag filter reads the facets, not every summary', () => {
  it('leaves a cache whose summaries are damaged as it is, on a file', () => {
    const corpus = corpusFile(SPARSE);
    const env = { PAPERS_CACHE_DIR: tempDir() };
    const commands = [
      ['list', '--status', 'queued'],
      ['list', '--tag', 'gnn', '--has-code', '--format', 'json'],
      ['export', '--status', 'read', '--since', '2024'],
      ['export', '--tag', 'survey', '--format', 'ndjson'],
      ['list', '--tag', 'nowhere'],
    ];
    const without = outputs(corpus, env, commands, false);
    expect(spawn(['--corpus', corpus, 'list', '--limit', '1'], { env }).code).toBe(0);
    const cache = cachePath(corpus, env);
    const damaged = damageSection(cache, 'summaries');
    expect(outputs(corpus, env, commands, true)).toEqual(without);
    // Never read, so never found damaged: the cache is not rebuilt.
    expect(readFileSync(cache).equals(damaged)).toBe(true);
    // A command that reads every summary finds the damage, and the cache is rebuilt from the YAML.
    expect(spawn(['--corpus', corpus, 'list'], { env })).toEqual(spawn(['--corpus', corpus, '--no-cache', 'list'], { env }));
    expect(readFileSync(cache).equals(damaged)).toBe(false);
  });

  it('reads only the facets of each file of a folder, and after a mark rebuilds that file cache alone', () => {
    const { folder, files } = corpusFolder(SPARSE);
    const env = { PAPERS_CACHE_DIR: tempDir() };
    expect(spawn(['--corpus', folder, 'list', '--limit', '1'], { env }).code).toBe(0);
    const caches = files.map((file) => cachePath(file, env));
    // Every file's summaries damaged: none is read.
    const damaged = caches.map((cache) => damageSection(cache, 'summaries'));
    const commands = [
      ['list', '--status', 'queued'],
      ['list', '--tag', 'to-cite', '--format', 'json'],
      ['export', '--status', 'reading', '--has-code', '--format', 'ndjson'],
    ];
    const without = outputs(folder, env, commands, false);
    expect(outputs(folder, env, commands, true)).toEqual(without);
    caches.forEach((cache, i) => expect(readFileSync(cache).equals(damaged[i]!)).toBe(true));

    // A paper of the third file queued: that file's cache alone is made again, and the filters see it at once.
    const paper = SPARSE[2 * 100 + 1]!;
    expect(paper.status).toBeUndefined();
    expect(spawn(['--corpus', folder, 'mark', paper.id, 'queued'], { env })).toEqual({
      code: 0,
      stdout: '',
      stderr: `${folder}: 1 paper marked queued\n`,
    });
    const queued = outputs(folder, env, [['list', '--status', 'queued']], true)[0]!;
    expect(queued).toEqual(outputs(folder, env, [['list', '--status', 'queued']], false)[0]);
    expect(listedIds(queued.stdout).split('\n')).toContain(paper.id);
    caches.forEach((cache, i) => expect(readFileSync(cache).equals(damaged[i]!)).toBe(i !== 2));
  });
});
