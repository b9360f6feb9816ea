import { createRequire } from 'node:module';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Paper } from '../src/corpus/paper.js';
import { citationKeys, cslItems, renderCslJson, renderRis } from '../src/render/citation.js';
import { renderExport } from '../src/render/export.js';
import { EXPORT_FORMATS, KEY_STYLES } from '../src/render/formats.js';

// Citation.js, for the tests only: citeproc-js (its CSL plugin) formats our CSL JSON in APA style, and its RIS reader
// reads our RIS back. Loaded with require: the packages ship no types, and these are the parts used.
interface Cite {
  format(format: 'bibliography', options: { format: 'text'; template: string; lang: string }): string;
}
interface CitationJs {
  Cite: new (data: unknown) => Cite;
  plugins: { input: { chain(data: string, options: { generateGraph: boolean }): Record<string, unknown>[] } };
}
const require = createRequire(import.meta.url);
const { Cite, plugins } = require('@citation-js/core') as CitationJs;
require('@citation-js/plugin-csl');
require('@citation-js/plugin-ris');

const paper = (fields: Partial<Paper> & Pick<Paper, 'id' | 'title'>): Paper => ({
  abstract: 'An abstract.',
  date: null,
  source: 's',
  links: [],
  code: null,
  ...fields,
});

const apa = (items: unknown) => new Cite(items).format('bibliography', { format: 'text', template: 'apa', lang: 'en-US' });
const readRis = (text: string) => plugins.input.chain(text, { generateGraph: false });

const VIDEOLLAMA = paper({
  id: 'videollama-2',
  title: 'VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs',
  abstract: 'We present VideoLLaMA 2.\nIt models video and audio.',
  code: 'https://github.com/DAMO-NLP-SG/VideoLLaMA2',
  links: ['https://github.com/DAMO-NLP-SG/VideoLLaMA2'],
  authors: ['Zesen Cheng', 'Sicong Leng', 'Hang Zhang', 'Yifei Xin', 'Xin Li', 'Guanzheng Chen', 'Yongxin Zhu', 'Wenqi Zhang'],
  published: '2024-06-11',
  arxiv: '2406.07476',
  doi: '10.48550/arXiv.2406.07476',
  categories: ['cs.CV', 'cs.CL'],
  url: 'https://arxiv.org/abs/2406.07476',
  pdf: 'https://arxiv.org/pdf/2406.07476',
});
const ATTENTION = paper({
  id: 'attention-all-you-need',
  title: 'Attention Is All You Need',
  abstract: 'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.',
  authors: ['Ashish Vaswani', 'Noam Shazeer', 'Niki Parmar'],
  published: '2017-06-12',
  arxiv: '1706.03762',
  journal: 'Advances in Neural Information Processing Systems',
  doi: '10.5555/3295222.3295349',
  categories: ['cs.CL'],
});
const NAMES = paper({
  id: 'names',
  title: 'On the Names of Authors',
  authors: ['Guido van Rossum', 'Émile Zola', 'Martin Luther King Jr.', '李明', 'bell hooks'],
  published: '2020-01-31',
});
const BARE = paper({ id: 'bare-paper', title: 'A Bare Paper', date: 'Mar 1' });

