// The hubspot connector against a local fake of HubSpot's CRM companies API built from its reference docs
// (test/unit/support/fakeHubspot.ts): list pages with opaque `after` tokens, search by hs_lastmodifieddate for the
// incremental sync, archived companies, 401/403, 429 with Retry-After, 5xx, a page that fails mid-sync and a resume
// that loses and doubles nothing (on both engines); `hub check` on the kind's keys.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadHubConfig, type HubConfig } from '../../src/hub/hubConfig';
import type { AccountRecord } from '../../src/hub/records';
import { registerSources, syncSource, type SyncEnvironment } from '../../src/hub/syncLoop';
import { startFakeHubspot, type FakeHubspot } from './support/fakeHubspot';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { hub, writeFiles } from './support/hubRun';

const TOKEN = 'pat-na1-test-token';
const BASE_TIME = Date.parse('2026-01-01T00:00:00Z');

/**
 * 250 companies, ids 101…350. Every company reports a huge `annualrevenue` (its own size, which must never become
 * ARR); `arr` is (id − 100) × 100, except every 7th, which has none; domains come as HubSpot users type them.
 */
function seed(fake: FakeHubspot): void {
  for (let id = 101; id <= 350; id++) {
    const i = id - 100;
    fake.companies.push({
      id: String(id),
      modified: BASE_TIME + i * 1000,
      properties: {
        name: `Company ${i}`,
        domain: i % 4 === 0 ? `https://www.Company${i}.example/about` : `company${i}.example`,
        annualrevenue: '50000000',
        arr: i % 7 === 0 ? null : String(i * 100),
        tier: i % 2 === 0 ? 'Enterprise' : 'Growth',
        stripe_customer_id: i % 3 === 0 ? `cus_${i}` : null,
      },
    });
  }
}

function config(baseUrl: string): HubConfig {
  const dir = tempDir();
  writeFiles(dir, {
    'hub.yml': `version: 1
sources:
  - id: crm
    kind: hubspot
    token: { env: HUBSPOT_TOKEN }
    baseUrl: "${baseUrl}"
    arrProperty: arr
    currency: eur
    segmentProperty: tier
    externalIds: { stripe: stripe_customer_id }
features:
  - { id: checkout }
`,
  });
  const outcome = loadHubConfig(path.join(dir, 'hub.yml'));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.config;
}

async function setUp(engineName: 'PGlite' | 'PostgreSQL') {
  const fake = await startFakeHubspot({ token: TOKEN });
  seed(fake);
  const db = await openTestDatabase(await engines.find((e) => e.name === engineName)!.fresh());
  const hubConfig = config(fake.url);
  await registerSources(db, hubConfig);
  const lines: string[] = [];
  const env: SyncEnvironment = { db, config: hubConfig, owner: 'test', env: { HUBSPOT_TOKEN: TOKEN }, log: (l) => lines.push(l), http: { retryBaseDelayMs: 5, maxWaitMs: 3000 } };
  const accounts = async () => new Map((await db.query<{ vendor_id: string; body: AccountRecord }>("select vendor_id, body from hub_records where source_id = 'crm'")).map((r) => [r.vendor_id, r.body]));
  return { fake, db, env, lines, accounts, source: hubConfig.sources[0]! };
}

