import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { keyphrases } from '../src/search/keyphrases.js';

const paper = (abstract: string, title = '') => ({ title, abstract });
// Papers about nothing the tests look at, each with words of its own (so in one paper only): they set N.
const fillers = (count: number) => Array.from({ length: count }, (_, i) => paper(`filler${String.fromCharCode(97 + i)}`));
// The weight of a family of `words` words used `uses[i]` times in paper i, among n papers: the sum of 1 + ln(uses),
// times idf to the 2.5, times the square root of the number of words.
const weight = (n: number, words: number, ...uses: number[]) =>
  Math.round(uses.reduce((sum, u) => sum + 1 + Math.log(u), 0) * Math.log(n / uses.length) ** 2.5 * Math.sqrt(words) * 100) / 100;

// Papers one at a time, as any iterable may give them.
function* one<T>(items: T[]): Generator<T> {
  yield* items;
}

const shipped: { title: string; abstract: string }[] = parse(readFileSync(join(import.meta.dirname, '..', 'corpus', 'papers.yaml'), 'utf8')).papers;

describe('keyphrases', () => {
  it('merges singular and plural into one family, shown in its most frequent spelling', () => {
    const papers = [paper('Hypernetworks.'), paper('A hypernetwork and two hypernetworks.'), paper('Hypernetworks!'), paper('Nothing')];
    expect(keyphrases(papers, 10)).toEqual([{ phrase: 'hypernetworks', papers: 3, weight: 0.16 }]);
    expect(weight(4, 1, 1, 2, 1)).toBe(0.16);
  });

  it('shows the alphabetically first of equally frequent spellings', () => {
    expect(keyphrases([paper('graph networks'), paper('graph network'), paper('vision')], 10)).toEqual([
      { phrase: 'graph network', papers: 2, weight: weight(3, 2, 1, 1) },
    ]);
  });

  it('keeps a phrase going over whitespace and line breaks, not over punctuation', () => {
    const papers = [
      paper('layer normalization'),
      paper('layer\n  normalization'),
      paper('layer. Normalization'),
      paper('layer (normalization)'),
      ...fillers(6),
    ];
    expect(keyphrases(papers, 10)).toEqual([
      { phrase: 'layer normalization', papers: 2, weight: weight(10, 2, 1, 1) },
      { phrase: 'layer', papers: 4, weight: weight(10, 1, 1, 1, 1, 1) },
      { phrase: 'normalization', papers: 4, weight: weight(10, 1, 1, 1, 1, 1) },
    ]);
  });

  it('reads a hyphenated run as one word that meets its unhyphenated spelling', () => {
    const papers = [paper('pre-trained encoders'), paper('Pretrained encoders'), paper('pre-trained decoders'), paper('Pre-Trained.'), ...fillers(4)];
    expect(keyphrases(papers, 10)).toEqual([
      { phrase: 'pre-trained encoders', papers: 2, weight: weight(8, 2, 1, 1) },
      { phrase: 'pre-trained', papers: 4, weight: weight(8, 1, 1, 1, 1, 1) },
    ]);
  });

  it('ends phrases at stop words, numbers and short words; a phrase outweighs its words, ties go by phrase', () => {
    const papers = [paper('Mixture of experts in 2024 vision models.'), paper('A mixture of experts: 2024 vision models for AI.'), ...fillers(4)];
    expect(keyphrases(papers, 10)).toEqual([
      { phrase: 'vision models', papers: 2, weight: weight(6, 2, 1, 1) },
      { phrase: 'experts', papers: 2, weight: weight(6, 1, 1, 1) },
      { phrase: 'mixture', papers: 2, weight: weight(6, 1, 1, 1) },
    ]);
  });

  it('drops words with a stop word inside a hyphenated run', () => {
    const papers = [paper('state-of-the-art results'), paper('state-of-the-art results'), paper('end-to-end'), paper('end-to-end'), ...fillers(4)];
    expect(keyphrases(papers, 10)).toEqual([]);
  });

  it('needs a phrase in two papers, however often one paper repeats it', () => {
    const papers = [paper('capsule '.repeat(40)), paper('routing'), paper('routing'), ...fillers(3)];
    expect(keyphrases(papers, 10)).toEqual([{ phrase: 'routing', papers: 2, weight: weight(6, 1, 1, 1) }]);
  });

  it('drops a shorter phrase that mostly occurs inside a longer one', () => {
    const papers = [paper('graph neural networks'), paper('graph neural networks'), paper('graph neural networks'), paper('neural networks'), ...fillers(4)];
    expect(keyphrases(papers, 10)).toEqual([{ phrase: 'graph neural networks', papers: 3, weight: weight(8, 3, 1, 1, 1) }]);
  });

  it('keeps a shorter phrase that mostly occurs on its own, next to the longer one', () => {
    const papers = [paper('graph neural networks'), paper('graph neural networks'), ...[1, 2, 3].map(() => paper('neural networks')), ...fillers(5)];
    expect(keyphrases(papers, 10)).toEqual([
      { phrase: 'graph neural networks', papers: 2, weight: weight(10, 3, 1, 1) },
      { phrase: 'neural networks', papers: 5, weight: weight(10, 2, 1, 1, 1, 1, 1) },
    ]);
  });

  it('drops a longer phrase that only adds a generic word to a kept one', () => {
    const papers = [
      paper('self-supervised learning'),
      paper('self-supervised learning'),
      paper('self-supervised vision'),
      paper('self-supervised audio'),
      ...[1, 2, 3, 4].map(() => paper('learning')),
    ];
    expect(keyphrases(papers, 10)).toEqual([
      { phrase: 'self-supervised', papers: 4, weight: weight(8, 1, 1, 1, 1, 1) },
      { phrase: 'learning', papers: 6, weight: weight(8, 1, 1, 1, 1, 1, 1, 1) },
    ]);
  });

  it('counts a title use three times and never joins title and abstract into a phrase', () => {
    const papers = [{ title: 'Graph', abstract: 'networks' }, { title: 'Graph', abstract: 'networks' }, ...fillers(2)];
    expect(keyphrases(papers, 10)).toEqual([
      { phrase: 'graph', papers: 2, weight: weight(4, 1, 3, 3) },
      { phrase: 'networks', papers: 2, weight: weight(4, 1, 1, 1) },
    ]);
  });

  it('returns the first `limit` rows, the same whatever the order of the papers', () => {
    const all = keyphrases(shipped, 1000);
    expect(all.length).toBeGreaterThan(100);
    expect(keyphrases(shipped, 15)).toEqual(all.slice(0, 15));
    expect(keyphrases(shipped, 0)).toEqual([]);
    expect(keyphrases([...shipped].reverse(), 1000)).toEqual(all);
    expect(keyphrases(one(shipped), 15)).toEqual(all.slice(0, 15));
    expect(keyphrases([], 15)).toEqual([]);
  });

  it('orders rows by weight, then phrase, and keeps only phrases of two papers or more', () => {
    const all = keyphrases(shipped, 1000);
    const sorted = [...all].sort((a, b) => b.weight - a.weight || (a.phrase < b.phrase ? -1 : 1));
    expect(all).toEqual(sorted);
    expect(all.every((row) => row.papers >= 2 && row.weight > 0)).toBe(true);
  });

  describe('on the shipped corpus', () => {
    const top = keyphrases(shipped, 15);

    it('names its topics', () => {
      expect(top).toEqual([
        { phrase: 'continual learning', papers: 6, weight: 249.03 },
        { phrase: 'multi-label text classification', papers: 2, weight: 231.83 },
        { phrase: 'graph neural networks', papers: 6, weight: 216.86 },
        { phrase: 'inductive bias', papers: 3, weight: 206.71 },
        { phrase: 'attention layers', papers: 5, weight: 183.11 },
        { phrase: 'pretext task', papers: 2, weight: 178.39 },
        { phrase: 'continual pre-training', papers: 2, weight: 175.78 },
        { phrase: 'multi-label', papers: 7, weight: 174.04 },
        { phrase: 'gnn', papers: 4, weight: 172.34 },
        { phrase: 'graph', papers: 8, weight: 166.3 },
        { phrase: 'recurrent neural networks', papers: 3, weight: 160.37 },
        { phrase: 'image dataset', papers: 2, weight: 159.04 },
        { phrase: 'distillation', papers: 3, weight: 152.77 },
        { phrase: 'adversarial', papers: 2, weight: 152.42 },
        { phrase: 'patterns', papers: 5, weight: 151.42 },
      ]);
    });

    it('shows none of the words every paper of the field uses, alone or together', () => {
      const generic = ['learning', 'tasks', 'task', 'models', 'model', 'training', 'networks', 'network', 'data', 'neural'];
      expect(top.filter((row) => row.phrase.split(' ').every((word) => generic.includes(word)))).toEqual([]);
    });
  });
});
