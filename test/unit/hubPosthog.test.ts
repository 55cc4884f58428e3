// The posthog connector against a local fake of PostHog's query API built from its reference docs
// (test/unit/support/fakePosthog.ts): HogQL with placeholders, LIMIT/OFFSET pages, 401/403, 429 with Retry-After,
// 5xx, a page that fails mid-sync and a resume that loses and doubles nothing (on both engines).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import type { HubDatabase } from '../../src/hub/database';
import { recomputeDocuments } from '../../src/hub/documents';
import { loadHubConfig, type HubConfig } from '../../src/hub/hubConfig';
import { registerSources, syncSource, type SyncEnvironment } from '../../src/hub/syncLoop';
import type { FeatureContext } from '../../src/shared/contextProtocol';
import { startFakePosthog, type FakePosthog } from './support/fakePosthog';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { hub, writeFiles } from './support/hubRun';

const PROJECT = '4242';
const KEY = 'phx_test_key';
const NOW = Date.parse('2026-11-28T15:00:00Z');
const DAY = 86_400_000;
const FIRST = Date.parse('2026-10-04T00:00:00Z'); // 28d period: the first sync reads the 56 days up to Nov 28
const EVENTS = ['checkout_completed', 'checkout_started', 'coupon_applied', 'search_performed', 'signup_completed'];

function day(i: number): string {
  return new Date(FIRST + i * DAY).toISOString().slice(0, 10);
}

/** checkout_completed on day i (0 = Oct 4) is 100 + i; the others 10 × (k + 1) + i. Two days outside the window. */
function counts(): Map<string, number> {
  const map = new Map<string, number>();
  for (let i = -3; i < 56; i++) {
    EVENTS.forEach((event, k) => map.set(`${day(i)}:${event}`, event === 'checkout_completed' ? 100 + i : 10 * (k + 1) + i));
  }
  map.set(`${day(10)}:not_a_feature_event`, 5);
  return map;
}

function config(baseUrl: string, extra = ''): HubConfig {
  const dir = tempDir();
  writeFiles(dir, {
    'hub.yml': `version: 1
period: 28d
sources:
  - { id: analytics, kind: posthog, projectId: ${PROJECT}, token: { env: POSTHOG_KEY }, baseUrl: "${baseUrl}", pageSize: 100${extra} }
features:
  - { id: checkout, events: [checkout_started, checkout_completed, coupon_applied] }
  - { id: search, events: [search_performed] }
  - { id: onboarding, events: [signup_completed] }
`,
  });
  const outcome = loadHubConfig(path.join(dir, 'hub.yml'));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.config;
}

for (const engine of engines) {
  describe(`posthog connector on ${engine.name} (fake PostHog query API on 127.0.0.1)`, function () {
    this.timeout(60_000);
    let fake: FakePosthog;
    let db: HubDatabase;
    let hubConfig: HubConfig;
    let env: SyncEnvironment;
    const lines: string[] = [];

    beforeEach(async () => {
      fake = await startFakePosthog({ projectId: PROJECT, token: KEY, counts: counts() });
      db = await openTestDatabase(await engine.fresh());
      hubConfig = config(fake.url);
      await registerSources(db, hubConfig);
      lines.length = 0;
      env = { db, config: hubConfig, owner: 'test', now: () => NOW, env: { POSTHOG_KEY: KEY }, log: (l) => lines.push(l), http: { retryBaseDelayMs: 10, maxWaitMs: 3000 } };
    });
    afterEach(async () => {
      await db.close();
      await fake.close();
    });

    const stored = async () => (await db.query<{ n: number }>("select count(*)::int as n from hub_records where source_id = 'analytics'"))[0]!.n;
    const source = () => hubConfig.sources[0]!;

    it('syncs several pages, fails half way, resumes: nothing lost, nothing doubled', async () => {
      // The third page (rows 200..279) keeps failing: retried with backoff, then the sync stops with pages 1 and 2 stored.
      fake.faults.push(({ body }) => (JSON.stringify(body).includes('OFFSET 200') ? { status: 503, body: { type: 'server_error', code: 'error', detail: 'Service Unavailable', attr: null } } : undefined));
      const cut = await syncSource(source(), env, { force: true });
      assert.equal(cut.status, 'failed');
      assert.match(cut.status === 'failed' ? cut.error : '', /answered 503/);
      assert.equal(await stored(), 200);
      const [cursor] = await db.query<{ cursor: Record<string, unknown> }>("select cursor from hub_cursors where source_id = 'analytics'");
      assert.equal(cursor!.cursor.offset, 200);
      assert.equal(cursor!.cursor.from, '2026-10-04');

      fake.faults.length = 0;
      fake.requests.length = 0;
      const resumed = await syncSource(source(), env, { force: true });
      assert.equal(resumed.status, 'ok', JSON.stringify(resumed));
      // From the stored offset, not from the start: one query for the last 80 rows.
      assert.equal(fake.requests.length, 1);
      assert.match(JSON.stringify(fake.requests[0]!.body), /LIMIT 100 OFFSET 200/);
      assert.equal(resumed.records, 80);
      assert.equal(await stored(), 280); // 56 days × 5 events
      const [dupes] = await db.query<{ n: number }>('select count(*)::int as n from (select vendor_id from hub_records group by vendor_id having count(*) > 1) d');
      assert.equal(dupes!.n, 0);
      const [today] = await db.query<{ body: { value: number } }>("select body from hub_records where vendor_id = '2026-11-28:checkout_completed'");
      assert.equal(today!.body.value, 155);
      const [done] = await db.query<{ cursor: Record<string, unknown> }>("select cursor from hub_cursors where source_id = 'analytics'");
      assert.equal(done!.cursor.complete, '2026-11-27'); // today is still counting
    });
  });
}

