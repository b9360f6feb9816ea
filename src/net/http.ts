import { STATUS_CODES } from 'node:http';
import { NetworkError } from '../base/errors.js';

type Env = Record<string, string | undefined>;

/** How requests are made: the same for every call of one command. */
export interface HttpSettings {
  env: Env;
  /** Most time for one request, from connecting to the last byte of the body. */
  timeoutMs: number;
  /** When the whole command must be done (epoch ms): no request or wait goes past it. */
  deadline: number;
  /** The time the whole command was given (--max-time), for messages. */
  maxTimeMs: number;
  userAgent: string;
  /** The wait before the first retry; each next one doubles, with jitter. */
  retryBaseMs: number;
  /** Told about each wait before a retry, for the progress line. */
  onRetry?: (message: string) => void;
}

/** The least time between two calls to one service, and when the last one ended. */
export interface Pace {
  minMs: number;
  last: number;
}

export interface Fetched {
  url: string;
  status: number;
  contentType: string;
  body: Buffer;
  /** The Retry-After header, if any. */
  retryAfter: string | null;
  /** The proxy it came through, if any. */
  proxy?: string;
}

const MAX_TRIES = 4;
// Statuses worth asking again: rate limited, timed out on their side, or a server error.
const RETRY_STATUS = (status: number) => status === 429 || status === 408 || status >= 500;
// Connection errors that may pass; a failed DNS lookup or TLS check will not, so they are not retried.
const RETRY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);
// Node's timers hold at most 2^31 - 1 ms (about 24.8 days); a longer timer would fire at once.
const MAX_TIMER_MS = 2 ** 31 - 1;
/**
 * The most bytes of one answer, counted as decoded (after gzip, deflate or br): a day of daily papers is
 * about 1 MB and a hundred arXiv entries about 300 KB, so this is far past any real answer, and reading
 * stops there however small the compressed body or however long it goes on.
 */
const MAX_BODY_BYTES = 64 * 1024 * 1024;

/** What went wrong with one try, in words, and whether another try may do better. */
interface Failure {
  message: string;
  retry: boolean;
  /** The server's Retry-After, in ms. */
  waitMs?: number;
}

/** A try that ran out of time: its own (--timeout), or the command's (--max-time: `last`, no try can follow). */
class Timeout extends Error {
  constructor(
    message: string,
    readonly last: boolean,
  ) {
    super(message);
  }
}

/** An answer larger than MAX_BODY_BYTES: refused, not retried (it would be as large again). */
class TooLarge extends Error {
  constructor() {
    super(`the answer is larger than ${MAX_BODY_BYTES / 1024 / 1024} MB (decoded), more than papers reads from one request`);
  }
}

/** A connection that could not be made (to the server, or to the proxy, or through it): the first such error ends the try. */
class ConnectFailed extends Error {
  constructor(readonly error: unknown) {
    super('connect failed');
  }
}

const seconds = (ms: number) => `${Math.round(ms / 100) / 10} s`;

/** The proxy a request to `url` goes through, as curl and undici choose it: none for a host NO_PROXY names. */
function proxyFor(url: URL, env: Env): string | undefined {
  const pick = (name: string) => env[name.toLowerCase()] || env[name] || undefined;
  const proxy = url.protocol === 'https:' ? (pick('HTTPS_PROXY') ?? pick('HTTP_PROXY')) : pick('HTTP_PROXY');
  if (!proxy) return undefined;
  const noProxy = (pick('NO_PROXY') ?? '').trim();
  if (noProxy === '*') return undefined;
  const host = url.hostname.toLowerCase();
  const port = Number(url.port) || (url.protocol === 'https:' ? 443 : 80);
  for (const entry of noProxy.split(/[,\s]+/).filter(Boolean)) {
    const [, name = entry, entryPort] = /^(.+):(\d+)$/.exec(entry) ?? [];
    const suffix = name.replace(/^\*?\./, '').toLowerCase();
    if (entryPort && Number(entryPort) !== port) continue;
    if (host === suffix || host.endsWith(`.${suffix}`)) return undefined;
  }
  return proxy;
}

const dispatchers = new Map<string, Promise<unknown>>();

/**
 * undici's agent for a proxy, or for none (''). A proxy is sent plain http requests whole, as curl sends
 * them, and asked to CONNECT only for https (undici would tunnel both).
 */