describe('citation keys', () => {
  it('id: the paper ids', () => {
    expect(citationKeys([VIDEOLLAMA, BARE], 'id')).toEqual(['videollama-2', 'bare-paper']);
  });

  it('authoryear: surname (ASCII, no particle or suffix), year, first word that says something; else title word and year, else the id', () => {
    const surnames = [
      'van Rossum, Guido',
      'Zola, Émile',
      'King, Martin Luther, Jr.',
      'Martin Luther King Jr.',
      'Wei Liu (Tencent)',
      'Bjørn Østergaard',
      'Łukasz Kaiser',
    ];
    expect(
      citationKeys(
        [
          VIDEOLLAMA,
          ATTENTION,
          NAMES,
          ...surnames.map((name, i) => paper({ id: `p${i}`, title: 'The Era of 1-bit LLMs', authors: [name] })),
          paper({ id: 'cjk', title: 'A Study of Moons', authors: ['李明'], published: '2021-05-05' }),
          paper({ id: 'no-words', title: '月の研究', authors: ['李明'] }),
          BARE,
        ],
        'authoryear',
      ),
    ).toEqual([
      'cheng2024videollama',
      'vaswani2017attention',
      'rossum2020names',
      'rossumera',
      'zolaera',
      'kingera',
      'kingeraa',
      'liuera',
      'ostergaardera',
      'kaiserera',
      'moons2021',
      'no-words',
      'bare',
    ]);
  });

  it.each(KEY_STYLES)('%s: one key a paper, all different, letters, digits and dashes only', (style) => {
    const list = [VIDEOLLAMA, ATTENTION, NAMES, BARE, VIDEOLLAMA, { ...NAMES, id: 'names-2' }].map((p, i) => ({ ...p, id: `${p.id}-${i}` }));
    const keys = citationKeys(list, style);
    expect(keys).toHaveLength(list.length);
    expect(new Set(keys).size).toBe(list.length);
    for (const key of keys) expect(key).toMatch(/^[a-z0-9][a-z0-9-]*$/);
  });

  it('authoryear keys stay unique: the first keeps its key, the next get a, b, c, never one another paper has', () => {
    const cheng = (id: string, title: string) => paper({ id, title, authors: ['Zesen Cheng'], published: '2024-01-01' });
    const list = [cheng('one', 'VideoLLaMA'), cheng('two', 'VideoLLaMA 2'), cheng('three', 'VideoLLaMAa'), cheng('four', 'VideoLLaMA 3')];
    expect(citationKeys(list, 'authoryear')).toEqual(['cheng2024videollama', 'cheng2024videollamab', 'cheng2024videollamaa', 'cheng2024videollamac']);
    const many = Array.from({ length: 28 }, (_, i) => cheng(`p${i}`, 'Twins'));
    expect(citationKeys(many, 'authoryear').slice(-3)).toEqual(['cheng2024twinsy', 'cheng2024twinsz', 'cheng2024twinsaa']);
    expect(new Set(citationKeys(many, 'authoryear')).size).toBe(28);
  });
});

describe('CSL JSON', () => {
  it('a preprint is an article from arXiv, numbered by its arXiv id; a paper with a journal is a journal article', async () => {
    expect(await cslItems([VIDEOLLAMA, ATTENTION, NAMES, BARE])).toEqual([
      {
        id: 'videollama-2',
        type: 'article',
        title: 'VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs',
        author: [
          { given: 'Zesen', family: 'Cheng' },
          { given: 'Sicong', family: 'Leng' },
          { given: 'Hang', family: 'Zhang' },
          { given: 'Yifei', family: 'Xin' },
          { given: 'Xin', family: 'Li' },
          { given: 'Guanzheng', family: 'Chen' },
          { given: 'Yongxin', family: 'Zhu' },
          { given: 'Wenqi', family: 'Zhang' },
        ],
        issued: { 'date-parts': [[2024, 6, 11]] },
        publisher: 'arXiv',
        number: 'arXiv:2406.07476',
        DOI: '10.48550/arXiv.2406.07476',
        URL: 'https://arxiv.org/abs/2406.07476',
        keyword: 'cs.CV, cs.CL',
        abstract: 'We present VideoLLaMA 2.\nIt models video and audio.',
      },
      {
        id: 'attention-all-you-need',
        type: 'article-journal',
        title: 'Attention Is All You Need',
        author: [
          { given: 'Ashish', family: 'Vaswani' },
          { given: 'Noam', family: 'Shazeer' },
          { given: 'Niki', family: 'Parmar' },
        ],
        issued: { 'date-parts': [[2017, 6, 12]] },
        'container-title': 'Advances in Neural Information Processing Systems',
        DOI: '10.5555/3295222.3295349',
        URL: 'https://arxiv.org/abs/1706.03762',
        keyword: 'cs.CL',
        abstract: 'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.',
      },
      {
        id: 'names',
        type: 'article',
        title: 'On the Names of Authors',
        author: [
          { given: 'Guido', 'non-dropping-particle': 'van', family: 'Rossum' },
          { given: 'Émile', family: 'Zola' },
          { given: 'Martin Luther', family: 'King', suffix: 'Jr.' },
          { family: '李明' },
          { literal: 'bell hooks' },
        ],
        issued: { 'date-parts': [[2020, 1, 31]] },
        abstract: 'An abstract.',
      },
      { id: 'bare-paper', type: 'article', title: 'A Bare Paper', abstract: 'An abstract.' },
    ]);
  });

  it('citeproc-js formats it in APA style, as APA cites a preprint and an article', async () => {
    const noDoi = paper({ id: 'no-doi', title: 'Segment Anything', authors: ['Alexander Kirillov'], published: '2023-04-05', arxiv: '2304.02643' });
    const items = JSON.parse(await renderCslJson([VIDEOLLAMA, ATTENTION, NAMES, BARE, noDoi]));
    expect(apa(items)).toBe(
      [
        'A Bare Paper. (n.d.).',
        'Cheng, Z., Leng, S., Zhang, H., Xin, Y., Li, X., Chen, G., Zhu, Y., & Zhang, W. (2024). VideoLLaMA 2: Advancing Spatial-Temporal Modeling and ' +
          'Audio Understanding in Video-LLMs (arXiv:2406.07476). arXiv. https://doi.org/10.48550/arXiv.2406.07476',
        'Kirillov, A. (2023). Segment Anything (arXiv:2304.02643). arXiv. https://arxiv.org/abs/2304.02643',
        'van Rossum, G., Zola, É., King, M. L., Jr., 李明, & bell hooks. (2020). On the Names of Authors.',
        'Vaswani, A., Shazeer, N., & Parmar, N. (2017). Attention Is All You Need. Advances in Neural Information Processing Systems. ' +
          'https://doi.org/10.5555/3295222.3295349',
        '',
      ].join('\n'),
    );
  });

  it('authoryear keys are the item ids', async () => {
    expect(JSON.parse(await renderExport([VIDEOLLAMA, ATTENTION], 'csl-json', undefined, undefined, 'authoryear')).map((i: { id: string }) => i.id)).toEqual([
      'cheng2024videollama',
      'vaswani2017attention',
    ]);
  });
});

