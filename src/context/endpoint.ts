// The endpoint setting and the URLs derived from it. Only feature ids ever go into a URL.
import { displayUrl } from './httpClient';

function displayable(endpoint: string): string {
  try {
    return displayUrl(endpoint);
  } catch {
    return endpoint.replace(/\/\/[^@/]*@/, '//');
  }
}

/** Validates `customerLens.endpoint`: an http(s) base URL without credentials, query or fragment. */
export function checkEndpoint(endpoint: string): { ok: true; base: URL } | { ok: false; error: string } {
  let url: URL;
  try {
    url = new URL(endpoint.trim());
  } catch {
    return { ok: false, error: `customerLens.endpoint "${displayable(endpoint)}" is not a URL; use e.g. https://context.example.com/api` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return { ok: false, error: `customerLens.endpoint must be an http or https URL, got ${url.protocol}` };
  }
  if (url.username || url.password) {
    return { ok: false, error: 'customerLens.endpoint contains credentials; remove them from the URL and store the token with Customer Lens: Set Token instead' };
  }
  if (url.search || url.hash) {
    return { ok: false, error: 'customerLens.endpoint must not have a query or fragment; give the base URL, e.g. https://context.example.com/api' };
  }
  return { ok: true, base: url };
}

/** `{base}/v1/...` whatever the base's trailing slashes, with `?features=a,b` when ids are given. */
export function endpointUrl(base: URL, route: '/v1/context' | '/v1/features' | `/v1/${string}`, ids?: readonly string[]): URL {
  const url = new URL(base.toString());
  url.pathname = `${url.pathname.replace(/\/+$/, '')}${route}`;
  url.search = '';
  url.hash = '';
  // Commas separate ids; everything else in an id is percent-encoded.
  if (ids) url.search = `?features=${ids.map(encodeURIComponent).join(',')}`;
  return url;
}

/** The base URL as shown to people: no trailing slash. */
export function displayBase(base: URL): string {
  return displayUrl(base).replace(/\/+$/, '');
}
