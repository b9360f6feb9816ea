import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { HtmlRenderer, Parser } from 'commonmark';
import { describe, expect, it } from 'vitest';
import { FIXTURES, ROOT, spawn, tempDir } from './helpers.js';

const rich = ['--corpus', join(FIXTURES, 'rich.yaml')];

const commonmark = (text: string) => new HtmlRenderer().render(new Parser().parse(text));

describe('export --format markdown, read by a CommonMark parser', () => {
  it('makes every paper its own list item, its lines broken, with the date it has (digest date, else published)', () => {
    const result = spawn([...rich, 'export', '--format', 'markdown']);
    expect(result.code).toBe(0);
    expect(commonmark(result.stdout)).toBe(
      [
        '<h1>Reading list</h1>',
        '<ul>',
        '<li><strong>VideoLLaMA 2: Advancing Spatial-Temporal Modeling and Audio Understanding in Video-LLMs</strong> (<code>videollama-2-advancing</code>), 2024-06-11<br />',
        'Zesen Cheng, Sicong Leng, Hang Zhang<br />',
        'We present VideoLLaMA 2, a set of Video Large Language Models designed to enhance spatial-temporal modeling.<br />',
        '<a href="https://arxiv.org/abs/2406.07476">arXiv</a> · <a href="https://github.com/DAMO-NLP-SG/VideoLLaMA2">code</a></li>',
        '<li><strong>Attention Is All You Need</strong> (<code>attention-all-you-need</code>), 2017-06-12<br />',
        'Ashish Vaswani, Noam Shazeer, Łukasz Kaiser<br />',
        'The dominant sequence transduction models are based on complex recurrent or convolutional neural networks.<br />',
        '<a href="https://arxiv.org/abs/1706.03762">arXiv</a></li>',
        '<li><strong>Dualities in String Theory</strong> (<code>string-theory-old</code>), 1999-01-04<br />',
        'Balázs Szendrői<br />',
        'We review dualities between string theories.<br />',
        '<a href="https://arxiv.org/abs/hep-th/9901001">arXiv</a></li>',
        '<li><strong>A Paper From A Digest</strong> (<code>digest-only-paper</code>), Mar 11<br />',
        'Attention and string dualities, as a digest saw them.</li>',
        '</ul>',
        '',
      ].join('\n'),
    );
  });
});

