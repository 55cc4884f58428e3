// A local fake of Linear's GraphQL API, built from its reference docs and schema (Linear cannot be reached from the
// tests). It answers the operations @linear/sdk sends, by operation name, with the fields the SDK's documents select:
// - https://linear.app/developers/graphql: POST /graphql with { query, variables }; a personal API key in
//   `Authorization`; errors as { errors: [{ message, extensions: { code } }] } (AUTHENTICATION_ERROR, RATELIMITED).
// - https://linear.app/developers/pagination: Relay connections { nodes, pageInfo { hasNextPage, endCursor, … } },
//   `first`/`after`, `orderBy: updatedAt` (newest first), `includeArchived`.
// - https://linear.app/developers/filtering: `updatedAt: { gte }`, `labels: { some: { name: { eqIgnoreCase } } }`
//   combined with `and`.
// - https://linear.app/developers/rate-limiting: X-RateLimit-Requests-Limit/-Remaining/-Reset (epoch ms) headers.
// - Customers (name, domains, externalIds, revenue, tier), customer needs (body, customer, issue) and issues (labelIds,
//   priority, customerTicketCount, startedAt/completedAt/canceledAt) as in Linear's schema.
import { decodeCursor, encodeCursor, startFakeVendor, type FakeAnswer, type FakeVendor } from './fakeVendor';

export interface FakeLinearIssue {
  id: string;
  identifier: string;
  title: string;
  description: string | null;
  priority: number;
  labels: string[];
  customerTicketCount: number;
  createdAt: string;
  updatedAt: string;
  startedAt?: string | null;
  completedAt?: string | null;
  canceledAt?: string | null;
  archivedAt?: string | null;
  /** The issue's page in Linear; else one in a made-up workspace. */
  url?: string;
}

export interface FakeLinearCustomer {
  id: string;
  name: string;
  domains: string[];
  externalIds: string[];
  revenue: number | null;
  tier: string | null;
  updatedAt: string;
  archivedAt?: string | null;
}

export interface FakeLinearNeed {
  id: string;
  body: string | null;
  customerId: string | null;
  issueId: string | null;
  projectId?: string | null;
  createdAt: string;
  updatedAt: string;
  archivedAt?: string | null;
}

export interface FakeLinear extends FakeVendor {
  issues: FakeLinearIssue[];
  customers: FakeLinearCustomer[];
  needs: FakeLinearNeed[];
  labels: Array<{ id: string; name: string }>;
  tiers: Array<{ id: string; name: string; displayName: string }>;
}

const STAMP = '2026-01-01T00:00:00.000Z';
const ref = (id: string | null | undefined) => (id ? { id } : null);

function pageOf<T extends { id: string; updatedAt: string; archivedAt?: string | null }>(items: T[], variables: Record<string, unknown>, keep: (item: T) => boolean): { nodes: T[]; pageInfo: unknown } | FakeAnswer {
  const filter = (variables.filter ?? {}) as { updatedAt?: { gte?: string } };
  const gte = filter.updatedAt?.gte;
  const first = typeof variables.first === 'number' ? Math.min(variables.first, 250) : 50;
  const matching = items
    .filter((i) => (variables.includeArchived === true || !i.archivedAt) && (gte === undefined || i.updatedAt >= gte) && keep(i))
    .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || a.id.localeCompare(b.id));
  let offset = 0;
  if (typeof variables.after === 'string') {
    const at = decodeCursor<{ offset: number }>(variables.after);
    if (!at) return { status: 400, body: { errors: [{ message: 'Invalid cursor', extensions: { code: 'INVALID_INPUT', userError: true } }] } };
    offset = at.offset;
  }
  const nodes = matching.slice(offset, offset + first);
  const more = offset + first < matching.length;
  return {
    nodes,
    pageInfo: {
      __typename: 'PageInfo',
      hasPreviousPage: offset > 0,
      hasNextPage: more,
      startCursor: nodes.length > 0 ? encodeCursor({ offset }) : null,
      endCursor: nodes.length > 0 ? encodeCursor({ offset: offset + nodes.length }) : null,
    },
  };
}

