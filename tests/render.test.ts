import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { PAPER_FIELDS } from '../src/corpus/paper.js';
import { renderExport } from '../src/render/export.js';
import { highlight, snippet } from '../src/render/highlight.js';
import { loadPaint } from '../src/render/paint.js';
import { fitColumns, renderTable } from '../src/render/table.js';
import { renderTsv } from '../src/render/rows.js';
import { sanitize, wantsColor } from '../src/base/terminal.js';
import { FIXTURES } from './helpers.js';

const papers = loadCorpus(join(FIXTURES, 'corpus.yaml'));

describe('export formats', () => {
  it('JSON is an array of paper objects with every field', () => {
    const parsed = JSON.parse(renderExport(papers, 'json'));
    expect(parsed).toHaveLength(3);
    expect(parsed[0]).toEqual({
      id: 'graph-networks-molecules',
      title: 'Graph Networks for Molecules',
      authors: null,
      date: 'Apr 2',
      published: null,
      daily: null,
      source: 'small-digest.txt',
      key: null,
      entrytype: null,
      arxiv: null,
      doi: null,
      journal: null,
      booktitle: null,
      volume: null,
      number: null,
      pages: null,
      publisher: null,
      categories: null,
      keywords: null,
      url: null,
      pdf: null,
      code: 'https://github.com/example/mol-gnn',
      project: null,
      links: ['https://github.com/example/mol-gnn'],
      upvotes: null,
      comments: null,
      status: null,
      marked: null,
      tags: null,
      abstract: 'We study graph neural networks (GNN) on molecules.',
    });
    expect(Object.keys(parsed[0])).toEqual([...PAPER_FIELDS]);
  });

  it('NDJSON is one object a line', () => {
    const lines = renderExport(papers, 'ndjson', ['id', 'title']).trimEnd().split('\n');
    expect(lines.map((l) => JSON.parse(l))).toEqual(papers.map((p) => ({ id: p.id, title: p.title })));
  });

  it('CSV round-trips commas, quotes and newlines through a real parser', () => {
    const csv = renderExport(papers, 'csv', ['id', 'title', 'abstract'], false);
    const rows = parseCsv(csv, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual(papers.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract })));
    expect(csv.split('\r\n')[0]).toBe('id,title,abstract');
  });

  it('CSV neutralises cells a spreadsheet would run as a formula, unless told not to', () => {
    const formula = [{ ...papers[0]!, title: '=HYPERLINK("x")' }];
    expect(parseCsv(renderExport(formula, 'csv', ['title']), { columns: true })).toEqual([{ title: `'=HYPERLINK("x")` }]);
    expect(parseCsv(renderExport(formula, 'csv', ['title'], false), { columns: true })).toEqual([{ title: '=HYPERLINK("x")' }]);
  });

  it('CSV joins links with spaces', () => {
    const rows = parseCsv(renderExport(papers, 'csv', ['links']), { columns: true }) as { links: string }[];
    expect(rows.map((r) => r.links)).toEqual(['https://github.com/example/mol-gnn', '', '']);
  });

  it('YAML parses back to the same records', () => {
    expect(parseYaml(renderExport(papers, 'yaml'))).toEqual(JSON.parse(renderExport(papers, 'json')));
  });
});

describe('terminal text', () => {
  it('shows control characters and escape sequences as visible text', () => {
    expect(sanitize('a\u001b[31mred\u0007\u009b')).toBe('a\\x1b[31mred\\x07\\x9b');
    expect(sanitize('tab\tand\nnewline stay')).toBe('tab\tand\nnewline stay');
  });

  it.each([
    ['auto', true, {}, true],
    ['auto', false, {}, false],
    ['auto', true, { NO_COLOR: '1' }, false],
    ['auto', false, { FORCE_COLOR: '1' }, true],
    ['auto', true, { FORCE_COLOR: '0' }, false],
    ['always', false, { NO_COLOR: '1' }, true],
    ['never', true, { FORCE_COLOR: '1' }, false],
  ] as const)('colour %s on tty=%s with %j: %s', (mode, tty, env, expected) => {
    expect(wantsColor(mode, tty, env)).toBe(expected);
  });

  it('TSV flattens tabs and newlines inside fields', () => {
    expect(
      renderTsv([
        ['a\tb', 'c\nd'],
        ['e', 'f'],
      ]),
    ).toBe('a b\tc d\ne\tf\n');
  });

  it('fits a table inside the width (one column spare), cutting the flexible column', async () => {
    const out = renderTable(
      [{ header: 'ID' }, { header: 'TITLE', flex: true }],
      [
        [{ text: 'x' }, { text: 'A title that is much too long to fit in the narrow space' }],
        [{ text: 'yy' }, { text: 'Short' }],
      ],
      [],
      40,
      await loadPaint(false),
    );
    expect(out).toBe(['ID  TITLE', 'x   A title that is much too long to f…', 'yy  Short', ''].join('\n'));
  });

  describe('fitColumns gives up width in the order a table asks', () => {
    // The list table: id, title, date, code; code gives way first, then the id, then the date.
    const columns = [
      { header: 'ID', max: 34 },
      { header: 'TITLE', flex: true },
      { header: 'DATE', max: 12 },
      { header: 'CODE', max: 30 },
    ];
    const steps = [
      { column: 'CODE', to: 12 },
      { column: 'CODE', drop: true as const },
      { column: 'ID', to: 24 },
      { column: 'DATE', drop: true as const },
      { column: 'ID', to: 12 },
    ];
    const natural = [32, 70, 6, 30];
    it.each([
      [250, [32, 70, 6, 30]],
      [120, [32, 45, 6, 30]],
      [80, [32, 20, 6, 15]],
      [72, [32, 29, 6, null]],
      [60, [29, 20, 6, null]],
      [48, [25, 20, null, null]],
      [40, [17, 20, null, null]],
    ])('at %i columns: %j', (width, expected) => {
      const widths = fitColumns(columns, natural, steps, width);
      expect(widths).toEqual(expected);
      const shown = widths.filter((w): w is number => w !== null);
      expect(shown.reduce((a, b) => a + b, 0) + 2 * (shown.length - 1)).toBeLessThanOrEqual(width - 1);
    });

    it('a table that fits is left as it is', () => {
      expect(fitColumns(columns, [10, 30, 6, 8], steps, 80)).toEqual([10, 30, 6, 8]);
    });
  });

  it('highlights spans and keeps text around them', async () => {
    expect(highlight('a hypernetwork b', [{ start: 2, end: 14 }], await loadPaint(true))).toBe('a \u001b[1m\u001b[33mhypernetwork\u001b[39m\u001b[22m b');
    expect(highlight('a hypernetwork b', [{ start: 2, end: 14 }], await loadPaint(false))).toBe('a hypernetwork b');
  });

  it('cuts a snippet around the matches', () => {
    const text = `${'lorem '.repeat(30)}the hypernetwork part ${'ipsum '.repeat(30)}`;
    const start = text.indexOf('hypernetwork');
    const cut = snippet(text, [{ start, end: start + 12 }], 60);
    expect(cut.text.startsWith('…')).toBe(true);
    expect(cut.text.endsWith('…')).toBe(true);
    expect(cut.text.length).toBeLessThanOrEqual(60);
    expect(cut.text.slice(cut.spans[0]!.start, cut.spans[0]!.end)).toBe('hypernetwork');
  });
});
