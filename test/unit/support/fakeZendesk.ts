// A local fake of Zendesk's Incremental Exports API, built from its reference docs (Zendesk cannot be reached from the
// tests): https://developer.zendesk.com/api-reference/ticketing/ticket-management/incremental_exports/
// - GET /api/v2/incremental/tickets/cursor.json: `start_time` (first request) or `cursor`, `per_page` (the fake serves
//   at most `pageSize`, so a few dozen tickets make several pages); answers { tickets, after_cursor, after_url,
//   before_cursor, before_url, end_of_stream }; tickets ordered by their update; deleted tickets listed with status
//   "deleted"; the after_cursor of the last page is where the next export starts.
// - GET /api/v2/incremental/organizations.json: `start_time`; answers { organizations, next_page, count, end_time,
//   end_of_stream }, where end_time is the newest update on the page (the next page starts there, so the item at
//   that second comes again, as the docs warn for time-based exports).
// - Ticket and organization objects as in the docs' examples (Tickets and Organizations JSON formats).
// - Auth: Basic `{email}/token:{api_token}`; a wrong one answers 401 {"error":"Couldn't authenticate you"}.
// - Rate limit: 429 with Retry-After (https://developer.zendesk.com/api-reference/introduction/rate-limits/).
import { decodeCursor, encodeCursor, startFakeVendor, type FakeVendor } from './fakeVendor';

export interface FakeTicket {
  id: number;
  subject: string;
  description: string;
  status: 'new' | 'open' | 'pending' | 'hold' | 'solved' | 'closed' | 'deleted';
  priority: 'low' | 'normal' | 'high' | 'urgent' | null;
  type: 'problem' | 'incident' | 'question' | 'task' | null;
  problem_id: number | null;
  tags: string[];
  organization_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface FakeOrganization {
  id: number;
  name: string;
  domain_names: string[];
  external_id: string | null;
  organization_fields: Record<string, unknown>;
  created_at: string;
  updated_at: string;
  deleted_at?: string | null;
}

export interface FakeZendesk extends FakeVendor {
  tickets: FakeTicket[];
  organizations: FakeOrganization[];
  pageSize: number;
}

export function zendeskTicket(id: number, updated: string, fields: Partial<FakeTicket> = {}): FakeTicket {
  return { id, subject: `Ticket ${id}`, description: `Customer words ${id}`, status: 'open', priority: 'normal', type: 'question', problem_id: null, tags: [], organization_id: null, created_at: updated, updated_at: updated, ...fields };
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function renderTicket(base: string, t: FakeTicket): unknown {
  return {
    url: `${base}/api/v2/tickets/${t.id}.json`,
    id: t.id,
    external_id: null,
    via: { channel: 'web', source: { from: {}, to: {}, rel: null } },
    created_at: t.created_at,
    updated_at: t.updated_at,
    generated_timestamp: seconds(t.updated_at),
    type: t.type,
    subject: t.subject,
    raw_subject: t.subject,
    description: t.description,
    priority: t.priority,
    status: t.status,
    recipient: null,
    requester_id: 20978392,
    submitter_id: 76872,
    assignee_id: 235323,
    organization_id: t.organization_id,
    group_id: 98738,
    collaborator_ids: [],
    follower_ids: [],
    email_cc_ids: [],
    forum_topic_id: null,
    problem_id: t.problem_id,
    has_incidents: false,
    is_public: true,
    due_at: null,
    tags: t.tags,
    custom_fields: [],
    satisfaction_rating: null,
    sharing_agreement_ids: [],
    fields: [],
    followup_ids: [],
    ticket_form_id: 1,
    brand_id: 1,
    allow_channelback: false,
    allow_attachments: true,
  };
}

function renderOrganization(base: string, o: FakeOrganization): unknown {
  return {
    url: `${base}/api/v2/organizations/${o.id}.json`,
    id: o.id,
    name: o.name,
    shared_tickets: false,
    shared_comments: false,
    external_id: o.external_id,
    created_at: o.created_at,
    updated_at: o.updated_at,
    deleted_at: o.deleted_at ?? null,
    domain_names: o.domain_names,
    details: '',
    notes: '',
    group_id: null,
    tags: [],
    organization_fields: o.organization_fields,
  };
}

export async function startFakeZendesk(options: { email: string; token: string; tickets?: FakeTicket[]; organizations?: FakeOrganization[]; pageSize?: number }): Promise<FakeZendesk> {
  const expected = `Basic ${Buffer.from(`${options.email}/token:${options.token}`).toString('base64')}`;
  let state!: FakeZendesk;
  const vendor = await startFakeVendor({
    authorized: (req) => req.headers.authorization === expected,
    unauthorized: { status: 401, body: { error: "Couldn't authenticate you" } },
    handle(req, fake) {
      const perPage = Math.min(state.pageSize, Number(req.query.get('per_page') ?? '1000'));
      if (req.pathname === '/api/v2/incremental/tickets/cursor.json') {
        const order = [...state.tickets].sort((a, b) => seconds(a.updated_at) - seconds(b.updated_at) || a.id - b.id);
        const cursor = req.query.get('cursor');
        let rest: FakeTicket[];
        if (cursor !== null) {
          const at = decodeCursor<{ ts: number; id: number }>(cursor);
          if (!at) return { status: 400, body: { error: 'InvalidPaginationParameter', description: 'cursor is invalid' } };
          rest = order.filter((t) => seconds(t.updated_at) > at.ts || (seconds(t.updated_at) === at.ts && t.id > at.id));
        } else {
          const start = Number(req.query.get('start_time'));
          if (!Number.isInteger(start)) return { status: 400, body: { error: 'InvalidValue', description: 'start_time is required' } };
          rest = order.filter((t) => seconds(t.updated_at) >= start);
        }
        const page = rest.slice(0, perPage);
        const last = page[page.length - 1];
        const after = last ? encodeCursor({ ts: seconds(last.updated_at), id: last.id }) : null;
        return {
          body: {
            tickets: page.map((t) => renderTicket(fake.url, t)),
            after_url: after ? `${fake.url}/api/v2/incremental/tickets/cursor.json?cursor=${after}` : null,
            after_cursor: after,
            before_url: null,
            before_cursor: null,
            end_of_stream: rest.length <= perPage,
          },
        };
      }
      if (req.pathname === '/api/v2/incremental/organizations.json') {
        const start = Number(req.query.get('start_time'));
        if (!Number.isInteger(start)) return { status: 400, body: { error: 'InvalidValue', description: 'start_time is required' } };
        const rest = [...state.organizations].filter((o) => seconds(o.updated_at) >= start).sort((a, b) => seconds(a.updated_at) - seconds(b.updated_at) || a.id - b.id);
        const page = rest.slice(0, perPage);
        const end = page.length > 0 ? seconds(page[page.length - 1]!.updated_at) : start;
        const endOfStream = rest.length <= perPage;
        return {
          body: {
            organizations: page.map((o) => renderOrganization(fake.url, o)),
            next_page: endOfStream ? null : `${fake.url}/api/v2/incremental/organizations.json?start_time=${end}`,
            count: page.length,
            end_time: end,
            end_of_stream: endOfStream,
          },
        };
      }
      return { status: 404, body: { error: 'InvalidEndpoint', description: 'Not found' } };
    },
  });
  state = Object.assign(vendor, { tickets: options.tickets ?? [], organizations: options.organizations ?? [], pageSize: options.pageSize ?? 1000 });
  return state;
}
