import fc from 'fast-check';
import { parse as parseCsv } from 'csv-parse/sync';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { PAPER_FIELDS, type Paper } from '../src/corpus/paper.js';
import { parseCarefully, parseCorpus, serializeCorpus } from '../src/corpus/store.js';
import { parseDigest } from '../src/sources/digest.js';
import { InputError } from '../src/base/errors.js';
import { renderExport } from '../src/render/export.js';

// Any Unicode text, control characters and escape sequences included (lone surrogates cannot be
// stored in a UTF-8 file, so they are not "text").
const text = fc.string({ unit: 'grapheme', maxLength: 80 });
const withControls = fc.oneof(text, fc.stringMatching(/^[\x00-\x1f\x7f-\x9f\u001b\[a-z0-9 ]{0,40}$/));
const nonBlank = withControls.filter((s) => s.trim() !== '');

const paper = fc.record({
  id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
  title: nonBlank,
  abstract: nonBlank,
  date: fc.option(
    text.filter((s) => s.trim() !== ''),
    { nil: null },
  ),
  source: text,
  links: fc.array(fc.webUrl(), { maxLength: 3 }),
  code: fc.option(fc.webUrl(), { nil: null }),
});
const papers = fc.uniqueArray(paper, { selector: (p) => p.id, maxLength: 8 });

describe('properties', () => {
  it('the digest parser returns papers or a clear InputError, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string({ unit: 'grapheme', maxLength: 400 }),
          fc.array(fc.oneof(text, fc.constantFrom('', 'Mar 11', 'new', 'Subscribe')), { maxLength: 12 }).map((l) => l.join('\n')),
        ),
        (input) => {
          try {
            const digest = parseDigest(input, 'd.txt');
            expect(digest.papers.length).toBeGreaterThan(0);
          } catch (error) {
            expect(error).toBeInstanceOf(InputError);
            expect((error as Error).message).toMatch(/^d\.txt(:\d+)?: \S/);
          }
        },
      ),
      { numRuns: 500 },
    );
  });

  it('JSON and NDJSON exports round-trip any titles and abstracts', () => {
    fc.assert(
      fc.property(papers, (list: Paper[]) => {
        expect(JSON.parse(renderExport(list, 'json'))).toEqual(list.map(ordered));
        const lines = renderExport(list, 'ndjson').split('\n').filter(Boolean);
        expect(lines.map((l) => JSON.parse(l))).toEqual(list.map(ordered));
        expect(renderExport(list, 'json')).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
      { numRuns: 300 },
    );
  });

  it('CSV export round-trips through a real CSV parser', () => {
    fc.assert(
      fc.property(papers, (list: Paper[]) => {
        const rows = parseCsv(renderExport(list, 'csv', ['id', 'title', 'abstract'], false), { columns: true, bom: false }) as Record<string, string>[];
        expect(rows).toEqual(list.map((p) => ({ id: p.id, title: p.title, abstract: p.abstract })));
      }),
      { numRuns: 300 },
    );
  });

  it('YAML export round-trips, with no raw control characters', () => {
    fc.assert(
      fc.property(papers, (list: Paper[]) => {
        const yaml = renderExport(list, 'yaml');
        expect(parseYaml(yaml)).toEqual(list.map(ordered));
        expect(yaml).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
      }),
      { numRuns: 300 },
    );
  });

  it('saving a corpus and loading it returns the same papers, by both parsers', () => {
    fc.assert(
      fc.property(papers, (list: Paper[]) => {
        const yaml = serializeCorpus(list);
        expect(parseCorpus(yaml, 'c.yaml')).toEqual(list);
        expect(parseCarefully(yaml, 'c.yaml')).toEqual(list);
      }),
      { numRuns: 300 },
    );
  });
});

/** What an export writes for a paper: every field in the corpus's order, those it lacks as null. */
function ordered(p: Paper) {
  return Object.fromEntries(PAPER_FIELDS.map((field) => [field, p[field] ?? null]));
}
