// The plumbing shared by the local fakes of vendor APIs (fakeZendesk.ts, fakeIntercom.ts, fakeLinear.ts): a real
// HTTP server on 127.0.0.1, a log of every request, JSON bodies, a credential check, and faults a test injects
// (429 with Retry-After, 5xx, 403, a page that keeps failing). Each fake answers in its vendor's documented shapes.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  pathname: string;
  query: URLSearchParams;
  /** The parsed JSON body of a POST, else undefined. */
  body: unknown;
  headers: IncomingHttpHeaders;
}

export interface FakeAnswer {
  status?: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface RecordedRequest {
  method: string;
  /** Path and query. */
  url: string;
  body: unknown;
  authorized: boolean;
  status: number;
}

/** What the fake does with one request (`n` counts the requests that reached it, from 1): undefined → answer normally. */
export type Fault = (req: FakeRequest, n: number) => FakeAnswer | undefined;

export interface FakeVendor {
  url: string;
  requests: RecordedRequest[];
  faults: Fault[];
  close(): Promise<void>;
}

export async function startFakeVendor(options: {
  authorized(req: FakeRequest): boolean;
  /** The vendor's answer to a missing or wrong credential. */
  unauthorized: FakeAnswer;
  handle(req: FakeRequest, fake: FakeVendor): FakeAnswer;
}): Promise<FakeVendor> {
  const fake: FakeVendor = { url: '', requests: [], faults: [], close: async () => undefined };
  let count = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', fake.url);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {
        body = text;
      }
      const request: FakeRequest = { method: req.method ?? 'GET', pathname: url.pathname, query: url.searchParams, body, headers: req.headers };
      const authorized = options.authorized(request);
      count++;
      let answer: FakeAnswer | undefined;
      for (const fault of fake.faults) {
        answer = fault(request, count);
        if (answer) break;
      }
      answer ??= authorized ? options.handle(request, fake) : options.unauthorized;
      const status = answer.status ?? 200;
      fake.requests.push({ method: request.method, url: `${url.pathname}${url.search}`, body, authorized, status });
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  fake.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return fake;
}

/** An opaque cursor, as vendors hand them out: base64 of a position only the fake reads. */
export function encodeCursor(position: unknown): string {
  return Buffer.from(JSON.stringify(position)).toString('base64url');
}

export function decodeCursor<T>(cursor: string): T | undefined {
  try {
    return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as T;
  } catch {
    return undefined;
  }
}
