// The one HTTP client connectors use: a request budget per source, Retry-After and rate-limit headers honoured,
// backoff on network errors and 5xx, conditional requests, Link pagination, timeouts and a size cap. Built on
// undici with one Agent per hub process (explicit timeouts: undici's defaults are 300 s).
import { Agent, request, type Dispatcher } from 'undici';
import { isLoopbackHost, parseRetryAfter } from '../../context/httpClient';
import { ConnectorError, RateLimitedError, type RequestBudget } from './connector';

export interface ConnectorHttpOptions {
  /** Names the source in messages. */
  sourceId: string;
  budget: RequestBudget;
  /** The longest the client waits (for the budget, a Retry-After, a rate-limit reset) before giving up with RateLimitedError. Default 60 s. */
  maxWaitMs?: number;
  /** Retries after the first attempt for network errors and 5xx. Default 3. */
  maxRetries?: number;
  /** First backoff step, doubled each retry. Default 1 s. */
  retryBaseDelayMs?: number;
  /** Deadline of one whole request, headers and body. Default 30 s. */
  requestTimeoutMs?: number;
  /** Default 20 MB. */
  maxResponseBytes?: number;
  dispatcher?: Dispatcher;
  signal?: AbortSignal;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  log?: (line: string) => void;
}

export interface ConnectorRequest {
  headers?: Record<string, string>;
  /** A credential for `Authorization`, sent only to `authOrigin` and only over https or to this machine. */
  auth?: { header: string; origin: string };
  /** The ETag of the last answer: sent as If-None-Match; a 304 comes back as `notModified`. */
  etag?: string;
  /**
   * A vendor's own way of saying "rate limited" (a GraphQL error code in the body, a reset header of its own): the
   * wait in ms, or undefined when the answer is not one. Honoured like a 429 with Retry-After.
   */
  rateLimitWait?: (answer: { status: number; headers: Record<string, string>; text: string }) => number | undefined;
  /** 4xx statuses the caller reads itself instead of getting a ConnectorError (a GraphQL API's 400 with its errors). */
  accept?: number[];
}

/** A read that must be sent as a POST with a JSON body (a GraphQL query, a search): retried like a GET, as it changes nothing. */
export interface ConnectorQuery extends ConnectorRequest {
  body: unknown;
}

export interface ConnectorResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  notModified: boolean;
  etag?: string;
  /** The `Link: <…>; rel="next"` target, when the vendor paginates that way. */
  next?: string;
  json(): unknown;
  text(): string;
}

const RETRY_STATUSES = new Set([500, 502, 503, 504]);

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** RFC 8288 `Link` header → the `rel="next"` URL. */
export function nextLink(header: string | undefined): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /<([^>]*)>\s*;(.*)$/.exec(part.trim());
    if (match && /\brel\s*=\s*"?([^";]*\s)?next(\s[^";]*)?"?/i.test(match[2]!)) return match[1];
  }
  return undefined;
}

/** A token bucket: `requests` per `perSeconds`, full at start. */
class Budget {
  private tokens: number;
  private last: number;
  constructor(
    private readonly budget: RequestBudget,
    private readonly now: () => number,
  ) {
    this.tokens = budget.requests;
    this.last = now();
  }
  /** Ms to wait before a request may go; 0 takes a token now. */
  take(): number {
    const now = this.now();
    const rate = this.budget.requests / (this.budget.perSeconds * 1000);
    this.tokens = Math.min(this.budget.requests, this.tokens + (now - this.last) * rate);
    this.last = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - this.tokens) / rate);
  }
}

let sharedAgent: Agent | undefined;
function agent(): Agent {
  sharedAgent ??= new Agent({ connectTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 30_000, connections: 16 });
  return sharedAgent;
}

/** A politeness-aware GET client for one source. */
export class ConnectorHttp {
  /** Requests sent (attempts, including retries and 304s), for the sync log and metrics. */
  requests = 0;
  private readonly budget: Budget;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(private readonly options: ConnectorHttpOptions) {
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? defaultSleep;
    this.budget = new Budget(options.budget, this.now);
  }

