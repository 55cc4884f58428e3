// The intercom connector (through Intercom's official Node SDK, its requests sent by the hub's polite client) against
// a local fake of Intercom's REST API built from Intercom's reference docs (test/unit/support/fakeIntercom.ts):
// conversation search with cursor pagination, the company list, Bearer auth, 401/403, 429 with X-RateLimit-Reset,
// 5xx, and a sync that fails half way and resumes from its cursor without losing or doubling anything. On both engines.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { HubDatabase } from '../../src/hub/database';
import { recomputeDocuments } from '../../src/hub/documents';
import { loadHubConfig, type HubConfig } from '../../src/hub/hubConfig';
import { registerSources, syncSource, type SyncEnvironment } from '../../src/hub/syncLoop';
import type { FeatureContext } from '../../src/shared/contextProtocol';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { writeFiles } from './support/hubRun';
import { intercomConversation, startFakeIntercom, type FakeCompany, type FakeConversation, type FakeIntercom } from './support/fakeIntercom';

const TOKEN = 'intercom-test-token';
const T0 = Date.parse('2026-11-20T00:00:00Z') / 1000;

function config(baseUrl: string): HubConfig {
  const dir = tempDir();
  writeFiles(dir, {
    'hub.yml': `version: 1
asOf: 2026-11-28
sources:
  - { id: chat, kind: intercom, name: Intercom, baseUrl: "${baseUrl}", token: { env: INTERCOM_TOKEN }, appId: abc123, externalIdName: crm_id }
features:
  - { id: checkout, tags: [checkout] }
  - { id: search, tags: [search] }
`,
  });
  const outcome = loadHubConfig(path.join(dir, 'hub.yml'));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.config;
}

function companies(): FakeCompany[] {
  const list: FakeCompany[] = [
    { id: 'c1', name: 'Acme', company_id: 'crm-1', website: 'https://acme.com/', monthly_spend: 1000, plan: 'Pro', created_at: T0 - 1000, updated_at: T0 },
    { id: 'c2', name: 'Beta', company_id: 'crm-2', website: 'www.beta.io', monthly_spend: 0, plan: null, created_at: T0 - 900, updated_at: T0 },
  ];
  for (let n = 3; n <= 100; n++) list.push({ id: `c${n}`, name: `Company ${n}`, company_id: `crm-${n}`, website: null, monthly_spend: n, plan: null, created_at: T0 + n, updated_at: T0 + n });
  return list;
}

/** 400 conversations a minute apart (three pages of 150), tagged checkout or search. */
function conversations(): FakeConversation[] {
  const list: FakeConversation[] = [];
  for (let n = 1; n <= 400; n++) list.push(intercomConversation(n, T0 + n * 60, { tags: [n % 2 ? 'Checkout' : 'search'] }));
  Object.assign(list[0]!, { company_id: 'c1', title: null, subject: '', body: '<p>Coupon &amp; gift card don&#39;t stack</p><p>Write to ana@acme.com</p>', priority: 'priority' });
  Object.assign(list[2]!, { author: { type: 'user', name: 'Bob', email: 'bob@beta.io' }, state: 'snoozed' });
  Object.assign(list[4]!, { author: { type: 'admin', name: 'Support', email: 'support@ourco.example' }, body: '<p>Hi! How is checkout going?</p>', title: 'Outreach', state: 'closed' });
  return list;
}

