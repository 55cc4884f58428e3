// A real protocol v1 server on 127.0.0.1 (port 0) that can misbehave on demand: slow, 5xx, 429 with Retry-After,
// bad JSON, oversized or invalid bodies, redirects, dropped connections. It records every request it receives, so
// tests count requests and inspect headers on the server side.
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { FeatureContext } from '../../../src/shared/contextProtocol';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  pathname: string;
  /** The ids of `?features=`, in the order sent. */
  ids: string[];
  headers: IncomingHttpHeaders;
  at: number;
}

/** What to do with one request; `serve` answers from the server's data like a well-behaved endpoint. */
export type Behaviour = (req: IncomingMessage, res: ServerResponse, server: FaultServer) => void;

export const TEST_TLS = {
  key: readFileSync(path.join(__dirname, 'testTls.key')),
  cert: readFileSync(path.join(__dirname, 'testTls.crt')),
};

export class FaultServer {
  readonly requests: RecordedRequest[] = [];
  readonly data = new Map<string, FeatureContext>();
  /** ETags sent with 200 answers, in order. */
  readonly sentEtags: string[] = [];
  private readonly queue: Behaviour[] = [];
  private fallback: Behaviour = behaviours.serve;
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Starts on `host` (default 127.0.0.1), port 0; https with the test certificate when `tls` is true. */
  static async start(options: { host?: string; tls?: boolean; features?: FeatureContext[] } = {}): Promise<FaultServer> {
    let instance: FaultServer | undefined;
    const handler = (req: IncomingMessage, res: ServerResponse) => instance!.handle(req, res);
    const server = options.tls ? createHttpsServer(TEST_TLS, handler) : createHttpServer(handler);
    const host = options.host ?? '127.0.0.1';
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, host, () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const shownHost = host.includes(':') ? `[${host}]` : host;
    instance = new FaultServer(server, `${options.tls ? 'https' : 'http'}://${shownHost}:${port}`);
    for (const feature of options.features ?? []) instance.data.set(feature.id, feature);
    return instance;
  }

  /** The next requests get these behaviours, one each, in order; then `always` (default: serve). */
  next(...list: Behaviour[]): this {
    this.queue.push(...list);
    return this;
  }

  /** Every request after the queued ones gets this behaviour. */
  always(behaviour: Behaviour): this {
    this.fallback = behaviour;
    return this;
  }

  /** Requests to `/v1/context`. */
  get contextRequests(): RecordedRequest[] {
    return this.requests.filter((r) => r.pathname === '/v1/context');
  }

  /** Resolves once this many requests have arrived in total. */
  received(count: number): Promise<void> {
    if (this.requests.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Stops listening and drops every connection: requests are refused until {@link listenAgain}. */
  async stopListening(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Listens again on the same address and port. */
  async listenAgain(): Promise<void> {
    const url = new URL(this.url);
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(Number(url.port), url.hostname.replace(/^\[|\]$/g, ''), () => {
        this.server.off('error', reject);
        resolve();
      });
    });
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const parsed = new URL(req.url ?? '/', 'http://fault.invalid');
    const features = parsed.searchParams.get('features');
    this.requests.push({
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      pathname: parsed.pathname,
      ids: features ? features.split(',') : [],
      headers: req.headers,
      at: Date.now(),
    });
    for (const waiter of [...this.waiters]) {
      if (this.requests.length >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
    (this.queue.shift() ?? this.fallback)(req, res, this);
  }
}

function etagOf(body: string): string {
  return `"${createHash('sha1').update(body).digest('hex')}"`;
}

function json(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)), ...headers });
  res.end(body);
}

