// A local fake of Intercom's REST API 2.x, built from its reference docs (Intercom cannot be reached from the tests):
// - POST /conversations/search (https://developers.intercom.com/docs/references/rest-api/api.intercom.io/conversations/searchconversations):
//   a `{ field, operator, value }` query (here `updated_at` with `>`), `pagination: { per_page ≤ 150, starting_after }`;
//   answers { type: "conversation.list", conversations, total_count, pages: { type: "pages", page, per_page,
//   total_pages, next: { page, starting_after } } }, `next` absent on the last page
//   (https://developers.intercom.com/docs/build-an-integration/learn-more/rest-apis/pagination/). Newest updates first,
//   like the conversation list.
// - POST /companies/list?page=&per_page=&order= (list all companies): { type: "list", data, pages: { page, per_page,
//   total_pages }, total_count }.
// - Conversation and company objects as in the reference's examples (source with author and HTML body, tags as a
//   tag.list, company_id, monthly_spend, website, plan).
// - Auth: Bearer token; a wrong one answers 401 { type: "error.list", errors: [{ code: "unauthorized", message:
//   "Access Token Invalid" }] }. Rate limits: 429 with X-RateLimit-Limit/-Remaining/-Reset (epoch seconds)
//   (https://developers.intercom.com/docs/references/rest-api/errors/rate-limiting).
import { decodeCursor, encodeCursor, startFakeVendor, type FakeVendor } from './fakeVendor';

export interface FakeConversation {
  id: string;
  title: string | null;
  state: 'open' | 'closed' | 'snoozed';
  priority: 'priority' | 'not_priority';
  tags: string[];
  company_id: string | null;
  author: { type: 'user' | 'lead' | 'admin' | 'bot'; name: string; email: string };
  subject: string;
  body: string;
  created_at: number;
  updated_at: number;
}

export interface FakeCompany {
  id: string;
  name: string;
  company_id: string;
  website: string | null;
  monthly_spend: number;
  plan: string | null;
  created_at: number;
  updated_at: number;
}

export interface FakeIntercom extends FakeVendor {
  conversations: FakeConversation[];
  companies: FakeCompany[];
}

export function intercomConversation(n: number, updatedAt: number, fields: Partial<FakeConversation> = {}): FakeConversation {
  return {
    id: String(1000 + n),
    title: null,
    state: 'open',
    priority: 'not_priority',
    tags: [],
    company_id: null,
    author: { type: 'user', name: `Customer ${n}`, email: `customer${n}@gmail.com` },
    subject: '',
    body: `<p>Question number ${n}</p>`,
    created_at: updatedAt,
    updated_at: updatedAt,
    ...fields,
  };
}

function renderConversation(c: FakeConversation): unknown {
  return {
    type: 'conversation',
    id: c.id,
    title: c.title,
    created_at: c.created_at,
    updated_at: c.updated_at,
    waiting_since: null,
    snoozed_until: null,
    open: c.state !== 'closed',
    state: c.state,
    read: true,
    priority: c.priority,
    admin_assignee_id: null,
    team_assignee_id: null,
    company_id: c.company_id,
    tags: { type: 'tag.list', tags: c.tags.map((name, i) => ({ type: 'tag', id: String(i + 1), name, applied_at: c.created_at, applied_by: { type: 'admin', id: '1' } })) },
    conversation_rating: null,
    source: {
      type: 'conversation',
      id: `${c.id}0`,
      delivered_as: c.author.type === 'admin' ? 'admin_initiated' : 'customer_initiated',
      subject: c.subject,
      body: c.body,
      author: { type: c.author.type, id: '5ba682d23d7cf92bef87bfd4', name: c.author.name, email: c.author.email },
      attachments: [],
      url: null,
      redacted: false,
    },
    contacts: { type: 'contact.list', contacts: [{ type: 'contact', id: '5ba682d23d7cf92bef87bfd4', external_id: null }] },
    teammates: { type: 'admin.list', admins: [] },
    custom_attributes: {},
    first_contact_reply: null,
    sla_applied: null,
    statistics: null,
    linked_objects: { type: 'list', data: [], total_count: 0, has_more: false },
    ai_agent_participated: false,
  };
}

