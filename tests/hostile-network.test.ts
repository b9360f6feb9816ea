// Servers and folders set up to break `pull`, `add` and `refresh`: answers that inflate without end, links and
// FIFOs planted where responses are kept, pulls that race for one name, limits longer than a timer holds, and
// values the corpus could write but not read back. Every case runs the built binary against a local server.
import { spawn as spawnChild, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import type { Transform } from 'node:stream';
import { constants as zlib, createBrotliCompress, createDeflate, createGzip } from 'node:zlib';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { PAPER_FIELDS, type Paper } from '../src/corpus/paper.js';
import { loadCorpus, parseCarefully, parseCorpus, serializeCorpus } from '../src/corpus/store.js';
import { BIN, CACHE_DIR, FIXTURES, tempDir, type Result } from './helpers.js';
import { spawnAsync } from './service.js';

const HF_DAY = readFileSync(join(FIXTURES, 'sources', 'hf', 'daily_papers.json'));
const HF_ITEMS = JSON.parse(HF_DAY.toString()) as { paper: Record<string, unknown> & { id: string; title: string } }[];
const ATOM = readFileSync(join(FIXTURES, 'sources', 'arxiv', 'feed.xml'));
const DAY = 'api/daily_papers?p=0&limit=100&date=2026-11-30';
const MB = 1024 * 1024;

interface Server {
  url: string;
  close(): Promise<void>;
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/** A local server whose handler writes the answer itself: streamed, delayed, or never ended. */
async function serve(handler: (request: IncomingMessage, response: ServerResponse) => void): Promise<Server> {
  const sockets = new Set<Socket>();
  const server = createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const url = await new Promise<string>((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)),
  );
  const handle = {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(handle);
  return handle;
}

/** Zeros without end, through `encoder` (none: as they are), as fast as the reader takes them; stops when it goes away. */
function endlessZeros(response: ServerResponse, encoder?: Transform): void {
  const zeros = Buffer.alloc(256 * 1024);
  const sink = encoder ?? response;
  if (encoder) encoder.pipe(response);
  let open = true;
  response.on('close', () => {
    open = false;
    encoder?.destroy();
  });
  const pump = () => {
    while (open && sink.write(zeros));
    if (open) sink.once('drain', pump);
  };
  pump();
}

const ENCODERS: Record<string, () => Transform> = {
  gzip: () => createGzip({ level: 1 }),
  deflate: () => createDeflate({ level: 1 }),
  br: () => createBrotliCompress({ params: { [zlib.BROTLI_PARAM_QUALITY]: 1 } }),
};

/** Runs bin/papers under /usr/bin/time: what it printed, and the most memory it held (resident, in MB). */
function spawnMeasured(args: string[], env: NodeJS.ProcessEnv): Promise<Result & { peakMb: number }> {
  const report = join(tempDir(), 'time.txt');
  return new Promise((resolve) => {
    const child = spawnChild('/usr/bin/time', ['-f', '%M', '-o', report, BIN, ...args], {
      env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR, ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end();
    child.on('close', (code) => {
      const kb = Number(readFileSync(report, 'utf8').trim().split('\n').pop());
      resolve({ stdout, stderr, code: code ?? -1, peakMb: kb / 1024 });
    });
  });
}

function corpusIn(dir: string, url: string) {
  const corpus = join(dir, 'papers.yaml');
  const env = { PAPERS_HF_ENDPOINT: url, PAPERS_ARXIV_ENDPOINT: url, PAPERS_RETRY_DELAY_MS: '20' };
  return { corpus, env, papers: (...args: string[]) => spawnAsync(['--corpus', corpus, ...args], { env }) };
}

describe('answers larger than papers reads', () => {
  const tooLarge = (url: string) => `papers: GET ${url}/${DAY}: the answer is larger than 64 MB (decoded), more than papers reads from one request\n`;

  it.each(['gzip', 'deflate', 'br', 'identity'])(
    'stops reading an endless %s body at 64 MB, in bounded memory, and keeps nothing',
    async (encoding) => {
      const hf = await serve((_request, response) => {
        const encoder = ENCODERS[encoding];
        response.writeHead(200, { 'content-type': 'application/json', ...(encoder ? { 'content-encoding': encoding } : {}) });
        endlessZeros(response, encoder?.());
      });
      const dir = tempDir();
      const { corpus, env } = corpusIn(dir, hf.url);
      const started = Date.now();
      const result = await spawnMeasured(['--corpus', corpus, 'pull', '--date', '2026-11-30'], env);
      expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 2, stdout: '', stderr: tooLarge(hf.url) });
      // 64 MB read, copied once into one buffer, beside Node's own ~60 MB: never the gigabytes the body would be.
      expect(result.peakMb).toBeLessThan(256);
      expect(Date.now() - started).toBeLessThan(15_000);
      expect(readdirSync(dir)).toEqual([]);
    },
    30_000,
  );

  it('add stops at the limit too, naming the arXiv URL', async () => {
    const arxiv = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/atom+xml' });
      endlessZeros(response);
    });
    const dir = tempDir();
    const { papers } = corpusIn(dir, arxiv.url);
    expect(await papers('add', '2410.17243')).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: GET ${arxiv.url}/api/query?search_query=&id_list=2410.17243&start=0&max_results=1: the answer is larger than 64 MB (decoded), more than papers reads from one request\n`,
    });
    expect(readdirSync(dir)).toEqual([]);
  }, 30_000);

  it('refuses a body whose Content-Length is over the limit before reading it', async () => {
    const hf = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(65 * MB) });
      response.write('[');
    });
    const dir = tempDir();
    const { papers } = corpusIn(dir, hf.url);
    expect(await papers('pull', '--date', '2026-11-30', '--max-time', '20')).toEqual({ code: 2, stdout: '', stderr: tooLarge(hf.url) });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('still reads a gzip-encoded answer under the limit', async () => {
    const hf = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(response);
      gzip.end(HF_DAY);
    });
    const dir = tempDir();
    const { papers } = corpusIn(dir, hf.url);
    expect(await papers('pull', '--date', '2026-11-30')).toEqual({
      code: 0,
      stdout: '',
      stderr: '2026-11-30: 3 papers: 3 added, 0 enriched, 0 already present\n',
    });
    expect(readFileSync(join(dir, 'sources', 'hf-2026-11-30.json'))).toEqual(HF_DAY);
  });
});

describe('what stands in sources/ is never written or read through', () => {
  const hfDay = () =>
    serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(HF_DAY);
    });

  it('passes over a link where the next response would be kept, and writes nothing where it points', async () => {
    const hf = await hfDay();
    const dir = tempDir();
    const outside = tempDir();
    mkdirSync(join(dir, 'sources'));
    // A link to a file not there yet: opening it to create would create the file it points to.
    symlinkSync(join(outside, 'planted.json'), join(dir, 'sources', 'hf-2026-11-30.json'));
    const { corpus, papers } = corpusIn(dir, hf.url);
    expect(await papers('pull', '--date', '2026-11-30')).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `papers: ${join(dir, 'sources', 'hf-2026-11-30.json')}: a symbolic link, not a kept response; left alone\n` +
        '2026-11-30: 3 papers: 3 added, 0 enriched, 0 already present\n',
    });
    expect(readdirSync(outside)).toEqual([]);
    expect(readlinkSync(join(dir, 'sources', 'hf-2026-11-30.json'))).toBe(join(outside, 'planted.json'));
    expect(readFileSync(join(dir, 'sources', 'hf-2026-11-30-2.json'))).toEqual(HF_DAY);
    expect(readdirSync(join(dir, 'sources')).sort()).toEqual(['hf-2026-11-30-2.json', 'hf-2026-11-30.json']);
    expect(new Set(loadCorpus(corpus).map((p) => p.source))).toEqual(new Set(['sources/hf-2026-11-30-2.json']));
  });

  it('does not take a link to a file outside the corpus folder for a kept response, even one holding the same bytes', async () => {
    const hf = await hfDay();
    const dir = tempDir();
    const outside = tempDir();
    writeFileSync(join(outside, 'same.json'), HF_DAY);
    const home = join(dir, 'corpus');
    mkdirSync(join(home, 'sources'), { recursive: true });
    symlinkSync(join(outside, 'same.json'), join(home, 'sources', 'hf-2026-11-30-aaaaaa.json'));
    const result = await spawnAsync(['--corpus', home, 'pull', '--date', '2026-11-30'], { env: corpusIn(dir, hf.url).env });
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr).toBe(
      `papers: ${join(home, 'sources', 'hf-2026-11-30-aaaaaa.json')}: a symbolic link, not a kept response; left alone\n` +
        '2026-11-30: 3 papers: 3 added, 0 enriched, 0 already present\n',
    );
    const kept = readdirSync(join(home, 'sources')).filter((name) => name !== 'hf-2026-11-30-aaaaaa.json');
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/^hf-2026-11-30-[a-z0-9]{6}\.json$/);
    expect(lstatSync(join(home, 'sources', kept[0]!)).isFile()).toBe(true);
    expect(readFileSync(join(outside, 'same.json'))).toEqual(HF_DAY);
  });

  it.each([
    ['a symbolic link', (sources: string, outside: string) => symlinkSync(outside, sources)],
    ['a file', (sources: string) => writeFileSync(sources, 'mine\n')],
  ])('refuses a sources/ that is %s, and imports nothing', async (kind, plant) => {
    const hf = await hfDay();
    const dir = tempDir();
    const outside = tempDir();
    const home = join(dir, 'corpus');
    mkdirSync(home);
    plant(join(home, 'sources'), outside);
    const { env } = corpusIn(dir, hf.url);
    expect(await spawnAsync(['--corpus', home, 'pull', '--date', '2026-11-30'], { env })).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${join(home, 'sources')}: ${kind}, not a folder: fetched responses are kept only in a folder inside the corpus's own, never through a link; make it a folder\n`,
    });
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(home)).toEqual(['sources']);
  });

  it('add does not write through a link where its response would be kept', async () => {
    const arxiv = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/atom+xml' });
      response.end(ATOM);
    });
    const dir = tempDir();
    const outside = tempDir();
    mkdirSync(join(dir, 'sources'));
    const name = `arxiv-${new Date().toISOString().slice(0, 10)}.xml`;
    symlinkSync(join(outside, 'planted.xml'), join(dir, 'sources', name));
    const { papers } = corpusIn(dir, arxiv.url);
    const result = await papers('add', '2405.13786', 'astro-ph/0601001', '2104.12255');
    expect(result).toMatchObject({ code: 0, stdout: '' });
    expect(result.stderr.split('\n')[0]).toBe(`papers: ${join(dir, 'sources', name)}: a symbolic link, not a kept response; left alone`);
    expect(readdirSync(outside)).toEqual([]);
    expect(readFileSync(join(dir, 'sources', name.replace('.xml', '-2.xml')))).toEqual(ATOM);
  });

  it('passes over a FIFO named as a kept response at once, instead of waiting on it', async () => {
    const hf = await hfDay();
    const dir = tempDir();
    mkdirSync(join(dir, 'sources'));
    const fifo = join(dir, 'sources', 'hf-2026-11-30.json');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const { papers } = corpusIn(dir, hf.url);
    const started = Date.now();
    expect(await papers('pull', '--date', '2026-11-30', '--max-time', '5')).toEqual({
      code: 0,
      stdout: '',
      stderr: `papers: ${fifo}: a FIFO, not a kept response; left alone\n2026-11-30: 3 papers: 3 added, 0 enriched, 0 already present\n`,
    });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(readFileSync(join(dir, 'sources', 'hf-2026-11-30-2.json'))).toEqual(HF_DAY);
  }, 15_000);
});

