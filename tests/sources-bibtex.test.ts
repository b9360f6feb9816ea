import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NewPaper } from '../src/corpus/paper.js';
import { readBibtex } from '../src/sources/bibtex.js';

const DIR = join(import.meta.dirname, 'fixtures', 'sources', 'bibtex');
const fixture = (name: string) => readFileSync(join(DIR, name), 'utf8');
const one = async (bib: string) => (await readBibtex(bib, 'x.bib')).papers[0]!;

const common = { date: null, source: 'library.bib' } as const;

const LIBRARY: NewPaper[] = [
  {
    // arXiv's "Export BibTeX citation", with an abstract added.
    ...common,
    title: 'Attention Is All You Need',
    abstract:
      'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks in an encoder-decoder ' +
      'configuration. We propose a new simple network architecture, the Transformer, based solely on attention mechanisms, dispensing with ' +
      'recurrence and convolutions entirely.',
    links: [],
    code: null,
    line: 6,
    key: 'vaswani2023attentionneed',
    published: '2023',
    authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar', 'Jakob Uszkoreit', 'Llion Jones', 'Aidan N. Gomez', 'Lukasz Kaiser', 'Illia Polosukhin'],
    arxiv: '1706.03762',
    categories: ['cs.CL'],
    url: 'https://arxiv.org/abs/1706.03762',
    pdf: 'https://arxiv.org/pdf/1706.03762',
  },
  {
    // Google Scholar: the arXiv id is in the "journal", which is not one.
    ...common,
    title: 'Denoising diffusion probabilistic models',
    abstract:
      'We present high quality image synthesis results using diffusion probabilistic models. Our implementation is available at ' +
      'https://github.com/hojonathanho/diffusion.',
    links: ['https://github.com/hojonathanho/diffusion'],
    code: 'https://github.com/hojonathanho/diffusion',
    line: 19,
    key: 'ho2020denoising',
    published: '2020',
    authors: ['Jonathan Ho', 'Ajay Jain', 'Pieter Abbeel'],
    arxiv: '2006.11239',
    url: 'https://arxiv.org/abs/2006.11239',
    pdf: 'https://arxiv.org/pdf/2006.11239',
  },
  {
    // DBLP: eprinttype and eprint; "CoRR" is arXiv, not a journal (so the @article is a preprint); its URL is kept as given.
    ...common,
    title: 'BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding',
    abstract: 'We introduce a new language representation model called BERT, which stands for Bidirectional Encoder Representations from Transformers.',
    links: [],
    code: null,
    line: 28,
    key: 'DBLP:journals/corr/abs-1810-04805',
    published: '2018',
    volume: 'abs/1810.04805',
    authors: ['Jacob Devlin', 'Ming-Wei Chang', 'Kenton Lee', 'Kristina Toutanova'],
    arxiv: '1810.04805',
    url: 'http://arxiv.org/abs/1810.04805',
    pdf: 'https://arxiv.org/pdf/1810.04805',
  },
  {
    // TeX accents, "Last, Jr, First", a braced corporate name, an @string journal, a full BibLaTeX date, a DOI URL.
    ...common,
    title: 'Sparse Graph Transformers for $\\alpha$-Stable Diffusion',
    abstract: 'Graph transformers scale quadratically – we make them sparse. Code: https://github.com/example/sgt.',
    links: ['https://github.com/example/sgt'],
    code: 'https://github.com/example/sgt',
    line: 48,
    key: 'ozturk2022graphs',
    entrytype: 'article',
    authors: ['Ayşe Öztürk', 'Zdeněk Dvořák', 'Klaus Müller Jr.', 'Google DeepMind'],
    published: '2022-09-14',
    doi: '10.5555/tmlr.2022.0042',
    journal: 'Transactions on Machine Learning Research',
  },
  {
    // Year and month only: June 2017, no day invented; the proceedings are its booktitle.
    ...common,
    title: 'Moments of Attention',
    abstract: 'We study the moments of attention weights.',
    links: [],
    code: null,
    line: 57,
    key: 'smith2017moments',
    entrytype: 'inproceedings',
    authors: ['John Smith', 'Jane Doe'],
    published: '2017-06',
    doi: '10.5555/3305381.3305400',
    booktitle: 'Proceedings of the 34th International Conference on Machine Learning',
  },
  {
    // A book without an abstract: a reference list's entry is a paper too, its abstract empty.
    ...common,
    title: 'Deep Learning',
    abstract: '',
    links: [],
    code: null,
    line: 67,
    key: 'goodfellow2016deep',
    entrytype: 'book',
    authors: ['Ian Goodfellow', 'Yoshua Bengio', 'Aaron Courville'],
    published: '2016',
    publisher: 'MIT Press',
  },
];