function renderCompany(c: FakeCompany): unknown {
  return {
    type: 'company',
    id: c.id,
    name: c.name,
    app_id: 'this1s1s',
    plan: c.plan ? { type: 'plan', id: '269315', name: c.plan } : {},
    company_id: c.company_id,
    remote_created_at: c.created_at,
    created_at: c.created_at,
    updated_at: c.updated_at,
    last_request_at: c.updated_at,
    size: 100,
    website: c.website,
    industry: 'Software',
    monthly_spend: c.monthly_spend,
    session_count: 0,
    user_count: 3,
    custom_attributes: {},
    tags: { type: 'tag.list', tags: [] },
    segments: { type: 'segment.list', segments: [] },
  };
}

export async function startFakeIntercom(options: { token: string; conversations?: FakeConversation[]; companies?: FakeCompany[] }): Promise<FakeIntercom> {
  let state!: FakeIntercom;
  const vendor = await startFakeVendor({
    authorized: (req) => req.headers.authorization === `Bearer ${options.token}`,
    unauthorized: { status: 401, body: { type: 'error.list', request_id: 'b3c6fe0a-aa5b-4f1e-8f48-6e8d7c5a1f2e', errors: [{ code: 'unauthorized', message: 'Access Token Invalid' }] } },
    handle(req) {
      if (req.method === 'POST' && req.pathname === '/conversations/search') {
        const body = req.body as { query?: { field?: string; operator?: string; value?: number }; pagination?: { per_page?: number; starting_after?: string } };
        if (body.query?.field !== 'updated_at' || body.query.operator !== '>' || typeof body.query.value !== 'number') {
          return { status: 400, body: { type: 'error.list', errors: [{ code: 'parameter_invalid', message: 'the fake serves updated_at > N queries' }] } };
        }
        const perPage = Math.min(150, body.pagination?.per_page ?? 20);
        const matching = state.conversations.filter((c) => c.updated_at > body.query!.value!).sort((a, b) => b.updated_at - a.updated_at || a.id.localeCompare(b.id));
        let offset = 0;
        if (body.pagination?.starting_after) {
          const at = decodeCursor<{ offset: number }>(body.pagination.starting_after);
          if (!at) return { status: 400, body: { type: 'error.list', errors: [{ code: 'parameter_invalid', message: 'starting_after is invalid' }] } };
          offset = at.offset;
        }
        const page = matching.slice(offset, offset + perPage);
        const totalPages = Math.max(1, Math.ceil(matching.length / perPage));
        const pageNumber = Math.floor(offset / perPage) + 1;
        const more = offset + perPage < matching.length;
        return {
          body: {
            type: 'conversation.list',
            conversations: page.map(renderConversation),
            total_count: matching.length,
            pages: { type: 'pages', page: pageNumber, per_page: perPage, total_pages: totalPages, ...(more ? { next: { page: pageNumber + 1, starting_after: encodeCursor({ offset: offset + perPage }) } } : {}) },
          },
        };
      }
      if (req.method === 'POST' && req.pathname === '/companies/list') {
        const page = Number(req.query.get('page') ?? '1');
        const perPage = Math.min(60, Number(req.query.get('per_page') ?? '15'));
        const order = req.query.get('order') === 'asc' ? 1 : -1;
        const sorted = [...state.companies].sort((a, b) => (a.created_at - b.created_at || a.id.localeCompare(b.id)) * order);
        return {
          body: {
            type: 'list',
            data: sorted.slice((page - 1) * perPage, page * perPage).map(renderCompany),
            pages: { type: 'pages', next: null, page, per_page: perPage, total_pages: Math.max(1, Math.ceil(sorted.length / perPage)) },
            total_count: sorted.length,
          },
        };
      }
      return { status: 404, body: { type: 'error.list', errors: [{ code: 'not_found', message: 'Resource Not Found' }] } };
    },
  });
  state = Object.assign(vendor, { conversations: options.conversations ?? [], companies: options.companies ?? [] });
  return state;
}
