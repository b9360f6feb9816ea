import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { load as loadJsYaml } from 'js-yaml';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { findPaper } from '../src/corpus/ids.js';
import { mergePapers } from '../src/corpus/merge.js';
import type { Paper } from '../src/corpus/paper.js';
import { loadCorpus, parseCarefully, parseCorpus, parseValidQuickly, serializeCorpus } from '../src/corpus/store.js';
import { paperItems, safeYaml } from '../src/corpus/yaml.js';
import { memoryView } from '../src/index/memory.js';
import { tempDir } from './helpers.js';

// Plain scalars that some YAML 1.1 or 1.2 reader takes for something other than that text.
const TRICKY = [
  ...['0b11', '0B11', '0x1F', '0x1f', '0o17', '017', '+12', '-0', '0', '123', '1_000', '0b1_0', '0x_1F', '0b_', '+_1', '0_x1', '190:20:30', '12:30', '-12:30'],
  ...['1e3', '1E-3', '+1.5e+3', '3.0', '1.', '.5', '.5e3', '1.2.3', '.', '+.', '-.', '1_000.5', '190:20:30.15', '.inf', '-.Inf', '+.INF', '.nan', '.NaN'],
  ...['yes', 'Yes', 'YES', 'no', 'No', 'NO', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'y', 'Y', 'n', 'N', 'true', 'True', 'FALSE'],
  ...[
    '2024-03-11',
    '2024-3-1',
    '2001-12-14t21:59:43.10-05:00',
    '2001-12-14 21:59:43.10 -5',
    '2001-12-15T02:59:43.1Z',
    '2002-12-14 1:02:03',
    '2001-12-14 21:59:43.10 +0530',
  ],
  ...['=', '<<'],
];
const NULLS = ['~', 'null', 'Null', 'NULL', ''];
// Tricky too (Psych reads 1,000 as 1000), but a comma would split an item of a flow list.
const TRICKY_IN_BLOCK = ['1,000', '-1,000.5'];
// Text that looks like the above but is text to every reader, so it stays unquoted.
const PLAIN = ['Mar 11', '11 March 2024', 'v1.2', '3D', '0b', '0x', '1:60', '_', '__init__', 'a,b', '2024-03-11 notes', 'yes please', 'nullable', 'off-policy'];
// Text that only looks like an anchor, alias or merge key, also where a long line folds.
const LOOKALIKE = [
  'R&D',
  'a, &b',
  'a, *b*',
  'x: *y',
  '*bold* claim',
  '&amp;',
  '- *a',
  '<<: x',
  'a << b: c',
  '? <<',
  `${'word '.repeat(18)}*emphasis* and &refs`,
];

const paper = (fields: Partial<Paper>, i = 0): Paper => ({ id: `p${i}`, title: 'T', abstract: 'A', date: null, source: '', links: [], code: null, ...fields });
const yamlPaper = (fields: Record<string, string>) => Object.entries(fields).map(([k, v], i) => `${i ? '   ' : '  -'} ${k}:${v === '' ? '' : ` ${v}`}\n`);
const corpusText = (...papers: Record<string, string>[]) => `papers:\n${papers.flatMap(yamlPaper).join('')}`;

/** Both parsers: the fast one must take the file and agree with the careful one. */
function readBoth(text: string): Paper[] {
  const careful = parseCarefully(text, 'c.yaml');
  expect(parseValidQuickly(text)).toEqual(careful);
  return careful;
}

