// Papers with identity: the new fields, how records of one paper merge, and the commands that use them.
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergePapers } from '../src/corpus/merge.js';
import type { NewPaper, Paper } from '../src/corpus/paper.js';
import { loadCorpus, parseCorpus, serializeCorpus } from '../src/corpus/store.js';
import { parseArxivRef } from '../src/sources/arxiv-id.js';
import { FIXTURES, SHIPPED_CORPUS, spawn, tempDir } from './helpers.js';

const RICH = join(FIXTURES, 'rich.yaml');
const rich = ['--corpus', RICH];
const ids = (stdout: string) =>
  stdout === ''
    ? []
    : stdout
        .trimEnd()
        .split('\n')
        .map((line) => line.split('\t')[0]);

const record = (title: string, fields: Partial<NewPaper> = {}): NewPaper => ({
  title,
  abstract: `About ${title}.`,
  date: null,
  source: 'in',
  links: [],
  code: null,
  ...fields,
});

describe('the richer paper in the corpus file', () => {
  it('the shipped corpus loads and saves byte for byte as before', () => {
    const text = readFileSync(SHIPPED_CORPUS, 'utf8');
    expect(serializeCorpus(loadCorpus(SHIPPED_CORPUS))).toBe(text);
  });

  it('the new fields load with their types and save back the same', () => {
    const papers = loadCorpus(RICH);
    expect(papers[0]).toEqual({
      id: 'videollama-2-advancing',
      title: 'VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs',
      authors: ['Zesen Cheng', 'Sicong Leng', 'Hang Zhang'],
      date: null,
      published: '2024-06-11',
      source: 'hf.json',
      arxiv: '2406.07476',
      categories: ['cs.CV', 'cs.CL'],
      url: 'https://arxiv.org/abs/2406.07476',
      pdf: 'https://arxiv.org/pdf/2406.07476',
      code: 'https://github.com/DAMO-NLP-SG/VideoLLaMA2',
      links: [],
      upvotes: 32,
      abstract: 'We present VideoLLaMA 2, a set of Video Large Language Models designed to enhance spatial-temporal modeling.',
    });
    expect(papers[3]).toEqual({
      id: 'digest-only-paper',
      title: 'A Paper From A Digest',
      date: 'Mar 11',
      source: 'digest.txt',
      code: null,
      links: [],
      abstract: 'Attention and string dualities, as a digest saw them.',
    });
    expect(parseCorpus(serializeCorpus(papers), 'x.yaml')).toEqual(papers);
  });

  it.each([
    ['arxiv: 2410.17243v2', '`arxiv` `2410.17243v2` must be an arXiv id without version, like 2410.17243 or hep-th/9901001'],
    ['arxiv: arXiv:2410.17243', '`arxiv` `arXiv:2410.17243` must be an arXiv id without version, like 2410.17243 or hep-th/9901001'],
    ['published: 2024-13-01', '`published` `2024-13-01` must be a date written YYYY-MM-DD, YYYY-MM or YYYY'],
    ['published: Mar 11', '`published` `Mar 11` must be a date written YYYY-MM-DD, YYYY-MM or YYYY'],
    ['doi: arXiv.2410', '`doi` `arXiv.2410` must be a DOI, like 10.48550/arXiv.2410.17243'],
    ['upvotes: many', '`upvotes` `many` must be a whole number up to 9007199254740991'],
    ['authors: Jane Doe', '`authors` `Jane Doe` must be a list of names'],
    ['pdf: ftp://x.org/a.pdf', '`pdf` `ftp://x.org/a.pdf` must be an http(s) URL'],
  ])('a wrong `%s` is refused with the file and line', (line, message) => {
    const dir = tempDir();
    const corpus = join(dir, 'c.yaml');
    writeFileSync(corpus, `papers:\n  - id: a\n    title: A\n    abstract: B\n    ${line}\n`);
    expect(spawn(['--corpus', corpus, 'list'])).toEqual({ code: 2, stdout: '', stderr: `papers: ${corpus}:5: paper 1: ${message}\n` });
  });
});

