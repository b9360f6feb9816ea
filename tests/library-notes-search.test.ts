import { chmodSync, copyFileSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generatePapers } from '../scripts/synthetic.js';
import { serializeCorpus } from '../src/corpus/store.js';
import { FIXTURES, run, spawn, tempDir, unprivileged } from './helpers.js';

/*
 * Search finds the words of the reader's notes (notes/<id>.md beside the corpus), weighed below the paper's
 * own text, and sees a note written, changed or removed at the very next search, cache or no cache.
 */

const ID = 'graph-networks-molecules';
const OTHER = 'hypernetworks-continual';

/** The fixture corpus as a file, or as a folder holding it, with its own cache folder. */
function corpus(kind: 'file' | 'folder'): { corpus: string; notes: string; env: NodeJS.ProcessEnv } {
  const dir = tempDir();
  const env = { PAPERS_CACHE_DIR: join(dir, 'cache') };
  if (kind === 'file') {
    copyFileSync(join(FIXTURES, 'corpus.yaml'), join(dir, 'papers.yaml'));
    return { corpus: join(dir, 'papers.yaml'), notes: join(dir, 'notes'), env };
  }
  const folder = join(dir, 'library');
  mkdirSync(folder);
  copyFileSync(join(FIXTURES, 'corpus.yaml'), join(folder, 'a.yaml'));
  return { corpus: folder, notes: join(folder, 'notes'), env };
}

const ids = (stdout: string) =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[0]);

describe.each(['file', 'folder'] as const)('search finds the words of notes (a corpus %s)', (kind) => {
  it('a word only a note has finds its paper, with note: too, and not with title:', () => {
    const { corpus: path, env } = corpus(kind);
    const search = (...words: string[]) => spawn(['--corpus', path, 'search', ...words], { env });
    expect(search('zebrafish')).toEqual({ stdout: '', stderr: 'papers: no paper has "zebrafish"\n', code: 1 });
    expect(spawn(['--corpus', path, 'note', ID, '--add', 'Zebrafish assays would test this.'], { env }).code).toBe(0);
    expect(search('zebrafish')).toEqual({ stdout: `${ID}\tGraph Networks for Molecules\t0.150\n`, stderr: '', code: 0 });
    expect(search('note:zebrafish')).toEqual({ stdout: `${ID}\tGraph Networks for Molecules\t1.000\n`, stderr: '', code: 0 });
    expect(search('title:zebrafish')).toEqual({ stdout: '', stderr: 'papers: no papers match `title:zebrafish`\n', code: 1 });
    expect(search('abstract:zebrafish').code).toBe(1);
    // A note's word with the paper's own: both are needed, and both are found.
    expect(ids(search('graph', 'zebrafish').stdout)).toEqual([ID]);
    expect(ids(search('--strict', 'hypernetworks', 'zebrafish').stdout)).toEqual([]);
    // An excluded word leaves out a paper whose note has it.
    expect(ids(search('networks', '-zebrafish').stdout)).toEqual([OTHER]);
    const json = JSON.parse(spawn(['--corpus', path, 'search', 'zebrafish', '--format', 'json'], { env }).stdout) as { id: string; matched: string[] }[];
    expect(json.map(({ id, matched }) => ({ id, matched }))).toEqual([{ id: ID, matched: ['note'] }]);
  });

  it('the next search sees a note added to, edited by hand, and removed; --no-cache answers the same', () => {
    const { corpus: path, notes, env } = corpus(kind);
    const found = (...words: string[]) => {
      const cached = spawn(['--corpus', path, 'search', ...words], { env });
      const uncached = spawn(['--corpus', path, '--no-cache', 'search', ...words], { env });
      expect(uncached).toEqual(cached);
      return ids(cached.stdout);
    };
    expect(spawn(['--corpus', path, 'note', ID, '--add', 'compare with axolotl'], { env }).code).toBe(0);
    expect(found('axolotl')).toEqual([ID]);
    expect(spawn(['--corpus', path, 'note', ID, '--add', 'and with the newt'], { env }).code).toBe(0);
    expect(found('newt')).toEqual([ID]);
    // By hand, the same size, and a new time: the old words are gone, the new ones found.
    const note = join(notes, `${ID}.md`);
    const size = statSync(note).size;
    writeFileSync(note, 'compare with platypus\nand with the toad\n'.padEnd(size, ' '));
    const later = new Date(Date.now() + 60_000);
    utimesSync(note, later, later);
    expect(found('platypus')).toEqual([ID]);
    expect(found('axolotl')).toEqual([]);
    // A note on another paper, made by hand.
    writeFileSync(join(notes, `${OTHER}.md`), '# Mine\n\nplatypus too\n');
    expect(found('platypus')).toEqual([ID, OTHER]);
    rmSync(note);
    expect(found('platypus')).toEqual([OTHER]);
    expect(spawn(['--corpus', path, 'search', 'toad'], { env })).toEqual({ stdout: '', stderr: 'papers: no paper has "toad"\n', code: 1 });
  });
});