describe('a hand-edited corpus value YAML cannot read unquoted', () => {
  const corpusWithTitle = (title: string) => {
    const file = join(tempDir(), 'papers.yaml');
    writeFileSync(
      file,
      [
        'papers:',
        '  - id: foo-bar',
        `    title: ${title}`,
        '    date: null',
        '    source: hand',
        '    code: null',
        '    links: []',
        '    abstract: An abstract.',
        '',
      ].join('\n'),
    );
    return file;
  };

  it.each([
    ['Foo: Bar', 'quote the value of `title`: write title: "Foo: Bar" (unquoted, YAML reads its ": " as the start of a nested mapping)'],
    ['[Draft] Foo', 'quote the value of `title`: write title: "[Draft] Foo"'],
  ])('title: %s is told, in one line with file and line, to quote the value', (title, message) => {
    const file = corpusWithTitle(title);
    const before = readFileSync(file, 'utf8');
    const result = spawn(['--corpus', file, 'list']);
    expect(result).toEqual({ code: 2, stdout: '', stderr: `papers: ${file}:3: ${message}\n` });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('the quoted value it suggests is read back as the title', () => {
    const result = spawn(['--corpus', corpusWithTitle('"Foo: Bar"'), 'list']);
    expect(result).toEqual({ code: 0, stdout: 'foo-bar\tFoo: Bar\t\t\n', stderr: '' });
  });

  it('a YAML export with such a line, imported, gets the same advice', () => {
    const dir = tempDir();
    const file = join(dir, 'export.yaml');
    writeFileSync(file, '- id: foo-bar\n  title: Foo: Bar\n  abstract: An abstract.\n');
    const result = spawn(['--corpus', join(dir, 'papers.yaml'), 'import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `papers: ${file}:2: quote the value of \`title\`: write title: "Foo: Bar" (unquoted, YAML reads its ": " as the start of a nested mapping)\n`,
    );
  });
});

describe('a lock left behind', () => {
  // A process that has come and gone: its pid names no process now.
  const deadPid = () => spawnSync(process.execPath, ['-e', '']).pid!;

  it.each([
    ['an older version (pid and time, no host) whose process is gone', () => `${deadPid()} ${Date.now()}`],
    ['an older version whose process is alive but whose time is long past', () => `${process.pid} ${Date.now() - 3_600_000}`],
    ['this version, of a process on this machine that is gone', () => `${deadPid()} ${hostname()} ${Date.now()} k3j4`],
  ])('of %s is taken over at once, not waited out', { timeout: 30_000 }, (_, lock) => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    writeFileSync(`${corpus}.lock`, lock());
    const result = spawn(['--corpus', corpus, 'import', join(FIXTURES, 'sources', 'papers', 'export.json')]);
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toMatch(new RegExp(`^${corpus}: \\d+ added, 0 enriched, 0 already present\\n$`));
    expect(readdirSync(dir)).toEqual(['papers.yaml']);
  });
});

// Papers that test the round trip: a formula-like title, commas and quotes, a line break in an abstract, a name
// with a particle and a suffix, letters beyond ASCII, a paper with nothing but the fields every paper has.
const AWKWARD = `papers:
  - id: formula-title
    title: "=SUM(A1:A2), \\"quoted\\" and; semicolons"
    authors:
      - Martin Luther King Jr.
      - Guido van Rossum
      - Łukasz Kaiser
    date: null
    published: "2021-02-03"
    source: hand.yaml
    arxiv: "2102.01234"
    doi: 10.1000/xyz-123
    journal: Journal of Awkward Cases
    categories:
      - cs.LG
      - stat.ML
    url: https://example.org/paper
    pdf: https://example.org/paper.pdf
    code: https://github.com/example/awkward
    project: https://example.org/project
    links:
      - https://github.com/example/awkward
    upvotes: 7
    comments: "-5 pages, @ home"
    abstract: |-
      First line, with a comma.
      Second line: see https://github.com/example/awkward for code.
  - id: bare-paper
    title: A Bare Paper
    date: Mar 11
    source: digest.txt
    code: null
    links: []
    abstract: Only what every paper has.
`;

interface Trip {
  dir: string;
  original: Record<string, unknown>[];
  records: Record<string, unknown>[];
  stderr: string;
}

/** Exports the corpus in `format` to `file`, imports that into a new corpus, and gives what each exports as JSON. */
function roundTrip(format: string, file: string, importArgs: string[] = []): Trip {
  const dir = tempDir();
  const corpus = join(dir, 'papers.yaml');
  writeFileSync(corpus, AWKWARD);
  const original = JSON.parse(spawn(['--corpus', corpus, 'export', '--format', 'json']).stdout) as Record<string, unknown>[];
  const path = join(dir, file);
  expect(spawn(['--corpus', corpus, 'export', '--format', format, '-o', path]).code).toBe(0);
  const fresh = join(dir, 'fresh.yaml');
  const imported = spawn(['--corpus', fresh, 'import', path, ...importArgs]);
  expect(imported.code).toBe(0);
  return { dir, original, records: JSON.parse(spawn(['--corpus', fresh, 'export', '--format', 'json']).stdout), stderr: imported.stderr };
}

// What a citation format has no field for, and so loses: the digest's date, the project page, upvotes and the
// arXiv comment line; the source becomes the file imported. The code link comes back from the abstract's links.
const citationLoss = (paper: Record<string, unknown>, source: string) => ({ ...paper, date: null, project: null, upvotes: null, comments: null, source });

describe('papers imports its own CSV, RIS and CSL JSON exports', () => {
  it('CSV gives back every field of every paper', () => {
    const trip = roundTrip('csv', 'papers.csv');
    expect(trip.stderr).toBe(`${join(trip.dir, 'fresh.yaml')}: 2 added, 0 enriched, 0 already present\n`);
    expect(trip.records).toEqual(trip.original);
  });

  it('CSV written with --fields gives back those fields', () => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    writeFileSync(corpus, AWKWARD);
    const path = join(dir, 'some.csv');
    spawn(['--corpus', corpus, 'export', '--format', 'csv', '--fields', 'title,authors,abstract', '-o', path]);
    expect(spawn(['--corpus', join(dir, 'fresh.yaml'), 'import', path]).code).toBe(0);
    const records = JSON.parse(spawn(['--corpus', join(dir, 'fresh.yaml'), 'export', '--format', 'json', '--fields', 'id,title,authors,source']).stdout);
    expect(records).toEqual([
      // Without ids, the new corpus gives its own, from the titles.
      {
        id: 'sum-a1-a2-quoted-semicolons',
        title: '=SUM(A1:A2), "quoted" and; semicolons',
        authors: ['Martin Luther King Jr.', 'Guido van Rossum', 'Łukasz Kaiser'],
        source: 'some.csv',
      },
      { id: 'bare-paper', title: 'A Bare Paper', authors: null, source: 'some.csv' },
    ]);
  });

  it('RIS gives back the fields it carries (and the PDF), the arXiv id from its accession number', () => {
    const trip = roundTrip('ris', 'refs.ris');
    expect(trip.stderr).toBe(`${join(trip.dir, 'fresh.yaml')}: 2 added, 0 enriched, 0 already present\n`);
    const [awkward, bare] = trip.original as [Record<string, unknown>, Record<string, unknown>];
    // RIS writes every value on one line.
    const abstract = String(awkward.abstract).replace(/\n/g, ' ');
    expect(trip.records).toEqual([{ ...citationLoss(awkward, 'refs.ris'), abstract }, citationLoss(bare, 'refs.ris')]);
  });

  it('CSL JSON gives back the fields it carries', () => {
    const trip = roundTrip('csl-json', 'refs.json');
    const [awkward, bare] = trip.original as [Record<string, unknown>, Record<string, unknown>];
    // CSL has no field for the PDF either, nor for the arXiv id of a journal article with a DOI and a page of its own.
    expect(trip.records).toEqual([{ ...citationLoss(awkward, 'refs.json'), pdf: null, arxiv: null }, citationLoss(bare, 'refs.json')]);
  });
});

describe('import tells CSV, RIS and CSL JSON from their content, or as --format says', () => {
  const exported = (format: string) => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    writeFileSync(corpus, AWKWARD);
    return { dir, text: spawn(['--corpus', corpus, 'export', '--format', format]).stdout };
  };

  it.each(['csv', 'ris', 'csl-json'])('%s on standard input, with no name to go by', (format) => {
    const { dir, text } = exported(format);
    const fresh = join(dir, 'fresh.yaml');
    const result = spawn(['--corpus', fresh, 'import', '-'], { stdin: text });
    expect(result).toEqual({ code: 0, stdout: '', stderr: `${fresh}: 2 added, 0 enriched, 0 already present\n` });
    // Only CSV carries the digest's date.
    const date = format === 'csv' ? 'Mar 11' : '';
    expect(spawn(['--corpus', fresh, 'list', '--format', 'tsv']).stdout).toBe(
      `formula-title\t=SUM(A1:A2), "quoted" and; semicolons\t2021-02-03\thttps://github.com/example/awkward\nbare-paper\tA Bare Paper\t${date}\t\n`,
    );
  });

  it('--format forces the format, and takes the names of the exports read as papers (json, ndjson, yaml)', () => {
    const { dir, text } = exported('csv');
    const file = join(dir, 'looks-like-text.txt');
    writeFileSync(file, text);
    expect(spawn(['--corpus', join(dir, 'a.yaml'), 'import', file, '--format', 'csv']).stderr).toBe(
      `${join(dir, 'a.yaml')}: 2 added, 0 enriched, 0 already present\n`,
    );
    writeFileSync(file, exported('ndjson').text);
    expect(spawn(['--corpus', join(dir, 'b.yaml'), 'import', file, '--format', 'ndjson']).stderr).toBe(
      `${join(dir, 'b.yaml')}: 2 added, 0 enriched, 0 already present\n`,
    );
  });

  const formats = 'digest, hf, arxiv, arxiv-jsonl, bibtex, papers (its own json, ndjson, yaml exports), csv, ris, csl-json';

  it('a Markdown reading list is not a format papers imports: said plainly, nothing written', () => {
    const { dir, text } = exported('markdown');
    const file = join(dir, 'reading-list.md');
    writeFileSync(file, text);
    const fresh = join(dir, 'fresh.yaml');
    expect(spawn(['--corpus', fresh, 'import', file])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${file}: markdown is not a format papers imports; it imports ${formats}\n`,
    });
    expect(spawn(['--corpus', fresh, 'import', '-', '--format', 'markdown'], { stdin: text })).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: markdown is not a format papers imports; it imports ${formats}\n`,
    });
    expect(readdirSync(dir).sort()).toEqual(['papers.yaml', 'reading-list.md']);
  });

  it('a PDF or a spreadsheet is not one either', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'paper.pdf'), '%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\n');
    writeFileSync(join(dir, 'papers.xlsx'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00]));
    expect(spawn(['--corpus', join(dir, 'c.yaml'), 'import', join(dir, 'paper.pdf')]).stderr).toBe(
      `papers: ${join(dir, 'paper.pdf')}: PDF is not a format papers imports; it imports ${formats}\n`,
    );
    expect(spawn(['--corpus', join(dir, 'c.yaml'), 'import', join(dir, 'papers.xlsx')]).stderr).toBe(
      `papers: ${join(dir, 'papers.xlsx')}: xlsx is not a format papers imports; it imports ${formats}\n`,
    );
  });

  it('an unknown --format names the ones there are', () => {
    expect(spawn(['import', '-', '--format', 'endnote'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: unknown --format `endnote`: use digest, hf, arxiv, arxiv-jsonl, bibtex, papers, csv, ris, csl-json\n',
    });
  });
});