for (const engine of engines) {
  describe(`hubspot connector on ${engine.name} (fake HubSpot CRM API on 127.0.0.1)`, function () {
    this.timeout(60_000);

    it('syncs several pages, fails half way, resumes: nothing lost, nothing doubled', async () => {
      const { fake, db, env, accounts, source } = await setUp(engine.name);
      try {
        // The second page (after id 200) keeps failing with 502 until the sync gives up.
        const secondPage = Buffer.from('200').toString('base64url');
        fake.faults.push(({ url }) => (url.searchParams.get('after') === secondPage ? { status: 502, body: { status: 'error', message: 'Bad Gateway' } } : undefined));
        const cut = await syncSource(source, env, { force: true });
        assert.equal(cut.status, 'failed');
        assert.match(cut.status === 'failed' ? cut.error : '', /answered 502/);
        assert.equal((await accounts()).size, 100);
        const [cursor] = await db.query<{ cursor: { full: { after: string } } }>("select cursor from hub_cursors where source_id = 'crm'");
        assert.equal(cursor!.cursor.full.after, secondPage);

        fake.faults.length = 0;
        fake.requests.length = 0;
        const resumed = await syncSource(source, env, { force: true });
        assert.equal(resumed.status, 'ok', JSON.stringify(resumed));
        const listed = fake.requests.filter((r) => r.url.includes('archived=false'));
        assert.equal(listed.length, 2); // pages 2 and 3, from the stored cursor
        assert.match(listed[0]!.url, new RegExp(`after=${secondPage}`));
        const all = await accounts();
        assert.equal(all.size, 250);
        const [dupes] = await db.query<{ n: number }>('select count(*)::int as n from (select vendor_id from hub_records group by vendor_id having count(*) > 1) d');
        assert.equal(dupes!.n, 0);
        // Company 12: ARR from `arr`, never `annualrevenue`; its domain from a URL as typed; a Stripe id from its property.
        assert.deepEqual(all.get('112'), { kind: 'account', id: '112', name: 'Company 12', domain: 'company12.example', externalIds: { hubspot: '112', stripe: 'cus_12' }, arr: 1200, currency: 'EUR', segment: 'Enterprise' });
        assert.deepEqual(all.get('107'), { kind: 'account', id: '107', name: 'Company 7', domain: 'company7.example', externalIds: { hubspot: '107' }, segment: 'Growth' });
      } finally {
        await db.close();
        await fake.close();
      }
    });
  });
}