describe('readBibtex', () => {
  it('maps a reference manager export: arXiv, Google Scholar and DBLP shapes', async () => {
    const reading = await readBibtex(fixture('library.bib'), 'library.bib');
    expect(reading.papers).toEqual(LIBRARY);
    // vaswani2017attention is 1706.03762 again (howpublished = {arXiv:1706.03762v5}).
    expect(reading).toMatchObject({ skipped: 0, repeated: 1, passedOver: [] });
  });

  it("reads arXiv's own export, which has no abstracts; names each entry without a title, and refuses a file of only those", async () => {
    const reading = await readBibtex(fixture('arxiv-export.bib'), 'arxiv-export.bib');
    expect(reading.papers.map((p) => [p.key, p.abstract, p.published])).toEqual([
      ['vaswani2023attentionneed', '', '2023'],
      ['devlin2019bertpretrainingdeepbidirectional', '', '2019'],
    ]);
    const some = await readBibtex('@misc{a, title = {A}}\n@misc{b, year = 2020}\n\n@book{c, author = {X}}', 'x.bib');
    expect(some).toMatchObject({ skipped: 2, passedOver: ['x.bib:2: entry `b` has no title; skipped', 'x.bib:4: entry `c` has no title; skipped'] });
    await expect(readBibtex('\n@misc{k, abstract = {A}}', 'x.bib')).rejects.toThrow(
      'x.bib:2: the only entry has no title; add `title = {...}` to the entries to import',
    );
    await expect(readBibtex('@misc{k, year = 1}\n@misc{l, year = 2}', 'x.bib')).rejects.toThrow(
      'x.bib:1: none of the 2 entries has a title; add `title = {...}` to the entries to import',
    );
  });

  it('finds the arXiv id by eprint, URL, DOI or mention, and the version goes', async () => {
    const arxiv = async (fields: string) => (await one(`@misc{k, title = {T}, abstract = {A}, ${fields}}`)).arxiv;
    expect(await arxiv('eprint = {2410.17243v2}, archivePrefix = {arXiv}')).toBe('2410.17243');
    expect(await arxiv('eprint = {hep-th/9901001}')).toBe('hep-th/9901001');
    expect(await arxiv('eprint = {12345678}, eprinttype = {pubmed}')).toBeUndefined();
    expect(await arxiv('eprint = {2410.17243}, eprinttype = {pubmed}')).toBeUndefined();
    expect(await arxiv('url = {https://arxiv.org/pdf/2410.17243v1.pdf}')).toBe('2410.17243');
    expect(await arxiv('doi = {10.48550/ARXIV.2410.17243}')).toBe('2410.17243');
    expect(await arxiv('note = {arXiv preprint arXiv:2410.17243.}')).toBe('2410.17243');
    expect(await arxiv('arxivId = {2410.17243}')).toBe('2410.17243');
    expect(await arxiv('url = {https://example.org/paper}')).toBeUndefined();
  });

  it('gives `published` as precisely as the entry does: a day, a month or a year', async () => {
    const published = async (fields: string) => (await one(`@misc{k, title = {T}, abstract = {A}, ${fields}}`)).published;
    expect(await published('date = {2024-10-22}')).toBe('2024-10-22');
    expect(await published('date = {2024-10-22/2024-10-25}')).toBe('2024-10-22');
    expect(await published('year = 2024, month = oct, day = 2')).toBe('2024-10-02');
    expect(await published('year = {2024}, month = {October}, day = {22}')).toBe('2024-10-22');
    expect(await published('date = {2024-10}')).toBe('2024-10');
    expect(await published('year = 2024, month = oct')).toBe('2024-10');
    expect(await published('year = {2017}, month = {6}')).toBe('2017-06');
    expect(await published('year = {2017}')).toBe('2017');
    expect(await published('year = {2017}, month = {Smarch}')).toBe('2017');
    expect(await published('year = 2024, month = feb, day = 30')).toBe('2024-02');
    expect(await published('date = {2024-02-30}')).toBeUndefined();
    expect(await published('year = {in press}')).toBeUndefined();
  });

  it('reads names as people write them', async () => {
    const paper = await one(
      "@misc{k, title = {T}, abstract = {A}, author = {von Neumann, John and Ludwig van Beethoven and {Barnes and Noble} and Bal\\'azs, C. and others}}",
    );
    expect(paper.authors).toEqual(['John von Neumann', 'Ludwig van Beethoven', 'Barnes and Noble', 'C. Balázs']);
  });

  it('leaves out optional values that are not what the corpus accepts', async () => {
    const paper = await one('@article{k, title = {T}, abstract = {A}, doi = {not a doi}, url = {ftp://example.org/x}, journal = {arXiv e-prints}}');
    expect(paper).toEqual({ title: 'T', abstract: 'A', date: null, source: 'x.bib', links: [], code: null, line: 1, key: 'k' });
  });

  it('names the line of a syntax error, and the entry it is in', async () => {
    await expect(readBibtex('@article{d,\n  title = {x}\n  author = {y}}', 'x.bib')).rejects.toThrow(
      'x.bib:3: invalid BibTeX: expected `}` but found a field name (in the entry starting at line 1); a brace, quote or comma is probably missing',
    );
    await expect(readBibtex('@article{b,\n  title = {Broken\n  author = {X}\n}\n@misc{c, title = {ok}}', 'x.bib')).rejects.toThrow(
      'x.bib:5: invalid BibTeX: the entry starting at line 1 is still open where the next one starts; a brace, quote or comma is probably missing',
    );
    await expect(readBibtex('\n\n@article{e, title = {x},', 'x.bib')).rejects.toThrow(
      'x.bib:3: invalid BibTeX: expected `}` but found the end of the file; a brace, quote or comma is probably missing',
    );
    await expect(readBibtex('Title: Attention\nAbstract: ...', 'x.bib')).rejects.toThrow(
      'x.bib: no BibTeX entries found; expected entries such as @article{key, title = {...}, ...}',
    );
  });

  it('reads an empty file as no papers', async () => {
    expect(await readBibtex('  \n', 'x.bib')).toEqual({ papers: [], skipped: 0, repeated: 0 });
  });
});