function dispatcherFor(proxy: string | undefined): Promise<unknown> {
  const key = proxy ?? '';
  let dispatcher = dispatchers.get(key);
  if (!dispatcher) {
    // undici's own limits (300 s for headers, and between two pieces of the body) are off: --timeout and
    // --max-time say how long a request may take, however long that is.
    const limits = { headersTimeout: 0, bodyTimeout: 0 };
    dispatcher = import('undici').then(({ Agent, ProxyAgent }) => (proxy ? new ProxyAgent({ uri: proxy, proxyTunnel: false, ...limits }) : new Agent(limits)));
    dispatchers.set(key, dispatcher);
  }
  return dispatcher;
}

function dropDispatcher(proxy: string | undefined): void {
  const key = proxy ?? '';
  void dispatchers.get(key)?.then((dispatcher) => (dispatcher as { destroy(): Promise<void> }).destroy().catch(() => undefined));
  dispatchers.delete(key);
}

// undici tries again at once, without end, to reach a server through a proxy that closes the tunnel; the
// first failed connection is told here and ends the try, so that every try after it waits its turn.
let connectFailed: ((error: unknown) => void) | undefined;
let listening = false;
async function watchConnections(): Promise<void> {
  if (listening) return;
  listening = true;
  const { subscribe } = await import('node:diagnostics_channel');
  subscribe('undici:client:connectError', (message) => connectFailed?.((message as { error?: unknown }).error));
}

/** Seconds or an HTTP date, as Retry-After may say; undefined when it says neither. */
function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\s*\d+\s*$/.test(header)) return Number(header) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function causeCode(error: unknown): string | undefined {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === 'string') return e.code;
  }
  return undefined;
}

const closedEarly = (error: unknown, code: string | undefined) =>
  code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || /terminated|other side closed/i.test(String((error as Error)?.message));

/** What a proxy said or did when it was asked to reach `url`, or undefined when the fault is not the proxy's. */
function proxyFailure(error: unknown, proxy: string, url: URL): Failure | undefined {
  const code = causeCode(error);
  const refused = /Proxy response \((\d+)\)/.exec(String((error as Error)?.message));
  if (refused) {
    const status = Number(refused[1]);
    return { message: `the proxy ${proxy} refused to connect to ${url.host}: HTTP ${status}${statusText(status)}`, retry: RETRY_STATUS(status) };
  }
  if (code === 'ENOTFOUND') return { message: `cannot find the host of the proxy ${proxy} (offline, or a DNS failure)`, retry: false };
  if (code === 'ECONNREFUSED') return { message: `the proxy ${proxy} refused the connection (is it running?)`, retry: true };
  if (closedEarly(error, code)) return { message: `the proxy ${proxy} closed the connection without an answer`, retry: true };
  return undefined;
}

function describeError(error: unknown, url: URL, proxy: string | undefined, responded: boolean): Failure {
  if (error instanceof Timeout) return { message: error.message, retry: !error.last };
  if (error instanceof TooLarge) return { message: error.message, retry: false };
  const connecting = error instanceof ConnectFailed;
  const cause = connecting ? error.error : error;
  if (proxy && !responded) {
    const failure = proxyFailure(cause, proxy, url);
    if (failure) return failure;
  }
  const through = proxy ? ` (through the proxy ${proxy})` : '';
  const code = causeCode(cause);
  if (code === 'ENOTFOUND') return { message: `cannot find the host ${url.hostname} (offline, or a DNS failure)`, retry: false };
  if (code === 'ECONNREFUSED') return { message: 'the connection was refused', retry: true };
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return { message: `TLS error (${code}): the server's certificate could not be verified${through}`, retry: false };
  if (code && /^(?:ERR_TLS|ERR_SSL)/.test(code)) return { message: `TLS error (${code}): no secure connection could be made${through}`, retry: false };
  if (closedEarly(cause, code))
    return {
      message: responded ? `the answer was cut short (the connection closed before its end)${through}` : 'the server closed the connection without an answer',
      retry: true,
    };
  const detail = code ?? ((cause as Error)?.message || String(cause));
  return { message: `the request failed (${detail})${through}`, retry: code !== undefined && RETRY_CODES.has(code) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, Math.min(ms, MAX_TIMER_MS)));

/** A request's progress: whether an answer began (its status and headers came). */
interface Attempt {
  responded: boolean;
}