function renderIssue(i: FakeLinearIssue, labelIds: string[]): unknown {
  return {
    __typename: 'Issue',
    trashed: null,
    reactionData: [],
    labelIds,
    integrationSourceType: null,
    url: i.url ?? `https://linear.app/acme/issue/${i.identifier}/${i.title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    identifier: i.identifier,
    priorityLabel: ['No priority', 'Urgent', 'High', 'Medium', 'Low'][i.priority],
    previousIdentifiers: [],
    reactions: [],
    customerTicketCount: i.customerTicketCount,
    sharedAccess: { __typename: 'IssueSharedAccess', disallowedIssueFields: [], sharedWithCount: 0, sharedWithUsers: [], viewerHasOnlySharedAccess: false, isShared: false },
    branchName: `acme/${i.identifier.toLowerCase()}`,
    delegate: null,
    botActor: null,
    sourceComment: null,
    cycle: null,
    dueDate: null,
    estimate: null,
    syncedWith: null,
    externalUserCreator: null,
    asksExternalUserRequester: null,
    asksRequester: null,
    description: i.description,
    title: i.title,
    number: Number(i.identifier.split('-')[1]),
    lastAppliedTemplate: null,
    updatedAt: i.updatedAt,
    boardOrder: 0,
    sortOrder: 0,
    prioritySortOrder: 0,
    subIssueSortOrder: null,
    parent: null,
    priority: i.priority,
    projectMilestone: null,
    project: null,
    recurringIssueTemplate: null,
    team: { id: 'team-1' },
    archivedAt: i.archivedAt ?? null,
    createdAt: i.createdAt,
    startedTriageAt: null,
    triagedAt: null,
    addedToCycleAt: null,
    addedToProjectAt: null,
    addedToTeamAt: i.createdAt,
    autoArchivedAt: null,
    autoClosedAt: null,
    canceledAt: i.canceledAt ?? null,
    completedAt: i.completedAt ?? null,
    startedAt: i.startedAt ?? null,
    slaStartedAt: null,
    slaBreachesAt: null,
    slaHighRiskAt: null,
    slaMediumRiskAt: null,
    snoozedUntilAt: null,
    slaType: null,
    id: i.id,
    assignee: null,
    creator: { id: 'user-1' },
    snoozedBy: null,
    favorite: null,
    state: { id: 'state-1' },
    inheritsSharedAccess: false,
  };
}

function renderCustomer(c: FakeLinearCustomer, tierId: string | undefined): unknown {
  return {
    __typename: 'Customer',
    integration: null,
    url: `https://linear.app/acme/customer/${c.id}`,
    domains: c.domains,
    externalIds: c.externalIds,
    logoUrl: null,
    name: c.name,
    slugId: c.id,
    mainSourceId: null,
    approximateNeedCount: 0,
    revenue: c.revenue,
    size: null,
    slackChannelId: null,
    status: { id: 'status-1' },
    owner: null,
    tier: tierId ? { id: tierId } : null,
    updatedAt: c.updatedAt,
    archivedAt: c.archivedAt ?? null,
    createdAt: STAMP,
    id: c.id,
    needs: [],
  };
}

function renderNeed(n: FakeLinearNeed): unknown {
  return {
    __typename: 'CustomerNeed',
    comment: null,
    url: null,
    body: n.body,
    customer: ref(n.customerId),
    content: null,
    attachment: null,
    originalIssue: null,
    issue: ref(n.issueId),
    project: ref(n.projectId),
    projectAttachment: null,
    updatedAt: n.updatedAt,
    priority: 0,
    archivedAt: n.archivedAt ?? null,
    createdAt: n.createdAt,
    id: n.id,
    creator: { id: 'user-1' },
  };
}