export const behaviours = {
  /** A correct endpoint: data for the asked ids, an ETag, 304 on a matching If-None-Match. */
  serve: ((req, res, server) => {
    const parsed = new URL(req.url ?? '/', 'http://fault.invalid');
    if (parsed.pathname === '/v1/features') {
      json(res, 200, { version: 1, features: [...server.data.values()].map(({ id, name }) => ({ id, name })) });
      return;
    }
    if (parsed.pathname !== '/v1/context') {
      json(res, 404, { error: { message: 'not found' } });
      return;
    }
    const ids = (parsed.searchParams.get('features') ?? '').split(',').filter(Boolean);
    const body = JSON.stringify({ version: 1, features: ids.map((id) => server.data.get(id)).filter(Boolean) });
    const etag = etagOf(body);
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag });
      res.end();
      return;
    }
    server.sentEtags.push(etag);
    res.writeHead(200, { 'content-type': 'application/json', etag, 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  }) as Behaviour,

  /** Answers with this status and an error body. */
  status:
    (code: number, headers: Record<string, string> = {}): Behaviour =>
    (_req, res) =>
      json(res, code, { error: { message: `injected ${code}` } }, headers),

  /** Waits before answering normally. */
  slow:
    (ms: number): Behaviour =>
    (req, res, server) => {
      const timer = setTimeout(() => behaviours.serve(req, res, server), ms);
      res.on('close', () => clearTimeout(timer));
    },

  /** Sends headers, then stalls the body. */
  stallBody:
    (ms: number): Behaviour =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"version": 1, "features": [');
      const timer = setTimeout(() => res.end(']}'), ms);
      res.on('close', () => clearTimeout(timer));
    },

  /**
   * Headers, then one byte of a valid answer every `intervalMs`: each byte comes well within any body timeout, so only
   * a deadline for the whole request ends it. Stops when the client goes away.
   */
  drip:
    (intervalMs: number): Behaviour =>
    (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const body = `{"version": 1, "features": [${' '.repeat(1_000_000)}]}`;
      let sent = 0;
      const timer = setInterval(() => {
        if (sent >= body.length) {
          clearInterval(timer);
          res.end();
          return;
        }
        res.write(body[sent++]);
      }, intervalMs);
      res.on('close', () => clearInterval(timer));
    },

  /**
   * A 200 whose body is `Content-Encoding: gzip` and inflates to `inflatedBytes` of JSON whitespace (sent although
   * the client never asked for gzip). Only a client that inflates bodies would see more than a few KB.
   */
  gzipBomb: (inflatedBytes: number): Behaviour => {
    const bomb = gzipSync(Buffer.concat([Buffer.from('{"version": 1, "features": ['), Buffer.alloc(inflatedBytes, 0x20), Buffer.from(']}')]), { level: 9 });
    return (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'content-length': String(bomb.length) });
      res.end(bomb);
    };
  },

  /** A 200 HTML page, as a captive portal or a misconfigured proxy sends. */
  htmlPage: ((_req, res) => {
    const body = '<!doctype html><html><body><h1>Sign in to the Wi-Fi</h1><script>location="http://portal.invalid"</script></body></html>';
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': String(Buffer.byteLength(body)) });
    res.end(body);
  }) as Behaviour,

  /** A 200 that is not JSON. */
  badJson: ((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"version": 1, "features": [ oops');
  }) as Behaviour,

  /** A body of `bytes` bytes; with `declare` the Content-Length says so up front, otherwise it is chunked. */
  tooLarge:
    (bytes: number, declare: boolean): Behaviour =>
    (_req, res) => {
      res.writeHead(200, declare ? { 'content-type': 'application/json', 'content-length': String(bytes) } : { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < bytes) {
          const size = Math.min(chunk.length, bytes - sent);
          sent += size;
          if (!res.write(size === chunk.length ? chunk : chunk.subarray(0, size))) {
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    },

  /** A raw JSON value as a 200. */
  body:
    (value: unknown, headers: Record<string, string> = {}): Behaviour =>
    (_req, res) =>
      json(res, 200, value, headers),

  /** Redirects to `location` (absolute or a function of the request path). */
  redirect:
    (location: string | ((path: string) => string), status = 302): Behaviour =>
    (req, res) => {
      res.writeHead(status, { location: typeof location === 'string' ? location : location(req.url ?? '/') });
      res.end();
    },

  /** Drops the connection without answering. */
  hangUp: ((req) => {
    req.socket.destroy();
  }) as Behaviour,
};

/** A URL on 127.0.0.1 where nothing listens (connection refused). */
export async function refusedUrl(): Promise<string> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}

/** A feature with one of everything, for tests. */
export function sampleFeature(id: string, extra: Partial<FeatureContext> = {}): FeatureContext {
  return {
    id,
    name: `Feature ${id}`,
    summary: `Why ${id} exists`,
    problems: [{ id: `${id}-p1`, title: `A problem with ${id}`, customers: 3, severity: 'high', url: 'https://support.example.com/t/1' }],
    quotes: [{ id: `${id}-q1`, text: `I love ${id}`, author: 'Ana', sentiment: 'positive' }],
    usage: [{ id: `${id}-u1`, label: 'Weekly users', value: 120, period: '7d', change: 0.1 }],
    links: [{ title: 'Dashboard', url: 'https://analytics.example.com/d/1' }],
    ...extra,
  };
}

/** A logger that keeps every line, for asserting what was (and was not) logged. */
export function captureLog(): { lines: string[]; info: (m: string) => void; warn: (m: string) => void; error: (m: string) => void } {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
}
