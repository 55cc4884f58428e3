// The linear connector (through Linear's official SDK, @linear/sdk, its queries sent by the hub's polite client)
// against a local fake of Linear's GraphQL API built from Linear's reference docs and schema
// (test/unit/support/fakeLinear.ts): Relay pagination, updatedAt filters, label filters, AUTHENTICATION_ERROR,
// RATELIMITED with X-RateLimit-Requests-Reset, 5xx, and a sync that fails half way and resumes from its cursor
// without losing or doubling anything. Customers and customer needs give an issue its customers and ARR. Both engines.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { HubDatabase } from '../../src/hub/database';
import { recomputeDocuments } from '../../src/hub/documents';
import { loadHubConfig, type HubConfig } from '../../src/hub/hubConfig';
import { registerSources, syncSource, type SyncEnvironment } from '../../src/hub/syncLoop';
import type { FeatureContext } from '../../src/shared/contextProtocol';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { writeFiles } from './support/hubRun';
import { startFakeLinear, type FakeLinear, type FakeLinearIssue } from './support/fakeLinear';

const API_KEY = 'lin_api_testkey';

function config(baseUrl: string): HubConfig {
  const dir = tempDir();
  writeFiles(dir, {
    'hub.yml': `version: 1
asOf: 2026-11-28
sources:
  - { id: linear, kind: linear, name: Linear, baseUrl: "${baseUrl}/graphql", token: { env: LINEAR_KEY }, labels: [Customer], externalIdName: crm_id }
features:
  - { id: checkout, tags: [checkout] }
  - { id: search, tags: [search] }
`,
  });
  const outcome = loadHubConfig(path.join(dir, 'hub.yml'));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.config;
}

const at = (minute: number) => new Date(Date.parse('2026-11-20T00:00:00Z') + minute * 60_000).toISOString();

/** 120 customer issues (three pages of 50), checkout or search, and 10 issues without the customer label. */
function issues(): FakeLinearIssue[] {
  const list: FakeLinearIssue[] = [];
  for (let n = 1; n <= 130; n++) {
    list.push({ id: `issue-${n}`, identifier: `ENG-${n}`, title: `Issue ${n}`, description: null, priority: 3, labels: n > 120 ? ['Bug', 'checkout'] : ['Customer', n % 2 ? 'checkout' : 'search'], customerTicketCount: 0, createdAt: at(n), updatedAt: at(n) });
  }
  Object.assign(list[0]!, { title: 'Orders lost when the card is declined', description: 'Seen by **two** customers.', priority: 1, customerTicketCount: 1, startedAt: at(500) });
  Object.assign(list[1]!, { completedAt: at(600) });
  return list;
}

function fake(): Promise<FakeLinear> {
  return startFakeLinear({
    apiKey: API_KEY,
    labels: [
      { id: 'label-customer', name: 'Customer' },
      { id: 'label-checkout', name: 'checkout' },
      { id: 'label-search', name: 'search' },
      { id: 'label-bug', name: 'Bug' },
    ],
    tiers: [{ id: 'tier-1', name: 'enterprise', displayName: 'Enterprise' }],
    customers: [
      { id: 'cust-acme', name: 'Acme', domains: ['acme.com'], externalIds: ['sf-001'], revenue: 100000, tier: 'enterprise', updatedAt: at(1) },
      { id: 'cust-beta', name: 'Beta', domains: [], externalIds: [], revenue: 20000, tier: null, updatedAt: at(2) },
      { id: 'cust-gamma', name: 'Gamma', domains: ['gamma.dev'], externalIds: [], revenue: null, tier: null, updatedAt: at(3) },
    ],
    needs: [
      { id: 'need-1', body: 'We lose orders every time a card is declined.', customerId: 'cust-acme', issueId: 'issue-1', createdAt: at(10), updatedAt: at(10) },
      { id: 'need-2', body: null, customerId: 'cust-beta', issueId: 'issue-1', createdAt: at(11), updatedAt: at(11) },
      { id: 'need-3', body: 'Still happening for our EU shop.', customerId: 'cust-acme', issueId: 'issue-1', createdAt: at(12), updatedAt: at(12) },
      { id: 'need-4', body: 'A project-wide ask.', customerId: 'cust-gamma', issueId: null, projectId: 'project-1', createdAt: at(13), updatedAt: at(13) },
    ],
    issues: issues(),
  });
}

