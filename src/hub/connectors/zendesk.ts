// `zendesk`: Zendesk Support tickets as problems, its organizations as accounts.
// API: Zendesk Incremental Exports, https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
// - tickets: "Incremental Ticket Export, Cursor Based", GET /api/v2/incremental/tickets/cursor.json with start_time
//   (first run) or cursor, per_page ≤ 1000; the answer has tickets, after_cursor, after_url and end_of_stream; deleted
//   tickets come back with status "deleted". The after_cursor of the last page is where the next sync starts.
// - organizations: "Incremental Organization Export" (time based), GET /api/v2/incremental/organizations.json with
//   start_time; the answer has organizations, end_time, next_page and end_of_stream.
// - "You can make up to 10 requests per minute to these endpoints"; a 429 carries Retry-After
//   (https://developer.zendesk.com/api-reference/introduction/rate-limits/).
// - Auth: an API token as Basic `{email}/token:{token}`, or an OAuth access token as Bearer
//   (https://developer.zendesk.com/api-reference/introduction/security-and-auth/).
// Tickets map to the hub's rules: new/open → open, pending, hold → on-hold, solved, closed; priority as is; tags
// attribute tickets to features; an incident's problem_id (and a problem ticket's own id) groups them into one problem.
// Zendesk publishes no Node SDK of its own (node-zendesk is a community client with its own throttling), so this
// connector speaks HTTP through the hub's polite client.
import { z } from 'zod';
import type { AccountRecord, TicketRecord } from '../records';
import { ConnectorError, type ConnectorContext, type ConnectorDefinition, type Cursor, type StreamPage } from './connector';
import { currencySchema, envRefSchema, trimBase } from './connectorOptions';

export const zendeskOptionsSchema = z
  .strictObject({
    subdomain: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]*$/i, { message: 'expected the account\'s subdomain, e.g. "acme" for https://acme.zendesk.com' })
      .optional()
      .meta({ description: 'The Zendesk account: "acme" reads https://acme.zendesk.com.' }),
    baseUrl: z
      .url({ protocol: /^https?$/, error: 'expected an http(s) URL such as https://acme.zendesk.com' })
      .optional()
      .meta({ description: 'The account\'s URL instead of `subdomain` (a host-mapped domain, a proxy).' }),
    email: z.email({ message: 'expected the e-mail address of the agent the API token belongs to' }).optional().meta({ description: 'With an API token: the agent it belongs to. Leave out for an OAuth access token.' }),
    token: envRefSchema('ZENDESK_API_TOKEN', 'An API token (with `email`) or an OAuth access token with the `read` scope; incremental exports need an admin.'),
    arrField: z.string().min(1, { message: 'name the organization field (its key) that holds ARR' }).optional().meta({ description: 'The organization field (its key) holding the account\'s annual recurring revenue.' }),
    currencyField: z.string().min(1, { message: 'name the organization field (its key) that holds the currency' }).optional().meta({ description: 'The organization field holding the ARR\'s currency; else `currency`.' }),
    currency: currencySchema.meta({ description: 'The currency of `arrField` when no `currencyField` says otherwise.' }),
    segmentField: z.string().min(1, { message: 'name the organization field (its key) that holds the segment' }).optional().meta({ description: 'The organization field holding the account\'s segment (plan, tier).' }),
    externalIdFields: z.array(z.string().min(1)).optional().meta({ description: 'Organization fields (or `external_id`) carried as external ids under their own name, for `accounts.externalIds`.' }),
    since: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}(T.*)?$/, { message: 'expected an ISO 8601 date such as 2025-01-01' })
      .optional()
      .meta({ description: 'The first sync exports tickets changed since this date (default: all of them).' }),
  })
  .refine((o) => o.subdomain !== undefined || o.baseUrl !== undefined, { message: 'give `subdomain: acme` (for https://acme.zendesk.com) or `baseUrl`' });
export type ZendeskOptions = z.infer<typeof zendeskOptionsSchema>;

const ticketSchema = z.object({
  id: z.number().int(),
  subject: z.string().nullish(),
  raw_subject: z.string().nullish(),
  description: z.string().nullish(),
  status: z.string(),
  priority: z.string().nullish(),
  type: z.string().nullish(),
  problem_id: z.number().int().nullish(),
  tags: z.array(z.string()).nullish(),
  organization_id: z.number().int().nullish(),
  created_at: z.string(),
  updated_at: z.string(),
});

