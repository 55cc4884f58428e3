// The one HTTP client connectors use: a request budget per source, Retry-After and rate-limit headers honoured,
// backoff on network errors and 5xx, conditional requests, Link pagination, timeouts and a size cap. Built on
// undici with one Agent per hub process (explicit timeouts: undici's defaults are 300 s). GETs, and POSTs for
// read-only queries (a CRM search, a SQL query), which are as safe to repeat as a GET; the hub never writes to a
// vendor.
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
}

/** A read-only query sent as a POST body: JSON (an object) or text already encoded, with its content type. */
export type ConnectorRequestBody = { json: unknown } | { text: string; contentType: string };

export interface ConnectorResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  notModified: boolean;
  etag?: string;
  /** The `Link: <…>; rel="next"` target, when the vendor paginates that way. */
  next?: string;
  json(): unknown;
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
    return this.send('GET', url, undefined, req);
  }

  /**
   * POSTs a read-only query (a search, a SQL query) politely, retried like a GET. Never use it to change anything at
   * the vendor: a retried write could happen twice.
   */
  post(url: string, body: ConnectorRequestBody, req: ConnectorRequest = {}): Promise<ConnectorResponse> {
    return this.send('POST', url, body, req);
  }

  private async send(method: 'GET' | 'POST', url: string, body: ConnectorRequestBody | undefined, req: ConnectorRequest): Promise<ConnectorResponse> {
    const target = new URL(url);
    const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'customer-lens-hub', ...req.headers };
    const payload = body === undefined ? undefined : 'json' in body ? JSON.stringify(body.json) : body.text;
    if (body !== undefined) headers['content-type'] = 'json' in body ? 'application/json' : body.contentType;
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
      let received: Buffer;
      try {
        const signals = [AbortSignal.timeout(this.options.requestTimeoutMs ?? 30_000), ...(this.options.signal ? [this.options.signal] : [])];
        response = await request(target, { method, headers, ...(payload !== undefined ? { body: payload } : {}), dispatcher: this.options.dispatcher ?? agent(), signal: AbortSignal.any(signals) });
        received = await readCapped(response, this.options.maxResponseBytes ?? 20 * 1024 * 1024, target);
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
      const rateLimitWait = this.rateLimitWait(status, responseHeaders);
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
      if (status === 401) throw new ConnectorError(`${target.origin} refused the credential (401); check the token's environment variable and its scopes`, 401);
      if (status === 403) throw new ConnectorError(`${target.origin}${target.pathname} answered 403 Forbidden; the token lacks a permission this source needs`, 403);
      if (status === 404) throw new ConnectorError(`${target.origin}${target.pathname} answered 404; check the source's settings (repository, account, baseUrl)`, 404);
      if (status !== 304 && (status < 200 || status >= 300)) {
        const said = vendorMessage(received);
        throw new ConnectorError(`${target.origin}${target.pathname} answered ${status}${said ? `: ${said}` : ''}`, status);
      }
      return {
        url: target.toString(),
        status,
        headers: responseHeaders,
        notModified: status === 304,
        etag: responseHeaders.etag,
        next: nextLink(responseHeaders.link),
        json() {
          try {
            return JSON.parse(received.toString('utf8'));
          } catch (error) {
            throw new ConnectorError(`${target.origin}${target.pathname} sent invalid JSON (${error instanceof Error ? error.message : String(error)})`);
          }
        },
      };
    }
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

/**
 * The vendor's own explanation of a refused request (a query's syntax error, an unknown property), from the usual
 * JSON error shapes, on one bounded line: it goes into `hub status` and the log.
 */
function vendorMessage(body: Buffer): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.subarray(0, 64 * 1024).toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const o = parsed as Record<string, unknown>;
  const nested = o.error !== null && typeof o.error === 'object' ? (o.error as Record<string, unknown>).message : undefined;
  const text = [nested, o.message, o.detail, typeof o.error === 'string' ? o.error : undefined].find((v): v is string => typeof v === 'string' && v.trim() !== '');
  if (!text) return undefined;
  const line = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
  return line.length <= 300 ? line : `${line.slice(0, 299)}…`;
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

function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  if (code === 'ECONNREFUSED') return 'connection refused';
  if (code === 'ENOTFOUND') return 'unknown host';
  return error instanceof Error ? error.message : String(error);
}
