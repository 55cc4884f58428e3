// The zendesk connector against a local fake of Zendesk's Incremental Exports API, built from Zendesk's reference
// docs (test/unit/support/fakeZendesk.ts): cursor-based ticket export, time-based organization export, Basic
// `{email}/token:{token}` auth, 401/403, 429 with Retry-After, 5xx, the 10-requests-a-minute budget, and a sync that
// fails half way and resumes from its cursor without losing or doubling anything. On both engines.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { ConnectorHttp } from '../../src/hub/connectors/connectorHttp';
import { zendeskConnector, zendeskOptionsSchema } from '../../src/hub/connectors/zendesk';
import type { HubDatabase } from '../../src/hub/database';
import { recomputeDocuments } from '../../src/hub/documents';
import { loadHubConfig, type HubConfig } from '../../src/hub/hubConfig';
import { registerSources, syncSource, type SyncEnvironment } from '../../src/hub/syncLoop';
import type { FeatureContext } from '../../src/shared/contextProtocol';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { writeFiles } from './support/hubRun';
import { startFakeZendesk, zendeskTicket, type FakeTicket, type FakeZendesk } from './support/fakeZendesk';

const EMAIL = 'agent@acme.example';
const TOKEN = 'zd-test-token';

function config(baseUrl: string, extra = ''): HubConfig {
  const dir = tempDir();
  writeFiles(dir, {
    'hub.yml': `version: 1
asOf: 2026-11-28
sources:
  - { id: support, kind: zendesk, name: Zendesk, baseUrl: "${baseUrl}", email: ${EMAIL}, token: { env: ZD_TOKEN }, arrField: arr, segmentField: plan, currencyField: currency, externalIdFields: [external_id]${extra} }
features:
  - { id: checkout, tags: [checkout] }
  - { id: search, tags: [search] }
`,
  });
  const outcome = loadHubConfig(path.join(dir, 'hub.yml'));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.config;
}

