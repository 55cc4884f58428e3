// Serves protocol v1 (exactly as the README documents it) from the document cache, plus /healthz and /metrics.
// Answers come from memory: the database is asked only whether the documents moved (at most once a second).
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFeaturesQuery } from '../context/referenceServer';
import { PROTOCOL_VERSION } from '../shared/contextProtocol';
import type { Sql } from './database';
import type { DocumentCache } from './documents';
import type { HubMetrics } from './metrics';

export interface HubServerOptions {
  cache: DocumentCache;
  db: Sql;
  metrics: HubMetrics;
  /** Accepted bearer tokens; empty: no token needed (serve then binds loopback only). */
  tokens: readonly string[];
  host: string;
  port: number;
  /** Source ids in config order, for /metrics. */
  sourceIds: readonly string[];
  log?: (line: string) => void;
  /** How stale the cache may get before a request checks the database (default 1000 ms). */
  refreshMs?: number;
}

export interface HubServer {
  url: string;
  close(): Promise<void>;
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  const wanted = etag.replace(/^W\//, '');
  return header.split(',').some((candidate) => {
    const tag = candidate.trim();
    return tag === '*' || tag.replace(/^W\//, '') === wanted;
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body?: string): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  if (body !== undefined) res.setHeader('content-length', Buffer.byteLength(body));
  res.statusCode = status;
  res.end(res.req.method === 'HEAD' ? undefined : body);
}

function sendError(res: ServerResponse, status: number, message: string, headers: Record<string, string> = {}): void {
  send(res, status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache', ...headers }, JSON.stringify({ error: { message } }));
}

function sendCacheable(req: IncomingMessage, res: ServerResponse, doc: { body: string; etag: string }): void {
  const headers = { etag: doc.etag, 'cache-control': 'no-cache' };
  if (matchesIfNoneMatch(req.headers['if-none-match'], doc.etag)) send(res, 304, headers);
  else send(res, 200, { ...headers, 'content-type': 'application/json; charset=utf-8' }, doc.body);
}

export async function startHubServer(options: HubServerOptions): Promise<HubServer> {
  const log = options.log ?? (() => undefined);
  const tokenDigests = options.tokens.map(digest);
  const refreshMs = options.refreshMs ?? 1000;
  let refreshing: Promise<unknown> | undefined;
  let lastCheck = 0;
  const fresh = async () => {
    if (Date.now() - lastCheck < refreshMs) return;
    refreshing ??= options.cache.refresh().finally(() => {
      lastCheck = Date.now();
      refreshing = undefined;
    });
    await refreshing;
  };

  const authorised = (req: IncomingMessage): 'ok' | 'missing' | 'wrong' => {
    if (tokenDigests.length === 0) return 'ok';
    const given = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1]?.trim();
    if (given === undefined) return 'missing';
    const d = digest(given);
    // Every token is compared, in constant time each, so timing tells nothing about which (if any) matched.
    let ok = false;
    for (const t of tokenDigests) ok = timingSafeEqual(d, t) || ok;
    return ok ? 'ok' : 'wrong';
  };

  async function handle(req: IncomingMessage, res: ServerResponse, route: string, url: URL): Promise<void> {
    if (route === '/healthz') {
      try {
        await options.db.query('select 1 as one');
        send(res, 200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' }, JSON.stringify({ status: 'ok', documents: options.cache.size, revision: options.cache.revision }));
      } catch (error) {
        sendError(res, 503, `database unreachable: ${error instanceof Error ? error.message : String(error)}`);
      }
      return;
    }
    if (route === '/metrics') {
      const rows = await options.db.query<{ id: string; items: number; last_success_at: number | null; failures: number; next_run_at: number }>(
        'select id, items, last_success_at, failures, next_run_at from hub_sources where id = any($1::text[]) order by id',
        [[...options.sourceIds]],
      );
      const gauges: Array<{ name: string; help: string; labels?: Record<string, string>; value: number }> = rows.flatMap((r) => [
        { name: 'customer_lens_hub_source_items', help: 'Records stored per source.', labels: { source: r.id }, value: r.items },
        { name: 'customer_lens_hub_source_last_success_timestamp_seconds', help: 'When the source last synced without error (0: never).', labels: { source: r.id }, value: (r.last_success_at ?? 0) / 1000 },
        { name: 'customer_lens_hub_source_consecutive_failures', help: 'Failed syncs in a row per source.', labels: { source: r.id }, value: r.failures },
      ]);
      gauges.push({ name: 'customer_lens_hub_documents', help: 'Feature documents served.', labels: {}, value: options.cache.size });
      gauges.push({ name: 'customer_lens_hub_documents_revision', help: 'Revision of the served documents.', labels: {}, value: options.cache.revision });
      send(res, 200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-cache' }, options.metrics.render(gauges));
      return;
    }
    if (route !== '/v1/context' && route !== '/v1/features') {
      sendError(res, 404, `no such path ${url.pathname}; protocol v${PROTOCOL_VERSION} serves GET /v1/context?features=a,b and GET /v1/features`);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendError(res, 405, `${req.method} is not supported; use GET`, { allow: 'GET, HEAD' });
      return;
    }
    const auth = authorised(req);
    if (auth !== 'ok') {
      sendError(res, 401, auth === 'missing' ? 'missing bearer token: send Authorization: Bearer <token>' : 'wrong bearer token', { 'www-authenticate': 'Bearer realm="customer-lens"' });
      return;
    }
    await fresh();
    if (route === '/v1/features') {
      sendCacheable(req, res, options.cache.features());
      return;
    }
    const query = parseFeaturesQuery(url.searchParams);
    if (!query.ok) {
      sendError(res, 400, query.message);
      return;
    }
    sendCacheable(req, res, options.cache.context(query.ids));
  }

  const server = createServer((req, res) => {
    const started = process.hrtime.bigint();
    const url = new URL(req.url ?? '/', 'http://hub.invalid');
    const route = url.pathname.replace(/\/+$/, '') || '/';
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const known = ['/v1/context', '/v1/features', '/healthz', '/metrics'].includes(route) ? route : 'other';
      options.metrics.observeRequest(known, res.statusCode, seconds);
      // Request line and outcome only: never a header, so never a token.
      if (known !== '/healthz' && known !== '/metrics') log(`${req.socket.remoteAddress ?? '-'} ${req.method} ${req.url} ${res.statusCode} ${res.getHeader('content-length') ?? 0}B ${(seconds * 1000).toFixed(1)}ms`);
    });
    handle(req, res, route, url).catch((error: unknown) => {
      log(`error ${req.method} ${req.url}: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) sendError(res, 500, 'internal error in the hub; see its log');
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 65_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') reject(new Error(`port ${options.port} on ${options.host} is already in use; pick another with --port (0 picks a free one)`));
      else if (error.code === 'EADDRNOTAVAIL') reject(new Error(`cannot listen on ${options.host}: no such address on this machine; try --host 127.0.0.1`));
      else reject(error);
    });
    server.listen(options.port, options.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = address.address.includes(':') ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shownHost}:${address.port}`,
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      })),
  };
}
