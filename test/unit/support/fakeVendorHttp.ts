// What the local fakes of PostHog, Stripe and HubSpot share (the Zendesk, Intercom and Linear fakes use
// fakeVendor.ts, which routes by parsed request instead of by URL): an HTTP server on 127.0.0.1, a log of the
// requests it answered, faults a test injects (a status with headers and a body, or a request left hanging), and JSON
// answers. Each vendor's fake (fakePosthog.ts, fakeStripe.ts, fakeHubspot.ts) adds the routes and shapes of that
// vendor's reference docs on top.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  /** Path with query string. */
  url: string;
  /** The parsed JSON body of a POST, if any. */
  body?: unknown;
  authorized: boolean;
  status: number;
}

export interface FaultAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Never answer (a server that hangs). */
  hang?: boolean;
}

/** Decides, per request, whether to answer with a fault instead; `n` counts requests to routes, from 1. */
export type VendorFault = (request: { method: string; url: URL; body: unknown; n: number }) => FaultAnswer | undefined;

export interface FakeVendor {
  url: string;
  requests: FakeRequest[];
  faults: VendorFault[];
  close(): Promise<void>;
}

export interface VendorRoutes {
  /** Whether the request carries a valid credential. */
  authorized(req: IncomingMessage): boolean;
  /** The vendor's answer to a request without a valid credential. */
  unauthorized: FaultAnswer;
  /** Answers a request: a status and a JSON body, optional headers. */
  answer(method: string, url: URL, body: unknown): FaultAnswer;
  /** Headers on every answer (rate-limit counters and the like). */
  headers?: () => Record<string, string>;
}

export async function startFakeVendor(routes: VendorRoutes): Promise<FakeVendor> {
  const state: FakeVendor = { url: '', requests: [], faults: [], close: async () => undefined };
  const hung: ServerResponse[] = [];
  let n = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', state.url);
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      if (text !== '') {
        try {
          body = (req.headers['content-type'] ?? '').includes('json') ? JSON.parse(text) : text;
        } catch {
          body = text;
        }
      }
      const authorized = routes.authorized(req);
      const log = (status: number) => state.requests.push({ method: req.method ?? 'GET', url: `${url.pathname}${url.search}`, ...(body !== undefined ? { body } : {}), authorized, status });
      const send = (answer: FaultAnswer) => {
        log(answer.status);
        res.writeHead(answer.status, { 'content-type': 'application/json', ...routes.headers?.(), ...answer.headers });
        res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
      };
      n++;
      for (const fault of state.faults) {
        const answer = fault({ method: req.method ?? 'GET', url, body, n });
        if (answer?.hang) {
          log(0);
          hung.push(res);
          return;
        }
        if (answer) return send(answer);
      }
      if (!authorized) return send(routes.unauthorized);
      send(routes.answer(req.method ?? 'GET', url, body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((resolve) => {
      for (const res of hung) res.destroy();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return state;
}

/** A Bearer credential check. */
export function bearer(token: string): (req: IncomingMessage) => boolean {
  return (req) => req.headers.authorization === `Bearer ${token}`;
}