const organizations = [
  { id: 101, name: 'Acme', domain_names: ['acme.com'], external_id: 'crm-1', organization_fields: { arr: 120000, plan: 'Enterprise', currency: null }, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-11-01T00:00:00Z' },
  { id: 102, name: 'Beta', domain_names: ['beta.io', 'beta.com'], external_id: null, organization_fields: { arr: '20,000', plan: 'Team', currency: 'usd' }, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-11-02T00:00:00Z' },
  { id: 103, name: 'Gamma', domain_names: [], external_id: null, organization_fields: { arr: null, plan: null }, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-11-03T00:00:00Z' },
];

/** 250 tickets a minute apart: a problem ticket and two incidents of it, then questions tagged checkout or search. */
function manyTickets(): FakeTicket[] {
  const list: FakeTicket[] = [];
  for (let id = 1; id <= 250; id++) {
    const at = new Date(Date.parse('2026-11-20T00:00:00Z') + id * 60_000).toISOString().replace('.000Z', 'Z');
    list.push(zendeskTicket(id, at, { tags: [id % 2 ? 'checkout' : 'search'] }));
  }
  Object.assign(list[0]!, { subject: 'Checkout fails with 3-D Secure', type: 'problem', tags: ['checkout'], organization_id: 101, priority: 'high', status: 'open' });
  Object.assign(list[1]!, { subject: 'Payment declined', type: 'incident', problem_id: 1, tags: ['checkout'], organization_id: 102, priority: 'urgent', status: 'hold' });
  Object.assign(list[2]!, { subject: 'Card rejected at checkout', type: 'incident', problem_id: 1, tags: ['checkout'], organization_id: 101, priority: 'low', status: 'solved' });
  Object.assign(list[248]!, { organization_id: 101 });
  return list;
}

for (const engine of engines) {
  describe(`zendesk connector on ${engine.name} (fake Zendesk Incremental Exports API on 127.0.0.1)`, function () {
    this.timeout(60_000);
    let fake: FakeZendesk;
    let db: HubDatabase;
    let hubConfig: HubConfig;
    let env: SyncEnvironment;
    const lines: string[] = [];

    beforeEach(async () => {
      fake = await startFakeZendesk({ email: EMAIL, token: TOKEN, tickets: manyTickets(), organizations: structuredClone(organizations), pageSize: 100 });
      db = await openTestDatabase(await engine.fresh());
      hubConfig = config(fake.url);
      await registerSources(db, hubConfig);
      lines.length = 0;
      env = { db, config: hubConfig, owner: 'test', env: { ZD_TOKEN: TOKEN }, log: (l) => lines.push(l), http: { retryBaseDelayMs: 10, maxWaitMs: 3000 } };
    });
    afterEach(async () => {
      await db.close();
      await fake.close();
    });

    const count = async (stream: string) => (await db.query<{ n: number }>('select count(*)::int as n from hub_records where source_id = $1 and stream = $2', ['support', stream]))[0]!.n;
    const record = async <T>(stream: string, id: string) => (await db.query<{ body: T }>('select body from hub_records where source_id = $1 and stream = $2 and vendor_id = $3', ['support', stream, id]))[0]?.body;
    const source = () => hubConfig.sources[0]!;
    const ticketRequests = () => fake.requests.filter((r) => r.url.includes('/incremental/tickets/'));
    const featureDoc = async (id: string) => JSON.parse((await db.query<{ body: string }>('select body from hub_documents where feature_id = $1', [id]))[0]!.body) as FeatureContext;

    it('exports tickets page by page with the cursor, organizations as accounts, and groups incidents under their problem', async () => {
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
      assert.equal(await count('tickets'), 250);
      assert.equal(await count('organizations'), 3);
      assert.ok(fake.requests.every((r) => r.authorized));
      const urls = ticketRequests().map((r) => r.url.replace(/cursor=[^&]+/, 'cursor=…'));
      assert.deepEqual(urls, [
        '/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=1000',
        '/api/v2/incremental/tickets/cursor.json?cursor=…&per_page=1000',
        '/api/v2/incremental/tickets/cursor.json?cursor=…&per_page=1000',
      ]);

      const incident = await record<Record<string, unknown>>('tickets', '2');
      assert.deepEqual(incident, {
        kind: 'ticket',
        id: '2',
        title: 'Payment declined',
        status: 'on-hold',
        priority: 'urgent',
        tags: ['checkout'],
        account: { key: 'org:102' },
        createdAt: incident!.createdAt,
        updatedAt: incident!.updatedAt,
        url: `${fake.url}/agent/tickets/2`,
        text: 'Customer words 2',
        problem: 'support#1',
      });
      assert.deepEqual(await record('organizations', 'org:102'), { kind: 'account', id: 'org:102', name: 'Beta', domain: 'beta.io', arr: 20000, currency: 'USD', segment: 'Team' });
      assert.deepEqual(await record('organizations', 'org:101'), { kind: 'account', id: 'org:101', name: 'Acme', domain: 'acme.com', externalIds: { external_id: 'crm-1' }, arr: 120000, currency: 'USD', segment: 'Enterprise' });
      assert.deepEqual(await record('organizations', 'org:103'), { kind: 'account', id: 'org:103', name: 'Gamma' });

      await recomputeDocuments(db, hubConfig, Date.now());
      const checkout = await featureDoc('checkout');
      // Tickets 1–3 are one problem (problem ticket 1, incidents 2 and 3): Acme and Beta, 120,000 + 20,000 USD, the
      // highest priority urgent → critical, open while ticket 1 is open.
      const grouped = checkout.problems![0]!;
      assert.equal(grouped.id, 'support#1');
      // Three titles once each: the problem ticket's names the problem (not the newest incident's), and links it.
      assert.equal(grouped.title, 'Checkout fails with 3-D Secure');
      assert.equal(grouped.url, `${fake.url}/agent/tickets/1`);
      assert.equal(grouped.customers, 2);
      assert.equal(grouped.mentions, 3);
      assert.equal(grouped.arr, 140000);
      assert.equal(grouped.currency, 'USD');
      assert.equal(grouped.severity, 'critical');
      assert.equal(grouped.status, 'open');
      assert.equal(grouped.source, 'Zendesk');
      // Quotes: ticket descriptions, newest first, with the organization as company.
      assert.deepEqual(
        checkout.quotes!.slice(0, 2).map((q) => [q.text, q.company, q.segment]),
        [
          ['Customer words 249', 'Acme', 'Enterprise'],
          ['Customer words 247', undefined, undefined],
        ],
      );
    });

    it('syncs incrementally from the stored cursor: changed and deleted tickets, nothing read twice', async () => {
      await syncSource(source(), env, { force: true });
      fake.requests.length = 0;
      const quiet = await syncSource(source(), env, { force: true });
      assert.equal(quiet.status, 'ok');
      assert.equal(ticketRequests().length, 1);
      assert.match(ticketRequests()[0]!.url, /\?cursor=[^&]+&per_page=1000$/);
      assert.equal(quiet.records, 1); // the organization export starts at the newest second it stored, as Zendesk's time-based export does

      const five = fake.tickets.find((t) => t.id === 5)!;
      Object.assign(five, { status: 'solved', updated_at: '2026-11-25T00:00:00Z' });
      Object.assign(fake.tickets.find((t) => t.id === 7)!, { status: 'deleted', updated_at: '2026-11-25T00:01:00Z' });
      fake.requests.length = 0;
      const changed = await syncSource(source(), env, { force: true });
      assert.equal(changed.status, 'ok');
      assert.equal(ticketRequests().length, 1);
      assert.equal((await record<{ status: string }>('tickets', '5'))!.status, 'solved');
      assert.equal(await record('tickets', '7'), undefined);
      assert.equal(await count('tickets'), 249);
    });

    it('waits out 429 with Retry-After and retries 5xx, then carries on', async () => {
      let faults = 0;
      fake.faults.push((req) => {
        if (!req.pathname.includes('/tickets/')) return undefined;
        if (req.query.has('cursor') && faults === 0) return (faults++, { status: 429, headers: { 'retry-after': '1' }, body: { error: 'APIRateLimitExceeded', description: 'Number of allowed API requests per minute exceeded' } });
        if (req.query.has('cursor') && faults === 1) return (faults++, { status: 503, body: { error: 'ServiceUnavailable' } });
        return undefined;
      });
      const started = Date.now();
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
      assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
      assert.deepEqual(ticketRequests().map((r) => r.status), [200, 429, 503, 200, 200]);
      assert.equal(await count('tickets'), 250);
      assert.ok(lines.some((l) => /waiting ms=1\d\d\d reason=".*answered 429/.test(l)), lines.join('\n'));
    });

    it('fails a page half way, then resumes from the cursor: nothing lost, nothing doubled', async () => {
      fake.faults.push((req) => (req.pathname.includes('/tickets/') && ticketRequests().length >= 2 ? { status: 500, body: { error: 'InternalError' } } : undefined));
      const failed = await syncSource(source(), env, { force: true });
      assert.equal(failed.status, 'failed');
      assert.match(failed.status === 'failed' ? failed.error : '', /answered 500 \(after 4 attempts\)/);
      assert.equal(await count('tickets'), 200);
      const [stored] = await db.query<{ cursor: { cursor: string } }>("select cursor from hub_cursors where source_id = 'support' and stream = 'tickets'");
      assert.equal(typeof stored!.cursor.cursor, 'string');

      fake.faults.length = 0;
      fake.requests.length = 0;
      const resumed = await syncSource(source(), env, { force: true });
      assert.equal(resumed.status, 'ok');
      assert.deepEqual(ticketRequests().map((r) => r.url), [`/api/v2/incremental/tickets/cursor.json?cursor=${encodeURIComponent(stored!.cursor.cursor)}&per_page=1000`]);
      assert.equal(await count('tickets'), 250);
      const ids = (await db.query<{ vendor_id: string }>("select vendor_id from hub_records where source_id = 'support' and stream = 'tickets'")).map((r) => Number(r.vendor_id));
      assert.deepEqual(ids.sort((a, b) => a - b), Array.from({ length: 250 }, (_, i) => i + 1));
    });

    it('keeps to the default budget of 10 requests a minute, stopping with what it stored', async () => {
      assert.deepEqual(source().budget, { requests: 10, perSeconds: 60 });
      fake.pageSize = 20; // 13 ticket pages: more than a minute's budget
      const outcome = await syncSource(source(), env, { force: true });
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.status === 'failed' ? outcome.error : '', /request budget of 10 per 60 s spent; next try in \d+ s/);
      assert.equal(fake.requests.length, 10); // 1 organizations + 9 ticket pages
      assert.equal(await count('tickets'), 180);
      const [row] = await db.query<{ next_run_at: number }>("select next_run_at from hub_sources where id = 'support'");
      assert.ok(row!.next_run_at > Date.now() + 3000, 'the next run waits for the budget');
    });

    it('says when the token is refused (401) or lacks permission (403), without retrying or logging it', async () => {
      env = { ...env, env: { ZD_TOKEN: 'wrong' } };
      const refused = await syncSource(source(), env, { force: true });
      assert.equal(refused.status, 'failed');
      assert.match(refused.status === 'failed' ? refused.error : '', /refused the credential \(401\); check the token's environment variable/);
      assert.equal(fake.requests.length, 1);
      assert.ok(!lines.join('\n').includes(TOKEN) && !lines.join('\n').includes('wrong'));

      env = { ...env, env: { ZD_TOKEN: TOKEN } };
      fake.requests.length = 0;
      fake.faults.push(() => ({ status: 403, body: { error: 'Forbidden', description: 'You do not have access to this page. Please contact the account owner of this help desk for further help.' } }));
      const forbidden = await syncSource(source(), env, { force: true });
      assert.match(forbidden.status === 'failed' ? forbidden.error : '', /answered 403 Forbidden; the token lacks a permission/);
      assert.equal(fake.requests.length, 1);
    });

    it('says which variable to set when the token is missing', async () => {
      env = { ...env, env: {} };
      const outcome = await syncSource(source(), env, { force: true });
      assert.match(outcome.status === 'failed' ? outcome.error : '', /the environment variable ZD_TOKEN is not set; export a Zendesk API token in it/);
      assert.equal(fake.requests.length, 0);
    });
  });
}

describe('zendesk connector options', () => {
  it('reads https://SUBDOMAIN.zendesk.com when the config gives a subdomain and no baseUrl', async () => {
    const options = zendeskOptionsSchema.parse({ subdomain: 'acme', email: EMAIL, token: { env: 'ZD_TOKEN' } });
    const urls: string[] = [];
    const http = { get: async (url: string) => (urls.push(url), Promise.reject(new Error('stop here'))) } as unknown as ConnectorHttp;
    const context = { sourceId: 'support', configDir: '.', http, secret: () => TOKEN, signal: new AbortController().signal, log: () => undefined, now: Date.now, features: [], periodDays: 28 };
    for (const stream of zendeskConnector.create(options, context)) {
      await assert.rejects(stream.read(undefined)[Symbol.asyncIterator]().next(), /stop here/);
    }
    assert.deepEqual(urls, ['https://acme.zendesk.com/api/v2/incremental/organizations.json?start_time=0', 'https://acme.zendesk.com/api/v2/incremental/tickets/cursor.json?start_time=0&per_page=1000']);
  });
});
