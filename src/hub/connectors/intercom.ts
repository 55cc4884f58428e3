// `intercom`: Intercom conversations as tickets (their first customer message a quote), companies as accounts.
// API: Intercom REST API 2.x, https://developers.intercom.com/docs/references/rest-api/api.intercom.io/
// - conversations: "Search conversations", POST /conversations/search with an `updated_at > T` query and cursor
//   pagination (`pagination: { per_page ≤ 150, starting_after }`, the answer's `pages.next.starting_after`),
//   https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/
// - companies: "List all companies", POST /companies/list?page=N&per_page=60&order=asc (Intercom pages this list by
//   number and serves at most 10,000 companies through it).
// - rate limits: 10,000 calls a minute per app, spread over 10-second windows; a 429 carries X-RateLimit-Reset,
//   https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting
// Through Intercom's official Node SDK (`intercom-client`): typed requests for exactly these endpoints, and it takes a
// `fetch` and a `baseUrl`, so every request goes through the hub's polite client (budget, Retry-After) with the SDK's
// own retries off.
import { IntercomClient } from 'intercom-client';
import { z } from 'zod';
import type { AccountRecord, TicketRecord } from '../records';
import { ConnectorError, type ConnectorDefinition, type Cursor, type StreamPage } from './connector';
import { baseUrlSchema, companyDomainOfEmail, currencySchema, domainOfWebsite, envRefSchema, isoFromSeconds, trimBase } from './connectorOptions';
import { CREDENTIAL_ADDED_BY_THE_HUB, SdkTransport } from './sdkTransport';

export const intercomOptionsSchema = z.strictObject({
  token: envRefSchema('INTERCOM_ACCESS_TOKEN', 'An access token with the "Read conversations", "Read tags" and "Read and list users and companies" permissions.'),
  baseUrl: baseUrlSchema('https://api.intercom.io', 'https://api.intercom.io, or https://api.eu.intercom.io / https://api.au.intercom.io for a workspace hosted there.'),
  appId: z.string().regex(/^[A-Za-z0-9_-]+$/, { message: 'expected the workspace id, e.g. "abc123de"' }).optional().meta({ description: 'The workspace (app) id: makes each problem link to its conversation in the Intercom inbox.' }),
  currency: currencySchema.meta({ description: 'The currency of companies\' `monthly_spend`.' }),
  externalIdName: z.string().min(1).default('company_id').meta({ description: 'The name under which a company\'s own `company_id` joins other sources\' accounts (`accounts.externalIds`).' }),
});
export type IntercomOptions = z.infer<typeof intercomOptionsSchema>;

const conversationSchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  title: z.string().nullish(),
  created_at: z.number(),
  updated_at: z.number(),
  state: z.string(),
  priority: z.string().nullish(),
  company_id: z.union([z.string(), z.number()]).nullish(),
  tags: z.object({ tags: z.array(z.object({ name: z.string() }).loose()).nullish() }).loose().nullish(),
  source: z
    .object({
      subject: z.string().nullish(),
      body: z.string().nullish(),
      author: z.object({ type: z.string().nullish(), email: z.string().nullish() }).loose().nullish(),
    })
    .loose()
    .nullish(),
});

const conversationListSchema = z.object({
  conversations: z.array(z.unknown()),
  pages: z.object({ next: z.object({ starting_after: z.string().nullish() }).loose().nullish() }).loose().nullish(),
});

const companySchema = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  name: z.string().nullish(),
  company_id: z.union([z.string(), z.number()]).nullish(),
  website: z.string().nullish(),
  monthly_spend: z.number().nullish(),
  plan: z.object({ name: z.string().nullish() }).loose().nullish(),
});

const companyListSchema = z.object({
  data: z.array(z.unknown()),
  pages: z.object({ page: z.number().nullish(), total_pages: z.number().nullish() }).loose().nullish(),
});