describe('one paper, one record', () => {
  const known: Paper = { id: 'known', title: 'Known Paper', abstract: 'Hand-edited abstract.', date: 'Mar 11', source: 'digest.txt', links: [], code: null };

  it('a richer record of a known paper (same title) fills its missing fields and keeps what it has', () => {
    const merge = mergePapers(
      [known],
      [
        record('Known paper', {
          abstract: 'The arXiv abstract.',
          arxiv: '2401.00001',
          authors: ['A B'],
          published: '2024-01-01',
          date: 'Jan 1',
          source: 'hf.json',
        }),
      ],
    );
    expect(merge.added).toEqual([]);
    expect(merge.enriched.map((p) => p.id)).toEqual(['known']);
    expect(merge.papers).toEqual([{ ...known, arxiv: '2401.00001', authors: ['A B'], published: '2024-01-01' }]);
  });

  it('the same arXiv id is the same paper whatever the title; then the DOI; ids never change', () => {
    const corpus: Paper[] = [
      { ...known, arxiv: '2401.00001' },
      { ...known, id: 'other', title: 'Other', doi: '10.1000/xyz' },
    ];
    const merge = mergePapers(corpus, [
      record('A Retitled Version', { arxiv: '2401.00001', upvotes: 5 }),
      record('Other, published', { doi: '10.1000/XYZ', journal: 'J. Things' }),
      record('Brand New', { arxiv: '2401.00002' }),
      record('Brand New, again', { arxiv: '2401.00002', upvotes: 1 }),
    ]);
    expect(merge.papers.map((p) => [p.id, p.title, p.upvotes, p.journal])).toEqual([
      ['known', 'Known Paper', 5, undefined],
      ['other', 'Other', undefined, 'J. Things'],
      ['brand-new', 'Brand New', 1, undefined],
    ]);
    expect([merge.added.length, merge.enriched.length, merge.present.length]).toEqual([1, 2, 0]);
  });

  it('the same arXiv id stays one paper when the DOIs differ; different arXiv ids or DOIs never merge on the title', () => {
    const corpus: Paper[] = [{ ...known, arxiv: '2401.00001', doi: '10.1000/hand-edited' }];
    const merge = mergePapers(corpus, [
      record('Known Paper', { arxiv: '2401.00001', doi: '10.1145/journal-version', journal: 'J. Things' }),
      record('Known Paper', { arxiv: '2401.00009' }),
      record('Known Paper', { doi: '10.1000/another' }),
    ]);
    expect(merge.papers.map((p) => [p.id, p.arxiv, p.doi, p.journal])).toEqual([
      ['known', '2401.00001', '10.1000/hand-edited', 'J. Things'],
      ['known-paper', '2401.00009', undefined, undefined],
      ['known-paper-2', undefined, '10.1000/another', undefined],
    ]);
  });

  it('a record that adds nothing is already present', () => {
    const merge = mergePapers([known], [record('Known Paper', { date: 'Mar 12' })]);
    expect([merge.added.length, merge.enriched.length, merge.present.length]).toEqual([0, 0, 1]);
    expect(merge.papers).toEqual([known]);
  });
});

describe('arXiv references as people write them', () => {
  it.each([
    ['2410.17243', '2410.17243', null],
    ['2410.17243v2', '2410.17243', 2],
    ['arXiv:2410.17243', '2410.17243', null],
    ['hep-th/9901001', 'hep-th/9901001', null],
    ['math.GT/0309136v1', 'math.GT/0309136', 1],
    ['https://arxiv.org/abs/2410.17243v3', '2410.17243', 3],
    ['http://arxiv.org/pdf/2410.17243.pdf', '2410.17243', null],
    ['https://huggingface.co/papers/2410.17243', '2410.17243', null],
    ['10.48550/arXiv.2410.17243', '2410.17243', null],
    ['https://doi.org/10.48550/arXiv.2410.17243', '2410.17243', null],
    ['0704.0001', '0704.0001', null],
  ])('%s is %s', (reference, id, version) => {
    expect(parseArxivRef(reference)).toEqual({ id, version });
  });

  it.each([['2410.1724'], ['24101.7243'], ['hep-th/990100'], ['arxiv.org/abs/xyz'], ['10.1000/arXiv.2410.17243'], ['']])('%s is not one', (reference) => {
    expect(parseArxivRef(reference)).toBeNull();
  });
});

