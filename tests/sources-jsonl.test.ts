import { spawnSync } from 'node:child_process';
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { NewPaper } from '../src/corpus/paper.js';
import { jsonlLines, readArxivJsonl, type Line } from '../src/sources/arxiv-jsonl.js';
import { decodeTex } from '../src/sources/tex.js';

const ROOT = join(import.meta.dirname, '..');
const FIXTURE = join(ROOT, 'tests', 'fixtures', 'sources', 'jsonl', 'arxiv-snapshot.jsonl');
const NAME = 'arxiv-snapshot.jsonl';

const lines = async function* (...texts: string[]) {
  for (const [index, text] of texts.entries()) yield { text, line: index + 1 };
};
const bytes = (...chunks: (string | Uint8Array)[]) => Readable.from(chunks.map((c) => (typeof c === 'string' ? Buffer.from(c) : c)));
const read = (...texts: string[]) => readArxivJsonl(lines(...texts), 'x.jsonl');
const collect = async (source: AsyncIterable<Line>) => {
  const all: string[] = [];
  for await (const { text } of source) all.push(text);
  return all;
};

const EXPECTED: NewPaper[] = [
  {
    title: 'Calculation of prompt diphoton production cross sections at Tevatron and LHC energies',
    abstract:
      'A fully differential calculation in perturbative quantum chromodynamics is presented for the production of massive photon pairs at hadron ' +
      'colliders. All next-to-leading order perturbative contributions from quark-antiquark, gluon-(anti)quark, and gluon-gluon subprocesses are ' +
      'included, as well as all-orders resummation of initial-state gluon radiation valid at next-to-next-to-leading logarithmic accuracy.',
    date: null,
    source: NAME,
    links: [],
    code: null,
    arxiv: '0704.0001',
    line: 1,
    authors: ['C. Balázs', 'E. L. Berger', 'P. M. Nadolsky', 'C. -P. Yuan'],
    published: '2007-04-02',
    doi: '10.1103/PhysRevD.76.013009',
    journal: 'Phys.Rev.D76:013009,2007',
    categories: ['hep-ph'],
    url: 'https://arxiv.org/abs/0704.0001',
    pdf: 'https://arxiv.org/pdf/0704.0001',
    comments: '37 pages, 15 figures; published version',
  },
  {
    title: 'String Junctions and Their Duals in Heterotic String Theory',
    abstract:
      "We construct string junctions in heterotic string theory as duals of the $(p,q)$ string webs of type IIB theory – the junction's " +
      'tension follows from the BPS condition.',
    date: null,
    source: NAME,
    links: [],
    code: null,
    arxiv: 'hep-th/9901001',
    line: 2,
    authors: ['Yosuke Imamura'],
    // 23:59:59 GMT on the first: the UTC day, whatever the time zone of the machine that reads it.
    published: '1999-01-01',
    doi: '10.1143/PTP.101.1155',
    journal: 'Prog.Theor.Phys. 101 (1999) 1155-1164',
    categories: ['hep-th'],
    url: 'https://arxiv.org/abs/hep-th/9901001',
    pdf: 'https://arxiv.org/pdf/hep-th/9901001',
    comments: 'LaTeX, 14 pages, 3 figures',
  },
  {
    title: 'Scaling Sparse Attention to Million-Token Contexts with Learned Routing',
    abstract:
      'Attention over long contexts is quadratic in the sequence length. We route each query to $k \\ll n$ keys with a learned router and reach ' +
      '10% lower perplexity than dense attention at a million tokens. Code is available at https://github.com/example-lab/sparse-router.',
    date: null,
    source: NAME,
    links: ['https://github.com/example-lab/sparse-router'],
    code: 'https://github.com/example-lab/sparse-router',
    arxiv: '2410.17243',
    line: 3,
    authors: ['Klaus-Robert Müller', 'José García', 'Robert Smith Jr', 'Ole Nyård'],
    published: '2024-10-22',
    categories: ['cs.LG', 'cs.AI', 'stat.ML'],
    url: 'https://arxiv.org/abs/2410.17243',
    pdf: 'https://arxiv.org/pdf/2410.17243',
    comments: 'NeurIPS 2024. 12 pages, 4 figures',
  },
  {
    title: 'Understanding disentangling in $\\beta$-VAE',
    abstract:
      'We present new intuitions and theoretical assessments of the emergence of disentangled representation in variational autoencoders. ' +
      'Taking a rate-distortion theory perspective, we show the circumstances under which representations aligned with the underlying ' +
      'generative factors of variation of data emerge when optimising the modified ELBO bound in $\\beta$-VAE.',
    date: null,
    source: NAME,
    links: [],
    // Named by the comment line, not the abstract.
    code: 'https://github.com/example/beta-vae',
    arxiv: '1804.03599',
    line: 4,
    authors: ['Christopher P. Burgess', 'Irina Higgins', 'Arka Pal'],
    published: '2018-04-10',
    // The first of the two DOIs the record lists.
    doi: '10.48550/arXiv.1804.03599',
    categories: ['stat.ML', 'cs.AI', 'cs.LG'],
    url: 'https://arxiv.org/abs/1804.03599',
    pdf: 'https://arxiv.org/pdf/1804.03599',
    comments: 'Presented at the 2017 NIPS Workshop on Learning Disentangled Representations; code: https://github.com/example/beta-vae',
  },
];

