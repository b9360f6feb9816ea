import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isArxivId, type NewPaper } from '../src/corpus/paper.js';
import { InputError } from '../src/base/errors.js';
import { readHf } from '../src/sources/hf.js';
import { FIXTURES } from './helpers.js';

const fixture = (name: string) => readFileSync(join(FIXTURES, 'sources', 'hf', name), 'utf8');
const TRUNCATED = 'the JSON ends before it is complete: the file looks truncated; save the whole API response';
const WANT = 'expected the list of GET /api/daily_papers or the paper of GET /api/papers/{id}';

/** A daily_papers item as the API nests it, with only the fields a test needs. */
function daily(paper: Record<string, unknown>, listing: Record<string, unknown> = {}): Record<string, unknown> {
  return { paper: { authors: [], upvotes: 0, ...paper }, publishedAt: '2024-10-23T01:21:37.554Z', numComments: 0, ...listing };
}

describe('readHf: GET /api/daily_papers', () => {
  it('maps every item to a paper, unwrapping arXiv line breaks and keeping what the API gives', () => {
    const expected: NewPaper[] = [
      {
        title: 'Tiered Sparse Autoencoders: Sharing Dictionaries Across Layers',
        abstract:
          'Sparse autoencoders recover interpretable features from the activations of language models, but their dictionaries grow with the width of ' +
          'the model. We introduce Tiered Sparse Autoencoders, which share one small dictionary across layers and add a per-layer residual code. ' +
          'On three model families, tiered dictionaries match the reconstruction error of per-layer ones with 6x fewer features. ' +
          'Code and trained dictionaries: https://github.com/tiered-sae/tsae.',
        authors: ['Balázs Szabó', 'Zoë Lindqvist', 'Kenji Watanabe'],
        date: null,
        published: '2024-10-22',
        daily: '2024-10-23',
        source: 'daily_papers.json',
        arxiv: '2410.17243',
        url: 'https://arxiv.org/abs/2410.17243',
        pdf: 'https://arxiv.org/pdf/2410.17243',
        code: 'https://github.com/tiered-sae/tsae',
        project: 'https://tiered-sae.github.io',
        links: ['https://github.com/tiered-sae/tsae'],
        upvotes: 42,
      },
      {
        title: 'When Passing Tests Is Not Enough: Auditing Code Agent Patches',
        abstract:
          'Benchmarks for code agents reward patches that pass the tests a repository already has. We show that 31% of accepted patches on a popular ' +
          'benchmark delete or weaken an assertion, and release AssertGuard, a checker that flags such patches before they are scored ' +
          '(https://github.com/assertguard/assertguard).',
        // The Hub's `hidden` flag hides an account link, not the author.
        authors: ['Ana María Peña', 'Łukasz Nowak', 'Priya Raman'],
        date: null,
        published: '2024-10-22',
        daily: '2024-10-23',
        source: 'daily_papers.json',
        arxiv: '2410.16910',
        url: 'https://arxiv.org/abs/2410.16910',
        pdf: 'https://arxiv.org/pdf/2410.16910',
        // No githubRepo: the first GitHub repository in the abstract; no projectPage: no project.
        code: 'https://github.com/assertguard/assertguard',
        links: ['https://github.com/assertguard/assertguard'],
        upvotes: 7,
      },
      {
        title: 'Copy or Compose? Verbatim Reuse in Retrieval-Augmented Generation',
        abstract:
          'We measure how often retrieval-augmented models copy retrieved passages verbatim, ' +
          'and find copying rises with passage length but not with model size.',
        authors: ['Mehmet Öztürk'],
        date: null,
        published: '2024-10-21',
        daily: '2024-10-23',
        source: 'daily_papers.json',
        arxiv: '2410.16501',
        url: 'https://arxiv.org/abs/2410.16501',
        pdf: 'https://arxiv.org/pdf/2410.16501',
        code: null,
        links: [],
        upvotes: 0,
      },
    ];
    expect(readHf(fixture('daily_papers.json'), 'daily_papers.json')).toEqual({ papers: expected, skipped: 0, repeated: 0 });
  });

  it("dates a paper by its arXiv publication, not by the day the listing's own publishedAt names", () => {
    const { papers } = readHf(JSON.stringify([daily({ id: '2410.17243', title: 'T', summary: 'S', publishedAt: '2024-10-20T09:00:00.000Z' })]), 'x');
    expect(papers[0]!.published).toBe('2024-10-20');
  });

  it('keeps numComments out of `comments`, which is the arXiv comment line', () => {
    const { papers } = readHf(JSON.stringify([daily({ id: '2410.17243', title: 'T', summary: 'S' }, { numComments: 12 })]), 'x');
    expect(papers[0]).not.toHaveProperty('comments');
  });

  it('reads an empty day as no papers', () => {
    expect(readHf(fixture('empty.json'), 'empty.json')).toEqual({ papers: [], skipped: 0, repeated: 0 });
  });

  it('keeps the first of a paper listed twice and counts the other', () => {
    const items = [daily({ id: '2410.17243', title: 'First', summary: 'A' }), daily({ id: '2410.00001', title: 'Other', summary: 'B' })];
    items.push(daily({ id: '2410.17243', title: 'First, again', summary: 'C' }));
    const reading = readHf(JSON.stringify(items), 'x');
    expect(reading.papers.map((p) => p.title)).toEqual(['First', 'Other']);
    expect(reading.repeated).toBe(1);
  });

  it('imports a paper without an arXiv id, with no arXiv fields, and tells such papers apart by title', () => {
    const items = [daily({ id: 'not-on-arxiv', title: 'A Workshop Note', summary: 'Text.' }), daily({ title: 'a workshop note', summary: 'Again.' })];
    const reading = readHf(JSON.stringify(items), 'x');
    expect(reading.papers).toEqual([{ title: 'A Workshop Note', abstract: 'Text.', date: null, source: 'x', links: [], code: null, upvotes: 0 }]);
    expect(reading.repeated).toBe(1);
  });

  it('takes a githubRepo or projectPage only when it is an http(s) URL', () => {
    const item = daily({ id: '2410.17243', title: 'T', summary: 'See https://github.com/a/b for code.', githubRepo: 'thu-ml/Causal-Forcing', projectPage: '' });
    const [paper] = readHf(JSON.stringify([item]), 'x').papers;
    expect(paper!.code).toBe('https://github.com/a/b');
    expect(paper).not.toHaveProperty('project');
  });

  it("falls back on the listing's title and summary when the nested paper lacks them", () => {
    const item = daily({ id: '2410.17243' }, { title: 'Listing\n title', summary: 'Listing summary' });
    expect(readHf(JSON.stringify([item]), 'x').papers[0]).toMatchObject({ title: 'Listing title', abstract: 'Listing summary' });
  });
});