  private get maxWaitMs(): number {
    return this.options.maxWaitMs ?? 60_000;
  }

  private async wait(ms: number, why: string): Promise<void> {
    if (ms > this.maxWaitMs) {
      throw new RateLimitedError(`source "${this.options.sourceId}": ${why}; next try in ${Math.ceil(ms / 1000)} s`, this.now() + ms);
    }
    if (ms > 0) {
      this.options.log?.(`source=${this.options.sourceId} waiting ms=${ms} reason="${why}"`);
      await this.sleep(ms, this.options.signal);
    }
  }

  /** GETs `url` politely. Throws ConnectorError for answers retrying will not fix, RateLimitedError for long waits. */
  get(url: string, req: ConnectorRequest = {}): Promise<ConnectorResponse> {
    return this.send('GET', url, req);
  }

  /**
   * POSTs a read-only query (GraphQL, a vendor's search endpoint) with the same politeness as `get`. Only for reads:
   * it is retried on network errors, 5xx and rate limits like a GET.
   */
  query(url: string, req: ConnectorQuery): Promise<ConnectorResponse> {
    return this.send('POST', url, req, JSON.stringify(req.body));
  }

  private async send(method: 'GET' | 'POST', url: string, req: ConnectorRequest, payload?: string): Promise<ConnectorResponse> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'customer-lens-hub', ...req.headers };
    if (payload !== undefined) headers['content-type'] = 'application/json';
    if (req.etag) headers['if-none-match'] = req.etag;
    if (req.auth) {
      const sameOrigin = target.origin === new URL(req.auth.origin).origin;
      const safeTransport = target.protocol === 'https:' || isLoopbackHost(target.hostname);
      if (sameOrigin && safeTransport) headers.authorization = req.auth.header;
      else this.options.log?.(`source=${this.options.sourceId} credential withheld url=${target.origin} reason=${sameOrigin ? 'plain http to another machine' : 'another origin'}`);
    }
    const maxRetries = this.options.maxRetries ?? 3;
    for (let attempt = 0; ; attempt++) {
      await this.wait(this.budget.take(), `request budget of ${this.options.budget.requests} per ${this.options.budget.perSeconds} s spent`);
      this.requests++;
      let response: Dispatcher.ResponseData;
      let body: Buffer;
      try {
        const signals = [AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000), ...(this.options.signal ? [this.options.signal] : [])];
        response = await request(target, { method, headers, ...(payload !== undefined ? { body: payload } : {}), dispatcher: this.options.dispatcher ?? agent(), signal: AbortSignal.any(signals) });
        body = await readCapped(response, this.options.maxResponseBytes ?? 20 * 1024 * 1024, target);
      } catch (error) {
        if (this.options.signal?.aborted) throw error;
        if (error instanceof ConnectorError) throw error;
        if (attempt >= maxRetries) {
          throw new Error(`cannot reach ${target.origin}${target.pathname}: ${describeNetworkError(error)} (after ${attempt + 1} attempts)`);
        }
        await this.backoff(attempt, describeNetworkError(error));
        continue;
      }
      const responseHeaders = flattenHeaders(response.headers);
      const status = response.statusCode;
      const rateLimitWait = this.rateLimitWait(status, responseHeaders) ?? req.rateLimitWait?.({ status, headers: responseHeaders, text: body.toString('utf8') });
      if (rateLimitWait !== undefined) {
        if (attempt >= maxRetries + 2) throw new RateLimitedError(`source "${this.options.sourceId}": still rate limited by ${target.origin}`, this.now() + Math.max(rateLimitWait, 60_000));
        await this.wait(rateLimitWait, `${target.origin} answered ${status} (rate limited)`);
        continue;
      }
      if (RETRY_STATUSES.has(status)) {
        if (attempt >= maxRetries) throw new Error(`${target.origin}${target.pathname} answered ${status} (after ${attempt + 1} attempts); the service may be down, the hub will try again later`);
        const retryAfter = parseRetryAfter(responseHeaders['retry-after'], this.now());
        if (retryAfter !== undefined) await this.wait(retryAfter, `${target.origin} answered ${status} with Retry-After`);
        else await this.backoff(attempt, `status ${status}`);
        continue;
      }
      if (req.accept?.includes(status)) return this.answer(target, status, responseHeaders, body);
      if (status === 401) throw new ConnectorError(`${target.origin} refused the credential (401); check the token's environment variable and its scopes`, 401);
      if (status === 403) throw new ConnectorError(`${target.origin}${target.pathname} answered 403 Forbidden; the token lacks a permission this source needs`, 403);
      if (status === 404) throw new ConnectorError(`${target.origin}${target.pathname} answered 404; check the source's settings (repository, account, baseUrl)`, 404);
      if (status !== 304 && (status < 200 || status >= 300)) {
        const said = vendorMessage(body);
        throw new ConnectorError(`${target.origin}${target.pathname} answered ${status}${said ? `: ${said}` : ''}`, status);
      }
      return this.answer(target, status, responseHeaders, body);
    }
  }

  private answer(target: URL, status: number, headers: Record<string, string>, body: Buffer): ConnectorResponse {
    return {
      url: target.toString(),
      status,
      headers,
      notModified: status === 304,
      etag: headers.etag,
      next: nextLink(headers.link),
      text: () => body.toString('utf8'),
      json() {
        try {
          return JSON.parse(body.toString('utf8'));
        } catch (error) {
          throw new ConnectorError(`${target.origin}${target.pathname} sent invalid JSON (${error instanceof Error ? error.message : String(error)})`);
        }
      },
    };
  }

  /** How long a rate-limit answer asks to wait, or undefined when the answer is not one. */
  private rateLimitWait(status: number, headers: Record<string, string>): number | undefined {
    const now = this.now();
    const retryAfter = parseRetryAfter(headers['retry-after'], now);
    const remaining = headers['x-ratelimit-remaining'];
    const reset = Number(headers['x-ratelimit-reset']);
    const untilReset = Number.isFinite(reset) && reset > 0 ? Math.max(0, reset * 1000 - now) + 1000 : undefined;
    if (status === 429) return retryAfter ?? untilReset ?? 60_000;
    if (status === 403 && (retryAfter !== undefined || remaining === '0')) return retryAfter ?? untilReset ?? 60_000;
    return undefined;
  }

  private async backoff(attempt: number, why: string): Promise<void> {
    const base = this.options.retryBaseDelayMs ?? 1000;
    const delay = Math.round(base * 2 ** attempt * (0.75 + Math.random() * 0.5));
    this.options.log?.(`source=${this.options.sourceId} retry attempt=${attempt + 1} in_ms=${delay} reason="${why}"`);
    await this.wait(Math.min(delay, this.maxWaitMs), why);
  }
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) out[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

async function readCapped(response: Dispatcher.ResponseData, cap: number, url: URL): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response.body) {
    size += (chunk as Buffer).length;
    if (size > cap) {
      response.body.destroy();
      throw new ConnectorError(`${url.origin}${url.pathname} sent more than ${Math.round(cap / 1024 / 1024)} MB; the hub refuses larger answers`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** The vendor's own error message from a JSON error body (`message`, `error`, `errors[0].message`), bounded and on one line. */
function vendorMessage(body: Buffer): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.subarray(0, 64 * 1024).toString('utf8'));
  } catch {
    return undefined;
  }
  const record = (parsed ?? {}) as { message?: unknown; error?: unknown; description?: unknown; errors?: Array<{ message?: unknown; title?: unknown }> };
  const first = Array.isArray(record.errors) ? record.errors[0] : undefined;
  const candidates = [record.message, record.description, first?.message, first?.title, typeof record.error === 'string' ? record.error : (record.error as { message?: unknown } | undefined)?.message];
  const text = candidates.find((c): c is string => typeof c === 'string' && c.trim() !== '');
  if (!text) return undefined;
  const line = text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
  return `"${line.length > 200 ? `${line.slice(0, 199)}…` : line}"`;
}

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'unknown host';
  return error instanceof Error ? error.message : String(error);
}