describe('notes in the ranking', () => {
  it('a paper whose note has the word ranks below one whose title has it', () => {
    const { corpus: path, notes, env } = corpus('file');
    mkdirSync(notes);
    writeFileSync(join(notes, `${OTHER}.md`), 'Would this work on molecules?\n');
    expect(spawn(['--corpus', path, 'search', 'molecules'], { env }).stdout).toBe(
      `${ID}\tGraph Networks for Molecules\t0.782\n${OTHER}\tHypernetworks for Continual Learning\t0.150\n`,
    );
    expect(ids(spawn(['--corpus', path, 'search', 'note:molecules'], { env }).stdout)).toEqual([OTHER]);
  });

  it('a note whose file names no paper of the corpus, and a hidden or non-Markdown file, are nobody’s', () => {
    const { corpus: path, notes, env } = corpus('file');
    mkdirSync(notes);
    writeFileSync(join(notes, 'no-such-paper.md'), 'quokka\n');
    writeFileSync(join(notes, `.${ID}.md`), 'quokka\n');
    writeFileSync(join(notes, `${ID}.txt`), 'quokka\n');
    expect(spawn(['--corpus', path, 'search', 'quokka'], { env })).toEqual({ stdout: '', stderr: 'papers: no paper has "quokka"\n', code: 1 });
  });

  it('on a terminal, a paper found by its note shows the note around the match under its title', async () => {
    const { corpus: path, notes, env } = corpus('file');
    mkdirSync(notes);
    writeFileSync(join(notes, `${ID}.md`), 'Zebrafish assays would test this.\n');
    const result = await run(['--corpus', path, 'search', 'zebrafish'], { tty: true, columns: 80, env: { ...env, NO_COLOR: '1' } });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Zebrafish assays would test this.');
    expect(result.stdout).not.toContain('We study graph neural networks');
  });

  it('export --query finds the words of notes too', () => {
    const { corpus: path, notes, env } = corpus('file');
    mkdirSync(notes);
    writeFileSync(join(notes, `${OTHER}.md`), 'quokka\n');
    const exported = spawn(['--corpus', path, 'export', '--query', 'quokka', '--format', 'ndjson', '--fields', 'id'], { env });
    expect(exported).toEqual({ stdout: `{"id":"${OTHER}"}\n`, stderr: '', code: 0 });
  });
});

describe.skipIf(!unprivileged.user)(`a note that cannot be read${unprivileged.user ? '' : `: SKIPPED, ${unprivileged.why}`}`, () => {
  it('search leaves it out with a warning and finds the rest; show and note --print refuse it with one line', () => {
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const path = join(dir, 'papers.yaml');
    copyFileSync(join(FIXTURES, 'corpus.yaml'), path);
    chmodSync(path, 0o644);
    const notes = join(dir, 'notes');
    mkdirSync(notes);
    chmodSync(notes, 0o755);
    writeFileSync(join(notes, `${ID}.md`), 'quokka\n', { mode: 0o600 });
    writeFileSync(join(notes, `${OTHER}.md`), 'quokka\n', { mode: 0o644 });
    const as = { ...unprivileged.user, env: { PAPERS_NO_CACHE: '1' } };
    const unreadable = `${join(notes, `${ID}.md`)}: permission denied reading the note file`;
    expect(spawn(['--corpus', path, 'search', 'quokka'], as)).toEqual({
      stdout: `${OTHER}\tHypernetworks for Continual Learning\t0.150\n`,
      stderr: `papers: warning: ${unreadable}; searched without it\n`,
      code: 0,
    });
    expect(spawn(['--corpus', path, 'note', ID, '--print'], as)).toEqual({ stdout: '', stderr: `papers: ${unreadable}\n`, code: 2 });
    expect(spawn(['--corpus', path, 'show', ID], as)).toEqual({ stdout: '', stderr: `papers: ${unreadable}\n`, code: 2 });
    // A notes folder that cannot be listed: the search is of the papers alone.
    chmodSync(notes, 0o700);
    expect(spawn(['--corpus', path, 'search', 'graph'], as)).toEqual({
      stdout: `${ID}\tGraph Networks for Molecules\t0.782\n`,
      stderr: `papers: warning: ${notes}: cannot read the notes folder: permission denied; searched without it\n`,
      code: 0,
    });
  });
});

describe('notes in a larger corpus', () => {
  it('a page of hits is the head of the whole ranking, and the cache answers as the papers read again', () => {
    const dir = tempDir();
    const folder = join(dir, 'library');
    mkdirSync(join(folder, 'notes'), { recursive: true });
    const papers = generatePapers(3000, { seed: 7 });
    for (let i = 0; i < 3; i++) writeFileSync(join(folder, `part-${i}.yaml`), serializeCorpus(papers.slice(i * 1000, (i + 1) * 1000)));
    // Notes on one paper in a hundred: common words, a word of their own, and words some titles have.
    papers.forEach((paper, i) => {
      if (i % 100 === 7) writeFileSync(join(folder, 'notes', `${paper.id}.md`), `the model ${i % 200 === 7 ? 'zebrafish' : ''} ${papers[i + 1]!.title}\n`);
    });
    const env = { PAPERS_CACHE_DIR: join(dir, 'cache') };
    for (const query of ['zebrafish', 'the model', `${papers[8]!.title.split(' ')[0]} zebrafish`, 'note:model', 'model -zebrafish']) {
      const page = spawn(['--corpus', folder, 'search', '--strict', '-n', '10', '--', query], { env });
      const all = spawn(['--corpus', folder, 'search', '--strict', '--all', '--', query], { env });
      expect(page.code).toBe(0);
      expect(page.stdout).toBe(all.stdout.split('\n').slice(0, 10).join('\n') + (all.stdout.split('\n').length > 11 ? '\n' : ''));
      expect(spawn(['--corpus', folder, '--no-cache', 'search', '-n', '10', '--', query], { env })).toEqual(
        spawn(['--corpus', folder, 'search', '-n', '10', '--', query], { env }),
      );
    }
  }, 60_000);
});
