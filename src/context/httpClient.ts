// GETs against a context endpoint: explicit timeouts, bounded retries, a response-size cap, and a bearer token that
// goes only where it may. Everything the endpoint sends back is bytes here; parsing happens in the caller.
import * as dns from 'node:dns';
import { Agent, type Dispatcher } from 'undici';
import type { Logger } from '../shared/contextModel';

/** Statuses worth another try for an idempotent GET: the server said "not now", not "no". */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const MAX_REDIRECTS = 5;

/** `DEADLINE`: this client's own limit on a whole request (see `once`). */
const TIMEOUT_CODES = new Set(['UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT', 'ETIMEDOUT', 'DEADLINE']);

export interface HttpClientOptions {
  /** How long one attempt may take, from connecting to the last byte (and each of undici's own timeouts). */
  requestTimeoutMs: number;
  /** Bodies larger than this fail with a `too-large` error naming the URL. */
  maxResponseBytes: number;
  log: Logger;
  /** A dispatcher owned by the caller (tests: a MockAgent or an Agent trusting a test CA). Default: an own Agent. */
  dispatcher?: Dispatcher;
  /** Retries after the first attempt for network errors, 429, 502, 503 and 504. Default 3. */
  maxRetries?: number;
  /** First backoff step; doubles with each retry, with jitter. Default 500 ms. */
  retryBaseDelayMs?: number;
  /** A `Retry-After` longer than this is not waited for: the response is returned as is. Default 30 s. */
  maxRetryAfterMs?: number;
  /** Jitter source, injectable for deterministic tests. */
  random?: () => number;
}

/** A bearer token and the one origin it belongs to. */
export interface BearerAuth {
  token: string;
  /** `https://host:port` of the endpoint; the token is never sent anywhere else. */
  origin: string;
}

export interface GetOptions {
  headers?: Record<string, string>;
  auth?: BearerAuth;
  signal?: AbortSignal;
  /** False: a single attempt (the probe wants to see what the endpoint really says). */
  retry?: boolean;
}

export interface HttpResponse {
  /** The URL that answered, after redirects. */
  url: string;
  status: number;
  /** Lower-cased names; repeated headers joined with `, `. */
  headers: Record<string, string>;
  body: Buffer;
  attempts: number;
  /** True when a token was given but not sent (plain http to a non-loopback host, or another origin). */
  tokenWithheld: boolean;
}

/** Why a request failed: the endpoint cannot be reached, was too slow, sent too much, or redirected badly. */
export type HttpErrorKind = 'network' | 'timeout' | 'too-large' | 'redirect' | 'aborted';

/** A request that produced no usable response. The message names the URL and says what to do; never a token. */
export class HttpError extends Error {
  constructor(
    message: string,
    readonly kind: HttpErrorKind,
    readonly url: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = 'HttpError';
  }
}

/**
 * True for a loopback address — 127.0.0.0/8, ::1, ::ffff:127.x.y.z — and for the name `localhost` itself, which
 * Customer Lens connects to only at a loopback address (see {@link loopbackOnlyLookup}): plain http there never
 * leaves the machine. Other names are not trusted, however they end (`attacker.localhost` resolves wherever a DNS
 * server says). URL hostnames arrive normalised: `127.1` and `0x7f.1` as 127.0.0.1, `::ffff:127.0.0.1` as
 * `::ffff:7f00:1`.
 */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host === '::1') return true;
  if (/^127(\.\d{1,3}){3}$/.test(host) || /^::ffff:127(\.\d{1,3}){3}$/.test(host)) return true;
  // IPv4-mapped in hexadecimal, as the URL parser writes it: ::ffff:7f00:1 is 127.0.0.1.
  return /^::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}$/.test(host);
}

/**
 * A `lookup` for the agent's connections that resolves `localhost` to loopback addresses only (RFC 6761: a resolver
 * or a hosts file could say otherwise, and the token is sent to `localhost` over plain http). Other names resolve as
 * usual.
 */
export const loopbackOnlyLookup = ((hostname: string, options: dns.LookupOptions, callback: (...args: unknown[]) => void) => {
  if (hostname.toLowerCase() !== 'localhost') return dns.lookup(hostname, options, callback as never);
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error);
    const loopback = addresses.filter((a) => isLoopbackHost(a.address));
    if (loopback.length === 0) {
      const refused = Object.assign(new Error('localhost does not resolve to a loopback address; fix the hosts file'), { code: 'ENOTLOOPBACK' });
      return callback(refused);
    }
    if (options.all) return callback(null, loopback);
    return callback(null, loopback[0]!.address, loopback[0]!.family);
  });
}) as unknown as typeof dns.lookup;

/** Whether a bearer token may travel over this URL's transport: https, or http that stays on this machine. */
export function transportAllowsToken(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
}