describe('hubspot connector (fake HubSpot CRM API on 127.0.0.1)', function () {
  this.timeout(60_000);
  let ctx: Awaited<ReturnType<typeof setUp>>;
  beforeEach(async () => {
    ctx = await setUp('PostgreSQL');
  });
  afterEach(async () => {
    await ctx.db.close();
    await ctx.fake.close();
  });

  it('lists companies 100 a page with the configured properties and the token, then archived ones', async () => {
    ctx.fake.edit('105', { arr: '12k' }, BASE_TIME);
    const outcome = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    // An amount HubSpot users typed as text: the company stays an account, without ARR, and the warning says where.
    assert.deepEqual(outcome.status === 'ok' ? outcome.warnings : [], [`${ctx.fake.url}/crm/v3/objects/companies company 105: property "arr" is "12k", not an amount; ARR left out`]);
    assert.equal((await ctx.accounts()).get('105')!.arr, undefined);
    assert.deepEqual(ctx.fake.requests.map((r) => [r.method, new URL(r.url, 'http://x').searchParams.get('archived')]), [['GET', 'false'], ['GET', 'false'], ['GET', 'false'], ['GET', 'true']]);
    assert.ok(ctx.fake.requests.every((r) => r.authorized));
    const first = new URL(ctx.fake.requests[0]!.url, 'http://x');
    assert.equal(first.searchParams.get('limit'), '100');
    assert.deepEqual(first.searchParams.get('properties')!.split(',').sort(), ['arr', 'domain', 'hs_lastmodifieddate', 'name', 'stripe_customer_id', 'tier']);
  });

  it('syncs incrementally by search on hs_lastmodifieddate: a changed ARR, an archived company, nothing else', async () => {
    await syncSource(ctx.source, ctx.env, { force: true });
    const at = Date.now() + 1000;
    ctx.fake.edit('120', { arr: '99000' }, at);
    ctx.fake.edit('130', { domain: 'renamed.example' }, at + 1);
    ctx.fake.companies.find((c) => c.id === '140')!.archived = true;
    ctx.fake.requests.length = 0;
    const next = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(next.status, 'ok', JSON.stringify(next));
    const search = ctx.fake.requests.find((r) => r.method === 'POST')!;
    assert.equal(search.url, '/crm/v3/objects/companies/search');
    const body = search.body as { filterGroups: Array<{ filters: Array<{ propertyName: string; operator: string; value: string }> }>; sorts: unknown[]; limit: number };
    assert.equal(body.filterGroups[0]!.filters[0]!.propertyName, 'hs_lastmodifieddate');
    assert.equal(body.filterGroups[0]!.filters[0]!.operator, 'GTE');
    assert.deepEqual(body.sorts, [{ propertyName: 'hs_lastmodifieddate', direction: 'ASCENDING' }]);
    assert.equal(body.limit, 200);
    assert.equal(next.records, 2); // only the two changed companies
    const all = await ctx.accounts();
    assert.equal(all.get('120')!.arr, 99000);
    assert.equal(all.get('130')!.domain, 'renamed.example');
    assert.equal(all.has('140'), false);
    assert.equal(all.size, 249);

    // The next run starts from the newest change it stored.
    ctx.fake.requests.length = 0;
    await syncSource(ctx.source, ctx.env, { force: true });
    const again = ctx.fake.requests.find((r) => r.method === 'POST')!.body as { filterGroups: Array<{ filters: Array<{ value: string }> }> };
    assert.equal(again.filterGroups[0]!.filters[0]!.value, String(at + 1));
  });

  it('pages the search from the newest change stored, so a company modified during the sync is not skipped; resumes from there', async () => {
    await syncSource(ctx.source, ctx.env, { force: true });
    const at = Date.now() + 1000;
    for (let id = 101; id <= 350; id++) ctx.fake.edit(String(id), { arr: '5' }, at + id);
    // The second search fails; before it, company 150 (on the first page, already stored) is modified again.
    let searches = 0;
    ctx.fake.faults.push(({ method }) => {
      if (method !== 'POST' || ++searches < 2) return undefined;
      if (searches === 2) ctx.fake.edit('150', { arr: '6' }, at + 1000);
      return { status: 500, body: { status: 'error', message: 'internal error' } };
    });
    const cut = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(cut.status, 'failed');
    const [cursor] = await ctx.db.query<{ cursor: { since: number } }>("select cursor from hub_cursors where source_id = 'crm'");
    assert.deepEqual(cursor!.cursor, { since: at + 300 }); // the newest of the 200 companies stored
    assert.equal([...(await ctx.accounts()).values()].filter((a) => a.arr === 5).length, 200);

    ctx.fake.faults.length = 0;
    ctx.fake.requests.length = 0;
    const resumed = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(resumed.status, 'ok', JSON.stringify(resumed));
    const posted = ctx.fake.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { filterGroups: Array<{ filters: Array<{ value: string }> }>; after?: string }));
    assert.deepEqual(posted.map((b) => [b.filterGroups[0]!.filters[0]!.value, b.after]), [[String(at + 300), undefined]]);
    const all = await ctx.accounts();
    assert.equal(all.size, 250);
    // Companies 301…350 came after the cut, 300 again (harmless), and 150 with its newer change.
    assert.equal([...all.values()].filter((a) => a.arr === 5).length, 249);
    assert.equal(all.get('150')!.arr, 6);
    const [after] = await ctx.db.query<{ cursor: { since: number } }>("select cursor from hub_cursors where source_id = 'crm'");
    assert.deepEqual(after!.cursor, { since: at + 1000 });
  });

  it('pages by offset only through companies all modified at one instant', async () => {
    await syncSource(ctx.source, ctx.env, { force: true });
    const [before] = await ctx.db.query<{ cursor: { since: number } }>("select cursor from hub_cursors where source_id = 'crm'");
    const at = Date.now() + 1000;
    for (let id = 101; id <= 350; id++) ctx.fake.edit(String(id), { arr: '7' }, at); // a bulk import: one instant
    ctx.fake.requests.length = 0;
    const outcome = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    const posted = ctx.fake.requests.filter((r) => r.method === 'POST').map((r) => (r.body as { filterGroups: Array<{ filters: Array<{ value: string }> }>; after?: string }));
    // From the full pass's start; then from that instant, where the whole page shares it, so on by offset.
    assert.deepEqual(posted.map((b) => [b.filterGroups[0]!.filters[0]!.value, b.after]), [
      [String(before!.cursor.since), undefined],
      [String(at), undefined],
      [String(at), '200'],
    ]);
    assert.ok([...(await ctx.accounts()).values()].every((a) => a.arr === 7));
  });

  it('waits out 429 with Retry-After and backs off on 5xx, then carries on', async () => {
    ctx.fake.faults.push(({ n }) => (n === 2 ? { status: 429, headers: { 'retry-after': '1' }, body: { status: 'error', message: 'You have reached your secondly limit.', errorType: 'RATE_LIMIT', correlationId: 'c', policyName: 'SECONDLY' } } : undefined));
    ctx.fake.faults.push(({ n }) => (n === 4 ? { status: 503, body: { status: 'error', message: 'Service Unavailable' } } : undefined));
    const started = Date.now();
    const outcome = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.deepEqual(ctx.fake.requests.map((r) => r.status), [200, 429, 200, 503, 200, 200]);
    assert.equal((await ctx.accounts()).size, 250);
  });

  it('says what is wrong on 401 and 403 without retrying, and never logs the token', async () => {
    const refused = await syncSource(ctx.source, { ...ctx.env, env: { HUBSPOT_TOKEN: 'pat-wrong' } }, { force: true });
    assert.match(refused.status === 'failed' ? refused.error : '', /refused the credential \(401\)/);
    assert.equal(ctx.fake.requests.length, 1);

    ctx.fake.scopes.length = 0;
    ctx.fake.requests.length = 0;
    const forbidden = await syncSource(ctx.source, ctx.env, { force: true });
    assert.match(forbidden.status === 'failed' ? forbidden.error : '', /answered 403 Forbidden; the token lacks a permission/);
    assert.equal(ctx.fake.requests.length, 1);
    assert.ok(!ctx.lines.join('\n').includes(TOKEN) && !ctx.lines.join('\n').includes('pat-wrong'));

    const unset = await syncSource(ctx.source, { ...ctx.env, env: {} }, { force: true });
    assert.match(unset.status === 'failed' ? unset.error : '', /HUBSPOT_TOKEN is not set; export a HubSpot private app's access token/);
  });
});