const ticketPageSchema = z.object({
  tickets: z.array(z.unknown()),
  after_cursor: z.string().nullish(),
  end_of_stream: z.boolean(),
});

const organizationSchema = z.object({
  id: z.number().int(),
  name: z.string().min(1),
  domain_names: z.array(z.string()).nullish(),
  external_id: z.union([z.string(), z.number()]).nullish(),
  organization_fields: z.record(z.string(), z.unknown()).nullish(),
  deleted_at: z.string().nullish(),
});

const organizationPageSchema = z.object({
  organizations: z.array(z.unknown()),
  end_time: z.number().int().nullish(),
  end_of_stream: z.boolean(),
});

const STATUS: Record<string, TicketRecord['status']> = { new: 'open', open: 'open', pending: 'pending', hold: 'on-hold', solved: 'solved', closed: 'closed' };
const PRIORITIES = new Set(['low', 'normal', 'high', 'urgent']);

/** The account key a ticket's organization_id refers to, the same as the organization record's id. */
export function zendeskAccountKey(organizationId: number): string {
  return `org:${organizationId}`;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`;
}

function fieldText(value: unknown): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A revenue field's value as a number: 120000, "120000", "120,000.50", "$120,000". */
function amount(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.replace(/[\s,$€£]/g, '')) : NaN;
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}

function contextFor(options: ZendeskOptions, context: ConnectorContext) {
  const token = context.secret(options.token);
  if (token === undefined) throw new ConnectorError(`source "${context.sourceId}": the environment variable ${options.token.env} is not set; export a Zendesk API token in it`);
  const base = trimBase(options.baseUrl ?? `https://${options.subdomain}.zendesk.com`);
  const header = options.email ? `Basic ${Buffer.from(`${options.email}/token:${token}`).toString('base64')}` : `Bearer ${token}`;
  return { base, auth: { header, origin: new URL(base).origin } };
}

