// `linear`: Linear issues carrying the configured labels as problems, Linear customers as accounts, and customer
// needs as quotes about their issue (so an issue's `customers` and `arr` are its needs' customers and their revenue).
// API: Linear GraphQL API, https://linear.app/developers/graphql (POST https://api.linear.app/graphql; a personal API
// key in `Authorization`, an OAuth token as Bearer), through Linear's official SDK `@linear/sdk`
// (https://linear.app/developers/sdk): its typed `issues`, `issueLabels`, `customers`, `customerTiers` and
// `customerNeeds` queries, with Relay cursor pagination (https://linear.app/developers/pagination: `first`, `after`,
// `pageInfo.endCursor`) and `updatedAt` filters (https://linear.app/developers/filtering).
// Rate limits (https://linear.app/developers/rate-limiting): 5,000 requests an hour per API key; a limited request
// answers with a `RATELIMITED` error and X-RateLimit-Requests-Reset (epoch ms).
// The SDK is built on a request function (`new LinearSdk(request)`): the hub's is its polite client, so each query
// spends the source's budget, honours rate limits and goes to `baseUrl`. The SDK's models load relations lazily, one
// request each; this connector reads only scalar fields and ids (labelIds, customer and issue ids) so a page is one
// request.
import type { LinearSdk, PaginationOrderBy } from '@linear/sdk' with { 'resolution-mode': 'import' };
import { z } from 'zod';
import type { AccountRecord, ProblemRecord, QuoteRecord } from '../records';
import { ConnectorError, type ConnectorContext, type ConnectorDefinition, type Cursor, type StreamPage } from './connector';
import { baseUrlSchema, currencySchema, envRefSchema } from './connectorOptions';

export const linearOptionsSchema = z.strictObject({
  token: envRefSchema('LINEAR_API_KEY', 'A personal API key (lin_api_…) or an OAuth access token with the `read` scope.'),
  baseUrl: baseUrlSchema('https://api.linear.app/graphql', 'The GraphQL endpoint.'),
  labels: z
    .array(z.string().min(1), { error: 'list the labels whose issues are problems, e.g. labels: [customer]' })
    .min(1, { message: 'name at least one label, e.g. [customer]: issues carrying it are problems' }).meta({ description: 'Issues carrying all of these labels are problems.' }),
  currency: currencySchema.meta({ description: 'The currency of customers\' revenue.' }),
  externalIdName: z.string().min(1).default('external_id').meta({ description: 'The name under which a customer\'s first external id joins other sources\' accounts (`accounts.externalIds`).' }),
});
export type LinearOptions = z.infer<typeof linearOptionsSchema>;

const PAGE = 50;
const BY_UPDATE = 'updatedAt' as PaginationOrderBy;

// The SDK is an ES module and the hub a CommonJS bundle: it is loaded on first use (and stays outside the bundle).
let sdkModule: Promise<typeof import('@linear/sdk', { with: { 'resolution-mode': 'import' } })> | undefined;
function loadSdk() {
  sdkModule ??= import('@linear/sdk');
  return sdkModule;
}

/** The account key a customer need refers to, the same as the customer record's id. */
export function linearAccountKey(customerId: string): string {
  return `customer:${customerId}`;
}

const SEVERITY: Record<number, ProblemRecord['severity']> = { 1: 'critical', 2: 'high', 3: 'medium', 4: 'low' };

interface Connection<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
}

/** A rate-limited GraphQL answer: the wait until Linear's reset, or undefined when the answer is not one. */
function linearRateLimitWait(answer: { status: number; headers: Record<string, string>; text: string }): number | undefined {
  if (!/"RATELIMITED"/.test(answer.text)) return undefined;
  const reset = Number(answer.headers['x-ratelimit-requests-reset']);
  return Number.isFinite(reset) && reset > 0 ? Math.max(1000, reset - Date.now() + 1000) : 60_000;
}

/** The SDK's request function over the hub's polite client. */
function linearRequest(options: LinearOptions, context: ConnectorContext, token: string) {
  const auth = { header: token.startsWith('lin_api_') ? token : `Bearer ${token}`, origin: new URL(options.baseUrl).origin };
  return async <Response, Variables extends Record<string, unknown>>(doc: string, variables?: Variables): Promise<Response> => {
    // GraphQL errors come as a 400 with an `errors` list: read them here, where their codes mean something.
    const response = await context.http.query(options.baseUrl, { body: { query: doc, variables }, auth, rateLimitWait: linearRateLimitWait, accept: [400] });
    const body = response.json() as { data?: unknown; errors?: Array<{ message?: string; extensions?: { code?: string } }> };
    if (body.errors && body.errors.length > 0) {
      const first = body.errors[0]!;
      const code = first.extensions?.code;
      const message = String(first.message ?? 'error').replace(/[\u0000-\u001f]+/g, ' ').slice(0, 200);
      if (code === 'AUTHENTICATION_ERROR') throw new ConnectorError(`${options.baseUrl} refused the credential (${message}); check the token's environment variable`, 401);
      if (code === 'FORBIDDEN') throw new ConnectorError(`${options.baseUrl} answered FORBIDDEN (${message}); the token lacks a permission this source needs`, 403);
      throw new ConnectorError(`${options.baseUrl} answered with an error${code ? ` ${code}` : ''}: ${message}`);
    }
    if (body.data === undefined || body.data === null) throw new ConnectorError(`${options.baseUrl} answered without data`);
    return body.data as Response;
  };
}

