import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { spawn, tempDir } from './helpers.js';

interface Entry {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  published?: string;
  code?: string;
}

const PAPERS: Entry[] = [
  {
    id: 'fuzzing-software-compilers',
    title: 'Fuzzing Software Compilers',
    abstract: 'We fuzz software compilers with generated programs.',
    authors: ['Marco Garosi'],
    published: '2021-03-01',
  },
  {
    id: 'software-testing-scale',
    title: 'Software Testing at Scale',
    abstract: 'Testing software across a large monorepo.',
    authors: ['Ana Smith'],
    published: '2022-05-02',
    code: 'https://github.com/example/testing',
  },
  {
    id: 'unit-testing-deep-learning',
    title: 'Unit Testing for Deep Learning',
    abstract: 'Unit testing of neural network code.',
    authors: ['Bo Chen'],
    published: '2023-07-03',
  },
  {
    id: 'attention-translation',
    title: 'Attention for Machine Translation',
    abstract: 'Attention layers for translation, and an œuvre of decoders.',
    authors: ['Łukasz Kaiser', 'Anders Søgaard', 'Thomas Weiß', 'Đorđe Petrović', 'Ólafur Þórsson'],
    published: '2017-06-12',
  },
  {
    id: 'graph-networks-survey',
    title: 'Graph Networks Survey',
    abstract: 'A survey of graph networks and their training.',
    authors: ['Ana Smith'],
  },
];

const quote = (text: string) => JSON.stringify(text);

function corpusYaml(papers: Entry[]): string {
  const lines = ['papers:'];
  for (const p of papers) {
    lines.push(`  - id: ${p.id}`, `    title: ${quote(p.title)}`, '    authors:');
    for (const a of p.authors) lines.push(`      - ${quote(a)}`);
    lines.push('    date: null');
    if (p.published) lines.push(`    published: ${quote(p.published)}`);
    lines.push('    source: test.yaml', `    code: ${p.code ?? 'null'}`, '    links: []', `    abstract: ${quote(p.abstract)}`);
  }
  return `${lines.join('\n')}\n`;
}

let corpus = '';
beforeEach(() => {
  corpus = join(tempDir(), 'papers.yaml');
  writeFileSync(corpus, corpusYaml(PAPERS));
});
const papers = (...args: string[]) => spawn(['--corpus', corpus, ...args]);
const ids = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .filter(Boolean)
    .map((line) => line.split('\t')[0]);

describe('author: is a filter', () => {
  it('near misses keep to the author: `author:garosi testing` shows no one else', () => {
    expect(papers('search', 'author:garosi', 'testing')).toEqual({ code: 1, stdout: '', stderr: 'papers: no papers match `author:garosi testing`\n' });
  });

  it('near misses by the author miss other words only', () => {
    const result = papers('search', 'author:garosi', 'software', 'testing', '--format', 'json');
    expect(result.code).toBe(0);
    const hits = JSON.parse(result.stdout) as { id: string; partial?: boolean; matchedWords?: string[] }[];
    expect(hits.map((h) => [h.id, h.partial, h.matchedWords])).toEqual([['fuzzing-software-compilers', true, ['garosi', 'software']]]);
  });

  it('a query of author: alone gives only that author, with no near misses', () => {
    expect(ids(papers('search', 'author:smith').stdout)).toEqual(['software-testing-scale', 'graph-networks-survey']);
  });
});

describe('a mistyped option after search is refused, not searched for', () => {
  it.each([
    [['--limt', '5', 'testing'], "papers: unknown option '--limt' (Did you mean --limit?) (see papers --help)\n"],
    [['testing', '--formt', 'json'], "papers: unknown option '--formt' (Did you mean --format?) (see papers --help)\n"],
    [['--limt=5', 'testing'], "papers: unknown option '--limt=5' (Did you mean --limit?) (see papers --help)\n"],
    [['-limit', '3', 'testing'], "papers: unknown option '-limit' (Did you mean --limit? To leave out the word, put it after --) (see papers --help)\n"],
    [['testing', '-format', 'json'], "papers: unknown option '-format' (Did you mean --format? To leave out the word, put it after --) (see papers --help)\n"],
    [['-all', 'testing'], "papers: unknown option '-all' (Did you mean --all? To leave out the word, put it after --) (see papers --help)\n"],
    [['-strict', 'testing'], "papers: unknown option '-strict' (Did you mean --strict? To leave out the word, put it after --) (see papers --help)\n"],
    [['-since', '2020', 'testing'], "papers: unknown option '-since' (Did you mean --since? To leave out the word, put it after --) (see papers --help)\n"],
  ])('search %j', (args, stderr) => {
    expect(papers('search', ...args)).toEqual({ code: 2, stdout: '', stderr });
  });

  it('-word still leaves a word out, and after -- an option name is a word', () => {
    expect(ids(papers('search', 'testing', '-unit').stdout)).toEqual(['software-testing-scale']);
    expect(ids(papers('search', 'testing', '--', '-unit').stdout)).toEqual(['software-testing-scale']);
    expect(ids(papers('search', '--', 'testing', '-all').stdout)).toEqual(['software-testing-scale', 'unit-testing-deep-learning']);
  });
});

