import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { parseQuery } from '../src/search/query.js';
import { letterMasks } from '../src/index/masks.js';
import { editDistance } from '../src/search/distance.js';
import { rankPapers, searchPapers } from '../src/search/rank.js';
import { memoryIndex } from '../src/index/memory.js';
import { generatePapers } from '../scripts/synthetic.js';
import { Vocabulary } from '../src/search/vocabulary.js';
import { tokenize } from '../src/base/text/words.js';
import { SHIPPED_CORPUS } from './helpers.js';
import { loadJudgments } from './relevance/metrics.js';

const papers = loadCorpus(SHIPPED_CORPUS);
const ids = async (query: string, n = 10) => (await searchPapers(papers, query)).slice(0, n).map((h) => h.paper.id);

describe('parseQuery', () => {
  it('reads words, phrases, exclusions, scopes, OR and has:code', () => {
    expect(parseQuery('graph "layer norm" -vision title:mlp a | b has:code')).toEqual({
      code: true,
      years: null,
      since: null,
      until: null,
      categories: [],
      notCategories: [],
      status: null,
      notStatus: [],
      tags: [],
      notTags: [],
      clauses: [
        { negated: false, terms: [{ words: ['graph'], exact: false, field: null, text: 'graph' }] },
        { negated: false, terms: [{ words: ['layer', 'norm'], exact: true, field: null, text: 'layer norm' }] },
        { negated: true, terms: [{ words: ['vision'], exact: false, field: null, text: 'vision' }] },
        { negated: false, terms: [{ words: ['mlp'], exact: false, field: 'title', text: 'mlp' }] },
        {
          negated: false,
          terms: [
            { words: ['a'], exact: false, field: null, text: 'a' },
            { words: ['b'], exact: false, field: null, text: 'b' },
          ],
        },
      ],
    });
  });

  it.each([
    ['', 'empty query: give at least one word to search for'],
    ['   ', 'empty query: give at least one word to search for'],
    ['"unclosed', 'unclosed quote in the query: add the closing "'],
    ['title:', 'empty field scope `title:`: write title:word'],
    ['a | ', '`|` needs a word on each side: a | b'],
    ['| a', '`|` needs a word on each side: a | b'],
    ['-only', 'the query only excludes words: add a word to search for'],
    ['?!.,;', 'the query has no words to search for (only punctuation or symbols)'],
    ['🙂🙂', 'the query has no words to search for (only punctuation or symbols)'],
    ['has:pdf', 'unknown filter `has:pdf`: the only one is has:code'],
    ['""', 'empty quotes in the query: put words between them'],
  ])('rejects %j', (query, message) => {
    expect(() => parseQuery(query)).toThrow(message);
  });
});

describe('tokenize', () => {
  it('adds the joined form of hyphenated words', () => {
    expect(tokenize('Pre-Trained models').map((t) => [t.word, t.pos, t.compound])).toEqual([
      ['pre', 0, false],
      ['trained', 1, false],
      ['pretrained', 0, true],
      ['models', 2, false],
    ]);
  });
});

describe('Vocabulary', () => {
  const words = ['hypernetwork', 'hypernetworks', 'network', 'gnn', 'gnns', 'gan', 'transformer', 'transformers', 'transformation'].sort();
  const vocabulary = new Vocabulary({ length: words.length, at: (i) => words[i]! }, () => letterMasks(words));

  it('forgives typos in long words, scaled by length; a typo stands for the forms of the word meant', () => {
    expect([...vocabulary.expand('hypernetwrok', 'fuzzy')].map(([w, s]) => [w, Math.round(s * 1e4) / 1e4])).toEqual([
      ['hypernetwork', 0.85],
      ['hypernetworks', 0.8075],
    ]);
  });

  it('matches short words and acronyms exactly (and their plural)', () => {
    expect([...vocabulary.expand('gnn', 'fuzzy')]).toEqual([
      ['gnn', 1],
      ['gnns', 0.95],
    ]);
  });

  it('expands a typed prefix by a short ending only', () => {
    expect([...vocabulary.expand('hypernet', 'fuzzy')]).toEqual([['hypernetwork', 0.85]]);
  });

  it('matches other inflections of the same stem, not derived words', () => {
    expect([...vocabulary.expand('transform', 'forms')]).toEqual([
      ['transformer', 0.9],
      ['transformers', 0.9],
    ]);
  });

  it.each([
    ['kitten', 'sitting', 3],
    ['hypernetwrok', 'hypernetwork', 1],
    ['abc', 'abc', 0],
  ])('editDistance(%s, %s) = %i', (a, b, d) => {
    expect(editDistance(a, b, 5)).toBe(d);
  });
});

