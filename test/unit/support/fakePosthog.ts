// A local fake of PostHog's query API, just enough to test the posthog connector, built from PostHog's reference
// docs (it cannot be reached from the tests):
// - https://posthog.com/docs/api/queries: POST /api/projects/:project_id/query/ with
//   { "query": { "kind": "HogQLQuery", "query": "…", "values": {…} } } and a personal API key as a Bearer token;
//   answers { results: [[…], …], columns, types, hasMore, limit, offset, … }; up to 100 rows unless the query has a
//   LIMIT, at most 50,000.
// - HogQLQuery.values in PostHog's query schema: "constant values that can be referenced with the {placeholder}
//   syntax in the query"; an unknown placeholder is a 400 validation error.
// - https://posthog.com/docs/api: errors as { type, code, detail, attr }: 401 authentication_failed for a bad key,
//   403 permission_denied for a key without the Query Read scope, 429 throttled with Retry-After.
// It does not run HogQL: it recognises the connector's query (daily counts per event over a window) and answers it
// from its own event counts, as PostHog would.
import { bearer, startFakeVendor, type FakeVendor } from './fakeVendorHttp';

export interface FakePosthog extends FakeVendor {
  /** Daily counts: `${day}:${event}` → count. */
  counts: Map<string, number>;
  /** The scopes the key has; without `query:read`, every query is refused with 403. */
  scopes: string[];
}

export async function startFakePosthog(options: { projectId: string; token: string; counts?: Map<string, number> }): Promise<FakePosthog> {
  const counts = options.counts ?? new Map<string, number>();
  const scopes = ['query:read'];
  const fake = await startFakeVendor({
    authorized: bearer(options.token),
    unauthorized: { status: 401, body: { type: 'authentication_error', code: 'authentication_failed', detail: 'Personal API key found in request Authorization header is invalid.', attr: null } },
    answer(method, url, body) {
      if (method !== 'POST' || url.pathname !== `/api/projects/${options.projectId}/query/`) {
        return { status: 404, body: { type: 'invalid_request', code: 'not_found', detail: 'Not found.', attr: null } };
      }
      if (!scopes.includes('query:read')) {
        return { status: 403, body: { type: 'authentication_error', code: 'permission_denied', detail: "API key missing required scope 'query:read'", attr: null } };
      }
      const query = (body as { query?: { kind?: string; query?: string; values?: Record<string, unknown> } } | undefined)?.query;
      if (query?.kind !== 'HogQLQuery' || typeof query.query !== 'string') {
        return { status: 400, body: { type: 'validation_error', code: 'invalid_input', detail: 'query: expected a query node with a kind', attr: 'query' } };
      }
      const text = query.query;
      const values = query.values ?? {};
      for (const [, name] of text.matchAll(/\{(\w+)\}/g)) {
        if (!(name! in values)) return { status: 400, body: { type: 'validation_error', code: 'query_error', detail: `Placeholder {${name}} is not available in this context.`, attr: null } };
      }
      if (!/FROM events/.test(text) || !/GROUP BY day, event/.test(text) || !/ORDER BY day, event/.test(text) || !/event IN \{events\}/.test(text)) {
        return { status: 400, body: { type: 'validation_error', code: 'query_error', detail: 'The fake PostHog only answers daily counts per event.', attr: null } };
      }
      const limitMatch = /\bLIMIT (\d+)(?: OFFSET (\d+))?\s*$/.exec(text);
      const limit = Math.min(50_000, limitMatch ? Number(limitMatch[1]) : 100);
      const offset = limitMatch?.[2] ? Number(limitMatch[2]) : 0;
      const events = new Set(values.events as string[]);
      const from = Date.parse(String(values.from));
      const until = Date.parse(String(values.until));
      const rows = [...counts]
        .map(([key, value]) => {
          const [day, ...event] = key.split(':');
          return { day: day!, event: event.join(':'), value };
        })
        .filter((r) => events.has(r.event) && Date.parse(`${r.day}T00:00:00Z`) >= from && Date.parse(`${r.day}T00:00:00Z`) < until && r.value > 0)
        .sort((a, b) => a.day.localeCompare(b.day) || a.event.localeCompare(b.event));
      const page = rows.slice(offset, offset + limit);
      return {
        status: 200,
        body: {
          cache_key: 'cache_0f1e2d',
          is_cached: false,
          columns: ['day', 'event', 'value'],
          types: [
            ['day', 'Date'],
            ['event', 'String'],
            ['value', 'UInt64'],
          ],
          results: page.map((r) => [r.day, r.event, r.value]),
          hasMore: offset + limit < rows.length,
          limit,
          offset,
          hogql: text,
          timings: [],
        },
      };
    },
  });
  return Object.assign(fake, { counts, scopes });
}
