// `hubspot`: CRM companies as accounts, with their domain and annual recurring revenue from a configured property.
// API (HubSpot CRM API v3, a private app's access token as a Bearer token, scope crm.objects.companies.read):
// - List companies https://developers.hubspot.com/docs/api-reference/crm-companies-v3/basic/get-crm-v3-objects-companies
//   (GET /crm/v3/objects/companies?limit≤100&after&properties=…&archived; answers { results: [{ id, properties,
//   createdAt, updatedAt, archived }], paging: { next: { after } } }): the first full pass, and archived companies.
// - Search companies https://developers.hubspot.com/docs/api-reference/search/guide (POST
//   /crm/v3/objects/companies/search with filterGroups on hs_lastmodifieddate, sorts, properties, limit ≤ 200, after;
//   at most 10,000 results a query; 4 requests a second per token): the incremental sync afterwards, each query from
//   the newest change stored.
// - Rate limits https://developers.hubspot.com/docs/guides/apps/api-usage/usage-details: a private app may send 100
//   requests per 10 seconds (Free and Starter; 190 on Professional and Enterprise); 429 when exceeded.
// Hand-written on the hub's HTTP client rather than @hubspot/api-client: the SDK sends requests through its own
// fetch with its own retries and Bottleneck limiter, and its configuration (IConfiguration: basePath, headers,
// retries, limiter, an http.Agent) takes no HTTP client, so the hub's budget, Retry-After, size cap and rule of
// sending credentials only to baseUrl's origin could not apply; the connector needs two endpoints of it.
// ARR comes from the property the config names (a custom property, or HubSpot's own ARR rollup): never
// `annualrevenue`, which is the company's own annual revenue (its size), not what it pays.
import { z } from 'zod';
import type { AccountRecord } from '../records';
import { ConnectorError, type ConnectorDefinition, type Cursor, type StreamPage } from './connector';
import { normaliseDomain } from './csvExport';

const envRef = z.strictObject(
  { env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'an environment variable name such as HUBSPOT_TOKEN' }) },
  { error: 'write { env: NAME }: credentials come from the environment, never from the config file' },
);
// HubSpot property names: lowercase letters, digits and underscores.
const propertyName = z.string().regex(/^[a-z][a-z0-9_]*$/, { message: 'expected a HubSpot property\'s internal name, e.g. arr or hs_arr (Settings → Properties → the property → internal name)' });

export const hubspotOptionsSchema = z.strictObject({
  token: envRef.meta({ description: 'The environment variable holding a private app\'s access token with the crm.objects.companies.read scope.' }),
  baseUrl: z.url({ protocol: /^https?$/, message: 'expected an http(s) URL such as https://api.hubapi.com' }).default('https://api.hubapi.com').meta({ description: 'https://api.hubapi.com.' }),
  arrProperty: propertyName
    .refine((name) => name !== 'annualrevenue', {
      message: '"annualrevenue" is the company\'s own yearly revenue (its size), not what it pays you; name the property holding the ARR you bill it, e.g. arr or hs_arr',
    })
    .meta({ description: 'The company property holding what the customer pays a year (not annualrevenue).' }),
  currency: z.string().regex(/^[A-Za-z]{3}$/, { message: 'expected a three-letter currency code such as USD' }).transform((c) => c.toUpperCase()).default('USD').meta({ description: 'The currency of arrProperty (the account\'s company currency).' }),
  segmentProperty: propertyName.optional().meta({ description: 'A company property holding the segment (tier, plan).' }),
  externalIds: z.record(z.string().min(1), propertyName).optional().meta({ description: 'Ids of the same account elsewhere: { id name: property }, e.g. { stripe: stripe_customer_id }.' }),
});
export type HubspotOptions = z.infer<typeof hubspotOptionsSchema>;

const LIST_PAGE = 100;
const SEARCH_PAGE = 200;
/** HubSpot's search answers at most 10,000 results a query. */
const SEARCH_WINDOW = 10_000;

const companySchema = z
  .object({
    id: z.string().min(1),
    properties: z.record(z.string(), z.string().nullable()).default({}),
    updatedAt: z.string().optional(),
    archived: z.boolean().optional(),
  })
  .loose();