describe('hub check: hubspot keys', () => {
  it('reports each bad key of a hubspot source at file:line:col, and refuses annualrevenue as ARR', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'hub.yml': `version: 1
sources:
  - id: crm
    kind: hubspot
    token: pat-literal-secret
    arrProperty: annualrevenue
    currency: euro
    externalIds: { stripe: "Stripe Id" }
    colour: blue
`,
    });
    const result = await hub(['check', '--config', 'hub.yml'], { cwd: dir });
    assert.equal(result.code, 1);
    const lines = result.err.split('\n');
    for (const expected of [
      /^hub\.yml:5:12: sources\[0\]\.token: write \{ env: NAME \}: credentials come from the environment/,
      /^hub\.yml:6:18: sources\[0\]\.arrProperty: "annualrevenue" is the company's own yearly revenue/,
      /^hub\.yml:7:15: sources\[0\]\.currency: expected a three-letter currency code/,
      /^hub\.yml:8:28: sources\[0\]\.externalIds\.stripe: expected a HubSpot property's internal name/,
      /^hub\.yml:9:5: sources\[0\]: unknown key "colour"$/,
    ]) {
      assert.ok(lines.some((line) => expected.test(line)), `${expected} in:\n${result.err}`);
    }
    assert.doesNotMatch(result.err, /pat-literal-secret/);

    writeFiles(dir, { 'hub.yml': 'version: 1\nsources:\n  - { id: crm, kind: hubspot, token: { env: HUBSPOT_TOKEN }, arrProperty: arr }\nfeatures:\n  - { id: checkout }\n' });
    const ok = await hub(['check', '--config', 'hub.yml'], { cwd: dir });
    assert.equal(ok.code, 0, ok.err);
  });
});