describe('RIS', () => {
  it('one tag a line, CRLF, a blank line between records; GEN for a preprint, JOUR for a journal article', async () => {
    expect((await renderRis([VIDEOLLAMA, ATTENTION, BARE])).split('\r\n')).toEqual([
      'TY  - GEN',
      'ID  - videollama-2',
      'TI  - VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs',
      'AU  - Cheng, Zesen',
      'AU  - Leng, Sicong',
      'AU  - Zhang, Hang',
      'AU  - Xin, Yifei',
      'AU  - Li, Xin',
      'AU  - Chen, Guanzheng',
      'AU  - Zhu, Yongxin',
      'AU  - Zhang, Wenqi',
      'PY  - 2024',
      'DA  - 2024/06/11/',
      'PB  - arXiv',
      'DB  - arXiv',
      'AN  - arXiv:2406.07476',
      'DO  - 10.48550/arXiv.2406.07476',
      'UR  - https://arxiv.org/abs/2406.07476',
      'L1  - https://arxiv.org/pdf/2406.07476',
      'KW  - cs.CV',
      'KW  - cs.CL',
      'AB  - We present VideoLLaMA 2. It models video and audio.',
      'ER  - ',
      '',
      'TY  - JOUR',
      'ID  - attention-all-you-need',
      'TI  - Attention Is All You Need',
      'AU  - Vaswani, Ashish',
      'AU  - Shazeer, Noam',
      'AU  - Parmar, Niki',
      'PY  - 2017',
      'DA  - 2017/06/12/',
      'JO  - Advances in Neural Information Processing Systems',
      'T2  - Advances in Neural Information Processing Systems',
      'DB  - arXiv',
      'AN  - arXiv:1706.03762',
      'DO  - 10.5555/3295222.3295349',
      'UR  - https://arxiv.org/abs/1706.03762',
      'KW  - cs.CL',
      'AB  - The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.',
      'ER  - ',
      '',
      'TY  - GEN',
      'ID  - bare-paper',
      'TI  - A Bare Paper',
      'AB  - An abstract.',
      'ER  - ',
      '',
    ]);
  });

  it("Citation.js's RIS reader reads back what was written", async () => {
    const [videollama, attention, names] = await cslItems([VIDEOLLAMA, ATTENTION, NAMES]);
    const shared = ({ id, title, author, issued, DOI, URL }: NonNullable<typeof videollama>) => ({ id, title, author, issued, DOI, URL });
    // Its reader has no preprint type (GEN is a `document`), lists keywords with commas alone, and keeps particles in the family name.
    expect(readRis(await renderRis([VIDEOLLAMA, ATTENTION, NAMES]))).toEqual([
      {
        ...shared(videollama!),
        type: 'document',
        publisher: 'arXiv',
        source: 'arXiv',
        keyword: 'cs.CV,cs.CL',
        abstract: 'We present VideoLLaMA 2. It models video and audio.',
      },
      {
        ...shared(attention!),
        type: 'article-journal',
        'container-title': attention!['container-title'],
        source: 'arXiv',
        keyword: 'cs.CL',
        abstract: attention!.abstract,
      },
      {
        ...shared(names!),
        author: [
          { given: 'Guido', family: 'van Rossum' },
          { given: 'Émile', family: 'Zola' },
          { given: 'Martin Luther', family: 'King', suffix: 'Jr.' },
          { family: '李明' },
          { literal: 'bell hooks' },
        ],
        URL: undefined,
        DOI: undefined,
        type: 'document',
        abstract: 'An abstract.',
      },
    ]);
  });

  it('a value stays on its line: line breaks in the data cannot end a record or start a tag', async () => {
    const hostile = paper({
      id: 'hostile',
      title: `Title\r\nER  - \r\nTY  - JOUR\u2028TI  - Injected ${'long '.repeat(80)}`,
      abstract: 'Line one\n\nAU  - Nobody',
      published: '2024-01-01',
    });
    const ris = await renderRis([hostile]);
    expect(ris.split('\r\n').map((line) => line.slice(0, 6))).toEqual(['TY  - ', 'ID  - ', 'TI  - ', 'PY  - ', 'DA  - ', 'AB  - ', 'ER  - ', '']);
    const [read] = readRis(ris);
    expect(read).toMatchObject({ id: 'hostile', title: `Title ER - TY - JOUR TI - Injected ${'long '.repeat(80).trim()}`, abstract: 'Line one AU - Nobody' });
  });
});