for (const engine of engines) {
  describe(`linear connector on ${engine.name} (fake Linear GraphQL API on 127.0.0.1)`, function () {
    this.timeout(60_000);
    let linear: FakeLinear;
    let db: HubDatabase;
    let hubConfig: HubConfig;
    let env: SyncEnvironment;
    const lines: string[] = [];

    beforeEach(async () => {
      linear = await fake();
      db = await openTestDatabase(await engine.fresh());
      hubConfig = config(linear.url);
      await registerSources(db, hubConfig);
      lines.length = 0;
      env = { db, config: hubConfig, owner: 'test', env: { LINEAR_KEY: API_KEY }, log: (l) => lines.push(l), http: { retryBaseDelayMs: 10, maxWaitMs: 5000 } };
    });
    afterEach(async () => {
      await db.close();
      await linear.close();
    });

    const count = async (stream: string) => (await db.query<{ n: number }>('select count(*)::int as n from hub_records where source_id = $1 and stream = $2', ['linear', stream]))[0]!.n;
    const record = async <T>(stream: string, id: string) => (await db.query<{ body: T }>('select body from hub_records where source_id = $1 and stream = $2 and vendor_id = $3', ['linear', stream, id]))[0]?.body;
    const operation = (r: { body: unknown }) => /^\s*query\s+(\w+)/.exec((r.body as { query: string }).query)?.[1];
    const variables = (r: { body: unknown }) => (r.body as { variables: Record<string, unknown> }).variables;
    const issueQueries = () => linear.requests.filter((r) => operation(r) === 'issues');
    const source = () => hubConfig.sources[0]!;
    const featureDoc = async (id: string) => JSON.parse((await db.query<{ body: string }>('select body from hub_documents where feature_id = $1', [id]))[0]!.body) as FeatureContext;

    it('reads labelled issues as problems, customers as accounts, and needs as quotes that give the issue its customers and ARR', async () => {
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
      assert.equal(await count('issues'), 120);
      assert.equal(await count('customers'), 3);
      assert.equal(await count('needs'), 3); // the need on a project belongs to no issue
      assert.ok(linear.requests.every((r) => r.authorized));
      assert.deepEqual(linear.requests.map(operation), ['customerTiers', 'customers', 'issueLabels', 'issues', 'issues', 'issues', 'customerNeeds']);
      assert.deepEqual(variables(issueQueries()[0]!), { first: 50, filter: { and: [{ labels: { some: { name: { eqIgnoreCase: 'Customer' } } } }] }, includeArchived: true, orderBy: 'updatedAt' });

      assert.deepEqual(await record('issues', 'issue-1'), {
        kind: 'problem',
        id: 'issue-1',
        title: 'ENG-1 Orders lost when the card is declined',
        status: 'in-progress',
        severity: 'critical',
        tags: ['customer', 'checkout'],
        mentions: 1,
        createdAt: at(1),
        updatedAt: at(1),
        detail: 'Seen by **two** customers.',
        url: 'https://linear.app/acme/issue/ENG-1/orders-lost-when-the-card-is-declined',
      });
      assert.equal((await record<{ status: string }>('issues', 'issue-2'))!.status, 'solved');
      assert.deepEqual(await record('customers', 'customer:cust-acme'), { kind: 'account', id: 'customer:cust-acme', name: 'Acme', domain: 'acme.com', externalIds: { crm_id: 'sf-001' }, arr: 100000, currency: 'USD', segment: 'Enterprise' });
      assert.deepEqual(await record('needs', 'need-1'), { kind: 'quote', id: 'need-1', text: 'We lose orders every time a card is declined.', tags: [], account: { key: 'customer:cust-acme' }, date: at(10), problem: 'issue-1' });
      assert.deepEqual(await record('needs', 'need-2'), { kind: 'quote', id: 'need-2', tags: [], account: { key: 'customer:cust-beta' }, date: at(11), problem: 'issue-1' });

      await recomputeDocuments(db, hubConfig, Date.now());
      const checkout = await featureDoc('checkout');
      // Issue 1: three needs from Acme (twice) and Beta → 2 customers, 100,000 + 20,000 USD, 3 mentions.
      const orders = checkout.problems![0]!;
      assert.deepEqual(
        [orders.id, orders.customers, orders.mentions, orders.arr, orders.currency, orders.severity, orders.status, orders.source],
        ['issue-1', 2, 3, 120000, 'USD', 'critical', 'in-progress', 'Linear'],
      );
      // The needs' bodies are quotes under the issue's features, with the customer as company and its tier.
      assert.deepEqual(
        checkout.quotes!.map((q) => [q.text, q.company, q.segment]),
        [
          ['Still happening for our EU shop.', 'Acme', 'Enterprise'],
          ['We lose orders every time a card is declined.', 'Acme', 'Enterprise'],
        ],
      );
      assert.equal((await featureDoc('search')).quotes, undefined);
    });

    it('syncs incrementally from the newest update stored, and removes issues that were archived', async () => {
      await syncSource(source(), env, { force: true });
      linear.requests.length = 0;
      await syncSource(source(), env, { force: true });
      assert.deepEqual((variables(issueQueries()[0]!).filter as { updatedAt: unknown }).updatedAt, { gte: at(120) });
      Object.assign(linear.issues[4]!, { archivedAt: at(700), updatedAt: at(700) });
      Object.assign(linear.issues[5]!, { title: 'Renamed', updatedAt: at(701) });
      linear.requests.length = 0;
      const changed = await syncSource(source(), env, { force: true });
      assert.equal(changed.status, 'ok');
      assert.equal(issueQueries().length, 1);
      assert.equal(await record('issues', 'issue-5'), undefined);
      assert.equal((await record<{ title: string }>('issues', 'issue-6'))!.title, 'ENG-6 Renamed');
      assert.equal(await count('issues'), 119);
    });

    it('waits out RATELIMITED until X-RateLimit-Requests-Reset and retries 5xx, then carries on', async () => {
      let faults = 0;
      linear.faults.push((req) => {
        if (!/query issues\b/.test((req.body as { query?: string }).query ?? '')) return undefined;
        if (faults === 0) return (faults++, { status: 400, headers: { 'x-ratelimit-requests-remaining': '0', 'x-ratelimit-requests-reset': String(Date.now() + 1000) }, body: { errors: [{ message: 'Rate limit exceeded', extensions: { code: 'RATELIMITED' } }] } });
        if (faults === 1) return (faults++, { status: 503, body: { errors: [{ message: 'Service unavailable' }] } });
        return undefined;
      });
      const started = Date.now();
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
      assert.ok(Date.now() - started >= 1000, 'waited for the reset');
      assert.deepEqual(issueQueries().map((r) => r.status), [400, 503, 200, 200, 200]);
      assert.equal(await count('issues'), 120);
    });

    it('fails a page half way, then resumes from the cursor: nothing lost, nothing doubled', async () => {
      linear.faults.push((req) => (/query issues\b/.test((req.body as { query?: string }).query ?? '') && issueQueries().length >= 2 ? { status: 500, body: { errors: [{ message: 'Internal server error' }] } } : undefined));
      const failed = await syncSource(source(), env, { force: true });
      assert.equal(failed.status, 'failed');
      assert.equal(await count('issues'), 100);
      const [stored] = await db.query<{ cursor: { since: string | null; after: string } }>("select cursor from hub_cursors where source_id = 'linear' and stream = 'issues'");
      assert.equal(stored!.cursor.since, null);
      assert.equal(typeof stored!.cursor.after, 'string');

      linear.faults.length = 0;
      linear.requests.length = 0;
      const resumed = await syncSource(source(), env, { force: true });
      assert.equal(resumed.status, 'ok');
      assert.equal(issueQueries().length, 1);
      assert.equal(variables(issueQueries()[0]!).after, stored!.cursor.after);
      assert.equal(await count('issues'), 120);
      const ids = (await db.query<{ vendor_id: string }>("select vendor_id from hub_records where source_id = 'linear' and stream = 'issues'")).map((r) => Number(r.vendor_id.replace('issue-', '')));
      assert.deepEqual(ids.sort((a, b) => a - b), Array.from({ length: 120 }, (_, i) => i + 1));
      const [after] = await db.query<{ cursor: unknown }>("select cursor from hub_cursors where source_id = 'linear' and stream = 'issues'");
      assert.deepEqual(after!.cursor, { since: at(120) });
    });

    it('waits out a plain HTTP 429 with Retry-After, and keeps to the default budget of 5,000 requests an hour', async () => {
      assert.deepEqual(source().budget, { requests: 5000, perSeconds: 3600 });
      let limited = false;
      linear.faults.push((req) => {
        if (limited || !/query issues\b/.test((req.body as { query?: string }).query ?? '')) return undefined;
        limited = true;
        return { status: 429, headers: { 'retry-after': '1' }, body: { errors: [{ message: 'Too many requests', extensions: { code: 'RATELIMITED' } }] } };
      });
      const started = Date.now();
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
      assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
      assert.deepEqual(issueQueries().map((r) => r.status), [429, 200, 200, 200]);
      assert.equal(await count('issues'), 120);
    });

    it('says when the key lacks a permission (FORBIDDEN) or is missing, without retrying', async () => {
      linear.faults.push(() => ({ status: 400, body: { errors: [{ message: 'You do not have access to customers', extensions: { code: 'FORBIDDEN', userError: true } }] } }));
      const forbidden = await syncSource(source(), env, { force: true });
      assert.match(forbidden.status === 'failed' ? forbidden.error : '', /answered FORBIDDEN \(You do not have access to customers\); the token lacks a permission this source needs/);
      assert.equal(linear.requests.length, 1);

      linear.faults.length = 0;
      linear.requests.length = 0;
      const missing = await syncSource(source(), { ...env, env: {} }, { force: true });
      assert.match(missing.status === 'failed' ? missing.error : '', /the environment variable LINEAR_KEY is not set; export a Linear API key in it/);
      assert.equal(linear.requests.length, 0);
    });

    it('says when the key is refused (AUTHENTICATION_ERROR), without retrying or logging it', async () => {
      env = { ...env, env: { LINEAR_KEY: 'lin_api_wrong' } };
      const refused = await syncSource(source(), env, { force: true });
      assert.match(refused.status === 'failed' ? refused.error : '', /refused the credential \(Authentication required, not authenticated\); check the token's environment variable/);
      assert.equal(linear.requests.length, 1);
      assert.ok(!lines.join('\n').includes(API_KEY) && !lines.join('\n').includes('lin_api_wrong'));
    });
  });
}