const pageSchema = z
  .object({
    results: z.array(z.unknown()),
    paging: z.object({ next: z.object({ after: z.string().min(1) }).loose().optional() }).loose().optional(),
  })
  .loose();

type Company = z.infer<typeof companySchema>;

/** `https://www.Acme.example/pricing` or `acme.example` → `acme.example`. */
function domainOf(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let host = text;
  try {
    if (/^[a-z]+:\/\//i.test(text)) host = new URL(text).hostname;
  } catch {
    return undefined;
  }
  const domain = normaliseDomain(host.split('/')[0]!);
  return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain) ? domain : undefined;
}

/** Milliseconds since epoch from a HubSpot date-time property (ISO text or epoch ms as text). */
function timeOf(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const n = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  return Number.isFinite(n) ? n : undefined;
}

export const hubspotConnector: ConnectorDefinition<HubspotOptions> = {
  kind: 'hubspot',
  description: 'CRM companies with their domain and ARR (a configured property) from HubSpot',
  options: hubspotOptionsSchema,
  // The search API's limit, 4 requests a second per token, which also keeps under a private app's 100 per 10 s.
  defaultBudget: { requests: 4, perSeconds: 1 },
  defaultEverySeconds: 3600,
  create(options, context) {
    const token = context.secret(options.token);
    if (token === undefined) {
      throw new ConnectorError(`source "${context.sourceId}": the environment variable ${options.token.env} is not set; export a HubSpot private app's access token (scope crm.objects.companies.read) in it`);
    }
    const base = options.baseUrl.replace(/\/+$/, '');
    const auth = { header: `Bearer ${token}`, origin: new URL(base).origin };
    const properties = [...new Set(['name', 'domain', 'hs_lastmodifieddate', options.arrProperty, ...(options.segmentProperty ? [options.segmentProperty] : []), ...Object.values(options.externalIds ?? {})])];

    /** The account record of a company; a property that cannot be read is left out with a warning saying where. */
    const account = (company: Company, where: string, warnings: string[]): AccountRecord => {
      const p = company.properties;
      const rawArr = p[options.arrProperty]?.trim();
      let arr: number | undefined;
      if (rawArr) {
        arr = Number(rawArr);
        if (!Number.isFinite(arr) || arr < 0) {
          warnings.push(`${where} company ${company.id}: property "${options.arrProperty}" is ${JSON.stringify(rawArr.slice(0, 40))}, not an amount; ARR left out`);
          arr = undefined;
        }
      }
      const domain = domainOf(p.domain);
      const externalIds: Record<string, string> = { hubspot: company.id };
      for (const [name, property] of Object.entries(options.externalIds ?? {})) {
        const value = p[property]?.trim();
        if (value) externalIds[name] = value;
      }
      const segment = options.segmentProperty ? p[options.segmentProperty]?.trim() : undefined;
      const name = p.name?.trim() || domain || `HubSpot company ${company.id}`;
      return {
        kind: 'account',
        id: company.id,
        name,
        ...(domain ? { domain } : {}),
        externalIds,
        ...(arr !== undefined ? { arr, currency: options.currency } : {}),
        ...(segment ? { segment } : {}),
      };
    };

    /** Records for one answer's results, and the newest modification time among them. */
    const pageOf = (results: unknown[], where: string, cursor: Cursor): { page: StreamPage; newest: number } => {
      const page: StreamPage = { records: [], cursor, warnings: [] };
      let newest = 0;
      results.forEach((raw, i) => {
        const parsed = companySchema.safeParse(raw);
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          page.warnings!.push(`${where} results[${i}]: field "${issue?.path.join('.')}": ${issue?.message}; skipped`);
          return;
        }
        page.records.push({ record: account(parsed.data, where, page.warnings!), raw });
        newest = Math.max(newest, timeOf(parsed.data.properties.hs_lastmodifieddate) ?? timeOf(parsed.data.updatedAt) ?? 0);
      });
      return { page, newest };
    };

    const parse = (json: unknown, url: string) => {
      const parsed = pageSchema.safeParse(json);
      if (!parsed.success) throw new ConnectorError(`${url} did not answer with a page of companies (field "${parsed.error.issues[0]?.path.join('.')}": ${parsed.error.issues[0]?.message})`);
      return parsed.data;
    };

    const listUrl = (after: string | undefined, archived: boolean) => {
      const url = new URL(`${base}/crm/v3/objects/companies`);
      url.searchParams.set('limit', String(LIST_PAGE));
      url.searchParams.set('properties', properties.join(','));
      url.searchParams.set('archived', String(archived));
      if (after) url.searchParams.set('after', after);
      return url.toString();
    };

    /** Every company, 100 a request; the cursor remembers the page and when the pass started. */
    async function* fullPass(after: string | undefined, startedAt: number): AsyncIterable<StreamPage> {
      let next = after;
      for (;;) {
        if (context.signal.aborted) return;
        const url = listUrl(next, false);
        const data = parse((await context.http.get(url, { auth })).json(), url);
        next = data.paging?.next?.after;
        const cursor: Cursor = next ? { full: { after: next, startedAt } } : { since: startedAt };
        yield pageOf(data.results, `${base}/crm/v3/objects/companies`, cursor).page;
        if (!next) return;
      }
    }

    /**
     * Companies modified since `since`, oldest first. Each next query starts again from the newest change stored
     * (keyset paging): a search offset would skip a company when another one, modified during the sync, moves from
     * an earlier page to the end. Companies modified at that very instant are read again, which upserts make
     * harmless. Only a page whose companies all share one instant goes on by offset.
     */
    async function* changes(since: number, after: string | undefined): AsyncIterable<StreamPage> {
      const url = `${base}/crm/v3/objects/companies/search`;
      let from = since;
      let offset = after;
      for (;;) {
        if (context.signal.aborted) return;
        const body = {
          filterGroups: [{ filters: [{ propertyName: 'hs_lastmodifieddate', operator: 'GTE', value: String(from) }] }],
          sorts: [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }],
          properties,
          limit: SEARCH_PAGE,
          ...(offset ? { after: offset } : {}),
        };
        const data = parse((await context.http.query(url, { body, auth })).json(), url);
        const next = data.paging?.next?.after;
        const { page, newest } = pageOf(data.results, url, {});
        if (next && newest <= from) {
          // The whole page changed at one instant: page on by offset, within HubSpot's 10,000-result window.
          if (Number(next) + SEARCH_PAGE > SEARCH_WINDOW) throw new ConnectorError(`${url}: more than ${SEARCH_WINDOW} companies were modified at the same instant; the hub cannot page past HubSpot's search window`);
          offset = next;
        } else {
          from = Math.max(from, newest);
          offset = undefined;
        }
        page.cursor = offset ? { since: from, after: offset } : { since: from };
        yield page;
        if (!next) return;
      }
    }

    /** Archived (deleted) companies: their ids leave the hub. */
    async function* archived(cursor: Cursor): AsyncIterable<StreamPage> {
      let next: string | undefined;
      for (;;) {
        if (context.signal.aborted) return;
        const url = listUrl(next, true);
        const data = parse((await context.http.get(url, { auth })).json(), url);
        const ids = data.results.map((r) => (r as { id?: unknown } | null)?.id).filter((id): id is string => typeof id === 'string');
        next = data.paging?.next?.after;
        if (ids.length > 0) yield { records: [], deleted: ids, cursor };
        if (!next) return;
      }
    }

    return [
      {
        name: 'companies',
        async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
          const full = cursor?.full as { after?: unknown; startedAt?: unknown } | undefined;
          let done: Cursor;
          if (full && typeof full.startedAt === 'number') {
            yield* fullPass(typeof full.after === 'string' ? full.after : undefined, full.startedAt);
            done = { since: full.startedAt };
          } else if (typeof cursor?.since === 'number') {
            const after = typeof cursor.after === 'string' ? cursor.after : undefined;
            let last: Cursor = { since: cursor.since };
            for await (const page of changes(cursor.since, after)) {
              last = page.cursor;
              yield page;
            }
            done = last;
          } else {
            const startedAt = context.now();
            yield* fullPass(undefined, startedAt);
            done = { since: startedAt };
          }
          if (context.signal.aborted) return;
          yield* archived(done);
        },
      },
    ];
  },
};