describe('search by author, year and category; dates on search, list and export', () => {
  it.each([
    [['author:vaswani'], ['attention-all-you-need']],
    [['author:Vaswnai'], ['attention-all-you-need']],
    [['author:"noam shazeer"'], ['attention-all-you-need']],
    [['author:szendroi'], ['string-theory-old']],
    [['author:kaiser'], ['attention-all-you-need']],
    [['attention', '-author:vaswani'], ['digest-only-paper']],
    [['year:2017'], ['attention-all-you-need']],
    [['year:2017..2024'], ['videollama-2-advancing', 'attention-all-you-need']],
    [['cat:cs.CL'], ['videollama-2-advancing', 'attention-all-you-need']],
    [['cat:cs.cl', '-cat:cs.CV'], ['attention-all-you-need']],
    [['dualities', 'year:1999'], ['string-theory-old']],
    [['attention', '--since', '2000-01-01'], ['attention-all-you-need']],
    [['attention', '--until', '2017-06-11'], []],
  ])('search %j', (query, expected) => {
    const result = spawn([...rich, 'search', ...query, '--all']);
    expect(ids(result.stdout).sort()).toEqual([...expected].sort());
    expect(result.code).toBe(expected.length > 0 ? 0 : 1);
  });

  it.each([
    ['year:24', 'papers: `year:24` is not a year: write year:2024 or year:2020..2024'],
    ['year:2024..2020', 'papers: `year:2024..2020` runs backwards: write the earlier year first'],
    ['cat:1', 'papers: `cat:1` is not an arXiv category: write cat:cs.LG'],
  ])('%s is a usage error', (query, message) => {
    expect(spawn([...rich, 'search', query])).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it('--since takes a day; a wrong one is a usage error', () => {
    expect(spawn([...rich, 'list', '--since', '2024-02-30'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: --since takes a date written YYYY-MM-DD (or YYYY-MM, YYYY), not `2024-02-30`\n',
    });
    expect(ids(spawn([...rich, 'list', '--since', '2017']).stdout)).toEqual(['videollama-2-advancing', 'attention-all-you-need']);
  });

  it('list --sort published (oldest first, undated last), --sort upvotes, --author', () => {
    expect(ids(spawn([...rich, 'list', '--sort', 'published']).stdout)).toEqual([
      'string-theory-old',
      'attention-all-you-need',
      'videollama-2-advancing',
      'digest-only-paper',
    ]);
    expect(ids(spawn([...rich, 'list', '--sort', 'upvotes', '--limit', '1']).stdout)).toEqual(['videollama-2-advancing']);
    expect(ids(spawn([...rich, 'list', '--author', 'ZESEN cheng']).stdout)).toEqual(['videollama-2-advancing']);
    expect(ids(spawn([...rich, 'list', '--author', 'cheng zesen leng']).stdout)).toEqual([]);
  });

  it('list shows the day of publication where there is one, else the digest date', () => {
    expect(
      spawn([...rich, 'list'])
        .stdout.split('\n')
        .map((line) => line.split('\t')[2]),
    ).toEqual(['2024-06-11', '2017-06-12', '1999-01-04', 'Mar 11', undefined]);
  });

  it('export --since, --author, and the new fields in CSV', () => {
    const csv = spawn([...rich, 'export', '--format', 'csv', '--author', 'vaswani', '--fields', 'id,authors,arxiv,published,categories,upvotes']).stdout;
    expect(csv).toBe(
      'id,authors,arxiv,published,categories,upvotes\r\nattention-all-you-need,Ashish Vaswani; Noam Shazeer; Łukasz Kaiser,1706.03762,2017-06-12,cs.CL cs.LG,\r\n',
    );
    expect(JSON.parse(spawn([...rich, 'export', '--since', '2024-01-01']).stdout).map((p: { id: string }) => p.id)).toEqual(['videollama-2-advancing']);
  });
});

describe('show and open', () => {
  it('show prints authors, arXiv id, dates, category, journal and every page', () => {
    expect(spawn([...rich, 'show', 'attention']).stdout).toBe(
      [
        'Attention Is All You Need',
        'by      Ashish Vaswani, Noam Shazeer, Łukasz Kaiser',
        'id      attention-all-you-need',
        'arxiv   1706.03762',
        'date    2017-06-12',
        'topics  cs.CL, cs.LG',
        'in      Advances in Neural Information Processing Systems 30',
        'doi     10.48550/arXiv.1706.03762',
        'notes   15 pages, 5 figures',
        'source  arxiv.xml',
        'page    https://arxiv.org/abs/1706.03762',
        'pdf     https://arxiv.org/pdf/1706.03762',
        'hf      https://huggingface.co/papers/1706.03762',
        '',
        'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [['videollama'], 'https://arxiv.org/abs/2406.07476'],
    [['videollama', '--pdf'], 'https://arxiv.org/pdf/2406.07476'],
    [['videollama', '--hf'], 'https://huggingface.co/papers/2406.07476'],
    [['videollama', '--code'], 'https://github.com/DAMO-NLP-SG/VideoLLaMA2'],
    [['string-theory'], 'https://arxiv.org/abs/hep-th/9901001'],
  ])('open %j --print', (args, url) => {
    expect(spawn([...rich, 'open', ...args, '--print'])).toEqual({ code: 0, stdout: `${url}\n`, stderr: '' });
  });

  it('a paper without the page asked for exits 1 and says what it has', () => {
    expect(spawn([...rich, 'open', 'videollama', '--project'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'papers: `videollama-2-advancing` has no project page; it has: page, PDF, Hugging Face page, code\n',
    });
    expect(spawn([...rich, 'open', 'digest-only'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'papers: `digest-only-paper` has no link; it has no links at all\n',
    });
  });

  it('open runs $BROWSER with the URL', async () => {
    const dir = tempDir();
    const browser = join(dir, 'browser');
    writeFileSync(browser, `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/opened"\n`);
    chmodSync(browser, 0o755);
    expect(spawn([...rich, 'open', 'attention', '--pdf'], { env: { BROWSER: browser } })).toEqual({ code: 0, stdout: '', stderr: '' });
    for (let i = 0; i < 50 && !readFileSafe(join(dir, 'opened')); i++) await new Promise((r) => setTimeout(r, 20));
    expect(readFileSafe(join(dir, 'opened'))).toBe('https://arxiv.org/pdf/1706.03762\n');
  });

  it('a browser that cannot be run is one line and exit 2', () => {
    expect(spawn([...rich, 'open', 'attention'], { env: { BROWSER: '/nonexistent/browser' } })).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: cannot run `/nonexistent/browser` to open https://arxiv.org/abs/1706.03762 (ENOENT); set BROWSER, or use --print\n',
    });
  });
});

function readFileSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