describe('corpus YAML types: text fields are read as the text written', () => {
  it.each(TRICKY)('reads a hand-written plain `%s` as that text in every text field, by both parsers', (token) => {
    const [read] = readBoth(corpusText({ id: 'a', title: token, date: token, source: token, code: token, links: `[${token}]`, abstract: token }));
    expect(read).toEqual({ id: 'a', title: token, date: token, source: token, code: token, links: [token], abstract: token });
  });

  it.each(NULLS)('reads `%s` as no value in date and code, by both parsers', (token) => {
    expect(readBoth(corpusText({ id: 'a', title: 'T', date: token, code: token, abstract: 'A' }))).toEqual([paper({ id: 'a', source: '' })]);
  });

  it('keeps a quoted "null" as text, and refuses an unquoted null title as missing', () => {
    expect(readBoth(corpusText({ id: 'a', title: '"null"', date: "'~'", abstract: 'A' }))).toEqual([paper({ id: 'a', title: 'null', date: '~' })]);
    expect(() => parseCorpus(corpusText({ id: 'a', title: 'null', abstract: 'A' }), 'c.yaml')).toThrow(
      'c.yaml:2: paper 1: missing required field `title`; add it',
    );
  });

  it('accepts numbers written by hand as the exact text written, and never converts a base or a date', () => {
    const text = corpusText({ id: '123', title: 'T', date: '2024', source: '7', code: '1.50', abstract: 'A' }, { id: '0x1f', title: 'U', abstract: 'B' });
    expect(readBoth(text).map((p) => [p.id, p.date, p.source, p.code])).toEqual([
      ['123', '2024', '7', '1.50'],
      ['0x1f', null, '', null],
    ]);
    expect(() => parseCorpus(corpusText({ id: '0x1F', title: 'T', abstract: 'A' }), 'c.yaml')).toThrow(
      'c.yaml:2: paper 1: id `0x1F` must be lower-case letters, digits and dashes',
    );
  });

  it('reads explicit tags as the text written, never as a date', () => {
    const text = corpusText({ id: '!!str 12', title: '!!int 3', date: '!!timestamp 2024-03-11', code: '!!bool yes', abstract: '!!str A' });
    expect(parseCorpus(text, 'c.yaml')).toEqual([paper({ id: '12', title: '3', date: '2024-03-11', code: 'yes' })]);
  });

  it('finds the paper titled 0B11 by its id 0b11 after saving and loading', async () => {
    const { papers } = mergePapers([], [{ title: '0B11', abstract: 'A', date: null, source: 'd.txt', links: [], code: null }]);
    expect(papers[0]!.id).toBe('0b11');
    const path = join(tempDir(), 'papers.yaml');
    writeFileSync(path, serializeCorpus(papers));
    expect(loadCorpus(path)).toEqual(papers);
    expect((await findPaper(memoryView(loadCorpus(path)), '0b11')).id).toBe('0b11');
  });
});

describe('corpus YAML merge keys', () => {
  const base = { id: 'a', title: 'T', abstract: 'A' };
  it.each([
    ['in a paper', corpusText(base, { '<<': '{ date: Mar 11 }', id: 'b', title: 'U', abstract: 'B' }), 5],
    ['from an anchor', `defaults: &d { source: x }\n${corpusText(base, { id: 'b', '<<': '*d', title: 'U', abstract: 'B' })}`, 7],
    ['at the top', `<<: { x: 1 }\n${corpusText(base)}`, 1],
    ['in a flow mapping', 'papers: [{ id: a, title: T, abstract: A, <<: { date: Mar 11 } }]\n', 1],
  ])('refuses a merge key %s, naming the file and line', (_name, text, line) => {
    expect(() => parseCorpus(text, 'c.yaml')).toThrow(`c.yaml:${line}: merge keys (\`<<\`) are not allowed in a corpus; write the fields out in each paper`);
  });

  it('takes a quoted "<<" as the unknown field it is', () => {
    expect(() => parseCorpus(corpusText({ ...base, '"<<"': 'x' }), 'c.yaml')).toThrow('c.yaml:5: paper 1: unknown field `<<`');
  });
});

describe('corpus YAML writer', () => {
  it.each([...TRICKY, ...TRICKY_IN_BLOCK, ...NULLS])('quotes `%s`, so YAML 1.1 and 1.2 readers all read it back as that text', (token) => {
    const text = serializeCorpus([paper({ title: token || 'T', date: token, source: token, code: token, links: [token], abstract: token || 'A' })]);
    expect(text).toContain(`    date: ${JSON.stringify(token)}\n`);
    readBoth(text);
    for (const read of [parseYaml(text), parseYaml(text, { version: '1.1' }), loadJsYaml(text)] as { papers: Paper[] }[]) {
      expect(read.papers[0]).toMatchObject({ date: token, source: token, code: token, links: [token] });
    }
  });

  it.each(PLAIN)('leaves `%s` unquoted', (token) => {
    expect(serializeCorpus([paper({ date: token })])).toContain(`    date: ${token}\n`);
  });

  it.each(LOOKALIKE)('writes `%s` so that it loads on the fast path', (token) => {
    const papers = [paper({ title: token, date: token, source: token, code: token, links: [token], abstract: `${token} ${token}\n${token}` })];
    expect(parseValidQuickly(serializeCorpus(papers))).toEqual(papers);
  });

  it('writes a corpus with ISO dates that loads on the fast path', () => {
    const papers = Array.from({ length: 20 }, (_, i) => paper({ date: `2024-03-${String(i + 1).padStart(2, '0')}`, title: TRICKY[i]! }, i));
    const text = serializeCorpus(papers);
    expect(parseValidQuickly(text)).toEqual(papers);
    expect(parseCarefully(text, 'c.yaml')).toEqual(papers);
  });

  const python = spawnSync('python3', ['-c', 'import yaml'], { encoding: 'utf8' });
  it.skipIf(python.status !== 0)('writes a file that PyYAML (YAML 1.1) reads back as the same text', () => {
    const papers = [...TRICKY, ...TRICKY_IN_BLOCK, ...NULLS].map((t, i) =>
      paper({ title: t || 'T', date: t, source: t, code: t, links: [t], abstract: t || 'A' }, i),
    );
    const script = 'import sys, yaml, json; print(json.dumps(yaml.safe_load(sys.stdin.read())))';
    const read = spawnSync('python3', ['-c', script], { input: serializeCorpus(papers), encoding: 'utf8' });
    expect(read.stderr).toBe('');
    expect(JSON.parse(read.stdout).papers).toEqual(papers);
  });
});

