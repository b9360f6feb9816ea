// What a new user met in the first hour, each pinned by a test that failed before it was fixed.
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { memoryIndex } from '../src/index/memory.js';
import { editDistance } from '../src/search/distance.js';
import { Vocabulary, maxEdits } from '../src/search/vocabulary.js';
import { BIN, CACHE_DIR, SHIPPED_CORPUS, spawn, tempDir } from './helpers.js';

const ids = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .map((line) => line.split('\t')[0]);

describe('a swap of two neighbouring letters is one typo', () => {
  it('search grpah finds the graph papers, as search graph does', () => {
    const typed = spawn(['search', 'grpah', '--all']);
    expect(typed.code).toBe(0);
    expect(ids(typed.stdout).sort()).toEqual(ids(spawn(['search', 'graph', '--all']).stdout).sort());
  });

  it.each([
    ['recommendaiton', 'recommendation'],
    ['trasnformer', 'transformer'],
    ['hypernetwokr', 'hypernetwork'],
  ])('%s finds what %s finds first', (typo, word) => {
    expect(ids(spawn(['search', typo, '-n', '1']).stdout)).toEqual(ids(spawn(['search', word, '-n', '1']).stdout));
  });

  it('every corpus word within the allowed edits of a query word is a typo candidate (checked against all words)', () => {
    const index = memoryIndex(loadCorpus(SHIPPED_CORPUS));
    const words = Array.from({ length: index.words.length }, (_, i) => index.words.at(i));
    const typo = fc
      .tuple(
        fc.constantFrom(...words.filter((w) => w.length >= 5 && /^[a-z]+$/.test(w))),
        fc.nat(),
        fc.nat(),
        fc.constantFrom('swap', 'replace', 'insert', 'delete'),
      )
      .map(([word, at, letter, kind]) => {
        const i = at % (word.length - 1);
        const c = 'abcdefghijklmnopqrstuvwxyz'[letter % 26]!;
        if (kind === 'swap') return word.slice(0, i) + word[i + 1] + word[i] + word.slice(i + 2);
        if (kind === 'replace') return word.slice(0, i) + c + word.slice(i + 1);
        if (kind === 'insert') return word.slice(0, i) + c + word.slice(i);
        return word.slice(0, i) + word.slice(i + 1);
      });
    fc.assert(
      fc.property(typo, (query) => {
        // A fresh vocabulary each time, so that nothing cached from another query helps.
        const vocabulary = new Vocabulary(index.words, index.masks);
        const expanded = vocabulary.expand(query, 'fuzzy');
        const known = vocabulary.has(query) || vocabulary.expand(query, 'forms').size > 0;
        const allowed = Math.max(0, maxEdits(query.length) - (known ? 1 : 0));
        for (const word of words) if (editDistance(query, word, allowed) <= allowed) expect(expanded.has(word), `${query} -> ${word}`).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

describe('after search, only its own options spelled exactly are options', () => {
  it('search language -nlp leaves out the NLP papers instead of reading -n lp', () => {
    const result = spawn(['search', 'language', '-nlp', '--all']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const all = ids(spawn(['search', 'language', '--all']).stdout);
    const nlp = ids(spawn(['search', 'nlp', '--all']).stdout);
    expect(nlp.length).toBeGreaterThan(0);
    expect(ids(result.stdout)).toEqual(all.filter((id) => !nlp.includes(id)));
  });

  it.each([
    [['-n', '2'], 2],
    [['--limit', '2'], 2],
    [['--limit=2'], 2],
  ])('search network %j is still an option', (option, rows) => {
    expect(ids(spawn(['search', 'network', ...option]).stdout)).toHaveLength(rows);
  });

  it('-all and -format are refused as mistyped options; after -- they are excluded words', () => {
    expect(spawn(['search', 'learning', '-all', '-n', '3'])).toEqual({
      code: 2,
      stdout: '',
      stderr: "papers: unknown option '-all' (Did you mean --all? To leave out the word, put it after --) (see papers --help)\n",
    });
    const result = spawn(['search', '-n', '3', '--', 'learning', '-all', '-format']);
    expect(result.code).toBe(0);
    expect(ids(result.stdout)).toEqual(ids(spawn(['search', '--limit', '3', '--', 'learning', '-all', '-format']).stdout));
    expect(result.stdout).not.toContain('[');
  });

  it('choices are declared once: help, the error and completion give the same list', () => {
    expect(spawn(['list', '--help']).stdout).toMatch(
      /--sort <key>\s+sort by a field, or keep the corpus file order \(choices:\s+"id", "title", "date", "published", "upvotes",\s+"marked",\s+"corpus",\s+default: "corpus"\)/,
    );
    expect(spawn(['list', '--sort', 'size']).stderr).toBe('papers: unknown --sort `size`: use id, title, date, published, upvotes, marked, corpus\n');
    const script = join(tempDir(), 'papers.bash');
    writeFileSync(script, spawn(['completion', 'bash']).stdout);
    const reply = execFileSync(
      'bash',
      ['-c', `source "${script}"; COMP_WORDS=(papers list --sort ""); COMP_CWORD=3; _papers; printf '%s\\n' "\${COMPREPLY[@]}"`],
      {
        encoding: 'utf8',
      },
    );
    expect(reply.trim().split('\n')).toEqual(['id', 'title', 'date', 'published', 'upvotes', 'marked', 'corpus']);
  });
});

describe('run through a symlink of another name', () => {
  it('p list prints the list, as papers list does', () => {
    const dir = tempDir();
    const link = join(dir, 'p');
    symlinkSync(BIN, link);
    const result = execFileSync(link, ['list', '--limit', '2'], { encoding: 'utf8', env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR } });
    expect(result).toBe(spawn(['list', '--limit', '2']).stdout);
    expect(result.split('\n')[0]).toBe('activation-space-selectable\tActivation Space Selectable Kolmogorov-Arnold Networks\tMar 11\t');
  });

  it('a link in a folder on PATH works too, and exit codes come through', () => {
    const dir = tempDir();
    symlinkSync(BIN, join(dir, 'hf-papers'));
    const shell = (command: string) => {
      try {
        return {
          stdout: execFileSync('sh', ['-c', command], { encoding: 'utf8', env: { PATH: `${dir}:${process.env.PATH}`, PAPERS_CACHE_DIR: CACHE_DIR } }),
          code: 0,
        };
      } catch (error) {
        return { stdout: '', code: (error as { status: number }).status };
      }
    };
    expect(shell('hf-papers search hopfield -n 1 | cut -f1')).toEqual({ stdout: 'hopfield-networks-all-you-need\n', code: 0 });
    expect(shell('hf-papers search qqqzzzxx 2>/dev/null').code).toBe(1);
  });
});

describe('--color always colours rows in a pipe too', () => {
  const cyan = (text: string) => `\u001b[36m${text}\u001b[39m`;
  const match = (text: string) => `\u001b[1m\u001b[33m${text}\u001b[39m\u001b[22m`;

  it('ids and matched words are coloured in TSV, fields still split on tabs', () => {
    const result = spawn(['--color', 'always', 'search', 'hopfield', '-n', '1']);
    expect(result.stdout).toBe(`${cyan('hopfield-networks-all-you-need')}\t${match('Hopfield')} Networks is All You Need\t0.953\n`);
  });

  it('list ids are coloured too', () => {
    expect(spawn(['--color', 'always', 'list', '--limit', '1']).stdout).toBe(
      `${cyan('activation-space-selectable')}\tActivation Space Selectable Kolmogorov-Arnold Networks\tMar 11\t\n`,
    );
  });

  it.each([
    ['auto', {}],
    ['auto', { FORCE_COLOR: '1' }],
    ['never', { FORCE_COLOR: '1' }],
  ])('--color %s with %j leaves TSV plain, as before', (mode, env) => {
    expect(spawn(['--color', mode, 'search', 'hopfield', '-n', '1'], { env }).stdout).toBe(
      'hopfield-networks-all-you-need\tHopfield Networks is All You Need\t0.953\n',
    );
  });
});
