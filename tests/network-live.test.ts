// The network edge as a user meets it through proxies and failing servers, and what a pull or refresh keeps
// of the live counts the Hub and arXiv give: the built binary against local servers, never the real network.
import { createServer, type IncomingMessage } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCorpus } from '../src/corpus/store.js';
import { FIXTURES, run, tempDir } from './helpers.js';
import { spawnAsync, startService, type Answer, type Service } from './service.js';

const HF_DAY = readFileSync(join(FIXTURES, 'sources', 'hf', 'daily_papers.json'));

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

async function serve(answer: (seen: Service['seen'][number], count: number) => Answer): Promise<Service> {
  const service = await startService(answer);
  closers.push(() => service.close());
  return service;
}

/** How a test proxy answers CONNECT: opens the tunnel, refuses it with a status, or closes the connection. */
type ConnectMode = 'tunnel' | 'close' | number;

interface Proxy {
  url: string;
  /** `METHOD target` of each request it was sent. */
  asked: string[];
  /** Connections made to it. */
  connections: number;
}

/**
 * A real HTTP proxy on 127.0.0.1: it forwards plain (absolute-form) requests to their server and answers
 * CONNECT as `mode` says; with `closeAll`, it closes every connection as soon as it is made.
 */
async function startTestProxy(mode: ConnectMode = 'tunnel', closeAll = false): Promise<Proxy> {
  const sockets = new Set<Socket>();
  const proxy: Proxy = { url: '', asked: [], connections: 0 };
  const server = createServer((request, response) => {
    proxy.asked.push(`${request.method} ${request.url}`);
    const target = new URL(request.url ?? '');
    const upstream = connect(Number(target.port), target.hostname, () => {
      upstream.write(`${request.method} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: close\r\n\r\n`);
      upstream.pipe(response.socket!);
    });
    upstream.on('error', () => response.socket?.destroy());
  });
  server.on('connection', (socket: Socket) => {
    proxy.connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (closeAll) socket.destroy();
  });
  server.on('connect', (request: IncomingMessage, client: Socket) => {
    proxy.asked.push(`CONNECT ${request.url}`);
    if (mode === 'close') return void client.destroy();
    if (typeof mode === 'number') return void client.end(`HTTP/1.1 ${mode} Refused\r\ncontent-length: 0\r\n\r\n`);
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  proxy.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  closers.push(
    () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  );
  return proxy;
}

/** A port on 127.0.0.1 that nothing listens on. */
async function deadPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function setup(env: NodeJS.ProcessEnv) {
  const dir = tempDir();
  const corpus = join(dir, 'papers.yaml');
  const full = { PAPERS_RETRY_DELAY_MS: '20', ...env };
  const papers = (...args: string[]) => spawnAsync(['--corpus', corpus, ...args], { env: full });
  return { dir, corpus, env: full, papers };
}

const DAY = 'api/daily_papers?p=0&limit=100&date=2026-11-30';

describe('proxies', () => {
  it('sends an http request to the proxy whole, as curl does, and tunnels only https', async () => {
    const hf = await serve(() => ({ body: HF_DAY }));
    const proxy = await startTestProxy();
    const { corpus, papers } = setup({ PAPERS_HF_ENDPOINT: hf.url, HTTP_PROXY: proxy.url });
    const result = await papers('pull', '--date', '2026-11-30');
    expect(result).toEqual({ code: 0, stdout: '', stderr: '2026-11-30: 3 papers: 3 added, 0 enriched, 0 already present\n' });
    expect(proxy.asked).toEqual([`GET ${hf.url}/${DAY}`]);
    expect(hf.seen).toHaveLength(1);
    expect(loadCorpus(corpus)).toHaveLength(3);
  });

  it('names the proxy and its answer when it refuses to open a tunnel, and does not ask again for a 403', async () => {
    const proxy = await startTestProxy(403);
    const { papers } = setup({ PAPERS_HF_ENDPOINT: 'https://hub.papers.test', HTTPS_PROXY: proxy.url });
    const result = await papers('pull', '--date', '2026-11-30');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: GET https://hub.papers.test/${DAY}: the proxy ${proxy.url} refused to connect to hub.papers.test: HTTP 403 Forbidden\n`,
    });
    expect(proxy.asked).toEqual(['CONNECT hub.papers.test:443']);
  });

  it('waits between tries when a proxy closes every tunnel, and ends by --max-time', async () => {
    const proxy = await startTestProxy('close');
    const { papers } = setup({ PAPERS_HF_ENDPOINT: 'https://hub.papers.test', HTTPS_PROXY: proxy.url, PAPERS_RETRY_DELAY_MS: '1000' });
    const started = Date.now();
    const result = await papers('pull', '--date', '2026-11-30', '--max-time', '2');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      new RegExp(
        `^papers: GET https://hub\\.papers\\.test/${DAY.replace(/[?.]/g, '\\$&')}: the proxy ${proxy.url.replace(/\./g, '\\.')} closed the connection without an answer \\([23] tries\\); waiting \\d s more would pass --max-time\\n$`,
      ),
    );
    // A connection or two a try, not a storm of them.
    expect(proxy.connections).toBeLessThanOrEqual(6);
  });

  it('waits between tries when a proxy closes every connection it is sent a plain request on', async () => {
    const hf = await serve(() => ({ body: HF_DAY }));
    const proxy = await startTestProxy('tunnel', true);
    const { papers } = setup({ PAPERS_HF_ENDPOINT: hf.url, HTTP_PROXY: proxy.url });
    const result = await papers('pull', '--date', '2026-11-30');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: GET ${hf.url}/${DAY}: the proxy ${proxy.url} closed the connection without an answer (4 tries)\n`,
    });
    expect(proxy.connections).toBeLessThanOrEqual(8);
    expect(hf.seen).toHaveLength(0);
  });

  it('blames a proxy that is not running, not the server behind it', async () => {
    const port = await deadPort();
    const { papers } = setup({ PAPERS_HF_ENDPOINT: 'http://hub.papers.test', HTTP_PROXY: `http://127.0.0.1:${port}` });
    const result = await papers('pull', '--date', '2026-11-30');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: GET http://hub.papers.test/${DAY}: the proxy http://127.0.0.1:${port} refused the connection (is it running?) (4 tries)\n`,
    });
  });
});

