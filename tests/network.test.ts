// `papers pull`, `add` and `refresh` against local servers shaped like the Hugging Face and arXiv APIs: the
// built binary makes real HTTP requests (never to the real network), and the tests check what it asked for,
// what it wrote and what it said.
import { spawn as spawnChild } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { BIN, CACHE_DIR, FIXTURES, ROOT, run, tempDir } from './helpers.js';
import { spawnAsync, startProxy, startService, type Answer, type Service } from './service.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string; homepage: string };
const HF_DAY = readFileSync(join(FIXTURES, 'sources', 'hf', 'daily_papers.json'));
const HF_ITEMS = JSON.parse(HF_DAY.toString()) as { paper: { id: string; title: string }; title: string }[];
const ATOM = readFileSync(join(FIXTURES, 'sources', 'arxiv', 'feed.xml'));
const ATOM_ERROR = readFileSync(join(FIXTURES, 'sources', 'arxiv', 'error.xml'));
const EMPTY_FEED = readFileSync(join(FIXTURES, 'sources', 'arxiv', 'empty.xml'));

const services: Service[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.close()));
});

async function serve(answer: (seen: Service['seen'][number], count: number) => Answer): Promise<Service> {
  const service = await startService(answer);
  services.push(service);
  return service;
}

/** `n` daily-papers items made from the fixture's first one, each with its own arXiv id and title. */
function items(n: number, from = 0): string {
  const [first] = HF_ITEMS;
  return JSON.stringify(
    Array.from({ length: n }, (_, i) => {
      const id = `2411.${String(10000 + from + i)}`;
      const title = `Synthetic Paper Number ${from + i} About Sparse Routing`;
      return { ...first, title, paper: { ...first!.paper, id, title } };
    }),
  );
}

function setup(service: Service, extra: NodeJS.ProcessEnv = {}) {
  const dir = tempDir();
  const corpus = join(dir, 'papers.yaml');
  const env = { PAPERS_HF_ENDPOINT: service.url, PAPERS_ARXIV_ENDPOINT: service.url, PAPERS_RETRY_DELAY_MS: '20', ...extra };
  const papers = (...args: string[]) => spawnAsync(['--corpus', corpus, ...args], { env });
  return { dir, corpus, env, papers };
}

