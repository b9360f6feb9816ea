// Search that also finds papers which say it in other words: near misses after the full matches, word
// families, shipped synonyms, and a useful message when nothing matches. Run as a user runs papers.
import { describe, expect, it } from 'vitest';
import { run } from './helpers.js';

interface Row {
  rank: number;
  score: number;
  id: string;
  partial?: boolean;
  matchedWords?: string[];
}

async function json(...query: string[]): Promise<Row[]> {
  const result = await run(['search', ...query, '--format', 'json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as Row[];
}

describe('near misses', () => {
  it('follow the papers that match every word, marked partial with the words they matched, scores falling', async () => {
    const rows = await json('optimizing', 'recurrent', 'networks');
    const full = rows.filter((r) => !r.partial);
    const near = rows.filter((r) => r.partial);
    expect(full.map((r) => r.id)).toEqual([]);
    // "Optimization" is of the family of "optimizing": all three words, one through its family.
    expect(near[0]).toMatchObject({ id: 'critical-review-recurrent-neural', matchedWords: ['optimizing', 'recurrent', 'networks'] });
    expect(near.map((r) => r.id)).toContain('adding-gradient-noise-improves');
    expect(rows).toHaveLength(10);

    const mixed = await json('graph', 'neural', 'networks', '-n', '9');
    const firstNear = mixed.findIndex((r) => r.partial);
    expect(firstNear).toBe(7);
    expect(mixed.slice(0, firstNear).every((r) => r.partial === undefined && r.matchedWords === undefined)).toBe(true);
    expect(mixed.slice(firstNear).every((r) => r.partial === true && r.matchedWords!.join(' ') === 'neural networks')).toBe(true);
    for (let i = 1; i < mixed.length; i++) expect(mixed[i]!.score).toBeLessThanOrEqual(mixed[i - 1]!.score);
  });

  it('are marked ~ after the rank in a table; TSV keeps its three fields, in the same order', async () => {
    const table = await run(['search', 'graph', 'neural', 'networks', '-n', '9'], { tty: true, columns: 100 });
    const ranks = table.stdout
      .split('\n')
      .map((line) => /^\s*(\d+~?)\s/.exec(line)?.[1])
      .filter(Boolean);
    expect(ranks).toEqual(['1', '2', '3', '4', '5', '6', '7', '8~', '9~']);
    const tsv = await run(['search', 'graph', 'neural', 'networks', '-n', '9']);
    const ids = (await json('graph', 'neural', 'networks', '-n', '9')).map((r) => r.id);
    expect(
      tsv.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[0]),
    ).toEqual(ids);
    expect(
      tsv.stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => line.split('\t').length === 3),
    ).toBe(true);
  });

  it('--strict keeps grep-like "every word must match", and says which word matched nothing', async () => {
    expect(await run(['search', '--strict', 'recommendation', 'engines'])).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper has "engines"\n' });
    const strict = await run(['search', '--strict', 'graph', 'neural', 'networks', '--format', 'json']);
    expect((JSON.parse(strict.stdout) as Row[]).map((r) => r.partial)).toEqual(Array(7).fill(undefined));
    const help = await run(['search', '--help']);
    expect(help.stdout).toContain('--strict');
    expect(help.stdout.replace(/\s+/g, ' ')).toContain('near misses follow, marked ~ (--strict: words as typed, no near misses)');
  });
});

describe('other words for the same thing', () => {
  it('a derived word of the same family matches below the word itself', async () => {
    const derived = await json('segmenting', 'human', 'actions', '-n', '1');
    const exact = await json('segmentation', 'human', 'actions', '-n', '1');
    expect(derived[0]).toMatchObject({ id: 'action-mind-neural-network', partial: true, matchedWords: ['segmenting', 'human', 'actions'] });
    expect(exact[0]).toMatchObject({ id: 'action-mind-neural-network' });
    expect(exact[0]!.partial).toBeUndefined();
    expect(derived[0]!.score).toBeLessThan(exact[0]!.score);
  });

  it('short words stay exact: normal brings its family (normalization) as near misses, norm does not', async () => {
    const normal = await json('normal');
    expect(normal.filter((r) => r.partial).map((r) => r.id)).toEqual([
      'peri-ln-revisiting-layer',
      'slab-efficient-transformers',
      'mix-ln-unleashing-power-deeper',
      'magnitude-invariant',
    ]);
    const norm = await json('norm');
    expect(norm.map((r) => [r.id, r.partial])).toEqual([
      ['mix-ln-unleashing-power-deeper', undefined],
      ['ninformer-network-network', undefined],
    ]);
  });

  it('words the package ships as meaning the same: recommendation engines finds recommender systems', async () => {
    const rows = await json('recommendation', 'engines', '-n', '2');
    expect(rows.map((r) => r.id)).toEqual(['sheaf-neural-networks-graph', 'deep-task-specific-bottom']);
    expect(rows[0]!.matchedWords).toEqual(['recommendation', 'engines']);
  });

  it('transposed letters are one typo', async () => {
    for (const typo of ['grpah', 'hopfeild', 'trasnformer']) {
      const rows = await json(typo, '-n', '1');
      expect(rows[0]!.partial, typo).toBeUndefined();
    }
  });
});

describe('when nothing matches', () => {
  it('names the word no paper has and suggests the closest the corpus has; nothing on stdout, exit 1', async () => {
    expect(await run(['search', 'hypernetwrkzz'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'papers: no paper has "hypernetwrkzz"; did you mean "hypernetworks", "hypernetwork"?\n',
    });
    expect(await run(['search', 'zebra', 'giraffe', 'kangaroo'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'papers: no paper has "zebra", "giraffe" or "kangaroo"\n',
    });
    // Every word is somewhere, but the dates asked for leave out every paper: they are named.
    expect(await run(['search', 'hypernetwork', 'year:1990'])).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper published in 1990\n' });
  });
});