describe('pulls at once', () => {
  it('six pulls that get six different answers keep six files, each answer once', async () => {
    const waiting: ServerResponse[] = [];
    const bodies = Array.from({ length: 6 }, (_, i) =>
      JSON.stringify([
        { ...HF_ITEMS[0], paper: { ...HF_ITEMS[0]!.paper, id: `2411.1000${i}`, title: `Concurrent Paper ${i}` }, title: `Concurrent Paper ${i}` },
      ]),
    );
    // Held until all six have asked, then answered together: the six keep their answers at the same moment.
    const hf = await serve((_request, response) => {
      waiting.push(response);
      if (waiting.length < 6) return;
      waiting.forEach((held, i) => {
        held.writeHead(200, { 'content-type': 'application/json' });
        held.end(bodies[i]);
      });
    });
    const dir = tempDir();
    const { corpus, papers } = corpusIn(dir, hf.url);
    const results = await Promise.all(Array.from({ length: 6 }, () => papers('pull', '--date', '2026-11-30')));
    for (const result of results) expect(result).toEqual({ code: 0, stdout: '', stderr: '2026-11-30: 1 paper: 1 added, 0 enriched, 0 already present\n' });
    const kept = readdirSync(join(dir, 'sources')).sort();
    expect(kept).toEqual([
      'hf-2026-11-30-2.json',
      'hf-2026-11-30-3.json',
      'hf-2026-11-30-4.json',
      'hf-2026-11-30-5.json',
      'hf-2026-11-30-6.json',
      'hf-2026-11-30.json',
    ]);
    expect(kept.map((name) => readFileSync(join(dir, 'sources', name), 'utf8')).sort()).toEqual([...bodies].sort());
    const loaded = loadCorpus(corpus);
    expect(loaded).toHaveLength(6);
    // Each paper names the file that holds its answer.
    for (const paper of loaded) expect(readFileSync(join(dir, paper.source), 'utf8')).toContain(paper.arxiv);
  }, 30_000);
});

