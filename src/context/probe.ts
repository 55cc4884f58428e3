// Checks any endpoint against protocol v1, the way Customer Lens will use it, and says what passes and what does not:
// for teams writing their own endpoint.
import { randomBytes } from 'node:crypto';
import type { Dispatcher } from 'undici';
import type { Logger } from '../shared/contextModel';
import {
  MAX_IDS_PER_REQUEST,
  errorResponseSchema,
  parseContextResponse,
  parseFeatureListResponse,
} from '../shared/contextProtocol';
import { checkEndpoint, displayBase, endpointUrl } from './endpoint';
import { HttpClient, HttpError, transportAllowsToken, type BearerAuth, type HttpResponse } from './httpClient';

export interface ProbeOptions {
  token?: string;
  /** Ids to ask for; default: the first three from `/v1/features`. */
  features?: string[];
  requestTimeoutMs?: number;
  maxResponseBytes?: number;
  dispatcher?: Dispatcher;
  log?: Logger;
}

/** One check: what was asked and what came back. */
export interface ProbeCheck {
  name: string;
  ok: boolean;
  detail: string;
}

export interface ProbeReport {
  endpoint: string;
  checks: ProbeCheck[];
  passed: boolean;
}

const silent: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };

function listWarnings(warnings: string[]): string {
  return warnings.slice(0, 3).join('; ') + (warnings.length > 3 ? `; and ${warnings.length - 3} more` : '');
}