describe('posthog connector (fake PostHog query API on 127.0.0.1)', function () {
  this.timeout(60_000);
  let fake: FakePosthog;
  let db: HubDatabase;
  let hubConfig: HubConfig;
  let env: SyncEnvironment;
  const lines: string[] = [];
  const postgres = engines.find((e) => e.name === 'PostgreSQL')!;

  beforeEach(async () => {
    fake = await startFakePosthog({ projectId: PROJECT, token: KEY, counts: counts() });
    db = await openTestDatabase(await postgres.fresh());
    hubConfig = config(fake.url);
    await registerSources(db, hubConfig);
    lines.length = 0;
    env = { db, config: hubConfig, owner: 'test', now: () => NOW, env: { POSTHOG_KEY: KEY }, log: (l) => lines.push(l), http: { retryBaseDelayMs: 10, maxWaitMs: 3000 } };
  });
  afterEach(async () => {
    await db.close();
    await fake.close();
  });

  const source = () => hubConfig.sources[0]!;
  const doc = async (id: string): Promise<FeatureContext> => {
    await recomputeDocuments(db, hubConfig, NOW);
    const [row] = await db.query<{ body: string }>('select body from hub_documents where feature_id = $1', [id]);
    return JSON.parse(row!.body) as FeatureContext;
  };

  it('asks one HogQL query per page with the events as placeholders, and computes value, change and series', async () => {
    const outcome = await syncSource(source(), env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    assert.equal(outcome.records, 280);
    assert.equal(fake.requests.length, 3); // 280 rows in pages of 100
    const first = fake.requests[0]!;
    assert.equal(first.method, 'POST');
    assert.equal(first.url, `/api/projects/${PROJECT}/query/`);
    assert.ok(first.authorized);
    const query = (first.body as { query: { kind: string; query: string; values: Record<string, unknown> } }).query;
    assert.equal(query.kind, 'HogQLQuery');
    assert.deepEqual(query.values, { events: EVENTS, from: '2026-10-04T00:00:00Z', until: '2026-11-29T00:00:00Z' });
    assert.doesNotMatch(query.query, /checkout_completed/, 'event names travel as values, never inside the query text');

    const checkout = await doc('checkout');
    const completed = checkout.usage!.find((u) => u.event === 'checkout_completed')!;
    // Nov 1..28 are days 28..55: 28 × 100 + (28 + 55) × 28 / 2 = 3,962; Oct 4..31: 28 × 100 + 27 × 28 / 2 = 3,178.
    assert.equal(completed.value, 3962);
    assert.equal(completed.change, 0.2467); // 3962 / 3178 − 1
    assert.equal(completed.period, '28d');
    assert.equal(completed.series!.length, 28);
    assert.deepEqual(completed.series![0], { t: '2026-11-01', v: 128 });
    assert.deepEqual(completed.series![27], { t: '2026-11-28', v: 155 });
    assert.deepEqual(checkout.usage!.map((u) => u.event), ['checkout_started', 'checkout_completed', 'coupon_applied']);
  });

  it('syncs incrementally: the next run counts only the last few days again, and today as it grows', async () => {
    await syncSource(source(), env, { force: true });
    fake.counts.set('2026-11-28:checkout_completed', 170); // today keeps counting
    fake.counts.set('2026-11-26:checkout_completed', 160); // a late event for two days ago
    fake.requests.length = 0;
    const next = await syncSource(source(), env, { force: true });
    assert.equal(next.status, 'ok');
    assert.equal(fake.requests.length, 1);
    const values = (fake.requests[0]!.body as { query: { values: { from: string; until: string } } }).query.values;
    // The last complete day was Nov 27: Nov 25, 26, 27 are counted again, and today.
    assert.deepEqual([values.from, values.until], ['2026-11-25T00:00:00Z', '2026-11-29T00:00:00Z']);
    assert.equal(next.records, 20);
    const completed = (await doc('checkout')).usage!.find((u) => u.event === 'checkout_completed')!;
    assert.equal(completed.value, 3962 + (170 - 155) + (160 - 153));

    // A feature that starts listing another event: its history is read from the start again.
    hubConfig.features[1]!.events.push('search_filtered');
    fake.requests.length = 0;
    await syncSource(source(), env, { force: true });
    assert.equal((fake.requests[0]!.body as { query: { values: { from: string } } }).query.values.from, '2026-10-04T00:00:00Z');
  });

  it('waits out 429 with Retry-After and backs off on 5xx, then carries on', async () => {
    fake.faults.push(({ n }) => (n === 2 ? { status: 429, headers: { 'retry-after': '1' }, body: { type: 'throttled_error', code: 'throttled', detail: 'Request was throttled. Expected available in 1 second.', attr: null } } : undefined));
    fake.faults.push(({ n }) => (n === 4 ? { status: 502, body: { type: 'server_error', code: 'error', detail: 'Bad Gateway', attr: null } } : undefined));
    const started = Date.now();
    const outcome = await syncSource(source(), env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.deepEqual(fake.requests.map((r) => r.status), [200, 429, 200, 502, 200]);
    assert.equal(outcome.records, 280);
  });

  it('says what is wrong on 401 and 403 without retrying, and never logs the key', async () => {
    env = { ...env, env: { POSTHOG_KEY: 'phx_wrong' } };
    const refused = await syncSource(source(), env, { force: true });
    assert.equal(refused.status, 'failed');
    assert.match(refused.status === 'failed' ? refused.error : '', /refused the credential \(401\)/);
    assert.equal(fake.requests.length, 1);

    env = { ...env, env: { POSTHOG_KEY: KEY } };
    fake.scopes.length = 0;
    fake.requests.length = 0;
    const forbidden = await syncSource(source(), env, { force: true });
    assert.match(forbidden.status === 'failed' ? forbidden.error : '', /answered 403 Forbidden; the token lacks a permission/);
    assert.equal(fake.requests.length, 1);
    assert.ok(!lines.join('\n').includes(KEY) && !lines.join('\n').includes('phx_wrong'));

    const unset = await syncSource(source(), { ...env, env: {} }, { force: true });
    assert.match(unset.status === 'failed' ? unset.error : '', /POSTHOG_KEY is not set; export a PostHog personal API key/);
  });

  it('reports a query PostHog refuses with its own explanation', async () => {
    fake.faults.push(() => ({ status: 400, body: { type: 'validation_error', code: 'query_error', detail: 'Unknown table "events".', attr: null } }));
    const outcome = await syncSource(source(), env, { force: true });
    assert.match(outcome.status === 'failed' ? outcome.error : '', /answered 400: Unknown table "events"\./);
  });
});

describe('hub check: posthog keys', () => {
  it('reports each bad key of a posthog source at file:line:col', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'hub.yml': `version: 1
sources:
  - id: analytics
    kind: posthog
    projectId: my-project
    token: { env: "phx key" }
    pageSize: 60000
features:
  - { id: checkout, events: [checkout_completed] }
`,
    });
    const result = await hub(['check', '--config', 'hub.yml'], { cwd: dir });
    assert.equal(result.code, 1);
    const lines = result.err.split('\n');
    for (const expected of [
      /^hub\.yml:5:16: sources\[0\]\.projectId: expected the project's numeric id/,
      /^hub\.yml:6:19: sources\[0\]\.token\.env: an environment variable name such as POSTHOG_API_KEY/,
      /^hub\.yml:7:15: sources\[0\]\.pageSize: Too big: expected number to be <=50000/,
    ]) {
      assert.ok(lines.some((line) => expected.test(line)), `${expected} in:\n${result.err}`);
    }

    writeFiles(dir, { 'hub.yml': 'version: 1\nsources:\n  - { id: analytics, kind: posthog, projectId: 12345, token: { env: POSTHOG_API_KEY } }\nfeatures:\n  - { id: checkout, events: [checkout_completed] }\n' });
    const ok = await hub(['check', '--config', 'hub.yml'], { cwd: dir });
    assert.equal(ok.code, 0, ok.err);
  });
});
