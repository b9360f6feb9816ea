import { NetworkError } from '../errors.js';

type Env = Record<string, string | undefined>;

/** How requests are made: the same for every call of one command. */
export interface HttpSettings {
  env: Env;
  /** Most time for one request, from connecting to the last byte of the body. */
  timeoutMs: number;
  /** When the whole command must be done (epoch ms): no request or wait goes past it. */
  deadline: number;
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
}

const MAX_TRIES = 4;
// Statuses worth asking again: rate limited, timed out on their side, or a server error.
const RETRY_STATUS = (status: number) => status === 429 || status === 408 || status >= 500;
// Connection errors that may pass; a failed DNS lookup or TLS check will not, so they are not retried.
const RETRY_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_CLOSED']);

/** What went wrong with one try, in words, and whether another try may do better. */
interface Failure {
  message: string;
  retry: boolean;
  /** The server's Retry-After, in ms. */
  waitMs?: number;
}

class Timeout extends Error {}

let dispatcher: Promise<unknown> | undefined;

/** undici's agent that honours HTTPS_PROXY, HTTP_PROXY and NO_PROXY (lower case first, as curl reads them). */
function proxyAgent(env: Env): Promise<unknown> {
  dispatcher ??= import('undici').then(({ EnvHttpProxyAgent }) => {
    const pick = (name: string) => env[name.toLowerCase()] || env[name] || undefined;
    return new EnvHttpProxyAgent({
      httpProxy: pick('HTTP_PROXY'),
      httpsProxy: pick('HTTPS_PROXY') ?? pick('HTTP_PROXY'),
      noProxy: pick('NO_PROXY'),
    });
  });
  return dispatcher;
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

function describeError(error: unknown, url: URL, timeoutMs: number): Failure {
  if (error instanceof Timeout) return { message: `no complete answer within ${timeoutMs / 1000} s`, retry: true };
  const code = causeCode(error);
  if (code === 'ENOTFOUND') return { message: `cannot find the host ${url.hostname} (offline, or a DNS failure)`, retry: false };
  if (code === 'ECONNREFUSED') return { message: 'the connection was refused', retry: true };
  if (code && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY/.test(code))
    return { message: `TLS error (${code}): the server's certificate could not be verified`, retry: false };
  if (code && /^(?:ERR_TLS|ERR_SSL)/.test(code)) return { message: `TLS error (${code}): no secure connection could be made`, retry: false };
  if (code === 'UND_ERR_SOCKET' || /terminated|other side closed/i.test(String((error as Error)?.message)))
    return { message: 'the answer was cut short (the connection closed before its end)', retry: true };
  const detail = code ?? ((error as Error)?.message || String(error));
  return { message: `the request failed (${detail})`, retry: code !== undefined && RETRY_CODES.has(code) };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** One GET: headers and the whole body within `timeoutMs`, or a Timeout. */
async function getOnce(url: URL, accept: string, settings: HttpSettings, timeoutMs: number): Promise<Fetched> {
  const { fetch } = await import('undici');
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new Timeout()), timeoutMs);
  try {
    const response = await fetch(url, {
      headers: { 'user-agent': settings.userAgent, accept },
      signal: controller.signal,
      redirect: 'follow',
      dispatcher: (await proxyAgent(settings.env)) as never,
    });
    const body = Buffer.from(await response.arrayBuffer());
    const length = response.headers.get('content-length');
    if (length !== null && /^\d+$/.test(length) && Number(length) !== body.length && !response.headers.get('content-encoding'))
      throw Object.assign(new Error('terminated'), { code: 'UND_ERR_SOCKET' });
    return {
      url: url.href,
      status: response.status,
      contentType: response.headers.get('content-type') ?? '',
      body,
      retryAfter: response.headers.get('retry-after'),
    };
  } catch (error) {
    throw controller.signal.aborted ? new Timeout() : error;
  } finally {
    clearTimeout(timer);
  }
}

/**
 * GET `url` as people's tools should: a User-Agent, a timeout per request, and up to four tries on a
 * connection error, 429 or 5xx, waiting as Retry-After says or else 1, 2, 4 times the base delay with
 * jitter, never past the command's deadline. Returns the last answer, whatever its status (arXiv
 * explains a bad id in a 400's body); throws a NetworkError naming the URL when there is none.
 */
export async function httpGet(href: string, accept: string, settings: HttpSettings, pace?: Pace): Promise<Fetched> {
  const url = new URL(href);
  let last: Failure | undefined;
  for (let attempt = 1; ; attempt++) {
    const left = settings.deadline - Date.now();
    if (left <= 0) throw new NetworkError(`GET ${href}: ${last ? `${last.message}, and ` : ''}the time allowed for the command (--max-time) ran out`);
    let fetched: Fetched | undefined;
    try {
      // Spaced from the end of the last call, as arxiv.py spaces them: what the service sees is never closer.
      if (pace) await sleep(Math.max(0, pace.last + pace.minMs - Date.now()));
      fetched = await getOnce(url, accept, settings, Math.max(1, Math.min(settings.timeoutMs, settings.deadline - Date.now())));
      if (!RETRY_STATUS(fetched.status)) return fetched;
      last = {
        message: `HTTP ${fetched.status}${statusText(fetched.status)}`,
        retry: true,
        waitMs: retryAfterMs(fetched.retryAfter),
      };
    } catch (error) {
      last = describeError(error, url, Math.min(settings.timeoutMs, left));
    } finally {
      if (pace) pace.last = Date.now();
    }
    const tries = `${attempt} ${attempt === 1 ? 'try' : 'tries'}`;
    if (!last.retry || attempt >= MAX_TRIES) throw new NetworkError(`GET ${href}: ${last.message}${last.retry ? ` (${tries})` : ''}`);
    const backoff = settings.retryBaseMs * 2 ** (attempt - 1) * (0.5 + Math.random() * 0.5);
    const wait = last.waitMs ?? backoff;
    if (Date.now() + wait >= settings.deadline)
      throw new NetworkError(`GET ${href}: ${last.message} (${tries}); waiting ${Math.ceil(wait / 1000)} s more would pass --max-time`);
    settings.onRetry?.(`${last.message}; trying again in ${(wait / 1000).toFixed(1)} s`);
    await sleep(wait);
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};
export const statusText = (status: number) => (STATUS_TEXT[status] ? ` ${STATUS_TEXT[status]}` : '');