describe('decodeTex', () => {
  it.each([
    ["Bal\\'azs", 'Balázs'],
    ['K{\\"o}nig', 'König'],
    ['Fran\\c{c}ois and Fran\\c cois', 'François and François'],
    ['Espa\\~na', 'España'],
    ['Bj{\\o}rn Bj\\o rn', 'Bjørn Bjørn'],
    ['Stra\\ss e, Stra\\ss{}e, {\\ss}', 'Straße, Straße, ß'],
    ['Ny{\\aa}rd, {\\AA}ngstr{\\"o}m', 'Nyård, Ångström'],
    ["Erd\\H{o}s, Dvo\\v{r}{\\'a}k, \\L{}ukasiewicz", 'Erdős, Dvořák, Łukasiewicz'],
    ["Mart\\'{\\i}n, Mart\\'\\i n", 'Martín, Martín'],
    ["pages 10--20 --- ``quoted''", 'pages 10–20 — “quoted”'],
    ['{BERT}: \\emph{Deep} {\\em nets} \\textbf{now}', 'BERT: Deep nets now'],
    ['10\\% \\& 5\\$ \\_x \\#1', '10% & 5$ _x #1'],
    ['Fig.~1 and ~10% better', 'Fig. 1 and ~10% better'],
  ])('%s -> %s', (tex, text) => {
    expect(decodeTex(tex)).toBe(text);
  });

  it('leaves math, URLs and unknown commands as written', () => {
    expect(decodeTex('The $\\Lambda$CDM model, $x--y$ and \\(a~b\\)')).toBe('The $\\Lambda$CDM model, $x--y$ and \\(a~b\\)');
    expect(decodeTex('see https://example.org/~me/a--b and \\url{https://x.org/my\\_repo}')).toBe('see https://example.org/~me/a--b and https://x.org/my_repo');
    expect(decodeTex('as in \\cite{smith} with \\LaTeX{}')).toBe('as in \\cite{smith} with LaTeX');
    expect(decodeTex('costs $5 a month')).toBe('costs $5 a month');
    expect(decodeTex('Ölçü, already Unicode')).toBe('Ölçü, already Unicode');
  });

  it('survives hostile text: deep nesting (kept as written), commands named like Object properties', () => {
    const braces = '{'.repeat(100_000) + 'x' + '}'.repeat(100_000);
    expect(decodeTex(braces)).toBe(braces);
    const accents = "\\'".repeat(100_000) + 'a';
    expect(decodeTex(accents)).toBe(accents);
    expect(decodeTex('\\constructor \\toString{x}')).toBe('\\constructor \\toString{x}');
  });
});