describe('corpus YAML properties', () => {
  const scalar = fc.oneof(fc.constantFrom(...TRICKY, ...TRICKY_IN_BLOCK, ...NULLS, ...PLAIN, ...LOOKALIKE), fc.string({ unit: 'grapheme', maxLength: 30 }));
  const nonBlank = scalar.filter((s) => s.trim() !== '');
  const papers = fc.uniqueArray(
    fc.record({
      id: fc.oneof(fc.constantFrom('0b11', '0x1f', '123', '017', '1e3', '2024-03-11', 'y', 'on'), fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/)),
      title: nonBlank,
      abstract: nonBlank,
      date: fc.option(nonBlank, { nil: null }),
      source: scalar,
      links: fc.array(scalar, { maxLength: 2 }),
      code: fc.option(scalar, { nil: null }),
    }),
    { selector: (p) => p.id, maxLength: 6 },
  );

  it('any papers, saved, load unchanged on the fast path and the careful one', () => {
    fc.assert(
      fc.property(papers, (list: Paper[]) => {
        const text = serializeCorpus(list);
        expect(parseValidQuickly(text)).toEqual(list);
        expect(parseCarefully(text, 'c.yaml')).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });

  it('writes each paper exactly as the yaml package writes the whole document, whatever its text', () => {
    // Text made of what YAML gives a meaning to, long enough to fold, with line breaks, escapes and controls.
    const awkward = fc
      .array(
        fc.constantFrom(
          'a',
          'b',
          'word',
          ' ',
          ' ',
          '  ',
          '\n',
          '\n\n',
          '\t',
          ':',
          ': ',
          ' #',
          '#',
          '-',
          '- ',
          '?',
          '"',
          "'",
          '|',
          '>',
          '%',
          '@',
          '`',
          '{',
          '}',
          '[',
          ']',
          ',',
          '&',
          '*',
          '!',
          '\\',
          'é',
          '日本',
          '\u007f',
          '\u0085',
          '\u2028',
          '\u0000',
          '\u001b',
          '...',
          '---',
          '0',
          '12',
          'x'.repeat(120),
        ),
        { maxLength: 120 },
      )
      .map((parts) => parts.join(''));
    const text = fc.oneof(scalar, awkward, fc.lorem({ maxCount: 60 }));
    const record = fc.record(
      {
        id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,12}$/),
        title: text,
        authors: fc.array(text, { maxLength: 3 }),
        date: fc.option(text, { nil: null }),
        published: fc.constantFrom('2024-03-11', '2015-01-01'),
        arxiv: fc.constantFrom('1501.10000', '2410.17243', 'hep-th/9901001'),
        links: fc.array(text, { maxLength: 2 }),
        code: fc.option(text, { nil: null }),
        upvotes: fc.nat(),
        abstract: text,
      },
      { requiredKeys: ['id', 'title', 'links', 'abstract'] },
    );
    const layout = { lineWidth: 100, minContentWidth: 40 };
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 4 }), (records) => {
        expect(paperItems(records, layout)).toBe(safeYaml({ papers: records }, layout).replace(/^papers:\n/, ''));
      }),
      { numRuns: 2000 },
    );
  });

  it('a hand-written file reads the same on both paths, whatever plain scalars it holds', () => {
    // Mostly valid papers, so that the two parsers have something to disagree on; now and then a null or a number id.
    const any = fc.constantFrom(...TRICKY, ...TRICKY_IN_BLOCK, ...NULLS, ...PLAIN);
    const text = fc.oneof({ arbitrary: fc.constantFrom(...TRICKY, ...TRICKY_IN_BLOCK, ...PLAIN), weight: 4 }, any);
    const id = fc.oneof({ arbitrary: fc.constantFrom('0b11', '0x1f', '0o17', '017', '123', '1e3', '2024-03-11', 'y', 'on', 'a'), weight: 4 }, any);
    const fields = fc.record({ id, title: text, date: any, source: any, code: any, abstract: text });
    fc.assert(
      fc.property(fc.uniqueArray(fields, { selector: (f) => f.id, minLength: 1, maxLength: 3 }), (list) => {
        const text = corpusText(...list);
        let careful: Paper[] | Error;
        try {
          careful = parseCarefully(text, 'c.yaml');
        } catch (error) {
          careful = error as Error;
        }
        const quick = parseValidQuickly(text);
        if (quick !== null) expect(quick).toEqual(careful);
      }),
      { numRuns: 500 },
    );
  });
});