describe('what a failed request says', () => {
  it('names the status and its reason, not what the body lacks', async () => {
    const hf = await serve(() => ({ status: 404, body: 'Not here', headers: { 'content-type': 'text/plain' } }));
    const { papers } = setup({ PAPERS_HF_ENDPOINT: hf.url });
    expect(await papers('pull', '--date', '2026-11-30')).toEqual({ code: 2, stdout: '', stderr: `papers: GET ${hf.url}/${DAY}: HTTP 404 Not Found\n` });
    expect(hf.seen).toHaveLength(1);
  });

  it("gives a service's own error message with its status", async () => {
    const hf = await serve(() => ({ status: 422, body: '{"error":"Invalid date"}', headers: { 'content-type': 'application/json' } }));
    const { papers } = setup({ PAPERS_HF_ENDPOINT: hf.url });
    expect((await papers('pull', '--date', '2026-11-30')).stderr).toBe(
      `papers: GET ${hf.url}/${DAY}: the Hugging Face API answered with an error: Invalid date (HTTP 422 Unprocessable Entity)\n`,
    );
  });

  it('names the limit that was hit: --max-time when it cuts a try short', async () => {
    const hf = await serve(() => ({ body: HF_DAY, hang: true }));
    const { papers } = setup({ PAPERS_HF_ENDPOINT: hf.url });
    const result = await papers('pull', '--date', '2026-11-30', '--timeout', '1', '--max-time', '2');
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `papers: GET ${hf.url}/${DAY}: no complete answer before the time allowed for the command (--max-time 2 s) ran out (2 tries)\n`,
    });
  });

  it('clears the retry line on a terminal before the error', async () => {
    const hf = await serve(() => ({ status: 503, body: 'busy' }));
    const result = await run(['--corpus', join(tempDir(), 'papers.yaml'), 'pull', '--date', '2026-11-30'], {
      stderrTty: true,
      env: { PAPERS_HF_ENDPOINT: hf.url, PAPERS_RETRY_DELAY_MS: '20' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('\r\u001b[2KHTTP 503 Service Unavailable; trying again in');
    expect(result.stderr.endsWith(`\r\u001b[2Kpapers: GET ${hf.url}/${DAY}: HTTP 503 Service Unavailable (4 tries)\n`)).toBe(true);
  });

  it('takes limits longer than a timer holds, and still answers', async () => {
    const hf = await serve(() => ({ body: HF_DAY }));
    const { papers } = setup({ PAPERS_HF_ENDPOINT: hf.url });
    expect(await papers('pull', '--date', '2026-11-30', '--timeout', '3000000', '--max-time', '3000000')).toEqual({
      code: 0,
      stdout: '',
      stderr: '2026-11-30: 3 papers: 3 added, 0 enriched, 0 already present\n',
    });
  });
});

interface HubItem {
  id: string;
  title: string;
  published: string;
  daily?: string;
  upvotes: number;
  repo?: string;
  summary?: string;
}

/** A daily papers page of these items, shaped as the Hub sends it. */
function dailyPage(items: HubItem[]): string {
  return JSON.stringify(
    items.map((item) => ({
      paper: {
        id: item.id,
        title: item.title,
        summary: item.summary ?? `About ${item.title.toLowerCase()}.`,
        publishedAt: `${item.published}T12:00:00.000Z`,
        ...(item.daily ? { submittedOnDailyAt: `${item.daily}T03:00:00.000Z` } : {}),
        upvotes: item.upvotes,
        ...(item.repo ? { githubRepo: item.repo } : {}),
      },
      publishedAt: `${item.daily ?? item.published}T03:00:00.000Z`,
      title: item.title,
    })),
  );
}

describe('the day a paper was on the daily list', () => {
  it('is recorded, shown, exported, and what --since and --until go by', async () => {
    const page = dailyPage([
      { id: '2611.00001', title: 'Listed Sparse Routing', published: '2026-11-26', daily: '2026-11-30', upvotes: 3 },
      { id: '2611.00002', title: 'Unstamped Sparse Routing', published: '2026-11-27', upvotes: 1 },
    ]);
    const hf = await serve(() => ({ body: page, headers: { 'content-type': 'application/json' } }));
    const { papers } = setup({ PAPERS_HF_ENDPOINT: hf.url });
    expect((await papers('pull', '--date', '2026-11-30')).code).toBe(0);

    // The API's submittedOnDailyAt, else the day pulled; the DATE column shows it.
    expect(await papers('list', '--since', '2026-11-30')).toEqual({
      code: 0,
      stdout: 'listed-sparse-routing\tListed Sparse Routing\t2026-11-30\t\nunstamped-sparse-routing\tUnstamped Sparse Routing\t2026-11-30\t\n',
      stderr: '',
    });
    expect((await papers('list', '--until', '2026-11-29')).stdout).toBe('');
    expect((await papers('show', 'listed-sparse-routing')).stdout).toContain('\ndate    2026-11-26\ndaily   2026-11-30 (Hugging Face daily papers)\n');
    expect((await papers('export', '--format', 'csv', '--fields', 'id,published,daily')).stdout).toBe(
      'id,published,daily\r\nlisted-sparse-routing,2026-11-26,2026-11-30\r\nunstamped-sparse-routing,2026-11-27,2026-11-30\r\n',
    );
  });
});

describe('list --sort date', () => {
  it('sorts by the day the DATE column shows: the daily day, else the day published, else the digest date; undated last', async () => {
    const dir = tempDir();
    const corpus = join(dir, 'papers.yaml');
    const paper = (id: string, extra: string[]) => [
      `  - id: ${id}`,
      `    title: Paper ${id}`,
      ...extra,
      '    source: mine',
      '    code: null',
      '    links: []',
      '    abstract: Text.',
    ];
    writeFileSync(
      corpus,
      [
        'papers:',
        ...paper('undated', ['    date: null']),
        ...paper('daily', ['    date: null', '    published: "2026-11-26"', '    daily: "2026-11-30"']),
        ...paper('from-bibtex', ['    date: null', '    published: "2020-05-01"']),
        ...paper('digest', ['    date: Mar 11']),
        '',
      ].join('\n'),
    );
    const result = await spawnAsync(['--corpus', corpus, 'list', '--sort', 'date']);
    expect(result).toEqual({
      code: 0,
      stdout: [
        'digest\tPaper digest\tMar 11\t',
        'from-bibtex\tPaper from-bibtex\t2020-05-01\t',
        'daily\tPaper daily\t2026-11-30\t',
        'undated\tPaper undated\t\t',
        '',
      ].join('\n'),
      stderr: '',
    });
  });
});

describe('live values', () => {
  it("a later pull renews upvotes and the Hub's code link, and keeps a hand-written code link", async () => {
    const first = dailyPage([
      { id: '2611.00011', title: 'Counted Sparse Routing', published: '2026-11-26', upvotes: 10, summary: 'See https://github.com/guess/counted for code.' },
      { id: '2611.00012', title: 'Edited Sparse Routing', published: '2026-11-26', upvotes: 5, summary: 'See https://github.com/guess/edited for code.' },
    ]);
    const later = dailyPage([
      {
        id: '2611.00011',
        title: 'Counted Sparse Routing',
        published: '2026-11-26',
        upvotes: 250,
        repo: 'https://github.com/hub/counted',
        summary: 'See https://github.com/guess/counted for code.',
      },
      {
        id: '2611.00012',
        title: 'Edited Sparse Routing',
        published: '2026-11-26',
        upvotes: 7,
        repo: 'https://github.com/hub/edited',
        summary: 'See https://github.com/guess/edited for code.',
      },
    ]);
    const hf = await serve((_seen, count) => ({ body: count === 1 ? first : later, headers: { 'content-type': 'application/json' } }));
    const { corpus, papers } = setup({ PAPERS_HF_ENDPOINT: hf.url });
    expect((await papers('pull', '--date', '2026-11-30')).code).toBe(0);
    expect(loadCorpus(corpus).map((p) => [p.upvotes, p.code])).toEqual([
      [10, 'https://github.com/guess/counted'],
      [5, 'https://github.com/guess/edited'],
    ]);
    writeFileSync(corpus, readFileSync(corpus, 'utf8').replace('code: https://github.com/guess/edited', 'code: https://github.com/me/edited'));

    expect(await papers('pull', '--date', '2026-11-30')).toEqual({
      code: 0,
      stdout: '',
      stderr: '2026-11-30: 2 papers: 0 added, 2 enriched, 0 already present\n',
    });
    expect(loadCorpus(corpus).map((p) => [p.upvotes, p.code])).toEqual([
      [250, 'https://github.com/hub/counted'],
      [7, 'https://github.com/me/edited'],
    ]);
  });

  it("refresh renews a Hub paper's upvotes and code from the Hub, and skips one the Hub does not have", async () => {
    const hubPaper = JSON.stringify({ id: '2405.13786', title: 'Any', summary: 'Any.', upvotes: 250, githubRepo: 'https://github.com/hub/tcp' });
    const service = await serve((seen) =>
      seen.path === '/api/papers/2405.13786'
        ? { body: hubPaper, headers: { 'content-type': 'application/json' } }
        : seen.path.startsWith('/api/papers/')
          ? { status: 404, body: '{"error":"Paper not found"}', headers: { 'content-type': 'application/json' } }
          : { body: readFileSync(join(FIXTURES, 'sources', 'arxiv', 'feed.xml')) },
    );
    const { corpus, papers } = setup({ PAPERS_ARXIV_ENDPOINT: service.url, PAPERS_HF_ENDPOINT: service.url });
    const paper = (id: string, arxiv: string, title: string) => [
      `  - id: ${id}`,
      `    title: ${title}`,
      '    date: null',
      '    source: hf-2026-11-30.json',
      `    arxiv: ${arxiv}`,
      `    url: https://arxiv.org/abs/${arxiv}`,
      `    pdf: https://arxiv.org/pdf/${arxiv}`,
      '    code: https://github.com/guess/tcp',
      '    links: [https://github.com/guess/tcp]',
      '    upvotes: 10',
      '    abstract: Mine, see https://github.com/guess/tcp.',
    ];
    writeFileSync(
      corpus,
      [
        'papers:',
        ...paper('on-hub', '"2405.13786"', 'Towards Explainable Test Case Prioritisation with Learning-to-Rank Models'),
        ...paper('not-on-hub', 'astro-ph/0601001', 'A Catalogue Of Galaxies'),
        '',
      ].join('\n'),
    );
    expect(await papers('refresh')).toEqual({ code: 0, stdout: '', stderr: `${corpus}: 2 enriched, 0 unchanged\n` });
    expect(service.seen.map((s) => s.path)).toEqual(['/api/papers/2405.13786', '/api/papers/astro-ph/0601001', '/api/query']);
    expect(loadCorpus(corpus).map((p) => [p.id, p.upvotes, p.code])).toEqual([
      ['on-hub', 250, 'https://github.com/hub/tcp'],
      ['not-on-hub', 10, 'https://github.com/guess/tcp'],
    ]);
  });

  it('add keeps the unversioned arXiv pages, and refresh mends versioned ones but not a hand-written page', async () => {
    const arxiv = await serve(() => ({ body: readFileSync(join(FIXTURES, 'sources', 'arxiv', 'feed.xml')) }));
    const { corpus, papers } = setup({ PAPERS_ARXIV_ENDPOINT: arxiv.url });
    expect((await papers('add', '2405.13786')).code).toBe(0);
    expect(loadCorpus(corpus).map((p) => [p.arxiv, p.url, p.pdf])[0]).toEqual([
      '2405.13786',
      'https://arxiv.org/abs/2405.13786',
      'https://arxiv.org/pdf/2405.13786',
    ]);

    const old = join(tempDir(), 'old.yaml');
    writeFileSync(
      old,
      [
        'papers:',
        '  - id: versioned',
        '    title: Towards Explainable Test Case Prioritisation with Learning-to-Rank Models',
        '    date: null',
        '    source: mine',
        '    arxiv: "2405.13786"',
        '    url: https://arxiv.org/abs/2405.13786v1',
        '    pdf: https://arxiv.org/pdf/2405.13786v1.pdf',
        '    code: null',
        '    links: []',
        '    abstract: Mine.',
        '  - id: hand-written',
        '    title: A Catalogue Of Galaxies',
        '    date: null',
        '    source: mine',
        '    arxiv: astro-ph/0601001',
        '    url: https://example.org/catalogue',
        '    pdf: https://arxiv.org/pdf/astro-ph/0601001v1',
        '    code: null',
        '    links: []',
        '    abstract: Mine.',
        '',
      ].join('\n'),
    );
    const refreshed = await spawnAsync(['--corpus', old, 'refresh'], { env: { PAPERS_ARXIV_ENDPOINT: arxiv.url } });
    expect(refreshed).toEqual({ code: 0, stdout: '', stderr: `${old}: 2 enriched, 0 unchanged\n` });
    expect(loadCorpus(old).map((p) => [p.id, p.url, p.pdf])).toEqual([
      ['versioned', 'https://arxiv.org/abs/2405.13786', 'https://arxiv.org/pdf/2405.13786'],
      ['hand-written', 'https://example.org/catalogue', 'https://arxiv.org/pdf/astro-ph/0601001'],
    ]);
  });
});