describe('readHf: GET /api/papers/{id}', () => {
  it('reads the one paper, whose fields are at the top level', () => {
    const expected: NewPaper = {
      title: 'ChartProbe: Do Vision-Language Models Read the Numbers?',
      abstract:
        'Vision-language models describe charts fluently but misread their numbers. We build ChartProbe, 12k questions whose answers need one exact ' +
        'value read off a chart, and show that rendering the chart at twice the resolution halves the error of every model we test.',
      authors: ['Chloé Durand', 'Tomás Herrera'],
      date: null,
      published: '2024-07-01',
      daily: '2024-07-02',
      source: 'paper.json',
      arxiv: '2407.01234',
      url: 'https://arxiv.org/abs/2407.01234',
      pdf: 'https://arxiv.org/pdf/2407.01234',
      code: 'https://github.com/chartprobe/chartprobe',
      project: 'https://chartprobe.example.org/',
      links: [],
      upvotes: 15,
    };
    expect(readHf(fixture('paper.json'), 'paper.json')).toEqual({ papers: [expected], skipped: 0, repeated: 0 });
  });
});

describe('readHf: refused input', () => {
  /** The whole message of the InputError that reading `text` throws. */
  const refuse = (text: string, name = 'papers.json'): string => {
    try {
      readHf(text, name);
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      return (error as InputError).message;
    }
    throw new Error('read without an error');
  };

  it('reports the error the API answered with', () => {
    expect(refuse(fixture('error.json'), 'error.json')).toBe('error.json: the Hugging Face API answered with an error: Invalid date');
  });

  it('says a cut-off response looks truncated, at the line where it stops', () => {
    expect(refuse(fixture('truncated.json'), 'truncated.json')).toBe(`truncated.json:103: ${TRUNCATED}`);
    expect(refuse('[{"paper": {"id": "2410.17243", "title": "Sparse')).toBe(`papers.json:1: ${TRUNCATED}`);
    expect(refuse('[')).toBe(`papers.json: ${TRUNCATED}`);
  });

  it('names the line and column of invalid JSON', () => {
    expect(refuse('[\n  {"paper": {"id": "2410.17243",}}\n]')).toBe(`papers.json:2: not valid JSON (column 33); ${WANT}`);
  });

  it('tells a saved web page from an API response', () => {
    expect(refuse('<!DOCTYPE html>\n<html lang="en">')).toBe(
      'papers.json: not JSON: the file starts with "<!DOCTYPE html>"; save the API response, not the web page',
    );
  });

  it('refuses an empty file and JSON of another shape', () => {
    expect(refuse(' \n')).toBe(`papers.json: the file is empty; ${WANT}`);
    expect(refuse('{"papers": [], "total": 0}')).toBe(`papers.json: not a Hugging Face papers API response: found an object with papers, total; ${WANT}`);
    expect(refuse('"2410.17243"')).toBe(`papers.json: not a Hugging Face papers API response: found a string; ${WANT}`);
    expect(refuse('null')).toBe(`papers.json: not a Hugging Face papers API response: found null; ${WANT}`);
  });

  it('names the item that is not a paper or lacks a title or summary', () => {
    const ok = daily({ id: '2410.17243', title: 'T', summary: 'S' });
    expect(refuse(JSON.stringify([ok, 7]))).toBe('papers.json: item 2 is a number, not a paper object');
    expect(refuse(JSON.stringify([ok, ok, daily({ id: '2410.00001', summary: 'S' })]))).toBe('papers.json: item 3 has no title');
    expect(refuse(JSON.stringify([daily({ id: '2410.00001', title: 'T', summary: ' \n ' })]))).toBe('papers.json: item 1 has no summary');
    expect(refuse('{"id": "2410.17243", "title": "T"}')).toBe('papers.json: the paper has no summary');
  });
});