const STATUS: Record<string, TicketRecord['status']> = { open: 'open', snoozed: 'on-hold', closed: 'closed' };
/** Authors whose message is the customer's own words (not a teammate's, a bot's or an operator's). */
const CUSTOMER_AUTHORS = new Set(['user', 'lead', 'contact']);
const SEARCH_PAGE = 150;
const COMPANY_PAGE = 60;

/** The account key a conversation's company_id refers to, the same as the company record's id. */
export function intercomAccountKey(companyId: string): string {
  return `company:${companyId}`;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

/** A message body (HTML) as plain text: block ends become line breaks, tags go, entities are decoded. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
    .replace(/<br\s*\/?>|<\/(p|div|li|h[1-6]|blockquote)\s*>/gi, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
      }
      return ENTITIES[name.toLowerCase()] ?? entity;
    })
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `field "${issue?.path.join('.') ?? ''}": ${issue?.message ?? 'invalid'}`;
}

function firstLine(text: string, max = 120): string {
  const line = text.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

export const intercomConnector: ConnectorDefinition<IntercomOptions> = {
  kind: 'intercom',
  description: 'Intercom conversations as tickets with their tags, the first customer message as a quote, and companies as accounts',
  options: intercomOptionsSchema,
  // Intercom's documented default: 10,000 calls a minute per app, enforced in 10-second windows.
  defaultBudget: { requests: 1666, perSeconds: 10 },
  defaultEverySeconds: 600,
  create(options, context) {
    const token = context.secret(options.token);
    if (token === undefined) throw new ConnectorError(`source "${context.sourceId}": the environment variable ${options.token.env} is not set; export an Intercom access token in it`);
    const base = trimBase(options.baseUrl);
    const transport = new SdkTransport(context.http, { header: `Bearer ${token}`, origin: new URL(base).origin });
    const client = new IntercomClient({ token: CREDENTIAL_ADDED_BY_THE_HUB, baseUrl: base, fetch: transport.fetch as typeof fetch, maxRetries: 0, timeoutInSeconds: 60, version: '2.14' });

    const companies = {
      name: 'companies',
      // Intercom cannot list companies changed since a time: each sync reads the list again, page by page, and a
      // stopped sync resumes at the page it had reached.
      async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
        let page = typeof cursor?.nextPage === 'number' && cursor.nextPage > 1 ? cursor.nextPage : 1;
        for (;;) {
          if (context.signal.aborted) return;
          const where = `${base}/companies/list?page=${page}`;
          const answer = await transport.call(() => client.companies.list({ page, per_page: COMPANY_PAGE, order: 'asc' }));
          const parsed = companyListSchema.safeParse(answer.response);
          if (!parsed.success) throw new ConnectorError(`${where} did not answer with a list of companies (${firstIssue(parsed.error)})`);
          const out: StreamPage = { records: [], cursor: {}, warnings: [] };
          parsed.data.data.forEach((item, index) => {
            const company = companySchema.safeParse(item);
            if (!company.success) {
              out.warnings!.push(`${where} data[${index}]: ${firstIssue(company.error)}; company skipped`);
              return;
            }
            const c = company.data;
            const domain = domainOfWebsite(c.website);
            const ownId = c.company_id != null && String(c.company_id).trim() !== '' ? String(c.company_id).trim() : undefined;
            const name = c.name?.trim() || domain || ownId || c.id;
            const record: AccountRecord = {
              kind: 'account',
              id: intercomAccountKey(c.id),
              name,
              ...(domain ? { domain } : {}),
              ...(ownId ? { externalIds: { [options.externalIdName]: ownId } } : {}),
              // monthly_spend is a monthly amount; ARR is twelve of them. Zero means "not known" as often as "free".
              ...(c.monthly_spend != null && c.monthly_spend > 0 ? { arr: Math.round(c.monthly_spend * 12 * 100) / 100, currency: options.currency } : {}),
              ...(c.plan?.name?.trim() ? { segment: c.plan.name.trim() } : {}),
            };
            out.records.push({ record, raw: item });
          });
          const totalPages = parsed.data.pages?.total_pages ?? undefined;
          const last = parsed.data.data.length === 0 || (totalPages !== undefined && page >= totalPages);
          // The end of a pass: the next sync starts over from the first page.
          out.cursor = last ? { nextPage: 1, passedAt: context.now() } : { nextPage: page + 1 };
          yield out;
          if (last) return;
          page++;
        }
      },
    };

    const conversations = {
      name: 'conversations',
      // One pass reads every conversation updated since `since`. Mid-pass the cursor keeps Intercom's own cursor, so
      // a stopped sync resumes where it was; at the end of a pass `since` moves to the newest update read.
      async *read(cursor: Cursor | undefined): AsyncIterable<StreamPage> {
        const since = typeof cursor?.since === 'number' ? cursor.since : 0;
        let after = typeof cursor?.after === 'string' ? cursor.after : undefined;
        let newest = typeof cursor?.newest === 'number' ? cursor.newest : since;
        for (;;) {
          if (context.signal.aborted) return;
          // `updated_at` is in whole seconds: ask from the newest second read (inclusive), so a conversation updated
          // later within that second is not missed; reading the others again is harmless.
          const where = `${base}/conversations/search (updated_at >= ${since}${after ? `, starting_after ${after.slice(0, 24)}` : ''})`;
          const answer = await transport.call(() =>
            client.conversations.search({
              query: { field: 'updated_at', operator: '>', value: Math.max(0, since - 1) },
              pagination: { per_page: SEARCH_PAGE, ...(after ? { starting_after: after } : {}) },
            }),
          );
          const parsed = conversationListSchema.safeParse(answer.response);
          if (!parsed.success) throw new ConnectorError(`${where} did not answer with a list of conversations (${firstIssue(parsed.error)})`);
          const out: StreamPage = { records: [], cursor: {}, warnings: [] };
          parsed.data.conversations.forEach((item, index) => {
            const conversation = conversationSchema.safeParse(item);
            if (!conversation.success) {
              out.warnings!.push(`${where} conversations[${index}]: ${firstIssue(conversation.error)}; conversation skipped`);
              return;
            }
            const c = conversation.data;
            newest = Math.max(newest, c.updated_at);
            const status = STATUS[c.state];
            if (!status) {
              out.warnings!.push(`${where} conversation ${c.id}: field "state" is "${c.state.slice(0, 40)}"; conversation skipped`);
              return;
            }
            const fromCustomer = CUSTOMER_AUTHORS.has(c.source?.author?.type ?? '');
            const text = fromCustomer && c.source?.body ? htmlToText(c.source.body) : undefined;
            const subject = c.source?.subject ? htmlToText(c.source.subject) : undefined;
            const companyId = c.company_id != null && String(c.company_id) !== '' ? String(c.company_id) : undefined;
            const domain = fromCustomer ? companyDomainOfEmail(c.source?.author?.email) : undefined;
            const record: TicketRecord = {
              kind: 'ticket',
              id: c.id,
              title: c.title?.trim() || subject || (text ? firstLine(text) : '') || `Conversation ${c.id}`,
              status,
              ...(c.priority === 'priority' ? { priority: 'high' as const } : c.priority === 'not_priority' ? { priority: 'normal' as const } : {}),
              tags: (c.tags?.tags ?? []).map((t) => t.name.trim().toLowerCase()).filter((t) => t !== ''),
              // The conversation's company when Intercom knows it; else the customer's company e-mail domain.
              ...(companyId ? { account: { key: intercomAccountKey(companyId) } } : domain ? { account: { domain } } : {}),
              createdAt: isoFromSeconds(c.created_at),
              updatedAt: isoFromSeconds(c.updated_at),
              ...(options.appId ? { url: `https://app.intercom.com/a/apps/${options.appId}/inbox/inbox/all/conversations/${encodeURIComponent(c.id)}` } : {}),
              ...(text ? { text } : {}),
            };
            out.records.push({ record, raw: item });
          });
          after = parsed.data.pages?.next?.starting_after ?? undefined;
          out.cursor = after ? { since, after, newest } : { since: newest };
          yield out;
          if (!after) return;
        }
      },
    };
    return [companies, conversations];
  },
};
