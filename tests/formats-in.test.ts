import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { HtmlRenderer, Parser } from 'commonmark';
import { describe, expect, it } from 'vitest';
import { FIXTURES, spawn, tempDir } from './helpers.js';

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