/**
 * Pages of one kind of Linear object updated since the last pass. A pass asks for everything with `updatedAt` on or
 * after `since` and follows Linear's cursor; mid-pass the cursor keeps that position (a stopped sync resumes there),
 * and at the end of a pass `since` moves to the newest update read.
 */
async function* updatedSince<T extends { id: string; updatedAt: Date }>(
  cursor: Cursor | undefined,
  context: ConnectorContext,
  fetch: (since: Date | undefined, after: string | undefined) => Promise<Connection<T>>,
  map: (nodes: T[], page: StreamPage) => void,
): AsyncIterable<StreamPage> {
  const since = typeof cursor?.since === 'string' ? cursor.since : undefined;
  let after = typeof cursor?.after === 'string' ? cursor.after : undefined;
  let newest = typeof cursor?.newest === 'string' ? cursor.newest : since;
  for (;;) {
    if (context.signal.aborted) return;
    const connection = await fetch(since ? new Date(since) : undefined, after);
    const page: StreamPage = { records: [], deleted: [], cursor: {}, warnings: [] };
    for (const node of connection.nodes) {
      const at = node.updatedAt.toISOString();
      if (newest === undefined || at > newest) newest = at;
    }
    map(connection.nodes, page);
    after = connection.pageInfo.hasNextPage && connection.pageInfo.endCursor ? connection.pageInfo.endCursor : undefined;
    page.cursor = after ? { since: since ?? null, after, newest: newest ?? null } : { since: newest ?? null };
    yield page;
    if (!after) return;
  }
}

const updatedFilter = (since: Date | undefined) => (since ? { updatedAt: { gte: since } } : {});

/** Every page of a connection that is read whole (labels, tiers: a few dozen items). */
async function all<T>(fetch: (after: string | undefined) => Promise<Connection<T>>): Promise<T[]> {
  const out: T[] = [];
  let after: string | undefined;
  for (let i = 0; i < 100; i++) {
    const connection = await fetch(after);
    out.push(...connection.nodes);
    if (!connection.pageInfo.hasNextPage || !connection.pageInfo.endCursor) break;
    after = connection.pageInfo.endCursor;
  }
  return out;
}

