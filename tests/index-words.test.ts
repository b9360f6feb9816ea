import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../src/corpus/paper.js';
import { authorText, indexWords } from '../src/index/words.js';
import { scanWords } from '../src/base/text/words.js';
import { generatePapers } from '../scripts/synthetic.js';
import { SHIPPED_CORPUS } from './helpers.js';
import { loadCorpus } from '../src/corpus/store.js';

/** The index as its definition says: scanWords' words of each paper's title, abstract and authors, counted, capped at 255. */
function expected(papers: Paper[]): Map<string, [doc: number, title: number, abstract: number, authors: number][]> {
  const postings = new Map<string, [number, number, number, number][]>();
  papers.forEach((paper, doc) => {
    const counts = new Map<string, [number, number, number]>();
    const fields = [paper.title, paper.abstract, paper.authors ? authorText(paper.authors) : ''];
    fields.forEach((text, field) =>
      scanWords(text, (word) => {
        const entry = counts.get(word) ?? [0, 0, 0];
        entry[field] = Math.min(255, entry[field]! + 1);
        counts.set(word, entry);
      }),
    );
    for (const [word, [title, abstract, authors]] of counts) {
      if (!postings.has(word)) postings.set(word, []);
      postings.get(word)!.push([doc, title, abstract, authors]);
    }
  });
  return postings;
}

function actual(papers: Paper[]): Map<string, [number, number, number, number][]> {
  const index = indexWords(papers);
  const postings = new Map<string, [number, number, number, number][]>();
  index.words.forEach((word, i) => {
    const list: [number, number, number, number][] = [];
    for (let at = index.offsets[i]!; at < index.offsets[i + 1]!; at++) list.push([index.docs[at]!, index.title[at]!, index.abstract[at]!, index.authors[at]!]);
    postings.set(word, list);
  });
  return postings;
}

const paper = (title: string, abstract: string, authors?: string[]): Paper => ({
  id: 'p',
  title,
  abstract,
  date: 'Mar 1',
  source: 'x.txt',
  links: [],
  code: null,
  ...(authors ? { authors } : {}),
});

describe('the word index', () => {
  it('holds the words scanWords finds, counted per field, for generated, shipped and awkward papers', () => {
    const awkward = [
      paper('Pre-Training-Free pre-training PRETRAINING', 'a--b -lead trail- x-y-z 3-D 3d re-re-re-read'),
      paper('Ünïcödé and café-au-lait', 'Mixed ASCII and naïve-Bayes; e-mail E-Mail email', ['José García', 'Jean-Luc Picard']),
      paper('', '', []),
      paper('word '.repeat(300), 'abc-def '.repeat(10) + '-- - -x- x--y'),
      paper('A', 'a a a A-a a-A'),
    ];
    for (const papers of [generatePapers(2_000, { seed: 11 }), loadCorpus(SHIPPED_CORPUS), awkward]) {
      const want = expected(papers);
      const got = actual(papers);
      expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [word, list] of want) expect(got.get(word), word).toEqual(list);
    }
  });

  it('holds the same words for text of any script, with Latin letters, digits, marks and hyphens mixed', () => {
    // Latin letters and punctuation past ASCII are folded from a table; the others (and text holding them) as scanWords does.
    const pieces = ['a', 'B', 'zeta', '0', '9', '-', '--', ' ', '.', ',', 'é', 'É', 'ß', 'æ', 'Ø', 'ı', 'İ', 'ſ', 'ǅ', 'ǆ', 'Ǳ', 'ǰ', '²', '½', 'ª', 'µ', 'º'];
    pieces.push(
      '×',
      '÷',
      '·',
      '\u00a0',
      '«',
      'ŉ',
      'Ÿ',
      'ÿ',
      '\u0080',
      '\u00ad',
      'ĳ',
      'Ł',
      'ł',
      '\u212a',
      'Σ',
      'σ',
      '’',
      '日',
      '\u0301',
      '😀',
      'ẞ',
      'Müller',
      'García',
      'naïve',
      '–',
      '“',
      '”',
      '\u2028',
      '‰',
      '⁄',
      '\u206f',
      '\u2070',
      'ⁱ',
    );
    const text = fc.array(fc.constantFrom(...pieces), { maxLength: 40 }).map((parts) => parts.join(''));
    const record = fc.record({ title: text, abstract: text, authors: fc.option(fc.array(text, { maxLength: 3 }), { nil: undefined }) });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 5 }), (records) => {
        const papers = records.map((r) => paper(r.title, r.abstract, r.authors));
        const want = expected(papers);
        const got = actual(papers);
        expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
        for (const [word, list] of want) expect(got.get(word), word).toEqual(list);
      }),
      { numRuns: 1500 },
    );
  });
});