/** One GET: headers and the whole body within `timeoutMs`, or the Timeout `limit`. */
async function getOnce(url: URL, accept: string, settings: HttpSettings, timeoutMs: number, limit: Timeout, attempt: Attempt): Promise<Fetched> {
  const { fetch } = await import('undici');
  await watchConnections();
  const proxy = proxyFor(url, settings.env);
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(limit), Math.min(timeoutMs, MAX_TIMER_MS));
  connectFailed = (error) => controller.abort(new ConnectFailed(error));
  try {
    const response = await fetch(url, {
      headers: { 'user-agent': settings.userAgent, accept },
      signal: controller.signal,
      redirect: 'follow',
      dispatcher: (await dispatcherFor(proxy)) as never,
    });
    attempt.responded = true;
    const length = response.headers.get('content-length');
    const body = await readBody(response, controller);
    if (length !== null && /^\d+$/.test(length) && Number(length) !== body.length && !response.headers.get('content-encoding'))
      throw Object.assign(new Error('terminated'), { code: 'UND_ERR_SOCKET' });
    return {
      url: url.href,
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body,
      retryAfter: response.headers.get('retry-after'),
      ...(proxy ? { proxy } : {}),
    };
  } catch (error) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : error;
    // An aborted request leaves undici reconnecting for it; a new agent is made for the next try.
    if (reason instanceof ConnectFailed) dropDispatcher(proxy);
    throw reason;
  } finally {
    connectFailed = undefined;
    clearTimeout(timer);
  }
}

/**
 * The decoded body, read as it streams and counted: past MAX_BODY_BYTES the request is aborted, so that
 * memory holds at most that much whatever the server sends.
 */
async function readBody(response: import('undici').Response, controller: AbortController): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (!response.headers.get('content-encoding') && declared > MAX_BODY_BYTES) {
    controller.abort(new TooLarge());
    throw new TooLarge();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (response.body) {
    for await (const chunk of response.body) {
      size += (chunk as Uint8Array).byteLength;
      if (size > MAX_BODY_BYTES) {
        controller.abort(new TooLarge());
        throw new TooLarge();
      }
      chunks.push(chunk as Uint8Array);
    }
  }
  return Buffer.concat(chunks, size);
}

/**
 * GET `url` as people's tools should: a User-Agent, a timeout per request, and up to four tries on a
 * connection error, 429 or 5xx, waiting as Retry-After says or else 1, 2, 4 times the base delay with
 * jitter, never past the command's deadline. Returns the last answer, whatever its status (arXiv
 * explains a bad id in a 400's body); throws a NetworkError naming the URL when there is none.
 */
export async function httpGet(href: string, accept: string, settings: HttpSettings, pace?: Pace): Promise<Fetched> {
  const url = new URL(href);
  const proxy = proxyFor(url, settings.env);
  const outOfTime = `the time allowed for the command (--max-time ${seconds(settings.maxTimeMs)}) ran out`;
  let last: Failure | undefined;
  for (let attempt = 1; ; attempt++) {
    if (settings.deadline - Date.now() <= 0) throw new NetworkError(`GET ${href}: ${last ? `${last.message}, and ` : ''}${outOfTime}`);
    let fetched: Fetched | undefined;
    const progress: Attempt = { responded: false };
    try {
      // Spaced from the end of the last call, as arxiv.py spaces them: what the service sees is never closer.
      if (pace) await sleep(Math.max(0, pace.last + pace.minMs - Date.now()));
      const left = settings.deadline - Date.now();
      // The limit that ends this try, named as the user set it.
      const limit =
        left < settings.timeoutMs
          ? new Timeout(`no complete answer before ${outOfTime}`, true)
          : new Timeout(`no complete answer within ${seconds(settings.timeoutMs)}`, false);
      fetched = await getOnce(url, accept, settings, Math.max(1, Math.min(settings.timeoutMs, left)), limit, progress);
      if (!RETRY_STATUS(fetched.status)) return fetched;
      last = {
        message: `HTTP ${fetched.status}${statusText(fetched.status)}${proxy ? ` (through the proxy ${proxy})` : ''}`,
        retry: true,
        waitMs: retryAfterMs(fetched.retryAfter),
      };
    } catch (error) {
      last = describeError(error, url, proxy, progress.responded);
    } finally {
      if (pace) pace.last = Date.now();
    }
    const tries = `${attempt} ${attempt === 1 ? 'try' : 'tries'}`;
    if (!last.retry || attempt >= MAX_TRIES) throw new NetworkError(`GET ${href}: ${last.message}${attempt > 1 || last.retry ? ` (${tries})` : ''}`);
    const backoff = settings.retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random() * 0.5);
    const wait = last.waitMs ?? backoff;
    if (Date.now() + wait >= settings.deadline)
      throw new NetworkError(`GET ${href}: ${last.message} (${tries}); waiting ${Math.ceil(wait / 1000)} s more would pass --max-time`);
    settings.onRetry?.(`${last.message}; trying again in ${(wait / 1000).toFixed(1)} s`);
    await sleep(wait);
  }
}

/** " Not Found" for 404: the reason phrase of a status, as Node knows them; nothing for one it does not. */
export const statusText = (status: number) => (STATUS_CODES[status] ? ` ${STATUS_CODES[status]}` : '');