export const linearConnector: ConnectorDefinition<LinearOptions> = {
  kind: 'linear',
  description: 'Linear issues with the configured labels as problems, customers as accounts, customer needs as quotes',
  options: linearOptionsSchema,
  // Linear's documented limit for an API key: 5,000 requests an hour.
  defaultBudget: { requests: 5000, perSeconds: 3600 },
  defaultEverySeconds: 600,
  create(options, context) {
    const token = context.secret(options.token);
    if (token === undefined) throw new ConnectorError(`source "${context.sourceId}": the environment variable ${options.token.env} is not set; export a Linear API key in it`);
    const request = linearRequest(options, context, token);
    let client: LinearSdk | undefined;
    const linear = async () => (client ??= new (await loadSdk()).LinearSdk(request));
    const wanted = options.labels.map((l) => l.toLowerCase());

    const customers = {
      name: 'customers',
      async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
        const sdk = await linear();
        const tiers = new Map((await all((after) => sdk.customerTiers({ first: 250, ...(after ? { after } : {}) }))).map((t) => [t.id, t.displayName || t.name]));
        yield* updatedSince(
          cursor,
          context,
          (since, after) => sdk.customers({ first: PAGE, ...(after ? { after } : {}), filter: updatedFilter(since), includeArchived: true, orderBy: BY_UPDATE }),
          (nodes, page) => {
            for (const c of nodes) {
              const id = linearAccountKey(c.id);
              if (c.archivedAt) {
                page.deleted!.push(id);
                continue;
              }
              const domain = (c.domains ?? []).map((d) => d.trim().toLowerCase()).find((d) => d !== '');
              const externalId = (c.externalIds ?? []).map((x) => x.trim()).find((x) => x !== '');
              const tier = c.tierId ? tiers.get(c.tierId) : undefined;
              const record: AccountRecord = {
                kind: 'account',
                id,
                name: c.name.trim() || domain || c.id,
                ...(domain ? { domain } : {}),
                ...(externalId ? { externalIds: { [options.externalIdName]: externalId } } : {}),
                // Linear's `revenue` is the customer's annual revenue to you, in whole units.
                ...(typeof c.revenue === 'number' && Number.isFinite(c.revenue) && c.revenue >= 0 ? { arr: c.revenue, currency: options.currency } : {}),
                ...(tier ? { segment: tier } : {}),
              };
              page.records.push({ record, raw: { id: c.id, name: c.name, domains: c.domains, externalIds: c.externalIds, revenue: c.revenue, size: c.size, tierId: c.tierId, updatedAt: c.updatedAt } });
            }
          },
        );
      },
    };

    const issues = {
      name: 'issues',
      async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
        // Label names by id: issues carry label ids only, and reading a label per issue would cost a request each.
        const sdk = await linear();
        const labelNames = new Map((await all((after) => sdk.issueLabels({ first: 250, ...(after ? { after } : {}), includeArchived: true }))).map((l) => [l.id, l.name]));
        yield* updatedSince(
          cursor,
          context,
          (since, after) =>
            sdk.issues({
              first: PAGE,
              ...(after ? { after } : {}),
              filter: { ...updatedFilter(since), and: options.labels.map((name) => ({ labels: { some: { name: { eqIgnoreCase: name } } } })) },
              includeArchived: true,
              orderBy: BY_UPDATE,
            }),
          (nodes, page) => {
            for (const issue of nodes) {
              const labels = (issue.labelIds ?? []).map((id) => labelNames.get(id)).filter((n): n is string => n !== undefined).map((n) => n.toLowerCase());
              // Archived, trashed, or no longer labelled (Linear filtered by label, but a label may be renamed between
              // the two reads): not a problem any more.
              if (issue.archivedAt || issue.trashed || !wanted.every((w) => labels.includes(w))) {
                page.deleted!.push(issue.id);
                continue;
              }
              const detail = issue.description?.trim();
              const severity = SEVERITY[issue.priority];
              const record: ProblemRecord = {
                kind: 'problem',
                id: issue.id,
                title: `${issue.identifier} ${issue.title}`.trim(),
                status: issue.completedAt || issue.canceledAt ? 'solved' : issue.startedAt ? 'in-progress' : 'open',
                ...(severity ? { severity } : {}),
                tags: labels,
                // Support tickets attached to the issue; its customer needs count too (the hub takes the larger).
                mentions: Math.max(0, Math.trunc(issue.customerTicketCount ?? 0)),
                createdAt: issue.createdAt.toISOString(),
                updatedAt: issue.updatedAt.toISOString(),
                ...(detail ? { detail: detail.slice(0, 2000) } : {}),
                ...(/^https?:\/\//.test(issue.url) ? { url: issue.url } : {}),
              };
              page.records.push({ record, raw: { id: issue.id, identifier: issue.identifier, title: issue.title, description: issue.description, priority: issue.priority, labelIds: issue.labelIds, customerTicketCount: issue.customerTicketCount, createdAt: issue.createdAt, updatedAt: issue.updatedAt, completedAt: issue.completedAt, canceledAt: issue.canceledAt, startedAt: issue.startedAt, url: issue.url } });
            }
          },
        );
      },
    };

    const needs = {
      name: 'needs',
      async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
        const sdk = await linear();
        yield* updatedSince(
          cursor,
          context,
          (since, after) => sdk.customerNeeds({ first: PAGE, ...(after ? { after } : {}), filter: updatedFilter(since), includeArchived: true, orderBy: BY_UPDATE }),
          (nodes, page) => {
            for (const need of nodes) {
              // Needs on projects (not on an issue) belong to no problem, and needs without a customer to no account.
              if (need.archivedAt || !need.issueId || !need.customerId) {
                page.deleted!.push(need.id);
                continue;
              }
              const text = need.body?.trim();
              const record: QuoteRecord = {
                kind: 'quote',
                id: need.id,
                ...(text ? { text } : {}),
                tags: [],
                account: { key: linearAccountKey(need.customerId) },
                date: need.createdAt.toISOString(),
                problem: need.issueId,
                ...(need.url && /^https?:\/\//.test(need.url) ? { url: need.url } : {}),
              };
              page.records.push({ record, raw: { id: need.id, body: need.body, priority: need.priority, customerId: need.customerId, issueId: need.issueId, createdAt: need.createdAt, updatedAt: need.updatedAt, url: need.url } });
            }
          },
        );
      },
    };
    // Customers first, so the accounts needs refer to are stored before them.
    return [customers, issues, needs];
  },
};