describe('limits longer than a timer holds', () => {
  const MONTH = ['--timeout', '3000000', '--max-time', '3000000'];

  it('pull, add and refresh take a month, print no warning, and wait for a slow answer', async () => {
    // Every answer comes after 600 ms: a timer that overflowed would have fired at once.
    const service = await serve((request, response) => {
      setTimeout(() => {
        const atom = request.url!.startsWith('/api/query');
        response.writeHead(200, { 'content-type': atom ? 'application/atom+xml' : 'application/json' });
        response.end(atom ? ATOM : request.url!.startsWith('/api/papers/') ? JSON.stringify(HF_ITEMS[0]!.paper) : HF_DAY);
      }, 600);
    });
    const dir = tempDir();
    const { papers } = corpusIn(dir, service.url);
    expect(await papers('pull', '--date', '2026-11-30', ...MONTH)).toEqual({
      code: 0,
      stdout: '',
      stderr: '2026-11-30: 3 papers: 3 added, 0 enriched, 0 already present\n',
    });
    expect(await papers('add', ...MONTH, '2405.13786', 'astro-ph/0601001', '2104.12255')).toEqual({
      code: 0,
      stdout: '',
      stderr: `${join(dir, 'papers.yaml')}: 3 added, 0 enriched, 0 already present\n`,
    });
    const refreshed = await papers('refresh', ...MONTH, '2405.13786');
    expect(refreshed).toEqual({ code: 0, stdout: '', stderr: `${join(dir, 'papers.yaml')}: 0 enriched, 1 unchanged\n` });
    // A paper from the Hub is asked about there too, then at arXiv (whose feed here does not have it).
    expect(await papers('refresh', ...MONTH, '2410.17243')).toEqual({
      code: 0,
      stdout: '',
      stderr: `papers: arXiv has no paper 2410.17243 any more\n${join(dir, 'papers.yaml')}: 0 enriched, 0 unchanged, 1 not found\n`,
    });
  }, 30_000);
});

