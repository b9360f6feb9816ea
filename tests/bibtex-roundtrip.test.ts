import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparePublished, isPartialDate, publishedSince, publishedUntil } from '../src/corpus/dates.js';
import { renderBibtex } from '../src/render/bibtex.js';
import { FIXTURES, spawn, tempDir } from './helpers.js';

// The real bibtex, as tests/bibtex.test.ts runs it (its command a parameter, so that knip does not look for a package).
const tex = (command: 'bibtex', args: string[], options: SpawnSyncOptions = {}) => spawnSync(command, args, { encoding: 'utf8', timeout: 30_000, ...options });
const hasBibtex = tex('bibtex', ['--version']).status === 0;
const NO_BIBTEX = hasBibtex ? '' : ' [SKIPPED: no `bibtex` on PATH; apt-get install --no-install-recommends texlive-binaries texlive-base]';

/** bibtex run with plain.bst on `bib` for a document that cites `keys`: its log and the .bbl it wrote. */
function citeWithBibtex(bib: string, keys: string[]): { status: number | null; log: string; bbl: string } {
  const dir = tempDir();
  writeFileSync(join(dir, 'refs.bib'), bib);
  writeFileSync(join(dir, 'paper.aux'), `${keys.map((key) => `\\citation{${key}}`).join('\n')}\n\\bibstyle{plain}\n\\bibdata{refs}\n`);
  const result = tex('bibtex', ['paper'], { cwd: dir, env: { ...process.env, BIBINPUTS: `${dir}:` } });
  const read = (name: string) => (existsSync(join(dir, name)) ? readFileSync(join(dir, name), 'utf8') : '');
  return { status: result.status, log: `${result.stdout}${result.stderr}${read('paper.blg')}`, bbl: read('paper.bbl') };
}

// Each test spawns the built command several times, on a machine that may be busy.
const SPAWNING = { timeout: 60_000 };

const REFERENCES = join(FIXTURES, 'reference-list.bib');

/** A fresh corpus file with the reference list imported; the import's result. */
function imported(file = REFERENCES) {
  const corpus = join(tempDir(), 'papers.yaml');
  return { corpus, result: spawn(['--corpus', corpus, 'import', file]) };
}

/** Every paper's fields but its source (the file it came from), as `export --format json` gives them. */
const records = (corpus: string) =>
  (JSON.parse(spawn(['--corpus', corpus, 'export']).stdout) as Record<string, unknown>[]).map(({ source: _source, ...rest }) => rest);