describe('readHf: properties', () => {
  const newId = fc.tuple(fc.integer({ min: 15, max: 29 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 99999 }));
  const id = newId.map(([y, m, n]) => `${y}${String(m).padStart(2, '0')}.${String(n).padStart(5, '0')}`);
  const words = fc.array(fc.constantFrom('sparse', 'Attention', 'graph', 'Balázs', '—', 'x²', 'RL'), { minLength: 1, maxLength: 8 });
  const wrapped = fc.tuple(words, fc.array(fc.constantFrom(' ', '\n', '\n  ', '\t'), { minLength: 8, maxLength: 8 }));
  const text = wrapped.map(([ws, gaps]) => ws.map((w, i) => `${w}${gaps[i]}`).join(''));

  it('keeps one paper per arXiv id, counts the rest as repeated, and leaves no line breaks', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(id, text, text), { maxLength: 12 }), (rows) => {
        const items = rows.map(([arxiv, title, summary]) => daily({ id: arxiv, title, summary }));
        const { papers, repeated } = readHf(JSON.stringify(items), 'x');
        const unique = new Set(rows.map(([arxiv]) => arxiv));
        expect(papers.map((p) => p.arxiv)).toEqual([...unique]);
        expect(repeated).toBe(rows.length - unique.size);
        for (const paper of papers) {
          expect(isArxivId(paper.arxiv)).toBe(true);
          expect(paper.url).toBe(`https://arxiv.org/abs/${paper.arxiv}`);
          expect(paper.title).not.toMatch(/\s\s|\n|^\s|\s$/);
          expect(paper.abstract).not.toMatch(/\s\s|\n|^\s|\s$/);
        }
      }),
    );
  });

  it('refuses every proper prefix of a response as truncated, never as papers', () => {
    const full = fixture('daily_papers.json').trimEnd();
    fc.assert(
      fc.property(fc.integer({ min: 1, max: full.length - 1 }), (cut) => {
        expect(() => readHf(full.slice(0, cut), 'x')).toThrow(TRUNCATED);
      }),
    );
  });
});