describe('letters without an accent to drop fold to their ASCII spelling', () => {
  it.each([['lukasz kaiser'], ['Łukasz Kaiser'], ['sogaard'], ['weiss'], ['dorde petrovic'], ['thorsson']])('list --author %j', (name) => {
    expect(papers('list', '--author', name)).toEqual({
      code: 0,
      stdout: 'attention-translation\tAttention for Machine Translation\t2017-06-12\t\n',
      stderr: '',
    });
  });

  it.each([['author:dorde'], ['author:"lukasz kaiser"'], ['author:weiss'], ['oeuvre']])('search %s', (query) => {
    expect(ids(papers('search', query).stdout)).toEqual(['attention-translation']);
  });

  it('export --author folds the same way', () => {
    const result = papers('export', '--author', 'anders sogaard', '--fields', 'id');
    expect(JSON.parse(result.stdout)).toEqual([{ id: 'attention-translation' }]);
  });
});

describe('a filter that matches nothing says so and exits 1', () => {
  it.each([
    [['list', '--author', 'kaiserx'], 'papers: no paper by an author named `kaiserx`\n'],
    [['list', '--author', 'kaiser', '--has-code'], 'papers: no paper by an author named `kaiser` with a code repository\n'],
    [['list', '--since', '2030-01-01'], 'papers: no paper published on or after 2030-01-01\n'],
    [['list', '--until', '2000-12-31', '--author', 'kaiser'], 'papers: no paper published on or before 2000-12-31\n'],
    [
      ['list', '--since', '2022-01-01', '--until', '2022-12-31', '--author', 'chen'],
      'papers: no paper by an author named `chen` published between 2022-01-01 and 2022-12-31\n',
    ],
    [['export', '--author', 'nobody'], 'papers: no paper by an author named `nobody`\n'],
    [['export', '--format', 'ndjson', '--has-code', '--since', '2023-01-01'], 'papers: no paper with a code repository published on or after 2023-01-01\n'],
    [['export', '--format', 'bibtex', '--query', 'qqqzzzxx'], 'papers: no paper has "qqqzzzxx"\n'],
    [['export', '--query', 'testing', '--author', 'kaiser'], 'papers: no paper matching `testing` by an author named `kaiser`\n'],
    [['search', 'testing', '--since', '2030-01-01'], 'papers: no paper published on or after 2030-01-01\n'],
    [['search', 'testing', 'year:2030'], 'papers: no paper published in 2030\n'],
  ])('%j', (args, stderr) => {
    expect(papers(...args)).toEqual({ code: 1, stdout: '', stderr });
  });

  it('a window that ends before it starts is a usage error', () => {
    expect(papers('list', '--since', '2024-01-01', '--until', '2023-01-01')).toEqual({
      code: 2,
      stdout: '',
      stderr: 'papers: --since 2024-01-01 is after --until 2023-01-01: put the earlier day first\n',
    });
  });

  it('a window from a month to the end of its year is no window that ends before it starts', () => {
    expect(papers('list', '--since', '2022-05', '--until', '2022')).toEqual({
      code: 0,
      stdout: 'software-testing-scale\tSoftware Testing at Scale\t2022-05-02\thttps://github.com/example/testing\n',
      stderr: '',
    });
    expect(papers('list', '--since', '2023', '--until', '2022-05').code).toBe(2);
  });

  it('export -o leaves the file as it was when nothing matches', () => {
    const out = join(tempDir(), 'refs.json');
    writeFileSync(out, 'kept\n');
    expect(papers('export', '--author', 'nobody', '-o', out).code).toBe(1);
    expect(readFileSync(out, 'utf8')).toBe('kept\n');
    const fresh = join(tempDir(), 'new.json');
    expect(papers('export', '--format', 'ndjson', '--author', 'nobody', '-o', fresh).code).toBe(1);
    expect(existsSync(fresh)).toBe(false);
  });
});

describe('--strict matches words as typed', () => {
  it('forgives no typo, and says which word is missing', () => {
    expect(ids(papers('search', 'tesitng').stdout)).toEqual(['software-testing-scale', 'unit-testing-deep-learning']);
    expect(papers('search', '--strict', 'tesitng')).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper has "tesitng"; did you mean "testing"?\n' });
  });

  it('takes no prefix or other form of the word, but its plural', () => {
    expect(ids(papers('search', 'surv').stdout)).toEqual(['graph-networks-survey']);
    expect(papers('search', '--strict', 'surv').code).toBe(1);
    expect(ids(papers('search', 'compiler').stdout)).toEqual(['fuzzing-software-compilers']);
    expect(ids(papers('search', '--strict', 'compiler').stdout)).toEqual(['fuzzing-software-compilers']);
    expect(ids(papers('search', 'trained').stdout)).toEqual(['graph-networks-survey']);
    expect(papers('search', '--strict', 'trained').code).toBe(1);
  });
});

describe('stats keywords', () => {
  it('are in order of the count shown, an acronym and its long form one row counting the papers that use either', () => {
    const entry = (id: string, title: string, abstract: string): Entry => ({ id, title, abstract, authors: ['A Writer'] });
    writeFileSync(
      corpus,
      corpusYaml([
        entry('gnn-molecules', 'Graph Neural Networks for Molecules', 'Graph neural networks read molecules and proteins.'),
        entry('scaling-gnns', 'Scaling GNNs', 'We scale GNNs to proteins and large graphs.'),
        entry('gnn-pooling', 'Pooling in GNNs', 'Pooling layers for graph neural networks.'),
        entry('protein-folding', 'Protein Folding', 'Folding proteins with attention.'),
        entry('vision-attention', 'Vision Attention', 'Attention for images.'),
        entry('speech', 'Speech Recognition', 'Recognising speech.'),
      ]),
    );
    const result = papers('stats', '--format', 'tsv');
    expect(result.stdout.split('\n').filter((line) => line.startsWith('keyword'))).toEqual([
      'keyword\tgraph neural networks (GNN)\t3',
      'keyword\tproteins\t3',
      'keyword\tattention\t2',
    ]);
  });
});