describe('papers pull', () => {
  it('fetches one day as huggingface_hub asks for it, keeps the response, and records it as the source', async () => {
    const hf = await serve(() => ({ body: HF_DAY, headers: { 'content-type': 'application/json; charset=utf-8' } }));
    const { dir, corpus, papers } = setup(hf);
    const first = await papers('pull', '--date', '2024-10-23');
    expect(first).toMatchObject({ code: 0, stdout: '' });
    expect(first.stderr).toBe('2024-10-23: 3 papers: 3 added, 0 enriched, 0 already present\n');
    expect(hf.seen).toHaveLength(1);
    expect(hf.seen[0]!.path).toBe('/api/daily_papers');
    expect(hf.seen[0]!.query.toString()).toBe('p=0&limit=100&date=2024-10-23');
    expect(hf.seen[0]!.headers['user-agent']).toBe(`papers/${pkg.version} (+${pkg.homepage})`);
    expect(readFileSync(join(dir, 'sources', 'hf-2024-10-23.json'))).toEqual(HF_DAY);
    const loaded = loadCorpus(corpus);
    expect(loaded.map((p) => [p.arxiv, p.source])).toEqual(HF_ITEMS.map((item) => [item.paper.id, 'sources/hf-2024-10-23.json']));

    // Again: nothing new, and the same response is not kept twice.
    const again = await papers('pull', '--date', '2024-10-23');
    expect(again.stderr).toBe('2024-10-23: 3 papers: 0 added, 0 enriched, 3 already present\n');
    expect(readdirSync(join(dir, 'sources'))).toEqual(['hf-2024-10-23.json']);

    // The kept response rebuilds the same corpus offline.
    const rebuilt = join(dir, 'rebuilt.yaml');
    const offline = await spawnAsync(['--corpus', rebuilt, 'import', join(dir, 'sources', 'hf-2024-10-23.json')]);
    expect(offline.code).toBe(0);
    expect(loadCorpus(rebuilt)).toEqual(loaded);
  });

  it('follows the paging of a week, and keeps each page', async () => {
    const hf = await serve((seen) => ({ body: seen.query.get('p') === '0' ? items(100) : items(50, 100) }));
    const { dir, corpus, papers } = setup(hf);
    const result = await papers('pull', '--week', '2024-W43');
    expect(result.stderr).toBe('2024-W43: 150 papers: 150 added, 0 enriched, 0 already present\n');
    expect(hf.seen.map((s) => s.query.toString())).toEqual(['p=0&limit=100&week=2024-W43', 'p=1&limit=100&week=2024-W43']);
    expect(readdirSync(join(dir, 'sources')).sort()).toEqual(['hf-2024-W43-p2.json', 'hf-2024-W43.json']);
    expect(loadCorpus(corpus)).toHaveLength(150);
  });

  it('asks for a month, and for each day of --since .. --until', async () => {
    const hf = await serve(() => ({ body: '[]' }));
    const { papers } = setup(hf);
    expect((await papers('pull', '--month', '2024-10')).code).toBe(0);
    const days = await papers('pull', '--since', '2024-10-25', '--until', '2024-10-27');
    expect(days.code).toBe(0);
    expect(hf.seen.map((s) => s.query.toString())).toEqual([
      'p=0&limit=100&month=2024-10',
      'p=0&limit=100&date=2024-10-25',
      'p=0&limit=100&date=2024-10-26',
      'p=0&limit=100&date=2024-10-27',
    ]);
    expect(days.stderr).toContain('2024-10-26: no papers (a Saturday)\n2024-10-27: no papers (a Sunday)\n');
  });

  it('says so when a weekend day has no papers, imports nothing, and exits 0', async () => {
    const hf = await serve(() => ({ body: '[]' }));
    const { dir, corpus, papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-26');
    expect(result).toEqual({ code: 0, stdout: '', stderr: '2024-10-26: no papers (a Saturday)\n' });
    expect(existsSync(corpus)).toBe(false);
    expect(existsSync(join(dir, 'sources'))).toBe(false);
  });

  it('waits as Retry-After says after a 429, then imports', async () => {
    const hf = await serve((_seen, count) => (count === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: 'slow down' } : { body: HF_DAY }));
    const { papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23');
    expect(result.code).toBe(0);
    expect(hf.seen).toHaveLength(2);
    expect(hf.seen[1]!.at - hf.seen[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('tries again after a 500, three times, then imports', async () => {
    const hf = await serve((_seen, count) => (count <= 3 ? { status: 500, body: 'oops' } : { body: HF_DAY }));
    const { corpus, papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23');
    expect(result.code).toBe(0);
    expect(hf.seen).toHaveLength(4);
    expect(loadCorpus(corpus)).toHaveLength(3);
  });

  it('gives up after four tries of 500: one line naming the URL and status, exit 2, nothing written', async () => {
    const hf = await serve(() => ({ status: 500, body: 'oops' }));
    const { dir, papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: GET ${hf.url}/api/daily_papers?p=0&limit=100&date=2024-10-23: HTTP 500 Internal Server Error (4 tries)\n`,
    });
    expect(hf.seen).toHaveLength(4);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('times out a response that never finishes', async () => {
    const hf = await serve(() => ({ body: HF_DAY, hang: true }));
    const { dir, papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23', '--timeout', '1');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^papers: GET http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?p=0&limit=100&date=2024-10-23: no complete answer within 1 s \(4 tries\)\n$/,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('stops the whole command at --max-time', async () => {
    const hf = await serve(() => ({ body: HF_DAY, hang: true }));
    const { papers } = setup(hf);
    const started = Date.now();
    const result = await papers('pull', '--date', '2024-10-23', '--max-time', '1');
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--max-time/);
  });

  it('refuses a body cut in the middle', async () => {
    const hf = await serve(() => ({ body: HF_DAY, cutAt: 700 }));
    const { dir, papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/: the answer was cut short \(the connection closed before its end\) \(4 tries\)\n$/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses HTML where JSON was expected, at once', async () => {
    const hf = await serve(() => ({ body: '<!DOCTYPE html><html><body>Sign in</body></html>', headers: { 'content-type': 'text/html' } }));
    const { dir, papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23');
    expect(result.stderr).toBe(`papers: GET ${hf.url}/api/daily_papers?p=0&limit=100&date=2024-10-23: expected JSON, got an HTML page\n`);
    expect(result.code).toBe(2);
    expect(hf.seen).toHaveLength(1);
    expect(readdirSync(dir)).toEqual([]);
  });

  it("passes on the API's own error message", async () => {
    const hf = await serve(() => ({ status: 400, body: '{"error":"Invalid date"}', headers: { 'content-type': 'application/json' } }));
    const { papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23');
    expect(result.stderr).toBe(
      `papers: GET ${hf.url}/api/daily_papers?p=0&limit=100&date=2024-10-23: the Hugging Face API answered with an error: Invalid date (HTTP 400 Bad Request)\n`,
    );
    expect(result.code).toBe(2);
  });

  it('says a refused connection in one line', async () => {
    const hf = await serve(() => ({ body: '[]' }));
    await hf.close();
    const { papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23');
    expect(result.stderr).toBe(`papers: GET ${hf.url}/api/daily_papers?p=0&limit=100&date=2024-10-23: the connection was refused (4 tries)\n`);
    expect(result.code).toBe(2);
  });

  it('says a failed DNS lookup and a failed TLS handshake in one line, without retrying', async () => {
    const dns = await spawnAsync(['--corpus', join(tempDir(), 'c.yaml'), 'pull', '--date', '2024-10-23'], {
      env: { PAPERS_HF_ENDPOINT: 'http://no-such-host.invalid' },
    });
    expect(dns).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'papers: GET http://no-such-host.invalid/api/daily_papers?p=0&limit=100&date=2024-10-23: cannot find the host no-such-host.invalid (offline, or a DNS failure)\n',
    });
    // A plain HTTP server where https was asked for: the handshake fails.
    const plain = await serve(() => ({ body: '[]' }));
    const tls = await spawnAsync(['--corpus', join(tempDir(), 'c.yaml'), 'pull', '--date', '2024-10-23'], {
      env: { PAPERS_HF_ENDPOINT: plain.url.replace('http:', 'https:') },
    });
    expect(tls.code).toBe(2);
    expect(tls.stderr).toMatch(
      /^papers: GET https:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?p=0&limit=100&date=2024-10-23: TLS error \(ERR_SSL_[A-Z_]+\): no secure connection could be made\n$/,
    );
  });

  it('shows progress on a terminal, and an interrupted pull keeps the days it finished', async () => {
    // Day one answers; day two never does, and the pull is interrupted while it waits.
    const hf = await serve((seen) => (seen.query.get('date') === '2024-10-23' ? { body: HF_DAY } : { body: HF_DAY, hang: true }));
    const { corpus, env } = setup(hf);
    const shown = await run(['--corpus', join(tempDir(), 'tty.yaml'), 'pull', '--date', '2024-10-23'], { stderrTty: true, env });
    expect(shown.code).toBe(0);
    expect(shown.stderr).toContain('\r\u001b[2Kfetching 2024-10-23; 0 papers so far…');
    expect(shown.stderr).toContain('2024-10-23: 3 papers: 3 added, 0 enriched, 0 already present\n');

    const child = spawnChild(BIN, ['--corpus', corpus, 'pull', '--since', '2024-10-23', '--until', '2024-10-24'], {
      env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR, ...env },
    });
    await new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (hf.seen.some((s) => s.query.get('date') === '2024-10-24')) {
          clearInterval(check);
          resolve();
        }
      }, 20);
    });
    child.kill('SIGINT');
    const signal = await new Promise((resolve) => child.on('close', (_code, sig) => resolve(sig)));
    expect(signal).toBe('SIGINT');
    expect(loadCorpus(corpus).map((p) => p.arxiv)).toEqual(HF_ITEMS.map((item) => item.paper.id));
  });

  it('checks its options before any request', async () => {
    const hf = await serve(() => ({ body: '[]' }));
    const { papers } = setup(hf);
    for (const [args, message] of [
      [['--date', '2024-13-01'], '--date takes a day written YYYY-MM-DD, or today or yesterday, not `2024-13-01`'],
      [['--week', '2024-43'], '--week takes an ISO week written YYYY-Www (2026-W48), not `2024-43`'],
      [['--month', '2024-1'], '--month takes a month written YYYY-MM, not `2024-1`'],
      [['--since', '2024-01-01', '--until', '2024-03-01'], '--since 2024-01-01 asks for 61 days, one request each; at most 31 without --force'],
      [['--date', 'today', '--week', '2024-W01'], 'choose one of --date, --week'],
      [['--until', '2024-01-01'], '--until needs --since'],
    ] as const) {
      expect(await papers('pull', ...args)).toEqual({ code: 2, stdout: '', stderr: `papers: ${message}\n` });
    }
    const bad = await spawnAsync(['pull'], { env: { PAPERS_HF_ENDPOINT: 'ftp://example.org' } });
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'papers: PAPERS_HF_ENDPOINT must be an http or https base URL such as https://huggingface.co, not `ftp://example.org`\n',
    });
    expect(hf.seen).toEqual([]);
  });

  it('reads HF_ENDPOINT when PAPERS_HF_ENDPOINT is not set', async () => {
    const hf = await serve(() => ({ body: '[]' }));
    const result = await spawnAsync(['--corpus', join(tempDir(), 'c.yaml'), 'pull', '--date', '2024-10-23'], { env: { HF_ENDPOINT: `${hf.url}/` } });
    expect(result.code).toBe(0);
    expect(hf.seen).toHaveLength(1);
  });

  it('--dry-run lists what would be added and writes nothing', async () => {
    const hf = await serve(() => ({ body: HF_DAY }));
    const { dir, papers } = setup(hf);
    const result = await papers('pull', '--date', '2024-10-23', '--dry-run', '--limit', '2');
    expect(result.code).toBe(0);
    expect(
      result.stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => line.split('\t')[0]),
    ).toEqual(['added', 'added']);
    expect(result.stderr).toContain('would import 2 added, 0 enriched, 0 already present');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('goes through the proxy HTTPS_PROXY/HTTP_PROXY names, unless NO_PROXY names the host', async () => {
    const hf = await serve(() => ({ body: HF_DAY }));
    const proxy = await startProxy();
    services.push(proxy);
    const { papers } = setup(hf, { HTTP_PROXY: proxy.url });
    expect((await papers('pull', '--date', '2024-10-23')).code).toBe(0);
    expect(proxy.seen.map((s) => `${s.method} ${s.path}`)).toEqual([`GET ${hf.url}/api/daily_papers?p=0&limit=100&date=2024-10-23`]);
    expect(hf.seen).toHaveLength(1);

    const direct = setup(hf, { http_proxy: proxy.url, NO_PROXY: '127.0.0.1' });
    expect((await direct.papers('pull', '--date', '2024-10-23')).code).toBe(0);
    expect(proxy.seen).toHaveLength(1);
    expect(hf.seen).toHaveLength(2);
  });
});

describe('papers add', () => {
  it('reads references in every form, asks arXiv once for the distinct ids, and keeps the feed', async () => {
    const arxiv = await serve(() => ({ body: ATOM, headers: { 'content-type': 'application/atom+xml; charset=UTF-8' } }));
    const { dir, corpus, papers } = setup(arxiv);
    const result = await papers(
      'add',
      '2405.13786',
      'arXiv:2405.13786v1',
      'https://arxiv.org/abs/astro-ph/0601001v1',
      'https://arxiv.org/pdf/2104.12255v1.pdf',
      'https://huggingface.co/papers/2104.12255',
      '10.48550/arXiv.2410.17243',
    );
    expect(result.stderr).toBe(`papers: arXiv has no paper 2410.17243\n${corpus}: 3 added, 0 enriched, 0 already present\n`);
    expect(result.code).toBe(0);
    expect(arxiv.seen).toHaveLength(1);
    expect(arxiv.seen[0]!.path).toBe('/api/query');
    expect(arxiv.seen[0]!.query.get('id_list')).toBe('2405.13786,astro-ph/0601001,2104.12255,2410.17243');
    expect(arxiv.seen[0]!.query.get('max_results')).toBe('4');
    expect(arxiv.seen[0]!.headers['user-agent']).toBe(`papers/${pkg.version} (+${pkg.homepage})`);
    const [kept] = readdirSync(join(dir, 'sources'));
    expect(kept).toMatch(/^arxiv-\d{4}-\d{2}-\d{2}\.xml$/);
    expect(readFileSync(join(dir, 'sources', kept!))).toEqual(ATOM);
    expect(loadCorpus(corpus).map((p) => [p.arxiv, p.source])).toEqual([
      ['2405.13786', `sources/${kept}`],
      ['astro-ph/0601001', `sources/${kept}`],
      ['2104.12255', `sources/${kept}`],
    ]);
  });

  it('reads references from standard input with -', async () => {
    const arxiv = await serve(() => ({ body: ATOM }));
    const { corpus, env } = setup(arxiv);
    const result = await spawnAsync(['--corpus', corpus, 'add', '-'], { env, stdin: '# my list\n2405.13786\n\nastro-ph/0601001\n2104.12255v1\n' });
    expect(result.code).toBe(0);
    expect(arxiv.seen[0]!.query.get('id_list')).toBe('2405.13786,astro-ph/0601001,2104.12255');
    expect(loadCorpus(corpus)).toHaveLength(3);
  });

  it('refuses a malformed reference before any request', async () => {
    const arxiv = await serve(() => ({ body: ATOM }));
    const { papers } = setup(arxiv);
    const result = await papers('add', '2405.13786', 'not-a-paper');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^papers: not an arXiv reference: `not-a-paper`; give an arXiv id/);
    expect(arxiv.seen).toEqual([]);
  });

  it('exits 1 when arXiv has none of the papers', async () => {
    const arxiv = await serve(() => ({ body: EMPTY_FEED }));
    const { dir, papers } = setup(arxiv);
    const result = await papers('add', '2401.99999');
    expect(result).toEqual({ code: 1, stdout: '', stderr: 'papers: arXiv has no paper 2401.99999\npapers: nothing added: arXiv has no paper 2401.99999\n' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it("passes on arXiv's error feed", async () => {
    const arxiv = await serve(() => ({ status: 400, body: ATOM_ERROR }));
    const { dir, papers } = setup(arxiv);
    const result = await papers('add', '2405.13786');
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `papers: GET ${arxiv.url}/api/query?search_query=&id_list=2405.13786&start=0&max_results=1: arXiv answered with an error: incorrect id format for abc (HTTP 400 Bad Request)\n`,
    );
    expect(readdirSync(dir)).toEqual([]);
  });

  it('asks for at most 100 ids at a time, three seconds apart', async () => {
    const arxiv = await serve(() => ({ body: EMPTY_FEED }));
    const { papers } = setup(arxiv);
    const ids = Array.from({ length: 101 }, (_, i) => `2401.${String(10000 + i)}`);
    const result = await papers('add', ...ids);
    expect(result.code).toBe(1);
    expect(arxiv.seen.map((s) => s.query.get('id_list')!.split(',').length)).toEqual([100, 1]);
    expect(arxiv.seen[1]!.at - arxiv.seen[0]!.at).toBeGreaterThanOrEqual(3000);
  });
});

describe('papers refresh', () => {
  it('fills what arXiv now knows and keeps every field that has a value', async () => {
    const arxiv = await serve(() => ({ body: ATOM }));
    const { corpus, papers } = setup(arxiv);
    writeFileSync(
      corpus,
      [
        'papers:',
        '  - id: explainable-tcp',
        '    title: Towards Explainable Test Case Prioritisation with Learning-to-Rank Models (my notes)',
        '    date: null',
        '    source: mine.bib',
        '    arxiv: "2405.13786"',
        '    journal: ICSTW 2023',
        '    code: null',
        '    links: []',
        '    abstract: My own summary.',
        '  - id: no-arxiv',
        '    title: A Paper Without An arXiv Id',
        '    date: null',
        '    source: mine.bib',
        '    code: null',
        '    links: []',
        '    abstract: Something.',
        '',
      ].join('\n'),
    );
    const result = await papers('refresh');
    expect(result).toMatchObject({ code: 0, stderr: `${corpus}: 1 enriched, 0 unchanged\n` });
    expect(arxiv.seen[0]!.query.get('id_list')).toBe('2405.13786');
    const [paper, other] = loadCorpus(corpus);
    expect(paper).toMatchObject({
      id: 'explainable-tcp',
      title: 'Towards Explainable Test Case Prioritisation with Learning-to-Rank Models (my notes)',
      source: 'mine.bib',
      journal: 'ICSTW 2023',
      abstract: 'My own summary.',
      doi: '10.1109/ICSTW58534.2023.00023',
      published: '2024-05-22',
    });
    expect(other!.id).toBe('no-arxiv');
    expect(loadCorpus(corpus)).toHaveLength(2);

    const again = await papers('refresh', 'explainable');
    expect(again.stderr).toBe(`${corpus}: 0 enriched, 1 unchanged\n`);
    expect(await papers('refresh', 'no-arxiv')).toMatchObject({ code: 2, stderr: 'papers: no-arxiv has no arXiv id to refresh from\n' });
  });
});
