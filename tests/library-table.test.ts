// A folder's lexicon keeps the summaries of every paper with a status or a tag: is:queued, -is:unread and
// tag:a (in list, export, and search without words) are answered from it without opening the caches of the
// files whose papers have none, and print what the papers read again print. Through the built binary.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { generatePapers } from '../scripts/synthetic.js';
import type { Paper } from '../src/corpus/paper.js';
import { serializeCorpus } from '../src/corpus/store.js';
import { cachePath } from '../src/index/cache.js';
import { damageSection, spawn, tempDir } from './helpers.js';

vi.setConfig({ testTimeout: 120_000 });

const FILES = 6;
const PER_FILE = 100;

/** 600 papers; six of them, in the second and fifth files, queued, read or tagged (fewer than one in fifty). */
function libraryPapers(): Paper[] {
  return generatePapers(FILES * PER_FILE, { seed: 11 }).map((paper, i) => {
    if (i === 110) return { ...paper, status: 'queued', marked: '2026-11-02' };
    if (i === 150) return { ...paper, status: 'queued', marked: '2026-11-03', tags: ['gnn'] };
    if (i === 199) return { ...paper, tags: ['gnn', 'to-cite'] };
    if (i === 420) return { ...paper, status: 'read', marked: '2026-10-01', tags: ['survey'] };
    if (i === 450) return { ...paper, status: 'reading', marked: '2026-11-20', tags: ['gnn'] };
    if (i === 451) return { ...paper, status: 'queued', marked: '2026-11-21' };
    return paper;
  });
}

const PAPERS = libraryPapers();
const MARKED_FILES = [1, 4];

function corpusFolder(papers: Paper[]): { folder: string; files: string[] } {
  const folder = join(tempDir(), 'lib');
  mkdirSync(folder);
  const files = Array.from({ length: FILES }, (_, n) => join(folder, `part-${n}.yaml`));
  files.forEach((file, n) => writeFileSync(file, serializeCorpus(papers.slice(n * PER_FILE, (n + 1) * PER_FILE))));
  return { folder: `${folder}/`, files };
}

/** A word of a marked paper's title, which many other papers have too. */
const WORD = (() => {
  const words = PAPERS[150]!.title.toLowerCase().match(/[a-z]{5,}/g)!;
  const shared = (w: string) => PAPERS.filter((p) => p.title.toLowerCase().includes(w)).length;
  return words.sort((a, b) => shared(b) - shared(a))[0]!;
})();

const COMMANDS: string[][] = [
  ['list', '--status', 'queued'],
  ['list', '--status', 'queued,reading', '--sort', 'marked', '--format', 'json'],
  ['list', '--tag', 'gnn'],
  ['list', '--tag', 'gnn', '--status', 'queued'],
  ['list', '--tag', 'nowhere'],
  ['export', '--tag', 'gnn', '--format', 'ndjson'],
  ['export', '--status', 'read', '--format', 'yaml'],
  ['search', 'is:queued'],
  ['search', '-is:unread', '--format', 'json'],
  ['search', WORD, 'tag:gnn'],
  ['search', WORD, 'is:queued', '--all'],
  ['search', WORD, 'zzyzxqv', '-is:unread'],
  ['search', 'tag:to-cite', 'tag:gnn'],
];

const run = (folder: string, env: NodeJS.ProcessEnv, cache: boolean, which: (command: string[], i: number) => boolean = () => true) =>
  COMMANDS.filter(which).map((command) => spawn(['--corpus', folder, ...(cache ? [] : ['--no-cache']), ...command], { env }));

