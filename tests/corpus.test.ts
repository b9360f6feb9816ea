import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergePapers } from '../src/corpus/merge.js';
import { loadCorpus, parseCarefully, parseCorpus, parseValidQuickly, saveCorpus, serializeCorpus } from '../src/corpus/store.js';
import { parseDigest } from '../src/sources/digest.js';
import { FIXTURES, SHIPPED_CORPUS, SHIPPED_DIGEST, tempDir } from './helpers.js';

const fixture = () => loadCorpus(join(FIXTURES, 'corpus.yaml'));

describe('corpus YAML', () => {
  it('loads the fixture corpus', () => {
    const papers = fixture();
    expect(papers.map((p) => p.id)).toEqual(['graph-networks-molecules', 'quoting-test', 'hypernetworks-continual']);
    expect(papers[1]!.abstract).toBe('First line, with a comma.\nSecond line with "quotes".');
    expect(papers[1]!.code).toBeNull();
  });

  it('saves and loads back the same papers, leaving no temporary file', () => {
    const dir = tempDir();
    const path = join(dir, 'papers.yaml');
    saveCorpus(path, fixture());
    expect(loadCorpus(path)).toEqual(fixture());
    expect(readdirSync(dir)).toEqual(['papers.yaml']);
  });

  it('ships a corpus that is exactly the committed digest, imported', () => {
    const digest = parseDigest(readFileSync(SHIPPED_DIGEST, 'utf8'), '000_3cc0b8f600d97439.txt');
    const { papers } = mergePapers([], digest.papers);
    expect(readFileSync(SHIPPED_CORPUS, 'utf8')).toBe(serializeCorpus(papers));
  });

  const valid = readFileSync(join(FIXTURES, 'corpus.yaml'), 'utf8');
  it.each([
    ['syntax error', 'papers:\n  - id: a\n    title: [unclosed\n', /^c\.yaml:\d+: invalid YAML: /],
    ['tab indentation', 'papers:\n\t- id: a\n', /^c\.yaml:2: invalid YAML: /],
    ['duplicate key', valid.replace('    date: Apr 2\n', '    date: Apr 2\n    date: Apr 3\n'), /^c\.yaml:5: invalid YAML: Map keys must be unique/],
    ['wrong type', valid.replace('title: Graph Networks for Molecules', 'title: [a, b]'), 'c.yaml:3: paper 1: `title` must be text, not a list'],
    [
      'missing field',
      valid.replace('    abstract: We study graph neural networks (GNN) on molecules.\n', ''),
      'c.yaml:2: paper 1: missing required field `abstract`; add it',
    ],
    [
      'unknown field',
      valid.replace('    date: Apr 2\n', '    date: Apr 2\n    labels: [x]\n'),
      'c.yaml:5: paper 1: unknown field `labels` (fields are id, title, authors, date, published, daily, source, key, entrytype, arxiv, doi, journal, booktitle, volume, number, pages, publisher, categories, keywords, url, pdf, code, project, links, upvotes, comments, status, marked, tags, abstract)',
    ],
    [
      'duplicate id',
      valid.replace('id: quoting-test', 'id: graph-networks-molecules'),
      'c.yaml:10: paper 2: id `graph-networks-molecules` is already used by paper 1; ids must be unique',
    ],
    ['not a list', 'papers: 3\n', 'c.yaml:1: `papers:` must be a list of papers (items starting with "- ")'],
    ['no papers key', '- id: a\n', 'c.yaml:1: expected a mapping with a `papers:` list at the top'],
    ['alias bomb', 'a: &a [x, x]\nb: &b [*a, *a]\npapers: [*b]\n', 'c.yaml: YAML aliases (*name) are not allowed in a corpus; write the values out'],
  ])('rejects a %s with the file and line', (_name, text, message) => {
    expect(() => parseCorpus(text, 'c.yaml')).toThrow(message);
  });

  it('reads the same papers on the fast path (js-yaml) and the careful one (yaml, with lines)', () => {
    for (const path of [SHIPPED_CORPUS, join(FIXTURES, 'corpus.yaml')]) {
      const text = readFileSync(path, 'utf8');
      const quick = parseValidQuickly(text);
      expect(quick).not.toBeNull();
      expect(quick).toEqual(parseCarefully(text, path));
    }
  });

  it('reads an empty file as an empty corpus', () => {
    const path = join(tempDir(), 'empty.yaml');
    writeFileSync(path, '');
    expect(loadCorpus(path)).toEqual([]);
  });
});

describe('mergePapers', () => {
  const digest = parseDigest(readFileSync(join(FIXTURES, 'small-digest.txt'), 'utf8'), 'small-digest.txt');

  it('adds new papers with fresh ids and keeps papers already present untouched', () => {
    const corpus = fixture();
    const merge = mergePapers(corpus, digest.papers);
    expect(merge.present.map((p) => p.title)).toEqual(['Graph Networks for Molecules', 'Hypernetworks for Continual Learning']);
    expect(merge.added.map((p) => p.id)).toEqual(['layer-normalization-revisited']);
    expect(merge.papers.slice(0, 3)).toEqual(corpus);
  });

  it('never reuses a taken id: a new paper with a clashing slug gets a suffix', () => {
    const corpus = fixture().map((p, i) => (i === 0 ? { ...p, id: 'layer-normalization-revisited' } : p));
    expect(mergePapers(corpus, digest.papers).added.map((p) => p.id)).toEqual(['layer-normalization-revisited-2']);
  });
});