describe('CSV, RIS and CSL JSON from elsewhere', () => {
  it('a CSV whose header is not papers fields names the column and the fields', () => {
    const dir = tempDir();
    const file = join(dir, 'library.csv');
    writeFileSync(file, 'Title,Abstract\nA,B\n');
    const result = spawn(['--corpus', join(dir, 'c.yaml'), 'import', file]);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `papers: ${file}:1: unknown column \`Title\` in the header; its columns are papers' field names (id, title, authors, date, published, daily, source, key, entrytype, arxiv, doi, journal, booktitle, volume, number, pages, publisher, categories, keywords, url, pdf, code, project, links, upvotes, comments, abstract), as \`papers export --format csv\` writes\n`,
    );
  });

  it('a CSV row with a value the corpus would refuse is named by its line', () => {
    const dir = tempDir();
    const file = join(dir, 'papers.csv');
    writeFileSync(file, 'title,abstract,published\r\nA,"Two\r\nlines",2024-01-01\r\nB,C,next week\r\n');
    expect(spawn(['--corpus', join(dir, 'c.yaml'), 'import', file]).stderr).toBe(
      `papers: ${file}:4: paper 2: \`published\` \`next week\` must be a date written YYYY-MM-DD, YYYY-MM or YYYY\n`,
    );
  });

  it("Zotero's CSL JSON: its ids and tags are not papers', an item without an abstract is skipped and counted", () => {
    const dir = tempDir();
    const file = join(dir, 'My Library.json');
    const items = [
      {
        id: 'http://zotero.org/users/123/items/ABCD1234',
        type: 'article-journal',
        title: 'Graph Attention Networks',
        'container-title': 'International Conference on Learning Representations',
        author: [
          { family: 'Veličković', given: 'Petar' },
          { family: 'Bengio', given: 'Yoshua' },
        ],
        issued: { 'date-parts': [['2018', '2', '15']] },
        DOI: 'https://doi.org/10.48550/arXiv.1710.10903',
        keyword: 'graph neural networks, attention',
        abstract: 'We present graph attention networks (GATs).',
      },
      { id: 'http://zotero.org/users/123/items/EFGH5678', type: 'book', title: 'Deep Learning', issued: { 'date-parts': [[2016]] } },
    ];
    writeFileSync(file, JSON.stringify(items, null, 2));
    const corpus = join(dir, 'c.yaml');
    expect(spawn(['--corpus', corpus, 'import', file]).stderr).toBe(
      `${corpus}: 1 added, 0 enriched, 0 already present, 1 record without a title or abstract skipped\n`,
    );
    expect(
      JSON.parse(
        spawn(['--corpus', corpus, 'export', '--format', 'json', '--fields', 'id,title,authors,published,source,arxiv,doi,journal,categories']).stdout,
      ),
    ).toEqual([
      {
        id: 'graph-attention-networks',
        title: 'Graph Attention Networks',
        authors: ['Petar Veličković', 'Yoshua Bengio'],
        published: '2018-02-15',
        source: 'My Library.json',
        arxiv: '1710.10903',
        doi: '10.48550/arXiv.1710.10903',
        journal: 'International Conference on Learning Representations',
        categories: null,
      },
    ]);
  });
});

describe('npm test says which tests it skips for want of a program', () => {
  it('a line a missing program (bibtex, zsh, fish), naming the tests and how to install it', { timeout: 60_000 }, () => {
    // Programs of those names that fail as a missing one does, first on PATH.
    const bin = tempDir();
    for (const name of ['bibtex', 'zsh', 'fish']) symlinkSync('/bin/false', join(bin, name));
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const result = spawnSync(process.execPath, [vitest, 'run', 'tests/corpus.test.ts', '-t', 'no test has this name', '--passWithNoTests'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { PATH: `${bin}:${process.env.PATH}`, NO_COLOR: '1' },
    });
    expect(result.stderr.split('\n').filter((line) => line.startsWith('SKIPPING'))).toEqual([
      'SKIPPING the tests that check the BibTeX export with the real bibtex (tests/bibtex.test.ts): bibtex is not installed; install it with `apt-get install --no-install-recommends texlive-binaries texlive-base`',
      'SKIPPING the zsh completion tests (tests/completion.test.ts): zsh is not installed; install it with `apt-get install zsh`',
      'SKIPPING the fish completion tests (tests/completion.test.ts): fish is not installed; install it with `apt-get install fish`',
    ]);
  });
});