describe('readArxivJsonl', () => {
  it('reads the snapshot fixture, line by line, into papers', async () => {
    const reading = await readArxivJsonl(jsonlLines(createReadStream(FIXTURE, { highWaterMark: 97 }), false), NAME);
    expect(reading.papers).toEqual(EXPECTED);
    // The last line repeats 2410.17243.
    expect(reading).toMatchObject({ skipped: 0, repeated: 1 });
  });

  it('reads the same records from a gzipped file', async () => {
    const gz = gzipSync(readFileSync(FIXTURE));
    const chunks = [gz.subarray(0, 10), gz.subarray(10, 500), gz.subarray(500)];
    const reading = await readArxivJsonl(jsonlLines(bytes(...chunks), true, NAME), NAME);
    expect(reading.papers).toEqual(EXPECTED);
  });

  it('keeps a character whole when a chunk ends inside it, drops a BOM and CRLF, and passes over blank lines, counting them', async () => {
    const text = Buffer.from('\uFEFF{"a":"Balázs"}\r\n\r\n{"b":"ø"}');
    const split = text.indexOf(Buffer.from('á')) + 1;
    const all: Line[] = [];
    for await (const line of jsonlLines(bytes(text.subarray(0, split), text.subarray(split)), false)) all.push(line);
    expect(all).toEqual([
      { text: '{"a":"Balázs"}', line: 1 },
      { text: '{"b":"ø"}', line: 3 },
    ]);
  });

  it('names the line of a broken record, and imports nothing', async () => {
    const good = readFileSync(FIXTURE, 'utf8').split('\n')[0]!;
    await expect(read(good, '', '{"id": "0704.0002", "title": "Sparsity')).rejects.toThrow(
      /^x\.jsonl:3: not valid JSON \(.+\); each line must be one arXiv metadata record$/,
    );
    await expect(read('[1, 2]')).rejects.toThrow('x.jsonl:1: expected an arXiv metadata record ({"id": ..., "title": ...}), found a list');
    await expect(read('"2401.00001"')).rejects.toThrow('x.jsonl:1: expected an arXiv metadata record ({"id": ..., "title": ...}), found a string');
    await expect(read(good, '{"title": "T", "abstract": "A"}')).rejects.toThrow(
      'x.jsonl:2: the record has no `id`; arXiv metadata records start with {"id": "2410.17243", ...}',
    );
    await expect(read('{"id": "paper-1", "title": "T", "abstract": "A"}')).rejects.toThrow('x.jsonl:1: `id` "paper-1" is not an arXiv identifier');
    await expect(read('{"id": "2401.00001", "title": "  \\n ", "abstract": "A"}')).rejects.toThrow('x.jsonl:1: record 2401.00001 has no title');
    await expect(read('{"id": "2401.00001", "title": "T"}')).rejects.toThrow('x.jsonl:1: record 2401.00001 has no abstract');
  });

  it('refuses bytes that are not UTF-8 or not gzip, naming the file', async () => {
    await expect(collect(jsonlLines(bytes('{}\n', Buffer.from([0x7b, 0xff, 0x7d, 0x0a])), false, 'x.jsonl'))).rejects.toThrow('x.jsonl:2: not UTF-8 text');
    await expect(collect(jsonlLines(bytes('{"id": 1}\n'), true, 'x.jsonl.gz'))).rejects.toThrow(
      'x.jsonl.gz: not a complete gzip file (incorrect header check)',
    );
    const long = Buffer.alloc(1024 * 1024, 0x61);
    await expect(collect(jsonlLines(bytes('{}\n', ...Array<Buffer>(17).fill(long)), false, 'x.jsonl'))).rejects.toThrow(
      'x.jsonl:2: a line longer than 16 MB: this is not JSON Lines',
    );
    const cut = gzipSync(readFileSync(FIXTURE)).subarray(0, 200);
    await expect(collect(jsonlLines(bytes(cut), true, 'x.jsonl.gz'))).rejects.toThrow('x.jsonl.gz: not a complete gzip file (unexpected end of file)');
  });

  it('takes names from the authors line when a record has no authors_parsed', async () => {
    const record = { id: '2401.00001', title: 'T', abstract: 'A', authors: 'A. One, B. Tw\\"o (Univ. X, Y) and C. Three' };
    const [paper] = (await read(JSON.stringify(record))).papers;
    expect(paper!.authors).toEqual(['A. One', 'B. Twö', 'C. Three']);
    expect(paper!.published).toBeUndefined();
  });

  it('streams: 100,000 records go through with memory bounded by the papers kept, not the file', () => {
    // A child process, so that its peak memory is this reading alone. 100,000 records of about 1.2 KB each (an
    // `authors` line that authors_parsed makes unused) cycle through 1,000 ids: 1,000 papers are kept.
    const dir = mkdtempSync(join(tmpdir(), 'papers-jsonl-'));
    try {
      const script = join(dir, 'stream.mts');
      writeFileSync(
        script,
        `import { Readable } from 'node:stream';
import { jsonlLines, readArxivJsonl } from ${JSON.stringify(join(ROOT, 'src', 'sources', 'arxiv-jsonl.ts'))};
const padding = 'A. Author, '.repeat(100);
let bytes = 0;
function* chunks() {
  let batch = '';
  for (let i = 0; i < 100_000; i++) {
    const id = '2401.' + String(i % 1000).padStart(5, '0');
    batch += JSON.stringify({ id, authors: padding, title: 'Paper ' + i, abstract: '  Abstract ' + i + '.\\n', categories: 'cs.LG',
      versions: [{ version: 'v1', created: 'Mon, 1 Jan 2024 10:00:00 GMT' }], authors_parsed: [['Author', 'A.', '']] }) + '\\n';
    if (batch.length > 1 << 20) { bytes += batch.length; yield Buffer.from(batch); batch = ''; }
  }
  bytes += batch.length;
  yield Buffer.from(batch);
}
const before = process.memoryUsage().rss;
const reading = await readArxivJsonl(jsonlLines(Readable.from(chunks()), false), 'generated.jsonl');
const peak = process.resourceUsage().maxRSS * 1024;
console.log(JSON.stringify({ papers: reading.papers.length, repeated: reading.repeated, inputMB: bytes / 2 ** 20, growthMB: (peak - before) / 2 ** 20 }));
`,
      );
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
      expect(run.stderr).toBe('');
      const result = JSON.parse(run.stdout) as { papers: number; repeated: number; inputMB: number; growthMB: number };
      expect(result).toMatchObject({ papers: 1000, repeated: 99_000 });
      expect(result.inputMB).toBeGreaterThan(120);
      // Measured: about 45 MB whether the input is 120 or 320 MB; a reader holding the text would need more than the input.
      expect(result.growthMB).toBeLessThan(90);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 30_000);
});