describe('searchPapers on the shipped corpus', () => {
  it('puts the three hypernetwork papers first', async () => {
    expect((await ids('hypernetwork', 3)).sort()).toEqual(['brief-review-hypernetworks-deep', 'continual-learning-dependency', 'magnitude-invariant']);
  });

  it('finds them with a typo too', async () => {
    expect((await ids('hypernetwrok', 3)).sort()).toEqual(['brief-review-hypernetworks-deep', 'continual-learning-dependency', 'magnitude-invariant']);
  });

  it('requires every word of a multi-word query (strict; near misses are tested in near-miss.test.ts)', async () => {
    for (const hit of await searchPapers(papers, 'graph recommendation', Infinity, { strict: true })) {
      const text = `${hit.paper.title} ${hit.paper.abstract}`.toLowerCase();
      expect(text).toMatch(/graph/);
      expect(text).toMatch(/recommend/);
    }
    expect(await ids('graph recommendation', 1)).toEqual(['sheaf-neural-networks-graph']);
  });

  it('ranks a title match above abstract-only matches', async () => {
    const hits = await searchPapers(papers, 'pointer');
    expect(hits[0]!.paper.id).toBe('pointer-networks');
    expect(hits[0]!.fields).toEqual(['title', 'abstract']);
  });

  it('matches a phrase only with its words together', async () => {
    expect(await ids('"layer normalization"')).toEqual(['peri-ln-revisiting-layer', 'mix-ln-unleashing-power-deeper']);
  });

  it('excludes words', async () => {
    const found = await ids('continual learning -pretrained', 100);
    expect(found).toContain('continual-learning-neural');
    expect(found).not.toContain('simple-baseline-that-questions');
    expect(found).not.toContain('slca-slow-learner-classifier');
  });

  it('treats hyphen, space and joined spellings alike', async () => {
    const joined = await ids('pretraining', 100);
    expect(new Set(await ids('pre-training', 100))).toEqual(new Set(joined));
    expect(joined).toContain('improving-fractal-pre-training');
    // Two words also match apart ("Pre-LN ... training"), but the first page is the papers that have them together.
    const spaced = await ids('pre training', 100);
    expect(spaced).toEqual(expect.arrayContaining(joined));
    expect(joined).toEqual(expect.arrayContaining(spaced.slice(0, 10)));
    expect(new Set(await ids('multi-label', 100))).toEqual(new Set(await ids('multilabel', 100)));
  });

  it('gives scores between 0 and 1, best first, with highlight spans on the query words in both fields', () => {
    const hits = searchPapers(papers, 'graph neural', Infinity, { strict: true });
    expect(hits.length).toBeGreaterThan(3);
    for (const [i, hit] of hits.entries()) {
      expect(hit.score).toBeGreaterThan(0);
      expect(hit.score).toBeLessThanOrEqual(1);
      if (i > 0) expect(hit.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      const highlighted = (['title', 'abstract'] as const).flatMap((field) => hit.spans[field].map((span) => hit.paper[field].slice(span.start, span.end)));
      for (const text of highlighted) expect(text, hit.paper.id).toMatch(/^(graph|neural)/i);
      // Every word of the query matched somewhere, so every word is highlighted somewhere.
      for (const word of ['graph', 'neural'])
        expect(
          highlighted.some((text) => text.toLowerCase().startsWith(word)),
          `${hit.paper.id}: ${word}`,
        ).toBe(true);
    }
    const [first] = hits;
    expect(first!.paper.id).toBe('auto-gnn-neural-architecture');
    expect(first!.spans.title.map((span) => first!.paper.title.slice(span.start, span.end))).toEqual(['Neural', 'Graph', 'Neural']);
  });

  it('a limited search returns exactly the first hits of the full ranking', { timeout: 60_000 }, async () => {
    for (const { query } of loadJudgments()) {
      const full = (await searchPapers(papers, query, 20)).slice(0, 3);
      const limited = await searchPapers(papers, query, 3);
      expect(
        limited.map((h) => [h.paper.id, h.score]),
        query,
      ).toEqual(full.map((h) => [h.paper.id, h.score]));
    }
  });

  it('without a page (--all, export --query) gives every full match and no near miss', async () => {
    const all = searchPapers(papers, 'graph neural networks');
    expect(all.map((h) => h.partial)).toEqual(Array(7).fill(undefined));
    expect(searchPapers(papers, 'graph neural networks', 10).filter((h) => h.partial)).toHaveLength(3);
  });

  it('returns nothing for a word no paper has', async () => {
    expect(await searchPapers(papers, 'zzzqqqxxy')).toEqual([]);
  });
});

describe('papers that score the same', () => {
  const tied = ['zeta', 'alpha', 'mu', 'beta', 'omega'].map((id) => ({
    id,
    title: `Networks of ${id}`,
    abstract: `An abstract about ${id}.`,
    date: 'Mar 1',
    source: 'x.txt',
    links: [],
    code: null,
  }));

  it('come in corpus order, on every page size, so that a long tie is not read whole to order it', () => {
    const all = searchPapers(tied, 'title:networks');
    expect(all.map((hit) => [hit.paper.id, hit.score])).toEqual(tied.map((p) => [p.id, 1]));
    for (const limit of [1, 2, 4])
      expect(searchPapers(tied, 'title:networks', limit).map((hit) => hit.paper.id)).toEqual(tied.slice(0, limit).map((p) => p.id));
  });
});

describe('the first page is the same as ranking every match', () => {
  // The search reads papers in order of a bound worked out from the postings and stops early: a bound that
  // fell below a paper's real score, or a stop too soon, would give another page than ranking them all.
  const corpus = [...generatePapers(3_000, { seed: 7 }), ...papers];
  const index = memoryIndex(corpus);
  const queries = [
    ...loadJudgments().map((judgment) => judgment.query),
    'title:networks',
    'networks',
    'graph neural networks',
    '"continual learning"',
    'training models',
    'learning -graph',
    'title:learning cat:cs.lg',
    'model year:2020..2024',
    'abstract:"neural network" has:code',
  ];

  it.each([1, 5, 10])('for %i papers, on every judged query and queries of common words, fields and filters', (limit) => {
    for (const query of queries) {
      const all = rankPapers(index, parseQuery(query), Infinity, { strict: true }).map((hit) => hit.paper.id);
      expect(
        rankPapers(index, parseQuery(query), limit, { strict: true }).map((hit) => hit.paper.id),
        query,
      ).toEqual(all.slice(0, limit));
    }
  });
});

describe('the first page of a query of common words', () => {
  // Such queries are bounded a tier at a time, papers with the words in their titles first: a tier bound below
  // a paper's real bound, or a tier left unread, would give another page than ranking every match. Words are
  // strewn at random over titles and abstracts (with weights that differ, so that the title does not always win).
  // Each word: how often in a title, how often in an abstract.
  const words: [string, number, number][] = [
    ['alpha', 0.3, 0.9],
    ['beta', 0.05, 0.15],
    ['gamma', 0.1, 0.6],
    ['delta', 0.2, 0.3],
  ];
  const corpusOf = (seed: number) => {
    let state = seed;
    const random = () => (state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const pick = (place: 1 | 2, most: number) =>
      words.flatMap((word) => (random() < word[place] ? Array.from({ length: 1 + Math.floor(random() * most) }, () => word[0]) : []));
    return Array.from({ length: 300 }, (_, i) => ({
      id: `p${i}`,
      title: ['Paper', ...pick(1, 1), 'number', String(i)].join(' '),
      abstract: ['We', ...pick(2, 4), 'study', ...pick(2, 2), 'things.'].join(' '),
      date: `2024-0${1 + (i % 9)}-01`,
      source: 'x.txt',
      links: [],
      code: i % 3 === 0 ? `https://github.com/lab/p${i}` : null,
    }));
  };
  const queries = ['alpha beta', 'alpha beta gamma', 'alpha beta gamma delta', 'beta title:alpha', '"alpha beta"', 'alpha beta -delta', 'gamma delta has:code'];

  it.each([1, 2, 3, 4, 5])('is the start of every match ranked, in corpus %i', (seed) => {
    const index = memoryIndex(corpusOf(seed));
    for (const query of queries) {
      const all = rankPapers(index, parseQuery(query), Infinity, { strict: true }).map((hit) => hit.paper.id);
      expect(all.length, query).toBeGreaterThan(10);
      for (const limit of [1, 3, 10])
        expect(
          rankPapers(index, parseQuery(query), limit, { strict: true }).map((hit) => hit.paper.id),
          `${query} (${limit})`,
        ).toEqual(all.slice(0, limit));
    }
  });
});