export async function startFakeLinear(options: { apiKey: string; issues?: FakeLinearIssue[]; customers?: FakeLinearCustomer[]; needs?: FakeLinearNeed[]; labels?: Array<{ id: string; name: string }>; tiers?: Array<{ id: string; name: string; displayName: string }> }): Promise<FakeLinear> {
  let state!: FakeLinear;
  const vendor = await startFakeVendor({
    authorized: (req) => req.headers.authorization === options.apiKey,
    unauthorized: {
      status: 400,
      body: { errors: [{ message: 'Authentication required, not authenticated', extensions: { type: 'authentication error', code: 'AUTHENTICATION_ERROR', userError: true, userPresentableMessage: 'You need to authenticate to access this operation.' } }] },
    },
    handle(req) {
      if (req.method !== 'POST' || req.pathname !== '/graphql') return { status: 404, body: { errors: [{ message: 'Not found' }] } };
      const body = req.body as { query?: string; variables?: Record<string, unknown> };
      const operation = /^\s*query\s+(\w+)/.exec(body.query ?? '')?.[1];
      const variables = body.variables ?? {};
      const headers = { 'x-ratelimit-requests-limit': '5000', 'x-ratelimit-requests-remaining': '4999', 'x-ratelimit-requests-reset': String(Date.now() + 3_600_000) };
      const connection = <T>(name: string, result: { nodes: T[]; pageInfo: unknown } | FakeAnswer, render: (item: T) => unknown): FakeAnswer =>
        'nodes' in result ? { headers, body: { data: { [name]: { __typename: 'Connection', nodes: result.nodes.map(render), pageInfo: result.pageInfo } } } } : result;
      const labelId = (name: string) => state.labels.find((l) => l.name === name)?.id;
      switch (operation) {
        case 'issueLabels':
          return connection('issueLabels', pageOf(state.labels.map((l) => ({ ...l, updatedAt: STAMP })), variables, () => true), (l) => ({ __typename: 'IssueLabel', id: l.id, name: l.name, color: '#bec2c8', description: null, isGroup: false, createdAt: STAMP, updatedAt: STAMP, archivedAt: null, lastAppliedAt: null, retiredAt: null, creator: null, team: null, inheritedFrom: null, parent: null }));
        case 'customerTiers':
          return connection('customerTiers', pageOf(state.tiers.map((t) => ({ ...t, updatedAt: STAMP })), variables, () => true), (t) => ({ __typename: 'CustomerTier', id: t.id, name: t.name, displayName: t.displayName, color: '#000000', description: null, position: 0, createdAt: STAMP, updatedAt: STAMP, archivedAt: null }));
        case 'customers':
          return connection('customers', pageOf(state.customers, variables, () => true), (c) => renderCustomer(c, state.tiers.find((t) => t.name === c.tier)?.id));
        case 'customerNeeds':
          return connection('customerNeeds', pageOf(state.needs, variables, () => true), renderNeed);
        case 'issues': {
          const and = ((variables.filter as { and?: Array<{ labels?: { some?: { name?: { eqIgnoreCase?: string } } } }> } | undefined)?.and ?? []).map((f) => f.labels?.some?.name?.eqIgnoreCase?.toLowerCase());
          return connection('issues', pageOf(state.issues, variables, (i) => and.every((want) => i.labels.some((l) => l.toLowerCase() === want))), (i) => renderIssue(i, i.labels.map(labelId).filter((id): id is string => id !== undefined)));
        }
        default:
          return { status: 400, body: { errors: [{ message: `the fake does not answer ${operation ?? 'this document'}`, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }] } };
      }
    },
  });
  state = Object.assign(vendor, { issues: options.issues ?? [], customers: options.customers ?? [], needs: options.needs ?? [], labels: options.labels ?? [], tiers: options.tiers ?? [] });
  return state;
}
