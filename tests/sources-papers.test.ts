import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewPaper, Paper } from '../src/corpus/paper.js';
import { serializeCorpus } from '../src/corpus/store.js';
import { renderExport } from '../src/render/export.js';
import { readPapersExport } from '../src/sources/papers.js';

const DIR = join(import.meta.dirname, 'fixtures', 'sources', 'papers');
const fixture = (name: string) => readFileSync(join(DIR, name), 'utf8');

// Every field, and the fewest; "yes" and "2024" are text a careless YAML reader would take for a boolean and a number.
const PAPERS: Paper[] = [
  {
    id: 'scaling-sparse-attention',
    title: 'Scaling Sparse Attention to Million-Token Contexts',
    authors: ['Klaus-Robert Müller', 'José García'],
    date: 'Oct 23',
    published: '2024-10-22',
    source: '000_3cc0b8f600d97439.txt',
    arxiv: '2410.17243',
    doi: '10.48550/arXiv.2410.17243',
    journal: 'NeurIPS 2024',
    categories: ['cs.LG', 'cs.AI'],
    url: 'https://arxiv.org/abs/2410.17243',
    pdf: 'https://arxiv.org/pdf/2410.17243',
    code: 'https://github.com/example-lab/sparse-router',
    project: 'https://example-lab.github.io/sparse-router',
    links: ['https://github.com/example-lab/sparse-router'],
    upvotes: 42,
    comments: '12 pages: 4 figures',
    abstract: 'We route each query to a few keys. Code: https://github.com/example-lab/sparse-router',
  },
  { id: 'yes', title: 'yes', date: null, source: 'hand-written.txt', links: [], code: null, abstract: '2024' },
];

/** What reading them back gives: the same papers, each id as a wish the importing corpus grants when it is free. */
const readBack = (lines: (number | undefined)[]): NewPaper[] =>
  PAPERS.map((fields, index) => (lines[index] === undefined ? fields : { ...fields, line: lines[index] }));

const read = (text: string) => readPapersExport(text, 'x');

describe('readPapersExport', () => {
  it.each([
    ['export.json', [2, 30]],
    ['export.ndjson', [1, 2]],
    ['export.yaml', [1, 24]],
    ['corpus.yaml', [4, 27]],
  ] as const)('reads %s, as papers wrote it', (file, lines) => {
    expect(readPapersExport(fixture(file), file)).toEqual({ papers: readBack([...lines]), skipped: 0, repeated: 0 });
  });

  it.each(['json', 'ndjson', 'yaml'] as const)('reads back what `export --format %s` writes', (format) => {
    const { papers } = read(renderExport(PAPERS, format));
    expect(papers.map(({ line: _line, ...paper }) => paper)).toEqual(readBack([]));
  });

  it('reads back a corpus file, and the corpus JSON shape', () => {
    const fromCorpus = read(serializeCorpus(PAPERS)).papers;
    expect(fromCorpus.map(({ line: _line, ...paper }) => paper)).toEqual(readBack([]));
    const json = JSON.stringify({ papers: PAPERS });
    expect(read(json).papers).toEqual(readBack([]));
  });

  it('reads an empty export as no papers', () => {
    for (const text of ['', '[]\n', 'papers:\n', '\uFEFF  \n']) expect(read(text)).toEqual({ papers: [], skipped: 0, repeated: 0 });
  });

  it('fills what a hand-written record leaves out, as the other readers do', () => {
    const [paper] = read('- title: T\n  abstract: See https://github.com/a/b.\n').papers;
    expect(paper).toEqual({
      title: 'T',
      abstract: 'See https://github.com/a/b.',
      date: null,
      source: 'x',
      links: ['https://github.com/a/b'],
      code: 'https://github.com/a/b',
      line: 1,
    });
    // An explicit null says there is no code, whatever the links are.
    expect(read('[{"title": "T", "abstract": "https://github.com/a/b", "code": null}]').papers[0]!.code).toBeNull();
  });

  it('counts a paper given twice once', () => {
    const twice = renderExport([PAPERS[0]!, { ...PAPERS[0]!, id: 'other', title: 'Another Title' }], 'ndjson');
    expect(read(twice)).toMatchObject({ repeated: 1, papers: [{ title: PAPERS[0]!.title }] });
  });

  it('names the paper, field and line of a wrong value', () => {
    expect(() => read('[\n  {"title": "T", "abstract": "A"},\n  {"title": "T2", "abstract": "A", "published": "2024-13-01"}\n]')).toThrow(
      'x:3: paper 2: `published` `2024-13-01` must be a date written YYYY-MM-DD',
    );
    expect(() => read('{"title": "T", "abstract": "A"}\n{"title": "T2", "abstract": "A", "upvotes": -1}\n')).toThrow(
      'x:2: paper 2: `upvotes` -1 must be a whole number up to 9007199254740991',
    );
    expect(() => read('- title: T\n  abstract: A\n  arxiv: 2410.17243v2\n')).toThrow(
      'x:3: paper 1: `arxiv` `2410.17243v2` must be an arXiv id without version, like 2410.17243 or hep-th/9901001',
    );
    expect(() => read('- title: T\n  abstract: A\n  authors: Jane Doe\n')).toThrow('x:3: paper 1: `authors` `Jane Doe` must be a list of names');
    expect(() => read('- title: T\n  abstract: A\n  stars: 5\n')).toThrow('x:3: paper 1: unknown field `stars` (fields are id, title, authors, date,');
    expect(() => read('- title: T\n  abstract: A\n- abstract: B\n')).toThrow('x:3: paper 2: missing required field `title`; add it');
    expect(() => read('- title: " "\n  abstract: A\n')).toThrow('x:1: paper 1: `title` is empty');
    expect(() => read('[1]')).toThrow('x:1: paper 1 must be a mapping of fields (title, abstract, ...), not a number');
  });

  it('refuses text that is not an export', () => {
    expect(() => read('[{"title": "T",]')).toThrow(/^x:1: not valid JSON \(.+\)$/);
    expect(() => read('{"title": "T", "abstract": "A"}\n{"title": \n')).toThrow(/^x:2: not valid JSON \(.+\); NDJSON has one paper a line$/);
    expect(() => read('title: T\nabstract: A\n')).toThrow(
      'x:1: expected a list of papers (as `papers export --format yaml` writes) or a corpus file (`papers:` and its list)',
    );
    expect(() => read('- title: T\n  title: U\n')).toThrow('x:2: invalid YAML: Map keys must be unique');
    expect(() => read('- &a\n  title: T\n  abstract: A\n- *a\n')).toThrow('x:4: YAML aliases (*name) are not allowed; write the values out');
  });
});
