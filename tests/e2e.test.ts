import { execFileSync, spawn as spawnAsync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { loadCorpus, serializeCorpus } from '../src/corpus/store.js';
import { BIN, CACHE_DIR, FIXTURES, SHIPPED_CORPUS, spawn, tempDir } from './helpers.js';

const fixture = join(FIXTURES, 'corpus.yaml');

describe('papers (built, spawned, stdout not a terminal)', () => {
  it('search hypernetwork prints the hypernetwork papers first as TSV', () => {
    const result = spawn(['search', 'hypernetwork']);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    const rows = result.stdout
      .trimEnd()
      .split('\n')
      .map((line) => line.split('\t'));
    expect(
      rows
        .slice(0, 3)
        .map((r) => r[0])
        .sort(),
    ).toEqual(['brief-review-hypernetworks-deep', 'continual-learning-dependency', 'magnitude-invariant']);
    expect(rows[0]).toEqual(['magnitude-invariant', 'Magnitude Invariant Parametrizations Improve Hypernetwork Learning', '0.953']);
    for (const row of rows) expect(row).toHaveLength(3);
  });

  it('search --format json carries id, title, score and the other fields', () => {
    const result = spawn(['search', 'hopfield', '--format', 'json']);
    const [first] = JSON.parse(result.stdout);
    // Every field, always: those a paper does not have are null, so the shape does not depend on the paper.
    expect(Object.keys(first)).toEqual([
      'rank',
      'score',
      'matched',
      'id',
      'title',
      'authors',
      'date',
      'published',
      'daily',
      'source',
      'key',
      'entrytype',
      'arxiv',
      'doi',
      'journal',
      'booktitle',
      'volume',
      'number',
      'pages',
      'publisher',
      'categories',
      'keywords',
      'url',
      'pdf',
      'code',
      'project',
      'links',
      'upvotes',
      'comments',
      'abstract',
    ]);
    expect(first.authors).toBeNull();
    expect(first).toMatchObject({
      rank: 1,
      id: 'hopfield-networks-all-you-need',
      code: 'https://github.com/ml-jku/hopfield-layers',
      matched: ['title', 'abstract'],
    });
  });

  it('search with no match exits 1 with a message on stderr only', () => {
    expect(spawn(['search', 'qqqzzzxx'])).toEqual({ code: 1, stdout: '', stderr: 'papers: no paper has "qqqzzzxx"\n' });
  });

  it('search --limit and --all', () => {
    expect(spawn(['search', 'network', '--limit', '2']).stdout.trimEnd().split('\n')).toHaveLength(2);
    expect(spawn(['search', 'network']).stdout.trimEnd().split('\n')).toHaveLength(10);
    expect(spawn(['search', 'network', '--all']).stdout.trimEnd().split('\n').length).toBeGreaterThan(10);
  });

  it('an excluded word after search is a query word, not an option', () => {
    const result = spawn(['search', 'continual', 'learning', '-pretrained', '-n', '50']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('slca-slow-learner-classifier');
    expect(result.stdout).toContain('continual-learning-neural');
  });

  it('list prints id, title, date, code rows for the whole corpus', () => {
    const result = spawn(['list']);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(83);
    expect(lines[1]).toBe('finalmlp-enhanced-two-stream-mlp\tFinalMLP: An Enhanced Two-Stream MLP Model for CTR Prediction\tMar 11\t');
    expect(lines[4]).toBe(
      'mixing-shifting-exploiting\tMixing and Shifting: Exploiting Global and Local Dependencies in Vision MLPs\tMar 11\thttps://github.com/JegZheng/MS-MLP',
    );
  });

  it('list --sort, --reverse, --limit, --has-code', () => {
    expect(
      spawn(['--corpus', fixture, 'list', '--sort', 'date'])
        .stdout.split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(['hypernetworks-continual', 'graph-networks-molecules', 'quoting-test', '']);
    expect(spawn(['--corpus', fixture, 'list', '--sort', 'title', '--reverse', '--limit', '1']).stdout).toBe(
      'hypernetworks-continual\tHypernetworks for Continual Learning\tMar 30\t\n',
    );
    expect(spawn(['list', '--has-code']).stdout.trimEnd().split('\n')).toHaveLength(19);
  });

  it('list | head -1 ends quietly, even when the reader goes away long before the end', async () => {
    const corpus = join(tempDir(), 'big.yaml');
    const papers = Array.from({ length: 5000 }, (_, i) => ({
      id: `paper-${i}`,
      title: `Paper number ${i} about a long and winding topic, and how it goes on and on well past the point of any use`,
      date: 'Mar 1',
      source: 'big.txt',
      code: null,
      links: [],
      abstract: 'An abstract.',
    }));
    writeFileSync(corpus, serializeCorpus(papers));
    // `list` prints over half a megabyte, many times what a pipe holds: the writes after the reader has gone fail with EPIPE.
    const total = papers.reduce((sum, p) => sum + Buffer.byteLength(`${p.id}\t${p.title}\t${p.date}\t\n`), 0);
    expect(total).toBeGreaterThan(8 * 65_536);
    const child = spawnAsync(BIN, ['--corpus', corpus, 'list'], { env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR } });
    let stderr = '';
    let first = '';
    let received = 0;
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.once('data', (d: Buffer) => {
      received = d.length;
      first = d.toString().split('\n')[0]!;
      child.stdout.destroy(); // read the first line and go, like head -1
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])));
    expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
    expect(first).toBe('paper-0\tPaper number 0 about a long and winding topic, and how it goes on and on well past the point of any use\tMar 1\t');
    expect(received).toBeLessThan(total / 4);
  });

  it('show prints one paper in full, by id or unique prefix', () => {
    const full = spawn(['show', 'hopfield-networks-all-you-need']);
    expect(full.code).toBe(0);
    expect(full.stdout.split('\n').slice(0, 6)).toEqual([
      'Hopfield Networks is All You Need',
      'id      hopfield-networks-all-you-need',
      'date    Mar 11',
      'source  000_3cc0b8f600d97439.txt',
      'code    https://github.com/ml-jku/hopfield-layers',
      '',
    ]);
    expect(full.stdout).toContain('We introduce a modern Hopfield network');
    expect(spawn(['show', 'hopfield']).stdout).toBe(full.stdout);
  });

  it('show of an unknown id exits 1 and suggests close ids', () => {
    expect(spawn(['show', 'hopfeld-networks'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'papers: no paper with id `hopfeld-networks`; did you mean hopfield-networks-all-you-need?\n',
    });
  });

  it('show of an ambiguous prefix is a usage error', () => {
    const result = spawn(['show', 're']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'papers: `re` is the start of 3 ids (re-assessing-imagenet-how, re-labeling-imagenet-single, rethinking-supervised-pre); type more of it\n',
    );
  });

  it('show --format json and tsv', () => {
    expect(JSON.parse(spawn(['--corpus', fixture, 'show', 'quoting-test', '--format', 'json']).stdout).abstract).toBe(
      'First line, with a comma.\nSecond line with "quotes".',
    );
    expect(spawn(['--corpus', fixture, 'show', 'quoting-test', '--format', 'tsv']).stdout).toBe(
      'quoting-test\tCommas, "quotes" and =formulas\t\tApr 3\t\t\thand-written\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\t\tFirst line, with a comma. Second line with "quotes".\n',
    );
  });

  it('search | cut -f1 | xargs papers show works as a pipeline', () => {
    const out = execFileSync('sh', ['-c', `"${BIN}" search gnn -n 1 | cut -f1 | xargs -n1 "${BIN}" show`], { encoding: 'utf8' });
    expect(out.split('\n')[0]).toBe('Auto-GNN: Neural Architecture Search of Graph Neural Networks');
  });

  it('export csv is RFC 4180 and filtered by --query, --has-code and --fields', () => {
    const result = spawn(['export', '--format', 'csv', '--query', 'hypernetwork', '--fields', 'id,title,code']);
    expect(result.code).toBe(0);
    const rows = parseCsv(result.stdout, { columns: true }) as Record<string, string>[];
    expect(Object.keys(rows[0]!)).toEqual(['id', 'title', 'code']);
    expect(rows[0]!.id).toBe('magnitude-invariant');
    const withCode = JSON.parse(spawn(['export', '--has-code']).stdout) as { code: string }[];
    expect(withCode).toHaveLength(19);
    expect(withCode.every((p) => p.code.startsWith('https://github.com/'))).toBe(true);
  });

  it('export ndjson and yaml, and -o writes a file', () => {
    expect(spawn(['export', '--format', 'ndjson']).stdout.trimEnd().split('\n')).toHaveLength(83);
    expect(spawn(['--corpus', fixture, 'export', '--format', 'yaml', '--fields', 'id']).stdout).toBe(
      '- id: graph-networks-molecules\n- id: quoting-test\n- id: hypernetworks-continual\n',
    );
    const out = join(tempDir(), 'out.json');
    const result = spawn(['--corpus', fixture, 'export', '-o', out]);
    expect(result).toEqual({ code: 0, stdout: '', stderr: `wrote 3 papers to ${out}\n` });
    expect(JSON.parse(readFileSync(out, 'utf8'))).toHaveLength(3);
  });

  it('import grows a corpus through PAPERS_CORPUS and never duplicates', () => {
    const corpus = join(tempDir(), 'mine.yaml');
    writeFileSync(corpus, readFileSync(fixture, 'utf8'));
    const env = { PAPERS_CORPUS: corpus };
    expect(spawn(['import', join(FIXTURES, 'small-digest.txt')], { env })).toEqual({
      code: 0,
      stdout: '',
      stderr: `${corpus}: 1 added, 0 enriched, 2 already present, 5 lines of page text skipped\n`,
    });
    expect(
      spawn(['list'], { env })
        .stdout.split('\n')
        .map((l) => l.split('\t')[0]),
    ).toEqual(['graph-networks-molecules', 'quoting-test', 'hypernetworks-continual', 'layer-normalization-revisited', '']);
  });

  it('import - reads the digest from standard input', () => {
    const corpus = join(tempDir(), 'piped.yaml');
    const result = spawn(['--corpus', corpus, 'import', '-', '--source', 'apr-2.txt'], { stdin: readFileSync(join(FIXTURES, 'small-digest.txt'), 'utf8') });
    expect(result).toEqual({ code: 0, stdout: '', stderr: `${corpus}: 3 added, 0 enriched, 0 already present, 5 lines of page text skipped\n` });
    expect(loadCorpus(corpus).map((p) => p.source)).toEqual(['apr-2.txt', 'apr-2.txt', 'apr-2.txt']);
  });

  it('finds the shipped corpus from any directory', () => {
    expect(spawn(['list', '--limit', '1'], { cwd: '/' }).stdout).toBe(
      'activation-space-selectable\tActivation Space Selectable Kolmogorov-Arnold Networks\tMar 11\t\n',
    );
  });

  it('no colour or table borders in a pipe, colour when forced', () => {
    expect(spawn(['search', 'hypernetwork', '-n', '1'])).toEqual({
      code: 0,
      stderr: '',
      stdout: 'magnitude-invariant\tMagnitude Invariant Parametrizations Improve Hypernetwork Learning\t0.953\n',
    });
    expect(spawn(['--color', 'always', 'search', 'hypernetwork', '--format', 'table']).stdout).toContain('\u001b[1m\u001b[33mHypernetwork');
    expect(spawn(['search', 'hypernetwork', '--format', 'table'], { env: { FORCE_COLOR: '1' } }).stdout).toContain('\u001b[');
  });

  it('--version and --help exit 0', () => {
    const pkg = JSON.parse(readFileSync(join(FIXTURES, '..', '..', 'package.json'), 'utf8'));
    expect(spawn(['--version'])).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' });
    const help = spawn(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:\n  papers search hypernetwork');
    expect(spawn(['search', '--help']).stdout).toContain('Query syntax:');
  });

  it.each([
    [['list', '--limit', '-3'], 'papers: --limit takes a whole number of 1 or more, not `-3`'],
    [['list', '--limit', 'ten'], 'papers: --limit takes a whole number of 1 or more, not `ten`'],
    [['list', '--format', 'xml'], 'papers: unknown --format `xml`: use table, tsv, json'],
    [['list', '--sort', 'size'], 'papers: unknown --sort `size`: use id, title, date, published, upvotes, corpus'],
    [['export', '--format', 'xml'], 'papers: unknown --format `xml`: use json, ndjson, csv, yaml, bibtex, csl-json, ris, markdown'],
    [
      ['export', '--fields', 'id,colour'],
      'papers: unknown field `colour`: use id, title, authors, date, published, daily, source, key, entrytype, arxiv, doi, journal, booktitle, volume, number, pages, publisher, categories, keywords, url, pdf, code, project, links, upvotes, comments, abstract',
    ],
    [['frobnicate'], "papers: unknown command 'frobnicate' (see papers --help)"],
    [['list', '--limt', '3'], "papers: unknown option '--limt' (Did you mean --limit?) (see papers --help)"],
    [['search'], "papers: missing required argument 'query' (see papers --help)"],
    [['search', '"layer'], 'papers: unclosed quote in the query: add the closing "'],
    [['--color', 'sometimes', 'list'], 'papers: unknown --color `sometimes`: use auto, always, never'],
    [
      ['--corpus', '/nonexistent/papers.yaml', 'list'],
      'papers: /nonexistent/papers.yaml: no corpus file here; create one with `papers import FILE` or pass --corpus FILE',
    ],
    [['import', '/nonexistent/digest.txt'], 'papers: /nonexistent/digest.txt: no such file'],
    [['import', '/tmp'], 'papers: /tmp: is a directory, not a file'],
  ])('usage and input errors exit 2 with one line: %j', (args, message) => {
    expect(spawn(args)).toEqual({ code: 2, stdout: '', stderr: `${message}\n` });
  });

  it('a broken corpus names the file and line, and --debug adds the stack', () => {
    const corpus = join(tempDir(), 'broken.yaml');
    writeFileSync(corpus, 'papers:\n  - id: x\n    title: T\n');
    expect(spawn(['--corpus', corpus, 'list'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${corpus}:2: paper 1: missing required field \`abstract\`; add it\n`,
    });
    expect(spawn(['--debug', '--corpus', corpus, 'list']).stderr).toMatch(/missing required field `abstract`; add it\nInputError: .*\n\s+at /);
  });

  it('a bad digest leaves the corpus byte-identical', () => {
    const corpus = join(tempDir(), 'mine.yaml');
    writeFileSync(corpus, readFileSync(SHIPPED_CORPUS, 'utf8'));
    const digest = join(tempDir(), 'bad.txt');
    writeFileSync(digest, 'Mar 11\n\nOnly A Title\n');
    expect(spawn(['--corpus', corpus, 'import', digest])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${digest}:3: title "Only A Title" has no abstract after it; add the abstract or remove the line\n`,
    });
    expect(readFileSync(corpus, 'utf8')).toBe(readFileSync(SHIPPED_CORPUS, 'utf8'));
  });
});

describe('search quality through bin/papers', () => {
  const firstIds = (args: string[], n: number) =>
    spawn(['search', ...args])
      .stdout.trimEnd()
      .split('\n')
      .slice(0, n)
      .map((l) => l.split('\t')[0]);

  it('hypernetwrok (typo) finds the three hypernetwork papers first', () => {
    expect(firstIds(['hypernetwrok'], 3).sort()).toEqual(['brief-review-hypernetworks-deep', 'continual-learning-dependency', 'magnitude-invariant']);
  });

  it('GNN finds the graph neural network papers, including one that never writes "GNN"', () => {
    const found = firstIds(['GNN'], 7);
    expect(found[0]).toBe('auto-gnn-neural-architecture');
    expect(found).toEqual(
      expect.arrayContaining(['evaluating-deep-graph-neural', 'self-supervised-learning-graphs', 'when-pre-train-graph-neural', 'sheaf-neural-networks-graph']),
    );
  });

  it('GNN is matched as a word, not fuzzily (no GAN, no CNN); near misses after it are marked', () => {
    const result = spawn(['search', 'GNN', '--all', '--format', 'json']);
    const hits = JSON.parse(result.stdout) as { title: string; abstract: string; partial?: boolean }[];
    const full = hits.filter((hit) => !hit.partial);
    expect(full.length).toBeGreaterThanOrEqual(6);
    expect(hits.slice(0, full.length)).toEqual(full);
    for (const hit of full) expect(`${hit.title} ${hit.abstract}`).toMatch(/GNN|graph neural network/i);
    for (const hit of hits) expect(`${hit.title} ${hit.abstract}`).not.toMatch(/\b(GAN|CNN)s?\b/);
  });

  it('"layer normalization" returns the two layer-normalisation papers, title match first', () => {
    expect(spawn(['search', '"layer normalization"']).stdout).toBe(
      [
        'peri-ln-revisiting-layer\tPeri-LN: Revisiting Layer Normalization in the Transformer Architecture\t0.872',
        'mix-ln-unleashing-power-deeper\tMix-LN: Unleashing the Power of Deeper Layers by Combining Pre-LN and Post-LN\t0.287',
        '',
      ].join('\n'),
    );
  });

  it('continual learning -pretrained: the continual-learning papers that do not use pretrained models', () => {
    expect(firstIds(['continual', 'learning', '-pretrained'], 3).sort()).toEqual([
      'continual-learning-dependency',
      'continual-learning-neural',
      'tame-task-agnostic-continual',
    ]);
    const all = spawn(['search', 'continual', 'learning', '-pretrained', '--all', '--format', 'json']);
    for (const hit of JSON.parse(all.stdout) as { title: string; abstract: string }[]) {
      expect(`${hit.title} ${hit.abstract}`).not.toMatch(/pre-?trained/i);
    }
  });

  it('search --format json gives the score and the matched fields', () => {
    const [hit] = JSON.parse(spawn(['search', 'pointer', '--format', 'json', '-n', '1']).stdout);
    expect(hit).toMatchObject({ rank: 1, id: 'pointer-networks', matched: ['title', 'abstract'] });
    expect(hit.score).toBeGreaterThan(0.8);
    expect(hit.score).toBeLessThanOrEqual(1);
  });

  const NO_WORDS = 'the query has no words to search for (only punctuation or symbols)';
  const noMatch = (word: string) => `no paper has "${word}"`;
  it.each([
    ['regex characters', '.*+?^${}()[]\\', 2, NO_WORDS],
    // Most of its words match: near misses, not an error.
    ['a 500-character query', 'network '.repeat(62) + 'zz', 0, ''],
    ['emoji', '🙂 hypernetwork 🚀', 0, ''],
    ['only emoji', '🙂🚀', 2, NO_WORDS],
    ['only punctuation', '?!.,;:', 2, NO_WORDS],
    ['empty', '', 2, 'empty query: give at least one word to search for'],
    ['a lone dash', '-', 2, NO_WORDS],
    ['a lone pipe', '|', 2, '`|` needs a word on each side: a | b'],
    ['unclosed quote', '"graph', 2, 'unclosed quote in the query: add the closing "'],
    ['empty scope', 'title:', 2, 'empty field scope `title:`: write title:word'],
    ['right-to-left text', 'شبكة', 1, noMatch('شبكة')],
    ['NUL byte escape', 'graph\\x00', 1, noMatch('graph\\x00')],
  ])('never crashes on %s', (_name, query, code, message) => {
    // Found: TSV rows and nothing on stderr; not found (1) or not a query (2): one line on stderr and nothing on stdout.
    expect(spawn(['search', '--', query])).toEqual({
      code,
      stdout: code === 0 ? expect.stringMatching(/^([^\t\n]+\t[^\t\n]+\t[01]\.\d{3}\n)+$/) : '',
      stderr: code === 0 ? '' : `papers: ${message}\n`,
    });
  });
});
