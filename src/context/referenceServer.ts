// A small protocol v1 server over a context file: what the demo and the tests talk to, and a starting point for teams
// writing their own endpoint. Plain node:http, no framework, so it reads as a specification.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { Logger } from '../shared/contextModel';
import { MAX_IDS_PER_REQUEST, PROTOCOL_VERSION, featureIdSchema, type FeatureContext } from '../shared/contextProtocol';
import { ContextFile } from './contextFile';

export interface ReferenceServerOptions {
  /** The context file to serve (JSON or YAML, the shape of a `/v1/context` answer). */
  dataFile: string;
  /** Default 7410; 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Receives one line per request and one per reload; never a token. Default: discarded. */
  log?: (line: string) => void;
  /** Watch the data file (default true). */
  watch?: boolean;
}

export interface ReferenceServer {
  /** Base URL, e.g. `http://127.0.0.1:7410`: the value for `customerLens.endpoint`. */
  url: string;
  /** How many features the data file currently holds. */
  featureCount(): number;
  /** Rereads the data file now (changes are also picked up by a watcher). */
  reload(): Promise<void>;
  /** Stops listening, closes open connections and the file watcher. */
  close(): Promise<void>;
}

/** A JSON body with its ETag: a hash of exactly the bytes sent, so equal answers revalidate to 304. */
function jsonBody(value: unknown): { body: string; etag: string } {
  const body = JSON.stringify(value);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** RFC 9110 If-None-Match: a list of (possibly weak) tags, or `*`. */
function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const wanted = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === wanted;
  });
}

function sameSecret(given: string, expected: string): boolean {
  // Digests first: equal lengths for timingSafeEqual, and no early exit that leaks the token's length.
  return timingSafeEqual(createHash('sha256').update(given).digest(), createHash('sha256').update(expected).digest());
}

/** Writes a response with an explicit Content-Length (HEAD gets the headers only). */
function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body !== undefined) res.setHeader('content-length', Buffer.byteLength(body));
  res.statusCode = status;
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  const { body } = jsonBody({ error: { message } });
  send(res, status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...headers }, body);
}

/** Sends `value` with an ETag, or 304 when the client already has it. */
function sendCacheable(req: IncomingMessage, res: ServerResponse, value: unknown): void {
  const { body, etag } = jsonBody(value);
  const headers = { etag, 'cache-control': 'no-cache' };
  if (matchesIfNoneMatch(req.headers['if-none-match'], etag)) {
    send(res, 304, headers);
    return;
  }
  send(res, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' }, body);
}

/** Reads `?features=a,b` (repeatable); returns the ids or a message for a 400. */
export function parseFeaturesQuery(params: URLSearchParams): { ok: true; ids: string[] } | { ok: false; message: string } {
  const values = params.getAll('features');
  if (values.length === 0 || values.every((v) => v.trim() === '')) {
    return { ok: false, message: 'missing feature ids: ask for /v1/context?features=checkout,search' };
  }
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const raw of values.join(',').split(',')) {
    const id = raw.trim();
    if (id === '') return { ok: false, message: 'empty feature id in ?features= (two commas in a row, or a trailing comma)' };
    const checked = featureIdSchema.safeParse(id);
    if (!checked.success) {
      return { ok: false, message: `invalid feature id "${id.slice(0, 80)}": ${checked.error.issues[0]?.message ?? 'invalid'}` };
    }
    if (!seen.has(id)) {
      seen.add(id);
      ids.push(id);
    }
  }
  if (ids.length > MAX_IDS_PER_REQUEST) {
    return { ok: false, message: `too many feature ids: ${ids.length}; ask for at most ${MAX_IDS_PER_REQUEST} per request` };
  }
  return { ok: true, ids };
}

/** Starts serving protocol v1 from `options.dataFile`. Rejects when the file cannot be read or the port is taken. */
export async function startReferenceServer(options: ReferenceServerOptions): Promise<ReferenceServer> {
  const log = options.log ?? (() => undefined);
  const logger: Logger = { info: log, warn: log, error: log };
  const dataFile = path.resolve(options.dataFile);
  const data = new ContextFile(dataFile, {
    log: logger,
    watch: options.watch,
    onChange: () => log(`reloaded ${dataFile}: ${data.current.features.size} features${data.current.error ? ' (kept the last good content)' : ''}`),
  });
  const initial = await data.start();
  if (initial.error) {
    data.dispose();
    throw new Error(initial.error);
  }

  const server = createServer((req, res) => {
    const started = Date.now();
    res.on('finish', () => {
      // Request line and outcome only: no headers, so no token, ever.
      log(`${req.socket.remoteAddress ?? '-'} ${req.method} ${req.url} ${res.statusCode} ${res.getHeader('content-length') ?? 0}B ${Date.now() - started}ms`);
    });
    try {
      handle(req, res);
    } catch (error) {
      log(`error ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendError(res, 500, 'internal error in the reference server; see its log');
      else res.destroy();
    }
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://reference.invalid');
    const route = url.pathname.replace(/\/+$/, '');
    if (route !== '/v1/context' && route !== '/v1/features') {
      sendError(res, 404, `no such path ${url.pathname}; protocol v${PROTOCOL_VERSION} serves GET /v1/context?features=a,b and GET /v1/features`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, `${req.method} is not supported; use GET`, { allow: 'GET, HEAD' });
      return;
    }
    if (options.token !== undefined) {
      const header = req.headers.authorization ?? '';
      const given = /^Bearer\s+(.+)$/i.exec(header)?.[1]?.trim();
      if (given === undefined || !sameSecret(given, options.token)) {
        sendError(res, 401, given === undefined ? 'missing bearer token: send Authorization: Bearer <token>' : 'wrong bearer token', {
          'www-authenticate': 'Bearer realm="customer-lens"',
        });
        return;
      }
    }
    const features = data.current.features;
    if (route === '/v1/features') {
      const list = [...features.values()].map(({ id, name, updatedAt }) => ({ id, name, updatedAt }));
      sendCacheable(req, res, { version: PROTOCOL_VERSION, features: list });
      return;
    }
    const query = parseFeaturesQuery(url.searchParams);
    if (!query.ok) {
      sendError(res, 400, query.message);
      return;
    }
    const found = query.ids.map((id) => features.get(id)).filter((f): f is FeatureContext => f !== undefined);
    sendCacheable(req, res, { version: PROTOCOL_VERSION, features: found });
  }

  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? 7410;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    data.dispose();
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new Error(`port ${port} on ${host} is already in use; pick another with --port (0 picks a free one)`);
    if (code === 'EADDRNOTAVAIL') throw new Error(`cannot listen on ${host}: no such address on this machine; try --host 127.0.0.1`);
    throw error;
  }
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' || address.address.includes(':') ? `[${address.address}]` : address.address;
  const url = `http://${shownHost}:${address.port}`;

  let closing: Promise<void> | undefined;
  return {
    url,
    featureCount: () => data.current.features.size,
    reload: () => data.reload(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        data.dispose();
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