for (const engine of engines) {
  describe(`intercom connector on ${engine.name} (fake Intercom REST API on 127.0.0.1)`, function () {
    this.timeout(60_000);
    let fake: FakeIntercom;
    let db: HubDatabase;
    let hubConfig: HubConfig;
    let env: SyncEnvironment;
    const lines: string[] = [];

    beforeEach(async () => {
      fake = await startFakeIntercom({ token: TOKEN, conversations: conversations(), companies: companies() });
      db = await openTestDatabase(await engine.fresh());
      hubConfig = config(fake.url);
      await registerSources(db, hubConfig);
      lines.length = 0;
      env = { db, config: hubConfig, owner: 'test', env: { INTERCOM_TOKEN: TOKEN }, log: (l) => lines.push(l), http: { retryBaseDelayMs: 10, maxWaitMs: 5000 } };
    });
    afterEach(async () => {
      await db.close();
      await fake.close();
    });

    const count = async (stream: string) => (await db.query<{ n: number }>('select count(*)::int as n from hub_records where source_id = $1 and stream = $2', ['chat', stream]))[0]!.n;
    const record = async <T>(stream: string, id: string) => (await db.query<{ body: T }>('select body from hub_records where source_id = $1 and stream = $2 and vendor_id = $3', ['chat', stream, id]))[0]?.body;
    const searches = () => fake.requests.filter((r) => r.url === '/conversations/search');
    const source = () => hubConfig.sources[0]!;
    const featureDoc = async (id: string) => JSON.parse((await db.query<{ body: string }>('select body from hub_documents where feature_id = $1', [id]))[0]!.body) as FeatureContext;

    it('reads conversations with their tags and first customer message, and companies as accounts with monthly_spend × 12', async () => {
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
      assert.equal(await count('conversations'), 400);
      assert.equal(await count('companies'), 100);
      assert.ok(fake.requests.every((r) => r.authorized), 'every request carried the token');
      assert.deepEqual(
        fake.requests.map((r) => `${r.method} ${r.url}`),
        [
          'POST /companies/list?page=1&per_page=60&order=asc',
          'POST /companies/list?page=2&per_page=60&order=asc',
          'POST /conversations/search',
          'POST /conversations/search',
          'POST /conversations/search',
        ],
      );
      assert.deepEqual(searches().map((r) => r.body), [
        { query: { field: 'updated_at', operator: '>', value: 0 }, pagination: { per_page: 150 } },
        { query: { field: 'updated_at', operator: '>', value: 0 }, pagination: { per_page: 150, starting_after: (searches()[1]!.body as { pagination: { starting_after: string } }).pagination.starting_after } },
        { query: { field: 'updated_at', operator: '>', value: 0 }, pagination: { per_page: 150, starting_after: (searches()[2]!.body as { pagination: { starting_after: string } }).pagination.starting_after } },
      ]);

      // The first customer message, as text (entities decoded, tags gone) and masked before it was stored.
      assert.deepEqual(await record('conversations', '1001'), {
        kind: 'ticket',
        id: '1001',
        title: "Coupon & gift card don't stack",
        status: 'open',
        priority: 'high',
        tags: ['checkout'],
        account: { key: 'company:c1' },
        createdAt: '2026-11-20T00:01:00Z',
        updatedAt: '2026-11-20T00:01:00Z',
        url: 'https://app.intercom.com/a/apps/abc123/inbox/inbox/all/conversations/1001',
        text: "Coupon & gift card don't stack\nWrite to [email]",
      });
      const bob = await record<Record<string, unknown>>('conversations', '1003');
      assert.deepEqual([bob!.status, bob!.account], ['on-hold', { domain: 'beta.io' }]); // no company: the customer's e-mail domain
      const outreach = await record<Record<string, unknown>>('conversations', '1005');
      assert.deepEqual([outreach!.title, outreach!.status, outreach!.text, outreach!.account], ['Outreach', 'closed', undefined, undefined]); // a teammate wrote first: no quote
      assert.deepEqual(await record('companies', 'company:c1'), { kind: 'account', id: 'company:c1', name: 'Acme', domain: 'acme.com', externalIds: { crm_id: 'crm-1' }, arr: 12000, currency: 'USD', segment: 'Pro' });
      assert.deepEqual(await record('companies', 'company:c2'), { kind: 'account', id: 'company:c2', name: 'Beta', domain: 'beta.io', externalIds: { crm_id: 'crm-2' } });

      await recomputeDocuments(db, hubConfig, Date.now());
      const checkout = await featureDoc('checkout');
      const coupon = checkout.problems!.find((p) => p.title === "Coupon & gift card don't stack")!;
      assert.deepEqual([coupon.customers, coupon.arr, coupon.currency, coupon.severity, coupon.source], [1, 12000, 'USD', 'high', 'Intercom']);
      const quote = checkout.quotes!.find((q) => q.id === '1001');
      assert.equal(quote, undefined); // quotes are the newest 10; conversation 1 is the oldest
      assert.equal(checkout.quotes![0]!.text, 'Question number 399');
    });

    it('syncs incrementally: the next search starts at the newest update stored, and companies are read again', async () => {
      await syncSource(source(), env, { force: true });
      fake.requests.length = 0;
      const again = await syncSource(source(), env, { force: true });
      assert.equal(again.status, 'ok');
      assert.deepEqual(searches().map((r) => (r.body as { query: { value: number } }).query.value), [T0 + 400 * 60 - 1]);
      fake.conversations.find((c) => c.id === '1010')!.state = 'closed';
      fake.conversations.find((c) => c.id === '1010')!.updated_at = T0 + 500 * 60;
      fake.requests.length = 0;
      await syncSource(source(), env, { force: true });
      assert.equal(searches().length, 1);
      assert.equal((await record<{ status: string }>('conversations', '1010'))!.status, 'closed');
      assert.equal(await count('conversations'), 400);
    });

    it('waits out 429 until X-RateLimit-Reset and retries 5xx, then carries on', async () => {
      let faults = 0;
      fake.faults.push((req) => {
        if (req.pathname !== '/conversations/search') return undefined;
        if (faults === 0) return (faults++, { status: 429, headers: { 'x-ratelimit-limit': '10000', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 1) }, body: { type: 'error.list', errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit of 10000 in 60_seconds' }] } });
        if (faults === 1) return (faults++, { status: 502, body: { type: 'error.list', errors: [{ code: 'server_error', message: 'Server Error' }] } });
        return undefined;
      });
      const started = Date.now();
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
      assert.ok(Date.now() - started >= 1000, 'waited for the reset');
      assert.deepEqual(searches().map((r) => r.status), [429, 502, 200, 200, 200]);
      assert.equal(await count('conversations'), 400);
    });

    it('waits out a 429 with Retry-After, and keeps to the default budget of 10,000 calls a minute in 10-second windows', async () => {
      assert.deepEqual(source().budget, { requests: 1666, perSeconds: 10 });
      let limited = false;
      fake.faults.push((req) => {
        if (limited || req.pathname !== '/conversations/search') return undefined;
        limited = true;
        return { status: 429, headers: { 'retry-after': '1' }, body: { type: 'error.list', errors: [{ code: 'rate_limit_exceeded', message: 'Exceeded rate limit' }] } };
      });
      const started = Date.now();
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
      assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
      assert.deepEqual(searches().map((r) => r.status), [429, 200, 200, 200]);
      assert.equal(await count('conversations'), 400);
    });

    it('fails a page half way, then resumes from the cursor: nothing lost, nothing doubled', async () => {
      fake.faults.push((req) => (req.pathname === '/conversations/search' && searches().length >= 2 ? { status: 500, body: { type: 'error.list', errors: [{ code: 'server_error', message: 'Server Error' }] } } : undefined));
      const failed = await syncSource(source(), env, { force: true });
      assert.equal(failed.status, 'failed');
      assert.equal(await count('conversations'), 300);
      const [stored] = await db.query<{ cursor: { since: number; after: string } }>("select cursor from hub_cursors where source_id = 'chat' and stream = 'conversations'");
      assert.equal(stored!.cursor.since, 0);
      assert.equal(typeof stored!.cursor.after, 'string');

      fake.faults.length = 0;
      fake.requests.length = 0;
      const resumed = await syncSource(source(), env, { force: true });
      assert.equal(resumed.status, 'ok');
      assert.deepEqual(searches().map((r) => r.body), [{ query: { field: 'updated_at', operator: '>', value: 0 }, pagination: { per_page: 150, starting_after: stored!.cursor.after } }]);
      assert.equal(await count('conversations'), 400);
      const ids = (await db.query<{ vendor_id: string }>("select vendor_id from hub_records where source_id = 'chat' and stream = 'conversations'")).map((r) => Number(r.vendor_id));
      assert.deepEqual(ids.sort((a, b) => a - b), Array.from({ length: 400 }, (_, i) => 1001 + i));
      const [after] = await db.query<{ cursor: { since: number } }>("select cursor from hub_cursors where source_id = 'chat' and stream = 'conversations'");
      assert.deepEqual(after!.cursor, { since: T0 + 400 * 60 });
    });

    it('says when the token is refused (401) or lacks permission (403), without retrying or logging it', async () => {
      env = { ...env, env: { INTERCOM_TOKEN: 'wrong' } };
      const refused = await syncSource(source(), env, { force: true });
      assert.match(refused.status === 'failed' ? refused.error : '', /refused the credential \(401\); check the token's environment variable/);
      assert.equal(fake.requests.length, 1);
      assert.ok(!lines.join('\n').includes(TOKEN) && !lines.join('\n').includes('wrong'));

      env = { ...env, env: { INTERCOM_TOKEN: TOKEN } };
      fake.requests.length = 0;
      fake.faults.push(() => ({ status: 403, body: { type: 'error.list', errors: [{ code: 'api_plan_restricted', message: 'Active subscription needed.' }] } }));
      const forbidden = await syncSource(source(), env, { force: true });
      assert.match(forbidden.status === 'failed' ? forbidden.error : '', /answered 403 Forbidden; the token lacks a permission/);
      assert.equal(fake.requests.length, 1);
    });

    it('says which variable to set when the token is missing', async () => {
      const outcome = await syncSource(source(), { ...env, env: {} }, { force: true });
      assert.match(outcome.status === 'failed' ? outcome.error : '', /the environment variable INTERCOM_TOKEN is not set; export an Intercom access token in it/);
      assert.equal(fake.requests.length, 0);
    });
  });
}
