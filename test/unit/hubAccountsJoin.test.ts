// Accounts across sources, end to end through the CLI: a CSV export of accounts, Stripe customers and HubSpot
// companies (local fakes on 127.0.0.1 built from the vendors' reference docs, see support/fakeStripe.ts and
// support/fakeHubspot.ts) joined by domain first, then by a configured external id; ARR from the configured source
// of truth; `hub status` (text and --json) listing what it could not join; /v1/context showing the joined ARR.
import * as assert from 'node:assert/strict';
import { request } from 'undici';
import { parseContextResponse } from '../../src/shared/contextProtocol';
import { startFakeHubspot, type FakeHubspot } from './support/fakeHubspot';
import { startFakeStripe, type FakeStripe } from './support/fakeStripe';
import { engines, tempDir } from './support/hubEngines';
import { hub, serveHub, writeFiles } from './support/hubRun';

const STRIPE_KEY = 'rk_test_join';
const HUBSPOT_TOKEN = 'pat-na1-join';

// Acme is in all three tools, under www.acme.com, billing@acme.com and acme.com. Beta pays with a gmail.com address
// (no domain to join by), but its Stripe customer names its HubSpot company in metadata. The CSV export's and
// HubSpot's ARR for Acme are stale or wrong; Stripe, the configured source of truth, says what it pays.
const ACCOUNTS = 'account,domain,arr,currency,segment\nAcme,acme.com,100000,USD,Enterprise\nBeta,beta.io,,,SMB\nDelta,delta.example,5000,USD,SMB\n';
const TICKETS =
  'id,title,status,priority,tags,account,created_at,updated_at,url,text\n' +
  '1,Coupon rejected,open,high,checkout,Acme,2026-11-20T09:00:00Z,2026-11-21T09:00:00Z,,\n' +
  '2,Coupon rejected,open,high,checkout,beta.io,2026-11-22T09:00:00Z,2026-11-22T09:00:00Z,,\n' +
  '3,Coupon rejected,open,high,checkout,Zeta Corp,2026-11-23T09:00:00Z,2026-11-23T09:00:00Z,,\n';

function seedStripe(fake: FakeStripe): void {
  fake.prices.set('price_seat', { id: 'price_seat', product: 'prod_team', currency: 'usd', unit_amount: 50_000, interval: 'month' });
  fake.prices.set('price_yearly', { id: 'price_yearly', product: 'prod_team', currency: 'usd', unit_amount: 120_000, interval: 'year' });
  fake.customers.push(
    { id: 'cus_acme', created: 1_700_000_001, name: 'ACME Inc.', email: 'billing@acme.com', metadata: {} },
    { id: 'cus_beta', created: 1_700_000_002, name: 'Beta GmbH', email: 'founder@gmail.com', metadata: { hubspot_company_id: '202' } },
    { id: 'cus_orphan', created: 1_700_000_003, name: 'Orphan Ltd', email: 'ap@orphan.example', metadata: {} },
  );
  fake.subscriptions.push(
    // 2 seats × $500 a month = $12,000 a year.
    { id: 'sub_acme', customer: 'cus_acme', status: 'active', created: 1_700_000_001, items: [{ id: 'si_acme', price: 'price_seat', quantity: 2 }] },
    // $1,200 a year.
    { id: 'sub_beta', customer: 'cus_beta', status: 'active', created: 1_700_000_002, items: [{ id: 'si_beta', price: 'price_yearly', quantity: 1 }] },
    { id: 'sub_orphan', customer: 'cus_orphan', status: 'active', created: 1_700_000_003, items: [{ id: 'si_orphan', price: 'price_yearly', quantity: 1 }] },
  );
}

function seedHubspot(fake: FakeHubspot): void {
  const modified = Date.parse('2026-11-01T00:00:00Z');
  fake.companies.push(
    { id: '201', modified, properties: { name: 'Acme', domain: 'https://www.acme.com', arr: '999999', annualrevenue: '2000000000' } },
    { id: '202', modified, properties: { name: 'Beta', domain: 'beta.io', arr: '30000', annualrevenue: '80000000' } },
    { id: '203', modified, properties: { name: 'Gamma', domain: 'gamma.example', arr: '7000' } },
  );
}

function hubConfig(stripeUrl: string, hubspotUrl: string): string {
  return `version: 1
period: 28d
asOf: 2026-11-28
accounts:
  externalIds: [hubspot]
  revenue: billing
sources:
  - { id: desk, kind: csv-tickets, file: tickets.csv, name: Desk }
  - { id: accounts, kind: csv-accounts, file: accounts.csv }
  - id: crm
    kind: hubspot
    token: { env: HUBSPOT_TOKEN }
    baseUrl: "${hubspotUrl}"
    arrProperty: arr
  - id: billing
    kind: stripe
    token: { env: STRIPE_API_KEY }
    baseUrl: "${stripeUrl}"
    metadata: { externalIds: { hubspot: hubspot_company_id } }
features:
  - { id: checkout, tags: [checkout] }
`;
}

