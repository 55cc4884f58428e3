// A local fake of GitHub's REST API, just enough of "List repository issues" to test the github-issues connector,
// built from GitHub's reference docs (it cannot be reached from the tests):
// - https://docs.github.com/en/rest/issues/issues#list-repository-issues: state, labels (all must match), sort,
//   direction, since (updated at or after), per_page, page; pull requests are listed too, with a `pull_request` key;
//   issues carry `comments` and a `reactions` rollup with "+1".
// - https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api: `Link` header with
//   rel="next" / rel="last" URLs.
// - https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api: x-ratelimit-limit/-remaining/
//   -used/-reset/-resource on every answer; 403 or 429 with x-ratelimit-remaining: 0 when the limit is spent;
//   retry-after for secondary limits.
// - https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api: ETag and
//   If-None-Match → 304 Not Modified.
// - 401 {"message": "Bad credentials", ...} for a wrong token.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeIssue {
  number: number;
  title: string;
  state: 'open' | 'closed';
  labels: string[];
  comments: number;
  thumbsUp: number;
  created_at: string;
  updated_at: string;
  body?: string | null;
  pull_request?: boolean;
}

/** What the fake does with one request: undefined → answer normally. */
export type Fault = (req: IncomingMessage, url: URL, page: number) => { status: number; headers?: Record<string, string>; body?: unknown; hang?: boolean } | undefined;

export interface FakeGithub {
  url: string;
  issues: FakeIssue[];
  /** Every request: path with query, and whether it carried our token. */
  requests: Array<{ url: string; authorized: boolean; ifNoneMatch?: string; status: number }>;
  faults: Fault[];
  remaining: number;
  /** Each answer waits this long (a slow API), default 0. */
  delayMs: number;
  /** The most requests in flight at once so far. */
  maxConcurrent: number;
  close(): Promise<void>;
}

export function issue(number: number, updated: string, fields: Partial<FakeIssue> = {}): FakeIssue {
  return { number, title: `Issue ${number}`, state: 'open', labels: ['customer'], comments: 0, thumbsUp: 0, created_at: updated, updated_at: updated, body: null, ...fields };
}

function render(base: string, repo: string, i: FakeIssue): unknown {
  return {
    url: `${base}/repos/${repo}/issues/${i.number}`,
    html_url: `https://github.example/${repo}/${i.pull_request ? 'pull' : 'issues'}/${i.number}`,
    id: 1_000_000 + i.number,
    number: i.number,
    title: i.title,
    user: { login: 'octocat', id: 1 },
    labels: i.labels.map((name, k) => ({ id: k + 1, name, color: 'f29513', default: false })),
    state: i.state,
    state_reason: i.state === 'closed' ? 'completed' : null,
    locked: false,
    comments: i.comments,
    created_at: i.created_at,
    updated_at: i.updated_at,
    closed_at: i.state === 'closed' ? i.updated_at : null,
    author_association: 'NONE',
    body: i.body ?? null,
    reactions: { url: `${base}/repos/${repo}/issues/${i.number}/reactions`, total_count: i.thumbsUp, '+1': i.thumbsUp, '-1': 0, laugh: 0, hooray: 0, confused: 0, heart: 0, rocket: 0, eyes: 0 },
    ...(i.pull_request ? { pull_request: { url: `${base}/repos/${repo}/pulls/${i.number}` } } : {}),
  };
}

export async function startFakeGithub(options: { repo: string; token?: string; issues?: FakeIssue[] }): Promise<FakeGithub> {
  const state: FakeGithub = { url: '', issues: options.issues ?? [], requests: [], faults: [], remaining: 5000, delayMs: 0, maxConcurrent: 0, close: async () => undefined };
  const hung: ServerResponse[] = [];
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
    let done = false;
    const settle = () => {
      if (!done) inFlight--;
      done = true;
    };
    // 'finish' is before the client can see the end of the answer; 'close' covers answers that never finish.
    res.on('finish', settle);
    res.on('close', settle);
    if (state.delayMs > 0) setTimeout(() => answer(req, res), state.delayMs);
    else answer(req, res);
  });
  const answer = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', state.url);
    const authorized = options.token !== undefined && req.headers.authorization === `Bearer ${options.token}`;
    const page = Number(url.searchParams.get('page') ?? '1');
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      state.requests.push({ url: `${url.pathname}${url.search}`, authorized, ...(req.headers['if-none-match'] ? { ifNoneMatch: String(req.headers['if-none-match']) } : {}), status });
      const text = body === undefined ? '' : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': 'application/json; charset=utf-8',
        'x-ratelimit-limit': '5000',
        'x-ratelimit-remaining': String(state.remaining),
        'x-ratelimit-used': String(5000 - state.remaining),
        'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
        'x-ratelimit-resource': 'core',
        ...headers,
      });
      res.end(text);
    };
    for (const fault of state.faults) {
      const answer = fault(req, url, page);
      if (answer?.hang) {
        state.requests.push({ url: `${url.pathname}${url.search}`, authorized, status: 0 });
        hung.push(res);
        return;
      }
      if (answer) return send(answer.status, answer.body, answer.headers);
    }
    if (options.token !== undefined && !authorized) {
      return send(401, { message: 'Bad credentials', documentation_url: 'https://docs.github.com/rest', status: '401' });
    }
    const match = /^\/repos\/([^/]+\/[^/]+)\/issues$/.exec(url.pathname);
    if (!match || match[1] !== options.repo) return send(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest' });
    if (state.remaining > 0) state.remaining--;
    const since = url.searchParams.get('since');
    const labels = (url.searchParams.get('labels') ?? '').split(',').filter((l) => l !== '');
    const perPage = Math.min(100, Number(url.searchParams.get('per_page') ?? '30'));
    const direction = url.searchParams.get('direction') ?? 'desc';
    let list = state.issues.filter((i) => (since ? Date.parse(i.updated_at) >= Date.parse(since) : true) && labels.every((l) => i.labels.includes(l)));
    list = list.sort((a, b) => (Date.parse(a.updated_at) - Date.parse(b.updated_at) || a.number - b.number) * (direction === 'asc' ? 1 : -1));
    const last = Math.max(1, Math.ceil(list.length / perPage));
    const body = list.slice((page - 1) * perPage, page * perPage).map((i) => render(state.url, options.repo, i));
    const link = (p: number) => {
      const next = new URL(url);
      next.searchParams.set('page', String(p));
      return next.toString();
    };
    const headers: Record<string, string> = {};
    const links: string[] = [];
    if (page < last) links.push(`<${link(page + 1)}>; rel="next"`, `<${link(last)}>; rel="last"`);
    if (page > 1) links.push(`<${link(1)}>; rel="first"`, `<${link(page - 1)}>; rel="prev"`);
    if (links.length > 0) headers.link = links.join(', ');
    const etag = `W/"${createHash('sha1').update(JSON.stringify(body)).digest('hex')}"`;
    headers.etag = etag;
    if (req.headers['if-none-match'] === etag) {
      state.remaining++; // 304s do not count against the limit
      return send(304, undefined, headers);
    }
    send(200, body, headers);
  };
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