describe('a reference list (Google Scholar and DBLP BibTeX, no abstracts) round trip', SPAWNING, () => {
  it('imports every entry with a title, and names the one without, with its line, in a dry run too', () => {
    const corpus = join(tempDir(), 'papers.yaml');
    const skipped = `${REFERENCES}:52: entry \`untitled2020\` has no title; skipped\n`;
    const dry = spawn(['--corpus', corpus, 'import', REFERENCES, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toBe(`${skipped}dry run, ${corpus} unchanged: would import 4 added, 0 enriched, 0 already present, 1 entry without a title skipped\n`);
    expect(spawn(['--corpus', corpus, 'import', REFERENCES])).toEqual({
      code: 0,
      stdout: '',
      stderr: `${skipped}${corpus}: 4 added, 0 enriched, 0 already present, 1 entry without a title skipped\n`,
    });
  });

  it('keeps the year and month, the key, the entry type and every field, in the corpus file', () => {
    const { corpus } = imported();
    expect(readFileSync(corpus, 'utf8')).toContain(
      [
        '    date: null',
        '    published: 2017-06',
        '    source: reference-list.bib',
        '    key: vaswani2017attention',
        '    entrytype: inproceedings',
        '    booktitle: Advances in Neural Information Processing Systems',
        '    volume: "30"',
        '    pages: 5998--6008',
        '    publisher: Curran Associates, Inc.',
        '    keywords:',
        '      - attention',
        '      - transformers',
        '      - machine translation',
        '    code: null',
        '    links: []',
        '    abstract: ""',
      ].join('\n'),
    );
    expect(spawn(['--corpus', corpus, 'export', '--format', 'csv', '--fields', 'key,published,pages,keywords', '-q', 'attention']).stdout).toBe(
      'key,published,pages,keywords\r\nvaswani2017attention,2017-06,5998--6008,attention; transformers; machine translation\r\n',
    );
  });

  it('writes BibTeX with the original keys, types and fields; read back into a fresh corpus, nothing is lost', () => {
    const { corpus } = imported();
    const exported = spawn(['--corpus', corpus, 'export', '--format', 'bibtex']);
    expect(exported.code).toBe(0);
    expect(exported.stdout.split('\n\n')[0]).toBe(
      [
        '@inproceedings{vaswani2017attention,',
        '  author = {Ashish Vaswani and Noam Shazeer and Niki Parmar and Jakob Uszkoreit and Llion Jones and Aidan N Gomez and {\\L}ukasz Kaiser and Illia Polosukhin},',
        '  title = {{Attention is all you need}},',
        '  booktitle = {Advances in Neural Information Processing Systems},',
        '  volume = {30},',
        '  pages = {5998--6008},',
        '  year = {2017},',
        '  month = jun,',
        '  publisher = {Curran Associates, Inc.},',
        '  keywords = {attention, transformers, machine translation}',
        '}',
      ].join('\n'),
    );
    expect(exported.stdout.match(/^@\w+\{[^,]+/gm)).toEqual([
      '@inproceedings{vaswani2017attention',
      '@misc{DBLP:journals/corr/KingmaB14',
      '@inproceedings{DBLP:conf/cvpr/HeZRS16',
      '@article{higgins2017beta',
    ]);
    // A year alone is a year, with no month.
    expect(exported.stdout).toContain('  pages = {770--778},\n  year = {2016},\n  publisher = {IEEE Computer Society},\n');
    const bib = join(tempDir(), 'exported.bib');
    writeFileSync(bib, exported.stdout);
    const again = imported(bib);
    expect(again.result).toMatchObject({ code: 0, stderr: `${again.corpus}: 4 added, 0 enriched, 0 already present\n` });
    expect(records(again.corpus)).toEqual(records(corpus));
    expect(spawn(['--corpus', again.corpus, 'export', '--format', 'bibtex']).stdout).toBe(exported.stdout);
  });

  it.skipIf(!hasBibtex)(`\\cite{original-key} still resolves with bibtex once the .bib is written by papers${NO_BIBTEX}`, () => {
    const { corpus } = imported();
    const bib = spawn(['--corpus', corpus, 'export', '--format', 'bibtex']).stdout;
    const run = citeWithBibtex(bib, ['vaswani2017attention', 'DBLP:conf/cvpr/HeZRS16', 'higgins2017beta']);
    expect(run.log).not.toMatch(/didn't find a database entry|error message/);
    expect(run.status).toBe(0);
    expect(run.bbl.match(/\\bibitem\{[^}]+\}/g)).toEqual([
      '\\bibitem{DBLP:conf/cvpr/HeZRS16}',
      '\\bibitem{higgins2017beta}',
      '\\bibitem{vaswani2017attention}',
    ]);
    expect(run.bbl.replace(/\s+/g, ' ')).toContain(
      'In {\\em Advances in Neural Information Processing Systems}, volume~30, pages 5998--6008. Curran Associates, Inc., June 2017.',
    );
    // The math of the title is typeset, not printed as dollars and backslashes.
    expect(run.bbl).toContain('{$\\beta$-VAE: Learning basic visual concepts');
  });

  it('CSL JSON and RIS have the fields where those formats keep them, the date as far as it is known', async () => {
    const { corpus } = imported();
    const items = JSON.parse(spawn(['--corpus', corpus, 'export', '--format', 'csl-json']).stdout) as Record<string, unknown>[];
    expect(items[0]).toMatchObject({
      id: 'vaswani2017attention',
      type: 'paper-conference',
      issued: { 'date-parts': [[2017, 6]] },
      'container-title': 'Advances in Neural Information Processing Systems',
      publisher: 'Curran Associates, Inc.',
      volume: '30',
      page: '5998-6008',
      keyword: 'attention, transformers, machine translation',
    });
    expect(items[0]).not.toHaveProperty('abstract');
    expect(items.map((item) => [item.id, item.type, item.issued])).toEqual([
      ['vaswani2017attention', 'paper-conference', { 'date-parts': [[2017, 6]] }],
      ['DBLP:journals/corr/KingmaB14', 'article', { 'date-parts': [[2014]] }],
      ['DBLP:conf/cvpr/HeZRS16', 'paper-conference', { 'date-parts': [[2016]] }],
      ['higgins2017beta', 'article-journal', { 'date-parts': [[2017, 4]] }],
    ]);
    const ris = spawn(['--corpus', corpus, 'export', '--format', 'ris']).stdout.split('\r\n\r\n')[0]!.split('\r\n');
    expect(ris.filter((line) => !line.startsWith('AU'))).toEqual([
      'TY  - CPAPER',
      'ID  - vaswani2017attention',
      'TI  - Attention is all you need',
      'PY  - 2017',
      'DA  - 2017/06//',
      'T2  - Advances in Neural Information Processing Systems',
      'VL  - 30',
      'SP  - 5998',
      'EP  - 6008',
      'PB  - Curran Associates, Inc.',
      'KW  - attention',
      'KW  - transformers',
      'KW  - machine translation',
      'ER  - ',
    ]);
  });

  it('a richer record of a paper imported without an abstract fills it in, and the day of its month', () => {
    const { corpus } = imported();
    const richer = join(tempDir(), 'arxiv.bib');
    writeFileSync(
      richer,
      '@misc{v, title = {Attention Is All You Need}, abstract = {The dominant sequence transduction models.}, eprint = {1706.03762}, date = {2017-06-12}}\n' +
        '@misc{b, title = {Deep Residual Learning for Image Recognition}, date = {2015-12-10}}\n',
    );
    // The other date is not a day of 2016: the corpus keeps the date it has.
    expect(spawn(['--corpus', corpus, 'import', richer]).stderr).toBe(`${corpus}: 0 added, 1 enriched, 1 already present\n`);
    const paper = JSON.parse(spawn(['--corpus', corpus, 'show', 'attention-all-you-need', '--format', 'json']).stdout) as Record<string, unknown>;
    expect(paper).toMatchObject({
      abstract: 'The dominant sequence transduction models.',
      arxiv: '1706.03762',
      key: 'vaswani2017attention',
      published: '2017-06-12',
    });
    expect(JSON.parse(spawn(['--corpus', corpus, 'show', 'deep-residual-learning-image', '--format', 'json']).stdout)).toMatchObject({ published: '2016' });
  });
});

describe('dates known to the month or the year', SPAWNING, () => {
  it('year: finds them; --since and --until take a month or year as a span of days; sorting puts them at their start', () => {
    const { corpus } = imported();
    const list = (...args: string[]) => spawn(['--corpus', corpus, 'list', ...args]);
    const row = {
      adam: 'adam-method-stochastic\tAdam: A Method for Stochastic Optimization\t2014\t\n',
      resnet: 'deep-residual-learning-image\tDeep Residual Learning for Image Recognition\t2016\t\n',
      beta: 'beta-vae-learning-basic-visual\t$\\beta$-VAE: Learning basic visual concepts with a constrained variational framework\t2017-04\t\n',
      attention: 'attention-all-you-need\tAttention is all you need\t2017-06\t\n',
    };
    expect(
      spawn(['--corpus', corpus, 'search', 'year:2017'])
        .stdout.split('\n')
        .map((line) => line.split('\t')[0]),
    ).toEqual(['attention-all-you-need', 'beta-vae-learning-basic-visual', '']);
    expect(list('--sort', 'published')).toEqual({ code: 0, stdout: row.adam + row.resnet + row.beta + row.attention, stderr: '' });
    // June 2017 may be on or after the 15th; April 2017 is not.
    expect(list('--since', '2017-06-15').stdout).toBe(row.attention);
    expect(list('--until', '2016').stdout).toBe(row.adam + row.resnet);
    expect(list('--since', '2017', '--until', '2017-05').stdout).toBe(row.beta);
    expect(list('--since', '2016-12-31', '--until', '2017-04-01').stdout).toBe(row.resnet + row.beta);
    expect(list('--since', '2017-13')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: --since takes a date written YYYY-MM-DD (or YYYY-MM, YYYY), not `2017-13`\n',
    });
  });

  it('a corpus file may say `published: 2017` or `2017-06` by hand; a month that is none is refused', () => {
    const corpus = join(tempDir(), 'c.yaml');
    writeFileSync(
      corpus,
      'papers:\n  - id: a\n    title: A\n    abstract: ""\n    published: 2017\n  - id: b\n    title: B\n    abstract: B\n    published: 2017-06\n',
    );
    expect(spawn(['--corpus', corpus, 'list', '--sort', 'published'])).toEqual({ code: 0, stdout: 'a\tA\t2017\t\nb\tB\t2017-06\t\n', stderr: '' });
    writeFileSync(corpus, 'papers:\n  - id: a\n    title: A\n    abstract: A\n    published: 2017-13\n');
    expect(spawn(['--corpus', corpus, 'list'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${corpus}:5: paper 1: \`published\` \`2017-13\` must be a date written YYYY-MM-DD, YYYY-MM or YYYY\n`,
    });
  });
});

/** A corpus file of these papers (YAML written out). */
function corpusOf(papers: { id: string; title: string; authors: string[]; published: string; key?: string; abstract?: string }[]): string {
  const corpus = join(tempDir(), 'c.yaml');
  const yaml = papers
    .map(
      (p) =>
        `  - id: ${p.id}\n    title: ${JSON.stringify(p.title)}\n    authors: [${p.authors.join(', ')}]\n    published: ${p.published}\n` +
        `${p.key ? `    key: ${p.key}\n` : ''}    abstract: ${JSON.stringify(p.abstract ?? '')}\n`,
    )
    .join('');
  writeFileSync(corpus, `papers:\n${yaml}`);
  return corpus;
}

const keysOf = (bib: string) => bib.match(/^@\w+\{[^,]+/gm)?.map((start) => start.replace(/^@\w+\{/, ''));

describe('citation keys are the same in every export', SPAWNING, () => {
  it('authoryear keys that clash are told apart over the whole corpus, not the papers exported', () => {
    const corpus = corpusOf([
      { id: 'large-models-a', title: 'Large Models of Code', authors: ['Ana Garosi'], published: '2026-01-10' },
      { id: 'large-models-b', title: 'Large Models of Text', authors: ['Luca Garosi', 'Mario Rossi'], published: '2026-02' },
    ]);
    const bibtex = (...args: string[]) => keysOf(spawn(['--corpus', corpus, 'export', '--format', 'bibtex', '--key', 'authoryear', ...args]).stdout);
    expect(bibtex()).toEqual(['garosi2026large', 'garosi2026largea']);
    expect(bibtex('--author', 'Rossi')).toEqual(['garosi2026largea']);
    expect(bibtex('--since', '2026-02')).toEqual(['garosi2026largea']);
    const csl = JSON.parse(spawn(['--corpus', corpus, 'export', '--format', 'csl-json', '--key', 'authoryear', '--query', 'text']).stdout) as { id: string }[];
    expect(csl.map((item) => item.id)).toEqual(['garosi2026largea']);
  });

  it('--key original (the default): the key a paper came with, else its id; the same key twice is told apart the same way', () => {
    const corpus = corpusOf([
      { id: 'first', title: 'First', authors: ['A B'], published: '2020', key: 'smith2020' },
      { id: 'second', title: 'Second', authors: ['C D'], published: '2021' },
      { id: 'third', title: 'Third', authors: ['E F'], published: '2022', key: 'smith2020' },
    ]);
    const keys = (...args: string[]) => keysOf(spawn(['--corpus', corpus, 'export', '--format', 'bibtex', ...args]).stdout);
    expect(keys()).toEqual(['smith2020', 'second', 'smith2020a']);
    expect(keys('--key', 'original')).toEqual(['smith2020', 'second', 'smith2020a']);
    expect(keys('--since', '2022')).toEqual(['smith2020a']);
    expect(keys('--key', 'id')).toEqual(['first', 'second', 'third']);
  });
});

describe('TeX math in titles and abstracts', SPAWNING, () => {
  const corpus = () =>
    corpusOf([
      {
        id: 'beta-vae',
        title: '$\\beta$-VAE and $\\Lambda_{\\alpha}$ for 100% of $5 to $10',
        authors: ['Irina Higgins'],
        published: '2017',
        abstract: 'We bound $\\|x\\|^2$; a cost of $5 and $6 & more_x.',
      },
    ]);

  it('stays math in BibTeX; the rest is escaped to print as written', () => {
    expect(spawn(['--corpus', corpus(), 'export', '--format', 'bibtex']).stdout).toBe(
      [
        '@misc{beta-vae,',
        '  author = {Irina Higgins},',
        '  title = {{$\\beta$-VAE and $\\Lambda_{\\alpha}$ for 100\\% of \\$5 to \\$10}},',
        '  year = {2017},',
        '  abstract = {We bound $\\|x\\|^2$; a cost of \\$5 and \\$6 \\& more\\_x.}',
        '}',
        '',
      ].join('\n'),
    );
  });

  it.skipIf(!hasBibtex)(`bibtex takes it and the .bbl has the math as TeX${NO_BIBTEX}`, () => {
    const run = citeWithBibtex(spawn(['--corpus', corpus(), 'export', '--format', 'bibtex']).stdout, ['beta-vae']);
    expect(run.log).not.toMatch(/error message|didn't find/);
    expect(run.status).toBe(0);
    expect(run.bbl).toContain('{$\\beta$-VAE and $\\Lambda_{\\alpha}$ for 100\\% of \\$5 to \\$10}');
  });
});

describe('the rules behind them', () => {
  it.each([
    ['2017-06', '2017-06-15', true, true],
    ['2017-05', '2017-06-15', false, true],
    ['2017', '2017-06-15', true, true],
    ['2016', '2017', false, true],
    ['2017-06-14', '2017-06', true, true],
    ['2017-07-01', '2017-06', true, false],
    ['2017-06-30', '2017', true, true],
  ])('published %s against %s: since %s, until %s', (published, bound, since, until) => {
    expect([publishedSince(published, bound), publishedUntil(published, bound)]).toEqual([since, until]);
  });

  it('a partial date is a real year, month or day; sorting puts a year before its months and a month before its days', () => {
    expect(['2017', '2017-06', '2017-06-30', '2024-02-29'].every(isPartialDate)).toBe(true);
    expect(['17', '2017-6', '2017-13', '2017-00', '2023-02-29', '2017-06-31', '2017/06'].some(isPartialDate)).toBe(false);
    expect(['2017-06-01', '2016', '2017-06', '2017', '2017-01-01'].sort(comparePublished)).toEqual(['2016', '2017', '2017-01-01', '2017-06', '2017-06-01']);
  });

  const title = (text: string) =>
    /title = \{\{(.*)\}\}$/m.exec(renderBibtex([{ id: 'p', title: text, abstract: '', date: null, source: 's', links: [], code: null }]))?.[1];
  it.each([
    ['$\\beta$-VAE', '$\\beta$-VAE'],
    ['$$x^2$$ and $y_1$', '$$x^2$$ and $y_1$'],
    ['from $5 to $10', 'from \\$5 to \\$10'],
    ['costs $5$', 'costs $5$'],
    ['a $ b $ c', 'a \\$ b \\$ c'],
    ['$50% off$', '\\$50\\% off\\$'],
    ['$\\frac{a}{b$', '\\$\\textbackslash{}frac\\{a\\}{\\textbraceleft}b\\$'],
    ['$a \\$ b$', '$a \\$ b$'],
  ])('%s is written %s', (text, written) => {
    expect(title(text)).toBe(written);
  });
});
