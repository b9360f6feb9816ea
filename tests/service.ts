// Local stand-ins for the Hugging Face and arXiv APIs, and for an HTTP proxy: real servers on 127.0.0.1 at a
// random port, so that the built binary makes real requests and the tests see exactly what it sent.
import { spawn as spawnChild } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { BIN, CACHE_DIR, type Result } from './helpers.js';

export interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  at: number;
}

/** What to answer: a status, headers and body; or cut the body short after `cutAt` bytes; or never finish. */
export interface Answer {
  status?: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
  cutAt?: number;
  hang?: boolean;
}

export interface Service {
  url: string;
  seen: Seen[];
  close(): Promise<void>;
}

function listen(server: Server, sockets: Set<Socket>): Promise<string> {
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
}

function closer(server: Server, sockets: Set<Socket>) {
  return () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
}

/** A server that answers each request as `answer` says, given the request and how many came before it. */
export async function startService(answer: (seen: Seen, count: number) => Answer): Promise<Service> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const entry = { method: request.method ?? '', path: url.pathname, query: url.searchParams, headers: request.headers, at: Date.now() };
    seen.push(entry);
    const reply = answer(entry, seen.length);
    const body = typeof reply.body === 'string' ? Buffer.from(reply.body) : (reply.body ?? Buffer.alloc(0));
    response.writeHead(reply.status ?? 200, { 'content-length': String(body.length), ...reply.headers });
    if (reply.hang) {
      response.write(body.subarray(0, Math.min(10, body.length)));
      return;
    }
    if (reply.cutAt !== undefined) {
      response.write(body.subarray(0, reply.cutAt), () => response.socket?.destroy());
      return;
    }
    response.end(body);
  });
  const url = await listen(server, sockets);
  return { url, seen, close: closer(server, sockets) };
}

/** An HTTP proxy: tunnels CONNECT and forwards absolute-form requests, noting each target it was asked for. */
export async function startProxy(): Promise<Service> {
  const seen: Seen[] = [];
  const sockets = new Set<Socket>();
  const server = createServer((request, response) => {
    const target = new URL(request.url ?? '');
    seen.push({ method: request.method ?? '', path: target.href, query: target.searchParams, headers: request.headers, at: Date.now() });
    const upstream = connect(Number(target.port), target.hostname, () => {
      upstream.write(`${request.method} ${target.pathname}${target.search} HTTP/1.1\r\nhost: ${target.host}\r\nconnection: close\r\n\r\n`);
      upstream.pipe(response.socket!);
    });
  });
  server.on('connect', (request: IncomingMessage, client: Socket, head: Buffer) => {
    seen.push({ method: 'CONNECT', path: request.url ?? '', query: new URLSearchParams(), headers: request.headers, at: Date.now() });
    const [host, port] = (request.url ?? '').split(':');
    const upstream = connect(Number(port), host!, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  const url = await listen(server, sockets);
  return { url, seen, close: closer(server, sockets) };
}

/** Runs the built bin/papers without blocking this process, so that the servers above can answer it. */
export function spawnAsync(args: string[], options: { env?: NodeJS.ProcessEnv; stdin?: string; cwd?: string } = {}): Promise<Result> {
  return new Promise((resolve) => {
    const child = spawnChild(BIN, args, {
      cwd: options.cwd ?? tmpdir(),
      env: { PATH: process.env.PATH, PAPERS_CACHE_DIR: CACHE_DIR, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.stdin.end(options.stdin ?? '');
    child.on('close', (code) => resolve({ stdout, stderr, code: code ?? -1 }));
  });
}
