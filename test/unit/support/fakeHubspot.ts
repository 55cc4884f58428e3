// A local fake of HubSpot's CRM companies API, just enough to test the hubspot connector, built from HubSpot's
// reference docs (it cannot be reached from the tests):
// - https://developers.hubspot.com/docs/api-reference/crm-companies-v3/basic/get-crm-v3-objects-companies:
//   GET /crm/v3/objects/companies?limit (default 10, at most 100)&after&properties=a,b&archived → { results: [{ id,
//   properties: { createdate, domain, hs_lastmodifieddate, hs_object_id, name, …requested }, createdAt, updatedAt,
//   archived }], paging: { next: { after, link } } }; `after` is an opaque token; a property the company has no value
//   for comes back as null.
// - https://developers.hubspot.com/docs/api-reference/search/guide: POST /crm/v3/objects/companies/search with
//   { filterGroups: [{ filters: [{ propertyName, operator, value }] }], sorts, properties, limit (at most 200), after }
//   → { total, results, paging: { next: { after } } }, where after is the offset; at most 10,000 results a query
//   (a 400 past it); archived companies are not searched.
// - https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details and /docs/api/error-handling: errors as
//   { status: "error", message, correlationId, category }; 401 INVALID_AUTHENTICATION, 403 MISSING_SCOPES, 429 with
//   errorType RATE_LIMIT and policyName; X-HubSpot-RateLimit-* headers.
import { bearer, startFakeVendor, type FakeVendor } from './fakeVendorHttp';

export interface FakeCompany {
  id: string;
  properties: Record<string, string | null>;
  /** Epoch ms of the last change (hs_lastmodifieddate, updatedAt). */
  modified: number;
  archived?: boolean;
}

export interface FakeHubspot extends FakeVendor {
  companies: FakeCompany[];
  /** The scopes the token has; without crm.objects.companies.read every request is refused with 403. */
  scopes: string[];
  /** Changes a company's properties as a person in HubSpot would, moving its modification time to `at`. */
  edit(id: string, properties: Record<string, string | null>, at: number): void;
}

function error(status: number, category: string, message: string, extra: Record<string, unknown> = {}) {
  return { status, body: { status: 'error', message, correlationId: '7f5e8b2c-0000-4000-8000-000000000000', category, ...extra } };
}

function view(company: FakeCompany, requested: string[]) {
  const defaults = ['createdate', 'domain', 'hs_lastmodifieddate', 'hs_object_id', 'name'];
  const properties: Record<string, string | null> = {};
  const all = { ...company.properties, hs_object_id: company.id, hs_lastmodifieddate: new Date(company.modified).toISOString(), createdate: '2024-01-02T03:04:05.000Z' };
  for (const name of new Set([...defaults, ...requested])) properties[name] = all[name as keyof typeof all] ?? null;
  return { id: company.id, properties, createdAt: '2024-01-02T03:04:05.000Z', updatedAt: new Date(company.modified).toISOString(), archived: company.archived ?? false };
}

export async function startFakeHubspot(options: { token: string }): Promise<FakeHubspot> {
  const companies: FakeCompany[] = [];
  const scopes = ['crm.objects.companies.read'];
  const fake = await startFakeVendor({
    authorized: bearer(options.token),
    unauthorized: error(401, 'INVALID_AUTHENTICATION', 'Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview'),
    headers: () => ({ 'x-hubspot-ratelimit-max': '100', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }),
    answer(method, url, body) {
      if (!scopes.includes('crm.objects.companies.read')) {
        return error(403, 'MISSING_SCOPES', "This app hasn't been granted all required scopes to make this call.", { errors: [{ message: 'One or more of the following scopes are required.', context: { requiredGranularScopes: ['crm.objects.companies.read'] } }] });
      }
      const sorted = [...companies].sort((a, b) => Number(a.id) - Number(b.id));
      if (method === 'GET' && url.pathname === '/crm/v3/objects/companies') {
        const limit = Number(url.searchParams.get('limit') ?? '10');
        if (!(limit >= 1 && limit <= 100)) return error(400, 'VALIDATION_ERROR', 'limit must be between 1 and 100');
        const archived = url.searchParams.get('archived') === 'true';
        const requested = (url.searchParams.get('properties') ?? '').split(',').filter(Boolean);
        const after = url.searchParams.get('after');
        // The token is opaque to clients; here it encodes the last id of the previous page.
        const afterId = after ? Number(Buffer.from(after, 'base64url').toString('utf8')) : 0;
        const rows = sorted.filter((c) => (c.archived ?? false) === archived && Number(c.id) > afterId);
        const page = rows.slice(0, limit);
        const more = rows.length > limit;
        const next = more ? Buffer.from(page[page.length - 1]!.id).toString('base64url') : undefined;
        return { status: 200, body: { results: page.map((c) => view(c, requested)), ...(next ? { paging: { next: { after: next, link: `${fake.url}/crm/v3/objects/companies?after=${next}` } } } : {}) } };
      }
      if (method === 'POST' && url.pathname === '/crm/v3/objects/companies/search') {
        const query = body as { filterGroups?: Array<{ filters?: Array<{ propertyName: string; operator: string; value?: string }> }>; sorts?: Array<{ propertyName: string; direction: string }>; properties?: string[]; limit?: number; after?: string };
        const limit = query.limit ?? 10;
        if (limit > 200) return error(400, 'VALIDATION_ERROR', 'limit must be at most 200');
        const offset = Number(query.after ?? '0');
        if (offset + limit > 10_000) return error(400, 'VALIDATION_ERROR', 'Search results are limited to 10,000; narrow your filters');
        let rows = sorted.filter((c) => !c.archived);
        for (const filter of query.filterGroups?.[0]?.filters ?? []) {
          if (filter.propertyName !== 'hs_lastmodifieddate' || filter.operator !== 'GTE') return error(400, 'VALIDATION_ERROR', 'The fake HubSpot only filters hs_lastmodifieddate GTE');
          rows = rows.filter((c) => c.modified >= Number(filter.value));
        }
        const sort = query.sorts?.[0];
        if (sort?.propertyName === 'hs_lastmodifieddate') rows.sort((a, b) => (a.modified - b.modified) * (sort.direction === 'DESCENDING' ? -1 : 1) || Number(a.id) - Number(b.id));
        const page = rows.slice(offset, offset + limit);
        const next = offset + limit < rows.length ? String(offset + limit) : undefined;
        return { status: 200, body: { total: rows.length, results: page.map((c) => view(c, query.properties ?? [])), ...(next ? { paging: { next: { after: next } } } : {}) } };
      }
      return error(404, 'OBJECT_NOT_FOUND', `No route for ${method} ${url.pathname}`);
    },
  });
  return Object.assign(fake, {
    companies,
    scopes,
    edit(id: string, properties: Record<string, string | null>, at: number) {
      const company = companies.find((c) => c.id === id)!;
      Object.assign(company.properties, properties);
      company.modified = at;
    },
  });
}
