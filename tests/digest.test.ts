import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDigest } from '../src/sources/digest.js';
import { codeLink, extractLinks } from '../src/corpus/links.js';
import { slugify, titleKey } from '../src/corpus/slug.js';
import { FIXTURES, SHIPPED_DIGEST } from './helpers.js';

const small = readFileSync(join(FIXTURES, 'small-digest.txt'), 'utf8');

describe('parseDigest', () => {
  it('reads title and abstract pairs after the page furniture and date line', () => {
    const digest = parseDigest(small, 'small-digest.txt');
    expect(digest.papers.map((p) => [p.title, p.date, p.line])).toEqual([
      ['Graph Networks for Molecules', 'Apr 2', 11],
      ['Layer Normalization, Revisited', 'Apr 2', 15],
      ['Hypernetworks for Continual Learning', 'Apr 2', 19],
    ]);
    expect(digest.skippedLines).toBe(5);
    expect(digest.repeated).toBe(0);
  });

  it('cleans links and finds the code repository', () => {
    const [gnn] = parseDigest(small, 'x').papers;
    expect(gnn!.links).toEqual(['https://github.com/example/mol-gnn', 'https://example.org/paper']);
    expect(gnn!.code).toBe('https://github.com/example/mol-gnn');
  });

  it('unescapes LaTeX punctuation left by the scrape, keeping every word', () => {
    const layer = parseDigest(small, 'x').papers[1]!;
    expect(layer.abstract).toBe(
      'Layer normalization stabilises "deep" transformers; we report 84.25% top-1 accuracy with Embedding&MLP heads, e.g., on ImageNet.',
    );
  });

  it('parses the shipped digest into 83 papers', () => {
    const digest = parseDigest(readFileSync(SHIPPED_DIGEST, 'utf8'), '000_3cc0b8f600d97439.txt');
    expect(digest.papers).toHaveLength(83);
    expect(digest.papers[0]!.title).toBe('Activation Space Selectable Kolmogorov-Arnold Networks');
    expect(digest.papers[82]!.title).toBe('Less is more: Summarizing Patch Tokens for efficient Multi-Label Class-Incremental Learning');
    expect(new Set(digest.papers.map((p) => p.date))).toEqual(new Set(['Mar 11']));
    const relabel = digest.papers.find((p) => p.title.startsWith('Re-labeling ImageNet'))!;
    expect(relabel.links).toEqual(['https://github.com/naver-ai/relabel_imagenet']);
    // 20 GitHub URLs in 19 abstracts (SLAB links two repositories).
    expect(digest.papers.filter((p) => p.code).length).toBe(19);
  });

  it('handles CRLF line endings and a missing final newline', () => {
    const crlf = small.replace(/\n/g, '\r\n').trimEnd();
    expect(parseDigest(crlf, 'x').papers.map((p) => p.title)).toEqual(parseDigest(small, 'x').papers.map((p) => p.title));
  });

  it('keeps the first of a paper listed twice', () => {
    const twice = `${small}\nGraph networks for molecules\n\nAnother abstract.\n`;
    const digest = parseDigest(twice, 'x');
    expect(digest.papers).toHaveLength(3);
    expect(digest.repeated).toBe(1);
  });

  it.each([
    ['', 'empty.txt: the digest is empty; save the papers page as text and import that file'],
    ['new\n\nSubscribe\n\nMar 11\n', 'only.txt: no papers found: expected title and abstract pairs after the date line'],
    [
      'Mar 11\n\nA Title\n\nAn abstract.\n\nDangling Title\n',
      'dangling.txt:7: title "Dangling Title" has no abstract after it; add the abstract or remove the line',
    ],
    ['bin\u0000ary', 'bin.dat: not a text digest (it contains NUL bytes); save the papers page as plain text'],
  ])('rejects bad digests with a message naming the file: %j', (text, message) => {
    const file = message.split(':')[0]!;
    expect(() => parseDigest(text, file)).toThrow(message);
  });

  it('refuses a paragraph where a title should be', () => {
    const text = `Mar 11\n\n${'word '.repeat(100)}\n`;
    expect(() => parseDigest(text, 'd.txt')).toThrow(/^d\.txt:3: expected a paper title but found a 499-character paragraph/);
  });
});

describe('paper fields', () => {
  it.each([
    ['Activation Space Selectable Kolmogorov-Arnold Networks', 'activation-space-selectable'],
    ['Pointer Networks', 'pointer-networks'],
    ['A Brief Review of Hypernetworks in Deep Learning', 'brief-review-hypernetworks-deep'],
    ['Ünïcödé Tïtlé — 日本語', 'unicode-title'],
    ['!!!', 'paper'],
    ['The Of And', 'the-of-and'],
    ['Pneumonoultramicroscopicsilicovolcanoconiosis in Depth', 'pneumonoultramicroscopicsilicovo'],
    ['Abcdefghij Klmnopqrst Uvwxyzabcd Efgh', 'abcdefghij-klmnopqrst-uvwxyzabcd'],
  ])('slugify(%j) = %j', (title, slug) => {
    expect(slugify(title)).toBe(slug);
  });

  it('treats titles differing in case, spacing and punctuation as one paper', () => {
    expect(titleKey('Pre-Trained Models: Past, Present')).toBe(titleKey('pre trained models past present'));
  });

  it.each([
    ['see https://github.com/a/b.', ['https://github.com/a/b']],
    ['(https://x.org/p), and https://github.com/a/b}.', ['https://x.org/p', 'https://github.com/a/b']],
    ['no links here', []],
  ])('extractLinks(%j)', (text, links) => {
    expect(extractLinks(text)).toEqual(links);
  });

  it('takes the repository from a deeper GitHub link', () => {
    expect(codeLink(['https://huggingface.co/x', 'https://github.com/org/repo/tree/master/sub'])).toBe('https://github.com/org/repo');
  });
});
