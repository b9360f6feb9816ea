// `papers import` as a user runs it on what the services publish: the format told from the content, one
// record per paper, bad input refused whole.
import { gzipSync } from 'node:zlib';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { arxivJsonl, generatePapers } from '../scripts/synthetic.js';
import { FIXTURES, spawn, tempDir } from './helpers.js';

const SOURCES = join(FIXTURES, 'sources');
const fixture = (name: string) => join(SOURCES, name);

function fresh(): string {
  return join(tempDir(), 'c.yaml');
}

describe('every format, told from its content', () => {
  it.each([
    ['hf/daily_papers.json', 3, ['tiered-sparse-autoencoders', 'when-passing-tests-not-enough', 'copy-or-compose-verbatim-reuse']],
    ['hf/paper.json', 1, ['chartprobe-do-vision-language']],
    ['arxiv/feed.xml', 3, ['towards-explainable-test-case', 'frequency-hot-jupiters-very-hot', '0']],
    [
      'jsonl/arxiv-snapshot.jsonl',
      4,
      ['calculation-prompt-diphoton', 'string-junctions-their-duals', 'scaling-sparse-attention-million', 'understanding-disentangling-beta'],
    ],
    [
      'bibtex/library.bib',
      6,
      ['attention-all-you-need', 'denoising-diffusion', 'bert-pre-training-deep', 'sparse-graph-transformers-alpha', 'moments-attention', 'deep-learning'],
    ],
    ['papers/export.json', 2, ['scaling-sparse-attention', 'yes']],
    ['papers/export.ndjson', 2, ['scaling-sparse-attention', 'yes']],
    ['papers/export.yaml', 2, ['scaling-sparse-attention', 'yes']],
  ])('%s', (name, count, ids) => {
    const corpus = fresh();
    // The content decides, not the name: copied under a name that says nothing.
    const copy = join(corpus, '..', 'input');
    copyFileSync(fixture(name), copy);
    const result = spawn(['--corpus', corpus, 'import', copy]);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(new RegExp(`^${corpus}: ${count} added, 0 enriched, 0 already present`));
    expect(loadCorpus(corpus).map((p) => p.id)).toEqual(ids);
  });

  it('a gzipped arXiv JSON Lines file, and standard input', () => {
    const dir = tempDir();
    const corpus = join(dir, 'c.yaml');
    writeFileSync(join(dir, 'a.jsonl.gz'), gzipSync(readFileSync(fixture('jsonl/arxiv-snapshot.jsonl'))));
    expect(spawn(['--corpus', corpus, 'import', join(dir, 'a.jsonl.gz')]).stderr).toBe(
      `${corpus}: 4 added, 0 enriched, 0 already present, 1 repeat in the input ignored\n`,
    );
    const other = join(dir, 'd.yaml');
    const piped = spawn(['--corpus', other, 'import', '-'], { stdin: readFileSync(fixture('hf/daily_papers.json'), 'utf8') });
    expect(piped.stderr).toBe(`${other}: 3 added, 0 enriched, 0 already present\n`);
    expect(new Set(loadCorpus(other).map((p) => p.source))).toEqual(new Set(['stdin']));
  });

  it('the fields a service gives arrive in the corpus', () => {
    const corpus = fresh();
    spawn(['--corpus', corpus, 'import', fixture('arxiv/feed.xml')]);
    const [paper] = loadCorpus(corpus);
    expect(paper).toMatchObject({ arxiv: '2405.13786', source: 'feed.xml' });
    expect(paper!.authors!.length).toBeGreaterThan(0);
    expect(paper!.published).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('--from forces a format', () => {
    const corpus = fresh();
    const result = spawn(['--corpus', corpus, 'import', '--from', 'digest', fixture('hf/paper.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^papers: .*paper\.json:\d+: /);
  });
});

describe('one paper, one record, across formats', () => {
  it('the same paper from a richer source is enriched, never duplicated, and hand edits win', () => {
    const corpus = fresh();
    spawn(['--corpus', corpus, 'import', fixture('hf/daily_papers.json')]);
    // Edited by hand: a title of one's own, and a code link.
    const text = readFileSync(corpus, 'utf8').replace('Tiered Sparse Autoencoders: Sharing Dictionaries Across Layers', 'My Own Title');
    writeFileSync(corpus, text);
    const before = loadCorpus(corpus).find((p) => p.arxiv === '2410.17243')!;
    // The same papers as arXiv's JSON Lines records: matched by arXiv id, so the new title does not matter.
    const dir = join(corpus, '..');
    const lines = readFileSync(fixture('hf/daily_papers.json'), 'utf8');
    const papers = (JSON.parse(lines) as { paper: { id: string; title: string; summary: string } }[]).map((item) =>
      JSON.stringify({
        id: item.paper.id,
        title: item.paper.title,
        abstract: item.paper.summary,
        categories: 'cs.LG',
        doi: `10.1000/x.${item.paper.id}`,
        versions: [{ version: 'v1', created: 'Mon, 21 Oct 2024 10:00:00 GMT' }],
        authors_parsed: [['Doe', 'Jane', '']],
      }),
    );
    writeFileSync(join(dir, 'more.jsonl'), `${papers.join('\n')}\n`);
    const result = spawn(['--corpus', corpus, 'import', join(dir, 'more.jsonl')]);
    expect(result.stderr).toBe(`${corpus}: 0 added, 3 enriched, 0 already present\n`);
    const after = loadCorpus(corpus).find((p) => p.arxiv === '2410.17243')!;
    expect(after.id).toBe(before.id);
    expect(after.title).toBe('My Own Title');
    expect(after.authors).toEqual(before.authors);
    expect(after.categories).toEqual(['cs.LG']);
    expect(after.doi).toBe('10.1000/x.2410.17243');
    expect(spawn(['--corpus', corpus, 'import', join(dir, 'more.jsonl')]).stderr).toBe(`${corpus}: 0 added, 0 enriched, 3 already present\n`);
  });

  it('--dry-run prints what would be added and enriched and writes nothing', () => {
    const corpus = fresh();
    spawn(['--corpus', corpus, 'import', fixture('hf/paper.json')]);
    const before = readFileSync(corpus, 'utf8');
    const result = spawn(['--corpus', corpus, 'import', '--dry-run', fixture('hf/daily_papers.json')]);
    expect(result.stdout).toBe(
      [
        'added\ttiered-sparse-autoencoders\tTiered Sparse Autoencoders: Sharing Dictionaries Across Layers',
        'added\twhen-passing-tests-not-enough\tWhen Passing Tests Is Not Enough: Auditing Code Agent Patches',
        'added\tcopy-or-compose-verbatim-reuse\tCopy or Compose? Verbatim Reuse in Retrieval-Augmented Generation',
        '',
      ].join('\n'),
    );
    expect(result.stderr).toBe(`dry run, ${corpus} unchanged: would import 3 added, 0 enriched, 0 already present\n`);
    expect(readFileSync(corpus, 'utf8')).toBe(before);
  });
});

describe('export, then import elsewhere: the same papers', () => {
  it.each([['json'], ['ndjson'], ['yaml']])('%s', (format) => {
    const dir = tempDir();
    const rich = join(FIXTURES, 'rich.yaml');
    const exported = spawn(['--corpus', rich, 'export', '--format', format]).stdout;
    writeFileSync(join(dir, `e.${format}`), exported);
    const corpus = join(dir, 'c.yaml');
    expect(spawn(['--corpus', corpus, 'import', join(dir, `e.${format}`)]).code).toBe(0);
    expect(loadCorpus(corpus)).toEqual(loadCorpus(rich));
  });
});

describe('bad input: one line, exit 2, the corpus unchanged', () => {
  function refused(name: string, content: string | Buffer, message: RegExp | string): void {
    const dir = tempDir();
    const corpus = join(dir, 'c.yaml');
    spawn(['--corpus', corpus, 'import', fixture('hf/paper.json')]);
    const before = readFileSync(corpus, 'utf8');
    const file = join(dir, name);
    writeFileSync(file, content);
    const result = spawn(['--corpus', corpus, 'import', file]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    if (typeof message === 'string') expect(result.stderr).toBe(`papers: ${file}${message}\n`);
    else expect(result.stderr).toMatch(message);
    expect(result.stderr.split('\n')).toHaveLength(2);
    expect(readFileSync(corpus, 'utf8')).toBe(before);
  }

  it('truncated JSON', () => refused('t.json', readFileSync(fixture('hf/truncated.json')), /^papers: .*t\.json:\d+: the JSON ends before it is complete/));
  it('JSON of another shape: the API error', () =>
    refused('e.json', '{"error": "Invalid date"}', ': the Hugging Face API answered with an error: Invalid date'));
  it("an Atom error feed, with arXiv's message", () =>
    refused('e.xml', readFileSync(fixture('arxiv/error.xml')), ': arXiv answered with an error: incorrect id format for abc'));
  it('XML that is not an arXiv feed', () => refused('r.xml', readFileSync(fixture('arxiv/rss.xml')), /not an Atom feed: its root element is <rss>/));
  it('a .bib with a syntax error', () =>
    refused('x.bib', '@article{a,\n  title = {A},\n  abstract = {B\n}\n@misc{b, title={C}}\n', /^papers: .*x\.bib:\d+: invalid BibTeX/));
  it('a record without an abstract', () => refused('n.json', JSON.stringify([{ paper: { id: '2410.00001', title: 'No Abstract', authors: [] } }]), /item 1/));
  it('a JSON Lines file whose line 7 is broken: nothing imported', () => {
    const lines = arxivJsonl(generatePapers(10, { seed: 7 })).split('\n');
    lines[6] = lines[6]!.slice(0, 40);
    refused('a.jsonl', lines.join('\n'), /^papers: .*a\.jsonl:7: /);
  });

  it('an empty feed or list imports nothing and says so, exit 0', () => {
    const corpus = fresh();
    for (const name of ['hf/empty.json', 'arxiv/empty.xml']) {
      expect(spawn(['--corpus', corpus, 'import', fixture(name)])).toEqual({
        code: 0,
        stdout: '',
        stderr: `${corpus}: 0 added, 0 enriched, 0 already present (the input has no papers)\n`,
      });
    }
  });

  it.each([
    ['arxiv: 2410.17243v2', /`arxiv` `2410\.17243v2` must be an arXiv id without version/],
    ['published: 24-10-22', /`published` `24-10-22` must be a date written YYYY-MM-DD/],
  ])('a corpus YAML with %s is refused with its line', (line, message) => {
    const dir = tempDir();
    const corpus = join(dir, 'c.yaml');
    writeFileSync(corpus, `papers:\n  - id: a\n    title: A\n    abstract: B\n    ${line}\n`);
    const result = spawn(['--corpus', corpus, 'import', fixture('hf/paper.json')]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^papers: ${corpus}:5: paper 1: ${message.source}`));
  });
});