function bodyJson(response: HttpResponse): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(response.body.toString('utf8')) };
  } catch (error) {
    return { ok: false, error: `body is not JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

/** Whether an error response's body is empty or `{"error": {"message": "..."}}`, as the protocol allows. */
function errorShape(response: HttpResponse): { ok: boolean; detail: string } {
  if (response.body.length === 0) return { ok: true, detail: 'no body' };
  const json = bodyJson(response);
  if (!json.ok) return { ok: false, detail: `${json.error}; send {"error": {"message": "..."}} or nothing` };
  const parsed = errorResponseSchema.safeParse(json.value);
  return parsed.success
    ? { ok: true, detail: `message "${parsed.data.error.message.length > 100 ? `${parsed.data.error.message.slice(0, 100)}…` : parsed.data.error.message}"` }
    : { ok: false, detail: 'body is JSON but not {"error": {"message": "..."}}' };
}

/** Runs every check against `endpoint`; never throws for endpoint problems (they are failed checks). */
export async function runProbe(endpoint: string, options: ProbeOptions = {}): Promise<ProbeReport> {
  const checks: ProbeCheck[] = [];
  const record = (name: string, ok: boolean, detail: string) => {
    checks.push({ name, ok, detail });
    return ok;
  };
  const checked = checkEndpoint(endpoint);
  if (!checked.ok) {
    record('endpoint URL', false, checked.error);
    return { endpoint, checks, passed: false };
  }
  const base = checked.base;
  const shownBase = displayBase(base);
  const http = new HttpClient({
    requestTimeoutMs: options.requestTimeoutMs ?? 10_000,
    maxResponseBytes: options.maxResponseBytes ?? 5 * 1024 * 1024,
    log: options.log ?? silent,
    dispatcher: options.dispatcher,
    maxRetries: 0,
  });
  const auth: BearerAuth | undefined = options.token ? { token: options.token, origin: base.origin } : undefined;
  const urlFor = (route: `/v1/${string}`, ids?: string[]) => endpointUrl(base, route, ids);
  const get = async (url: URL, extra: { headers?: Record<string, string>; auth?: BearerAuth | undefined } = {}): Promise<HttpResponse | string> => {
    try {
      return await http.get(url, { headers: extra.headers, auth: 'auth' in extra ? extra.auth : auth, retry: false });
    } catch (error) {
      return error instanceof HttpError ? error.message : String(error);
    }
  };

  try {
    if (auth && !transportAllowsToken(base)) {
      record('token transport', false, `${shownBase} is plain http to another machine; Customer Lens will not send the token there. Serve it over https`);
    }

    // 1. The feature list.
    const list = await get(urlFor('/v1/features'));
    let knownIds: string[] = [];
    if (typeof list === 'string') {
      record('GET /v1/features', false, list);
      return { endpoint: shownBase, checks, passed: false };
    }
    if (list.status === 401 || list.status === 403) {
      record('GET /v1/features', false, `answered ${list.status}: ${auth ? 'the token was refused' : 'the endpoint needs a token; run again with --token'}`);
      return { endpoint: shownBase, checks, passed: false };
    }
    if (list.status !== 200) {
      record('GET /v1/features', false, `answered ${list.status}, expected 200`);
    } else {
      const json = bodyJson(list);
      const parsed = json.ok ? parseFeatureListResponse(json.value, 'body') : undefined;
      if (!json.ok) record('GET /v1/features', false, json.error);
      else if (!parsed!.ok) record('GET /v1/features', false, parsed!.error);
      else {
        knownIds = parsed!.value.features.map((f) => f.id);
        record(
          'GET /v1/features',
          parsed!.warnings.length === 0,
          parsed!.warnings.length === 0 ? `200, valid protocol v1 body (${knownIds.length} ${knownIds.length === 1 ? 'feature' : 'features'})` : `invalid entries: ${listWarnings(parsed!.warnings)}`,
        );
      }
      const type = list.headers['content-type'] ?? '';
      if (!/^application\/(.+\+)?json\b/i.test(type)) record('JSON content type', false, `Content-Type is "${type}", expected application/json`);
    }

    // 2. Context for some features, and its ETag.
    const ids = options.features && options.features.length > 0 ? options.features : knownIds.slice(0, 3);
    if (ids.length === 0) {
      record('GET /v1/context', false, 'no feature ids to ask for: /v1/features listed none; pass --features a,b');
      return { endpoint: shownBase, checks, passed: false };
    }
    const contextUrl = urlFor('/v1/context', ids);
    const context = await get(contextUrl);
    const contextName = `GET /v1/context?features=${ids.join(',')}`;
    let etag: string | undefined;
    if (typeof context === 'string') record(contextName, false, context);
    else if (context.status !== 200) record(contextName, false, `answered ${context.status}, expected 200`);
    else {
      const json = bodyJson(context);
      const parsed = json.ok ? parseContextResponse(json.value, 'body') : undefined;
      if (!json.ok) record(contextName, false, json.error);
      else if (!parsed!.ok) record(contextName, false, parsed!.error);
      else {
        const returned = parsed!.value.features.map((f) => f.id);
        const unasked = returned.filter((id) => !ids.includes(id));
        const problems = [...parsed!.warnings, ...(unasked.length > 0 ? [`features not asked for: ${unasked.join(', ')}`] : [])];
        record(
          contextName,
          problems.length === 0,
          problems.length === 0 ? `200, valid protocol v1 body (${returned.length} of ${ids.length} features have data)` : listWarnings(problems),
        );
      }
      etag = context.headers.etag;
      record('ETag', etag !== undefined, etag !== undefined ? `sent ${etag}` : 'no ETag header: every revalidation downloads the whole answer again');
    }

    // 3. Revalidation.
    if (etag !== undefined) {
      const again = await get(contextUrl, { headers: { 'if-none-match': etag } });
      if (typeof again === 'string') record('If-None-Match → 304', false, again);
      else record('If-None-Match → 304', again.status === 304, again.status === 304 ? `304 Not Modified${again.body.length > 0 ? ', but with a body' : ''}` : `answered ${again.status}, expected 304 for an unchanged answer`);
    }

    // 4. Ids without data are simply absent.
    const unknownId = `customer-lens-probe-${randomBytes(4).toString('hex')}`;
    const unknown = await get(urlFor('/v1/context', [unknownId]));
    if (typeof unknown === 'string') record('unknown feature id', false, unknown);
    else {
      const json = bodyJson(unknown);
      const parsed = json.ok ? parseContextResponse(json.value, 'body') : undefined;
      const ok = unknown.status === 200 && parsed?.ok === true && parsed.value.features.length === 0;
      record('unknown feature id', ok, ok ? '200 with no features' : `answered ${unknown.status}; expected 200 {"version": 1, "features": []}`);
    }

    // 5. Error shapes.
    const tooMany = Array.from({ length: MAX_IDS_PER_REQUEST + 1 }, (_, i) => `probe-${i}`);
    const overLimit = await get(urlFor('/v1/context', tooMany));
    if (typeof overLimit === 'string') record(`${MAX_IDS_PER_REQUEST + 1} ids → 400`, false, overLimit);
    else {
      const shape = errorShape(overLimit);
      record(
        `${MAX_IDS_PER_REQUEST + 1} ids → 400`,
        overLimit.status === 400 && shape.ok,
        overLimit.status === 400 ? `400, ${shape.detail}` : `answered ${overLimit.status}; expected 400 for more than ${MAX_IDS_PER_REQUEST} ids`,
      );
    }
    const missing = await get(urlFor('/v1/context'));
    if (typeof missing === 'string') record('no ids → 400', false, missing);
    else {
      const shape = errorShape(missing);
      record('no ids → 400', missing.status === 400 && shape.ok, missing.status === 400 ? `400, ${shape.detail}` : `answered ${missing.status}; expected 400 when ?features= is missing`);
    }
    const unknownPath = await get(urlFor(`/v1/${unknownId}`));
    if (typeof unknownPath === 'string') record('unknown path → 404', false, unknownPath);
    else {
      const shape = errorShape(unknownPath);
      record('unknown path → 404', unknownPath.status === 404 && shape.ok, unknownPath.status === 404 ? `404, ${shape.detail}` : `answered ${unknownPath.status}; expected 404`);
    }

    // 6. Auth, when the endpoint has a token.
    if (auth) {
      const anonymous = await get(contextUrl, { auth: undefined });
      if (typeof anonymous === 'string') record('no token → 401', false, anonymous);
      else {
        const shape = errorShape(anonymous);
        const refused = anonymous.status === 401 || anonymous.status === 403;
        record('no token → 401', refused && shape.ok, refused ? `${anonymous.status}, ${shape.detail}` : `answered ${anonymous.status}: the endpoint serves customer data without the token`);
      }
      const wrong = await get(contextUrl, { auth: { token: `wrong-${randomBytes(8).toString('hex')}`, origin: base.origin } });
      if (typeof wrong === 'string') record('wrong token → 401', false, wrong);
      else {
        const refused = wrong.status === 401 || wrong.status === 403;
        record('wrong token → 401', refused, refused ? `${wrong.status}` : `answered ${wrong.status}: the endpoint accepts a wrong token`);
      }
    }
  } finally {
    await http.close();
  }
  return { endpoint: shownBase, checks, passed: checks.every((c) => c.ok) };
}

/** The report as the CLI prints it. */
export function formatProbeReport(report: ProbeReport): string {
  const width = Math.max(...report.checks.map((c) => c.name.length));
  const failed = report.checks.filter((c) => !c.ok).length;
  return [
    `Probing ${report.endpoint} against customer context protocol v1`,
    ...report.checks.map((c) => `  ${c.ok ? 'PASS' : 'FAIL'}  ${c.name.padEnd(width)}  ${c.detail}`),
    '',
    `${report.checks.length - failed} passed, ${failed} failed`,
  ].join('\n');
}