/** A URL fit for a log line or a message: no user info, no fragment. */
export function displayUrl(url: URL | string): string {
  const copy = new URL(String(url));
  copy.username = '';
  copy.password = '';
  copy.hash = '';
  return copy.toString();
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) flat[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function errorCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

function formatBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MB` : `${Math.ceil(bytes / 1024)} KB`;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
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

/** One per context service: owns (or borrows) the undici dispatcher all requests go through. */
export class HttpClient {
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly maxRetries: number;
  private readonly retryBaseDelayMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly random: () => number;
  private readonly withheldWarned = new Set<string>();

  constructor(private readonly options: HttpClientOptions) {
    this.ownsDispatcher = options.dispatcher === undefined;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connect: { timeout: options.requestTimeoutMs, lookup: loopbackOnlyLookup },
        headersTimeout: options.requestTimeoutMs,
        bodyTimeout: options.requestTimeoutMs,
        keepAliveTimeout: 10_000,
        connections: 4,
      });
    this.maxRetries = options.maxRetries ?? 3;
    this.retryBaseDelayMs = options.retryBaseDelayMs ?? 500;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
    this.random = options.random ?? Math.random;
  }

  /**
   * GETs `url`, following redirects itself (the token is dropped as soon as the origin changes) and retrying network
   * errors, 429, 502, 503 and 504 with exponential backoff and jitter, honouring `Retry-After`. Any other status is
   * returned as is; after the last retry the last response is returned. Throws {@link HttpError} when no response
   * could be had.
   */
  async get(url: URL | string, options: GetOptions = {}): Promise<HttpResponse> {
    const retries = options.retry === false ? 0 : this.maxRetries;
    for (let attempt = 1; ; attempt++) {
      let response: HttpResponse;
      try {
        response = await this.getFollowingRedirects(new URL(String(url)), options, attempt);
      } catch (error) {
        if (!(error instanceof HttpError) || (error.kind !== 'network' && error.kind !== 'timeout') || attempt > retries) throw error;
        await this.backoff(attempt, undefined, options.signal, error.url);
        continue;
      }
      if (!RETRY_STATUSES.has(response.status) || attempt > retries) return response;
      const retryAfter = parseRetryAfter(response.headers['retry-after']);
      if (retryAfter !== undefined && retryAfter > this.maxRetryAfterMs) {
        this.options.log.warn(`http retry skipped url=${displayUrl(response.url)} status=${response.status} retryAfterMs=${retryAfter} reason=longer than ${this.maxRetryAfterMs} ms`);
        return response;
      }
      await this.backoff(attempt, retryAfter, options.signal, response.url);
    }
  }

  /** Closes the dispatcher when this client created it. */
  async close(): Promise<void> {
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  private async backoff(attempt: number, retryAfterMs: number | undefined, signal: AbortSignal | undefined, url: string): Promise<void> {
    const step = Math.min(this.retryBaseDelayMs * 2 ** (attempt - 1), 30_000);
    const delay = retryAfterMs ?? Math.round(step / 2 + (this.random() * step) / 2);
    this.options.log.info(`http retry url=${displayUrl(url)} attempt=${attempt + 1} delayMs=${delay}${retryAfterMs !== undefined ? ' source=retry-after' : ''}`);
    try {
      await abortableSleep(delay, signal);
    } catch {
      throw new HttpError(`request to ${displayUrl(url)} was cancelled`, 'aborted', displayUrl(url), attempt);
    }
  }

  private async getFollowingRedirects(start: URL, options: GetOptions, attempt: number): Promise<HttpResponse> {
    let url = start;
    let tokenWithheld = false;
    for (let hop = 0; ; hop++) {
      const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
      if (options.auth) {
        if (url.origin === options.auth.origin && transportAllowsToken(url)) {
          headers.authorization = `Bearer ${options.auth.token}`;
        } else {
          tokenWithheld = true;
          this.warnWithheld(url, options.auth);
        }
      }
      const response = await this.once(url, headers, options.signal, attempt);
      const location = response.headers.location;
      if (!REDIRECT_STATUSES.has(response.status) || location === undefined) return { ...response, tokenWithheld };
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new HttpError(`${displayUrl(url)} redirected to an invalid location "${location}"`, 'redirect', displayUrl(url), attempt);
      }
      if (next.protocol !== 'https:' && next.protocol !== 'http:') {
        throw new HttpError(`${displayUrl(url)} redirected to ${next.protocol} URL; only http and https are followed`, 'redirect', displayUrl(url), attempt);
      }
      if (hop + 1 >= MAX_REDIRECTS) {
        throw new HttpError(`${displayUrl(start)} redirected more than ${MAX_REDIRECTS} times; point customerLens.endpoint at the final URL`, 'redirect', displayUrl(start), attempt);
      }
      this.options.log.info(`http redirect from=${displayUrl(url)} to=${displayUrl(next)}${next.origin !== url.origin ? ' crossOrigin=true' : ''}`);
      url = next;
    }
  }

  private warnWithheld(url: URL, auth: BearerAuth): void {
    const key = url.origin;
    if (this.withheldWarned.has(key)) return;
    this.withheldWarned.add(key);
    const reason = url.origin !== auth.origin ? `another origin than the endpoint (${auth.origin})` : 'plain http to a host that is not this machine; use https';
    this.options.log.warn(`token not sent url=${displayUrl(url)} reason=${reason}`);
  }

  /**
   * One request and its whole body, within the size cap and within `requestTimeoutMs` from the first byte sent to the
   * last byte received: undici's body timeout only bounds the gap between two chunks, so a server that drips one byte
   * at a time would otherwise hold the request open for ever. Bodies are always consumed or destroyed.
   */
  private async once(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined, attempt: number): Promise<Omit<HttpResponse, 'tokenWithheld'>> {
    const deadline = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      deadline.abort(new Error(`no complete answer within ${this.options.requestTimeoutMs} ms`));
    }, this.options.requestTimeoutMs);
    const cancel = () => deadline.abort(signal?.reason);
    if (signal?.aborted) cancel();
    else signal?.addEventListener('abort', cancel, { once: true });
    try {
      return await this.request(url, headers, deadline.signal, attempt, () => timedOut);
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', cancel);
    }
  }

  private async request(
    url: URL,
    headers: Record<string, string>,
    signal: AbortSignal,
    attempt: number,
    timedOut: () => boolean,
  ): Promise<Omit<HttpResponse, 'tokenWithheld'>> {
    const shown = displayUrl(url);
    const started = Date.now();
    let data: Dispatcher.ResponseData;
    try {
      data = await this.dispatcher.request({
        origin: url.origin,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers,
        signal,
        headersTimeout: this.options.requestTimeoutMs,
        bodyTimeout: this.options.requestTimeoutMs,
      });
    } catch (error) {
      throw this.toHttpError(error, shown, attempt, started, signal, timedOut());
    }
    const responseHeaders = flattenHeaders(data.headers);
    const max = this.options.maxResponseBytes;
    const declared = Number(responseHeaders['content-length']);
    try {
      if (Number.isFinite(declared) && declared > max) {
        data.body.destroy();
        throw new HttpError(
          `${shown} sent ${formatBytes(declared)}, more than the ${formatBytes(max)} limit; ask for fewer features or make the endpoint's answers smaller`,
          'too-large',
          shown,
          attempt,
        );
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of data.body) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        size += buffer.length;
        if (size > max) {
          data.body.destroy();
          throw new HttpError(
            `${shown} sent more than the ${formatBytes(max)} limit; ask for fewer features or make the endpoint's answers smaller`,
            'too-large',
            shown,
            attempt,
          );
        }
        chunks.push(buffer);
      }
      const body = Buffer.concat(chunks, size);
      this.options.log.info(`http GET url=${shown} status=${data.statusCode} bytes=${size} ms=${Date.now() - started} attempt=${attempt}`);
      return { url: shown, status: data.statusCode, headers: responseHeaders, body, attempts: attempt };
    } catch (error) {
      if (!data.body.destroyed) data.body.destroy();
      if (error instanceof HttpError) {
        this.options.log.warn(`http GET url=${shown} status=${data.statusCode} error=${error.kind} ms=${Date.now() - started} attempt=${attempt}`);
        throw error;
      }
      throw this.toHttpError(error, shown, attempt, started, signal, timedOut());
    }
  }

  private toHttpError(error: unknown, shown: string, attempt: number, started: number, signal: AbortSignal, timedOut: boolean): HttpError {
    const code = timedOut ? 'DEADLINE' : errorCode(error);
    const ms = Date.now() - started;
    let result: HttpError;
    if (!timedOut && (signal.aborted || code === 'UND_ERR_ABORTED')) {
      result = new HttpError(`request to ${shown} was cancelled`, 'aborted', shown, attempt);
    } else if (code !== undefined && TIMEOUT_CODES.has(code)) {
      result = new HttpError(
        `${shown} did not answer within ${this.options.requestTimeoutMs} ms; check the endpoint or raise customerLens.requestTimeoutMs`,
        'timeout',
        shown,
        attempt,
      );
    } else {
      const reason = code === 'ECONNREFUSED' ? 'connection refused' : code === 'ENOTFOUND' ? 'host not found' : (code ?? (error instanceof Error ? error.message : String(error)));
      result = new HttpError(
        `cannot reach ${shown} (${reason}); check customerLens.endpoint and that the server is running`,
        'network',
        shown,
        attempt,
      );
    }
    this.options.log.warn(`http GET url=${shown} error=${result.kind}${code ? ` code=${code}` : ''} ms=${ms} attempt=${attempt}`);
    return result;
  }
}
