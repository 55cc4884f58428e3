// Stripe's official Node SDK on the hub's HTTP client: every request the SDK makes goes through the source's
// ConnectorHttp (its budget, Retry-After, backoff, size cap, credentials only to baseUrl's origin over https or to
// this machine), with the SDK's own retries off, at `baseUrl`. The SDK is loaded on the first sync of a stripe
// source, so other hub commands do not pay for loading it. The SDK's HTTP client interface:
// https://github.com/stripe/stripe-node (HttpClient, `httpClient` in the Stripe constructor's config).
import type Stripe from 'stripe';
import { ConnectorError } from './connector';
import type { ConnectorHttp } from './connectorHttp';

type StripeConfig = NonNullable<ConstructorParameters<typeof Stripe>[1]>;
type SdkHttpClient = NonNullable<StripeConfig['httpClient']>;
type SdkResponse = Awaited<ReturnType<SdkHttpClient['makeRequest']>>;

/**
 * The SDK's HTTP client (the interface of Stripe.HttpClient): every request goes through the source's ConnectorHttp.
 * Only GETs: the hub never writes to Stripe. The key the SDK puts in `Authorization` is handed over as a credential
 * for `origin` only.
 */
class HubHttpClient implements SdkHttpClient {
  constructor(
    private readonly http: ConnectorHttp,
    private readonly origin: string,
  ) {}
  getClientName(): string {
    return 'customer-lens-hub';
  }
  async makeRequest(host: string, port: string, path: string, method: string, headers: Record<string, unknown>): Promise<SdkResponse> {
    if (method !== 'GET') throw new ConnectorError(`the stripe connector only reads; it refused to send ${method} ${path}`);
    const url = `${new URL(this.origin).protocol}//${host}:${port}${path}`;
    const sent: Record<string, string> = {};
    let authorization: string | undefined;
    for (const [name, value] of Object.entries(headers)) {
      if (value === undefined || value === null) continue;
      if (name.toLowerCase() === 'authorization') authorization = String(value);
      else if (!['content-length', 'content-type'].includes(name.toLowerCase())) sent[name] = String(value);
    }
    const response = await this.http.get(url, { headers: sent, ...(authorization ? { auth: { header: authorization, origin: this.origin } } : {}) });
    return new HubHttpResponse(response.status, response.headers, () => response.json());
  }
}

class HubHttpResponse implements SdkResponse {
  constructor(
    private readonly status: number,
    private readonly headers: Record<string, string>,
    private readonly body: () => unknown,
  ) {}
  getStatusCode(): number {
    return this.status;
  }
  getHeaders(): Record<string, string> {
    return this.headers;
  }
  getRawResponse(): unknown {
    return {};
  }
  toStream(): never {
    throw new ConnectorError('the stripe connector reads no streams');
  }
  toJSON(): Promise<unknown> {
    return Promise.resolve().then(this.body);
  }
}

/** The SDK wraps what the HTTP client threw (a refusal, a rate limit) as a connection error: give back the original. */
export function unwrap(error: unknown): unknown {
  const { type, detail } = (error ?? {}) as { type?: unknown; detail?: unknown };
  return type === 'StripeConnectionError' && detail instanceof Error ? detail : error;
}

/** The SDK, loaded on first use (a `require` the hub bundle keeps: the SDK stays a runtime dependency). */
function loadSdk(): typeof Stripe {
  return require('stripe') as typeof Stripe;
}

/**
 * Runs an SDK call and gives back plain JSON: the SDK turns decimal fields (unit_amount_decimal) into Decimal objects,
 * whose JSON is the decimal string Stripe sent, which is what the revenue rules parse and what is stored raw.
 */
export async function call<T>(request: () => Promise<T>): Promise<T> {
  let result: T;
  try {
    result = await request();
  } catch (error) {
    throw unwrap(error);
  }
  return JSON.parse(JSON.stringify(result)) as T;
}

/** An SDK client that reads from `base` (Stripe's API, or a local fake in tests) through `http`. */
export function stripeClient(key: string, base: URL, http: ConnectorHttp): Stripe {
  const StripeSdk = loadSdk();
  return new StripeSdk(key, {
    httpClient: new HubHttpClient(http, base.origin),
    host: base.hostname,
    port: base.port || (base.protocol === 'http:' ? '80' : '443'),
    protocol: base.protocol === 'http:' ? 'http' : 'https',
    // Retries, Retry-After and the request budget are the hub's HTTP client's job.
    maxNetworkRetries: 0,
    telemetry: false,
    appInfo: { name: 'customer-lens-hub' },
  });
}
