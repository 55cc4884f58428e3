// Vendor SDKs over the hub's polite client. An SDK brings typed requests and models; the hub keeps the politeness:
// every request an SDK makes goes through `ConnectorHttp` (the source's budget, Retry-After, backoff, timeouts, size
// cap), the SDK's own retries are turned off, and the credential is added by the hub (only for the configured origin,
// only over https or to this machine), so the SDK never holds it.
import { ConnectorError } from './connector';
import type { ConnectorHttp } from './connectorHttp';

/** What an SDK is given instead of the credential: the hub adds the real one to each request. */
export const CREDENTIAL_ADDED_BY_THE_HUB = 'added-by-customer-lens-hub';

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  new Headers(headers ?? {}).forEach((value, name) => {
    out[name.toLowerCase()] = value;
  });
  return out;
}

/**
 * A `fetch` for SDKs that accept one. SDKs turn a failed fetch into an error of their own, which loses what the hub
 * needs (when a rate limit ends, the status); `failure` keeps the hub's error so the connector can rethrow it.
 */
export class SdkTransport {
  failure: Error | undefined;

  constructor(
    private readonly http: ConnectorHttp,
    private readonly auth: { header: string; origin: string } | undefined,
  ) {}

  readonly fetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.toString() : input.url;
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = headerRecord(init.headers);
    delete headers.authorization; // the SDK's placeholder; `auth` carries the real credential
    delete headers['content-length'];
    this.failure = undefined;
    try {
      let response;
      if (method === 'GET') {
        response = await this.http.get(url, { headers, ...(this.auth ? { auth: this.auth } : {}) });
      } else if (method === 'POST' && (typeof init.body === 'string' || init.body == null)) {
        // SDKs POST to list and search; the hub sends only reads, so a POST is retried like a GET.
        const body: unknown = typeof init.body === 'string' ? JSON.parse(init.body) : {};
        response = await this.http.query(url, { body, headers, ...(this.auth ? { auth: this.auth } : {}) });
      } else {
        throw new ConnectorError(`the hub only reads: refusing ${method} ${new URL(url).pathname}`);
      }
      const empty = response.status === 204 || response.status === 304;
      return new Response(empty ? null : response.text(), { status: response.status, headers: response.headers });
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  };

  /** Calls the SDK and, when it fails because a request failed, throws the hub's own error for it. */
  async call<T>(what: () => Promise<T>): Promise<T> {
    try {
      return await what();
    } catch (error) {
      const failure = this.failure;
      this.failure = undefined;
      throw failure ?? error;
    }
  }
}