export const zendeskConnector: ConnectorDefinition<ZendeskOptions> = {
  kind: 'zendesk',
  description: 'Zendesk Support tickets as problems (incremental cursor export) and organizations as accounts',
  options: zendeskOptionsSchema as unknown as z.ZodType<ZendeskOptions>,
  // Zendesk's documented limit for the incremental export endpoints: 10 requests a minute.
  defaultBudget: { requests: 10, perSeconds: 60 },
  defaultEverySeconds: 600,
  create(options, context) {
    const { base, auth } = contextFor(options, context);
    const startTime = options.since ? Math.floor(Date.parse(options.since) / 1000) : 0;

    const organizations = {
      name: 'organizations',
      async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
        let start = typeof cursor?.startTime === 'number' ? cursor.startTime : 0;
        for (;;) {
          if (context.signal.aborted) return;
          const url = `${base}/api/v2/incremental/organizations.json?start_time=${start}`;
          const response = await context.http.get(url, { auth });
          const parsed = organizationPageSchema.safeParse(response.json());
          if (!parsed.success) throw new ConnectorError(`${url} did not answer with an organization export (${firstIssue(parsed.error)})`);
          const page: StreamPage = { records: [], deleted: [], cursor: {}, warnings: [] };
          parsed.data.organizations.forEach((item, index) => {
            const org = organizationSchema.safeParse(item);
            if (!org.success) {
              page.warnings!.push(`${url} organizations[${index}]: ${firstIssue(org.error)}; organization skipped`);
              return;
            }
            const o = org.data;
            const id = zendeskAccountKey(o.id);
            if (o.deleted_at) {
              page.deleted!.push(id);
              return;
            }
            const fields = o.organization_fields ?? {};
            const arr = options.arrField ? amount(fields[options.arrField]) : undefined;
            const currency = (options.currencyField ? fieldText(fields[options.currencyField])?.toUpperCase() : undefined) ?? options.currency;
            const segment = options.segmentField ? fieldText(fields[options.segmentField]) : undefined;
            const externalIds: Record<string, string> = {};
            for (const name of options.externalIdFields ?? []) {
              const value = name === 'external_id' ? fieldText(o.external_id) : fieldText(fields[name]);
              if (value !== undefined) externalIds[name] = value;
            }
            const domain = (o.domain_names ?? []).map((d) => d.trim().toLowerCase()).find((d) => d !== '');
            const record: AccountRecord = {
              kind: 'account',
              id,
              name: o.name,
              ...(domain ? { domain } : {}),
              ...(Object.keys(externalIds).length > 0 ? { externalIds } : {}),
              ...(arr !== undefined && /^[A-Z]{3}$/.test(currency) ? { arr, currency } : {}),
              ...(segment ? { segment } : {}),
            };
            if (options.arrField && fields[options.arrField] != null && arr === undefined) {
              page.warnings!.push(`${url} organization ${o.id}: field "organization_fields.${options.arrField}" is not an amount; ARR left out`);
            }
            page.records.push({ record, raw: item });
          });
          const end = parsed.data.end_time ?? start;
          // More than a page of organizations changed within one second: paging by time cannot move past them.
          const stuck = !parsed.data.end_of_stream && end <= start;
          if (stuck) page.warnings!.push(`${url}: more organizations changed at ${new Date(start * 1000).toISOString()} than one page holds; the next sync reads that second again`);
          page.cursor = { startTime: end };
          yield page;
          if (parsed.data.end_of_stream || stuck) return;
          start = end;
        }
      },
    };

    const tickets = {
      name: 'tickets',
      async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
        let position: Cursor = typeof cursor?.cursor === 'string' ? { cursor: cursor.cursor } : { startTime: typeof cursor?.startTime === 'number' ? cursor.startTime : startTime };
        for (;;) {
          if (context.signal.aborted) return;
          const query = typeof position.cursor === 'string' ? `cursor=${encodeURIComponent(position.cursor)}` : `start_time=${position.startTime as number}`;
          const url = `${base}/api/v2/incremental/tickets/cursor.json?${query}&per_page=1000`;
          const response = await context.http.get(url, { auth });
          const parsed = ticketPageSchema.safeParse(response.json());
          if (!parsed.success) throw new ConnectorError(`${url} did not answer with a ticket export (${firstIssue(parsed.error)})`);
          const page: StreamPage = { records: [], deleted: [], cursor: {}, warnings: [] };
          parsed.data.tickets.forEach((item, index) => {
            const ticket = ticketSchema.safeParse(item);
            if (!ticket.success) {
              page.warnings!.push(`${url} tickets[${index}]: ${firstIssue(ticket.error)}; ticket skipped`);
              return;
            }
            const t = ticket.data;
            const id = String(t.id);
            if (t.status === 'deleted') {
              page.deleted!.push(id);
              return;
            }
            const status = STATUS[t.status];
            if (!status) {
              page.warnings!.push(`${url} ticket ${t.id}: field "status" is "${t.status.slice(0, 40)}"; ticket skipped`);
              return;
            }
            const problem = t.type === 'incident' && t.problem_id ? t.problem_id : t.type === 'problem' ? t.id : undefined;
            const text = t.description?.trim();
            const record: TicketRecord = {
              kind: 'ticket',
              id,
              title: (t.subject ?? t.raw_subject ?? '').trim() || `Ticket #${t.id}`,
              status,
              ...(t.priority && PRIORITIES.has(t.priority) ? { priority: t.priority as TicketRecord['priority'] } : {}),
              tags: (t.tags ?? []).map((tag) => tag.toLowerCase()),
              ...(t.organization_id ? { account: { key: zendeskAccountKey(t.organization_id) } } : {}),
              createdAt: t.created_at,
              updatedAt: t.updated_at,
              url: `${base}/agent/tickets/${t.id}`,
              ...(text ? { text } : {}),
              ...(problem !== undefined ? { problem: `${context.sourceId}#${problem}` } : {}),
            };
            page.records.push({ record, raw: item });
          });
          // A page without tickets may come without a cursor: stay where we were.
          if (parsed.data.after_cursor) position = { cursor: parsed.data.after_cursor };
          page.cursor = position;
          yield page;
          if (parsed.data.end_of_stream) return;
        }
      },
    };
    return [organizations, tickets];
  },
};