describe('every value written to the corpus reads back', () => {
  const hubDay = (upvotes: number) => JSON.stringify(HF_ITEMS.map((item, i) => (i === 0 ? { ...item, paper: { ...item.paper, upvotes } } : item)));

  it('leaves out upvotes past the largest safe whole number, says so, and the corpus still reads', async () => {
    const body = hubDay(1e21);
    const hf = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(body);
    });
    const dir = tempDir();
    const { corpus, papers } = corpusIn(dir, hf.url);
    const warning = `item 1 (2410.17243): upvotes 1e+21 left out; upvotes must be a whole number up to 9007199254740991`;
    expect(await papers('pull', '--date', '2026-11-30')).toEqual({
      code: 0,
      stdout: '',
      stderr: `papers: GET ${hf.url}/${DAY}: ${warning}\n2026-11-30: 3 papers: 3 added, 0 enriched, 0 already present\n`,
    });
    const loaded = loadCorpus(corpus);
    expect(loaded.map((p) => [p.arxiv, p.upvotes])).toEqual([
      ['2410.17243', undefined],
      ['2410.16910', 7],
      ['2410.16501', 0],
    ]);
    // Still readable, and still open to imports: the kept response imports into it again.
    expect((await papers('list', '--format', 'json')).code).toBe(0);
    const kept = join(dir, 'sources', 'hf-2026-11-30.json');
    expect(await papers('import', kept)).toEqual({
      code: 0,
      stdout: '',
      stderr: `${kept}: ${warning}\n${corpus}: 0 added, 0 enriched, 3 already present\n`,
    });
  });

  it('refresh says so too when the Hub sends such a count, and keeps the one it has', async () => {
    const hub = await serve((request, response) => {
      response.writeHead(200, { 'content-type': request.url!.startsWith('/api/query') ? 'application/atom+xml' : 'application/json' });
      if (request.url!.startsWith('/api/papers/')) response.end(JSON.stringify({ ...HF_ITEMS[0]!.paper, upvotes: 1e21 }));
      else response.end(request.url!.startsWith('/api/query') ? ATOM : HF_DAY);
    });
    const dir = tempDir();
    const { corpus, papers } = corpusIn(dir, hub.url);
    expect((await papers('pull', '--date', '2026-11-30')).code).toBe(0);
    expect(await papers('refresh', '2410.17243')).toEqual({
      code: 0,
      stdout: '',
      stderr:
        `papers: GET ${hub.url}/api/papers/2410.17243: the paper (2410.17243): upvotes 1e+21 left out; upvotes must be a whole number up to 9007199254740991\n` +
        `papers: arXiv has no paper 2410.17243 any more\n${corpus}: 0 enriched, 0 unchanged, 1 not found\n`,
    });
    expect(loadCorpus(corpus)[0]!.upvotes).toBe(42);
  });

  it('keeps the largest safe count exactly', async () => {
    const hf = await serve((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(hubDay(Number.MAX_SAFE_INTEGER));
    });
    const dir = tempDir();
    const { corpus, papers } = corpusIn(dir, hf.url);
    expect((await papers('pull', '--date', '2026-11-30')).code).toBe(0);
    expect(readFileSync(corpus, 'utf8')).toContain('upvotes: 9007199254740991\n');
    expect(loadCorpus(corpus)[0]!.upvotes).toBe(Number.MAX_SAFE_INTEGER);
  });

  it('refuses a count in the corpus that could not be written back as it is', async () => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    const text = [
      'papers:',
      '  - id: big',
      '    title: Big',
      '    date: null',
      '    source: hand.txt',
      '    code: null',
      '    links: []',
      '    upvotes: 99999999999999999999',
      '    abstract: A.',
      '',
    ].join('\n');
    writeFileSync(corpus, text);
    expect(await spawnAsync(['--corpus', corpus, 'list'])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${corpus}:8: paper 1: \`upvotes\` \`99999999999999999999\` must be a whole number up to 9007199254740991\n`,
    });
    expect(readFileSync(corpus, 'utf8')).toBe(text);
  });

  it('refuses such a count in an export being imported, and writes nothing', async () => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    const input = join(dir, 'export.json');
    writeFileSync(input, JSON.stringify([{ id: 'big', title: 'Big', abstract: 'A.', upvotes: 1e21 }]));
    expect(await spawnAsync(['--corpus', corpus, 'import', input])).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: ${input}:1: paper 1: \`upvotes\` 1e+21 must be a whole number up to 9007199254740991\n`,
    });
    expect(existsSync(corpus)).toBe(false);
  });

  it('the writer and both readers agree on every field, whatever its value', () => {
    const text = fc.string({ unit: 'grapheme', maxLength: 40 });
    const odd = fc.oneof(
      text,
      fc.stringMatching(/^[\x00-\x1f\x7f-\x9f\u2028\u2029\ufeff"'#:&*!|>%@`{}[\], -]{0,12}$/),
      fc.constantFrom('yes', 'no', '~', 'null', '1e3', '0x1F', '12:30', '2017-06-12', '.inf', '<<', '- a', '? b', '1_000', '1,000', ' lead', 'trail '),
    );
    const label = odd.filter((s) => s.trim() !== '');
    const year = fc.integer({ min: 1000, max: 9999 });
    const day = fc
      .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10));
    const partial = fc.oneof(
      day,
      year.map(String),
      fc.tuple(year, fc.integer({ min: 1, max: 12 })).map(([y, m]) => `${y}-${String(m).padStart(2, '0')}`),
    );
    const url = fc.webUrl();
    const paper = fc.record(
      {
        id: fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/),
        title: label,
        abstract: odd,
        date: fc.option(odd, { nil: null }),
        source: odd,
        links: fc.array(url, { maxLength: 2 }),
        code: fc.option(odd, { nil: null }),
        authors: fc.array(label, { maxLength: 3 }),
        published: partial,
        daily: day,
        arxiv: fc.constantFrom('2410.17243', 'hep-th/9901001', '0704.0001'),
        doi: fc.stringMatching(/^10\.\d{4,9}\/[!-~]{1,12}$/),
        journal: odd,
        volume: label,
        number: label,
        pages: label,
        categories: fc.array(label, { maxLength: 2 }),
        url,
        upvotes: fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(0, 2 ** 31, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER)),
        comments: odd,
      },
      { requiredKeys: ['id', 'title', 'abstract', 'date', 'source', 'links', 'code'] },
    );
    const papers = fc.uniqueArray(paper, { selector: (p) => p.id, maxLength: 6 });
    fc.assert(
      fc.property(papers, (list) => {
        const ordered = list.map(
          (p) => Object.fromEntries(PAPER_FIELDS.filter((f) => f in p).map((f) => [f, (p as Record<string, unknown>)[f]])) as unknown as Paper,
        );
        const yaml = serializeCorpus(ordered);
        expect(parseCorpus(yaml, 'c.yaml')).toEqual(ordered);
        expect(parseCarefully(yaml, 'c.yaml')).toEqual(ordered);
      }),
      { numRuns: 300 },
    );
  });
});