describe('a folder answers is:queued and tag: from its library table', () => {
  it('without opening the files whose papers have no status or tag, printing what the papers read again print', () => {
    const { folder, files } = corpusFolder(PAPERS);
    const env = { PAPERS_CACHE_DIR: tempDir() };
    const without = run(folder, env, false);
    expect(without[0]).toEqual({ code: 0, stdout: expect.stringContaining(PAPERS[451]!.id), stderr: '' });
    expect(
      without[0]!.stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t')[0]),
    ).toEqual([110, 150, 451].map((i) => PAPERS[i]!.id));
    expect(without[4]).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper tagged nowhere\n' });
    expect(without[9]!.code).toBe(0);
    expect(without[11]!.code).toBe(0);
    expect(spawn(['--corpus', folder, 'list', '--limit', '1'], { env }).code).toBe(0);
    // The caches of the files without marks are taken away: answering from the table leaves them so.
    const unmarked = files.map((file) => cachePath(file, env)).filter((_, n) => !MARKED_FILES.includes(n));
    for (const cache of unmarked) rmSync(cache);
    const withWords = COMMANDS.map((command) => command[0] === 'search' && command.includes(WORD));
    const answered = run(folder, env, true, (_, i) => !withWords[i]);
    expect(answered).toEqual(without.filter((_, i) => !withWords[i]));
    for (const cache of unmarked) expect(existsSync(cache)).toBe(false);
    // A search of words weighs them by every file's papers: their caches are made again, and the answers are the same.
    expect(run(folder, env, true)).toEqual(without);
    for (const cache of unmarked) expect(existsSync(cache)).toBe(true);
  });

  it('ranks a short list exactly as a file holding the same papers ranks them', () => {
    const { folder } = corpusFolder(PAPERS);
    const file = join(tempDir(), 'papers.yaml');
    writeFileSync(file, serializeCorpus(PAPERS));
    const env = { PAPERS_CACHE_DIR: tempDir() };
    run(folder, env, true);
    const searches = COMMANDS.filter(([command]) => command === 'search');
    for (const command of searches) {
      expect(spawn(['--corpus', folder, ...command], { env })).toEqual(spawn(['--corpus', file, ...command], { env }));
    }
  });

  it('sees a mark, a tag and a hand edit of a file at once', () => {
    const { folder, files } = corpusFolder(PAPERS);
    const env = { PAPERS_CACHE_DIR: tempDir() };
    expect(run(folder, env, true)).toEqual(run(folder, env, false));
    // A paper of a file that had no marks queued, another tagged, and a third file's paper read by hand.
    const [queued, tagged, edited] = [PAPERS[5]!, PAPERS[305]!, PAPERS[599]!];
    expect(spawn(['--corpus', folder, 'mark', queued.id, 'queued'], { env })).toEqual({ code: 0, stdout: '', stderr: `${folder}: 1 paper marked queued\n` });
    expect(spawn(['--corpus', folder, 'tag', tagged.id, '--add', 'gnn'], { env }).code).toBe(0);
    const last = PAPERS.slice(5 * PER_FILE).map((p) => (p.id === edited.id ? { ...p, status: 'read' as const } : p));
    writeFileSync(files[5]!, serializeCorpus(last));
    const after = run(folder, env, true);
    expect(after).toEqual(run(folder, env, false));
    expect(after[0]!.stdout).toContain(queued.id);
    expect(after[2]!.stdout).toContain(tagged.id);
    expect(spawn(['--corpus', folder, 'list', '--status', 'read'], { env }).stdout).toContain(edited.id);
  });

  it('a damaged library table is made again, and the answer is the same', () => {
    const { folder } = corpusFolder(PAPERS);
    const env = { PAPERS_CACHE_DIR: tempDir() };
    const without = run(folder, env, false);
    expect(spawn(['--corpus', folder, 'list', '--limit', '1'], { env }).code).toBe(0);
    const lexicon = cachePath(folder, env);
    expect(existsSync(lexicon)).toBe(true);
    const damaged = damageSection(lexicon, 'library');
    expect(run(folder, env, true)).toEqual(without);
    // Found damaged when first read, and written again.
    expect(readFileSync(lexicon).equals(damaged)).toBe(false);
    expect(run(folder, env, true)).toEqual(without);
  });
});