describe('RIS: property', () => {
  const text = fc.string({
    unit: fc.oneof(fc.constantFrom('\r', '\n', '\r\n', '\u2028', '  - ', 'ER  - ', 'TY  - ', ' ', '\t'), fc.string({ unit: 'grapheme', maxLength: 4 })),
    maxLength: 12,
  });
  const oneLine = (t: string) => t.replace(/[\s\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  const nonBlank = text.filter((t) => oneLine(t) !== '');
  const risPaper = fc.record({
    id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
    title: nonBlank,
    abstract: text,
    authors: fc.array(nonBlank, { maxLength: 3 }),
    journal: fc.option(nonBlank, { nil: undefined }),
    published: fc.constant('2024-06-11'),
  });

  it('any text: one tag a line, one record a paper, and the titles, ids and author count read back', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(risPaper, { selector: (p) => p.id, minLength: 1, maxLength: 8 }), async (list) => {
        const papers = list.map((fields) => paper(fields));
        const ris = await renderRis(papers);
        const lines = ris.split('\r\n');
        expect(lines.filter((line) => line !== '' && !/^[A-Z][A-Z0-9] {2}- \S/.test(line) && line !== 'ER  - ')).toEqual([]);
        expect(lines.filter((line) => line.startsWith('TY  - '))).toHaveLength(papers.length);
        const read = readRis(ris);
        expect(read.map((r) => [r.id, r.title, (r.author as unknown[] | undefined)?.length ?? 0])).toEqual(
          papers.map((p) => [p.id, oneLine(p.title), p.authors!.length]),
        );
      }),
      { numRuns: 200 },
    );
  });
});

describe('renderExport', () => {
  it('offers csl-json and ris, which give a promise', async () => {
    expect(EXPORT_FORMATS).toEqual(expect.arrayContaining(['csl-json', 'ris']));
    const pending = renderExport([BARE], 'ris');
    expect(pending).toBeInstanceOf(Promise);
    expect(await pending).toBe('TY  - GEN\r\nID  - bare-paper\r\nTI  - A Bare Paper\r\nAB  - An abstract.\r\nER  - \r\n');
  });
});