describe('accounts across sources (CSV, Stripe and HubSpot fakes on 127.0.0.1, PostgreSQL)', function () {
  this.timeout(120_000);
  let stripe: FakeStripe;
  let hubspot: FakeHubspot;
  let dir: string;
  let database: string;
  const env = { STRIPE_API_KEY: STRIPE_KEY, HUBSPOT_TOKEN, HUB_TOKENS: 'join-token' };

  before(async () => {
    stripe = await startFakeStripe({ key: STRIPE_KEY });
    seedStripe(stripe);
    hubspot = await startFakeHubspot({ token: HUBSPOT_TOKEN });
    seedHubspot(hubspot);
    dir = tempDir();
    writeFiles(dir, { 'hub.yml': hubConfig(stripe.url, hubspot.url), 'accounts.csv': ACCOUNTS, 'tickets.csv': TICKETS });
    database = await engines.find((e) => e.name === 'PostgreSQL')!.fresh();
  });
  after(async () => {
    await stripe.close();
    await hubspot.close();
  });

  it('joins by domain, then by external id; takes ARR from the source of truth; lists unmatched accounts in hub status; serves the joined ARR', async () => {
    const sync = await hub(['sync', '--config', 'hub.yml', '--database', database], { cwd: dir, env });
    assert.equal(sync.code, 0, `${sync.out}\n${sync.err}`);

    const text = await hub(['status', '--config', 'hub.yml', '--database', database], { cwd: dir, env });
    assert.equal(text.code, 0, text.err);
    assert.match(text.out, /Unmatched accounts .*\n {2}desk: "Zeta Corp" \(1 item\)/);
    assert.match(text.out, /Accounts found in only one account source \(no shared domain or external id\): 3\n/);
    for (const line of ['  accounts: Delta', '  crm: Gamma', '  billing: Orphan Ltd']) assert.ok(text.out.split('\n').includes(line), `${line} in:\n${text.out}`);
    assert.doesNotMatch(text.out, /: (Acme|Beta|ACME Inc\.|Beta GmbH)$/m, 'joined accounts are not listed');

    const json = await hub(['status', '--config', 'hub.yml', '--database', database, '--json'], { cwd: dir, env });
    const report = JSON.parse(json.out) as { unmatchedAccounts: { references: unknown[]; singleSource: Array<{ sourceId: string; name: string }> } };
    assert.deepEqual(report.unmatchedAccounts.references, [{ sourceId: 'desk', key: 'Zeta Corp', count: 1 }]);
    assert.deepEqual(
      report.unmatchedAccounts.singleSource.map((a) => `${a.sourceId}: ${a.name}`).sort(),
      ['accounts: Delta', 'billing: Orphan Ltd', 'crm: Gamma'],
    );

    const served = await serveHub(['--config', 'hub.yml', '--database', database], { cwd: dir, env });
    try {
      const url = `${served.url}/v1/context?features=checkout`;
      const answer = await request(url, { headers: { authorization: 'Bearer join-token' } });
      assert.equal(answer.statusCode, 200);
      const parsed = parseContextResponse(await answer.body.json(), url);
      assert.ok(parsed.ok);
      const [problem] = parsed.value.features[0]!.problems ?? [];
      // Acme ($12,000 from Stripe, not 100,000 from the CSV or 999,999 from HubSpot) and Beta ($1,200 from Stripe,
      // joined through its HubSpot id); Zeta Corp matches no account: a customer, with no revenue known.
      assert.equal(problem!.customers, 3);
      assert.equal(problem!.mentions, 3);
      assert.equal(problem!.arr, 13_200);
      assert.equal(problem!.currency, 'USD');
    } finally {
      assert.equal(await served.stop(), 0);
    }
  });

  it('hub check refuses a revenue source of truth that is not a source', async () => {
    writeFiles(dir, { 'bad.yml': hubConfig(stripe.url, hubspot.url).replace('revenue: billing', 'revenue: stripe') });
    const check = await hub(['check', '--config', 'bad.yml'], { cwd: dir, env });
    assert.equal(check.code, 1);
    assert.match(check.err, /^bad\.yml:6:12: accounts\.revenue: no source has the id "stripe"; name the source whose ARR is the truth$/m);
  });
});
