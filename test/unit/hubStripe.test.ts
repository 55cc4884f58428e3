// The stripe connector: the annual revenue rules on hand-computed subscriptions, then the connector through Stripe's
// own Node SDK against a local fake of Stripe's API built from its reference (test/unit/support/fakeStripe.ts):
// list pagination with starting_after, expansion, events for incremental syncs, 401/403/404, 429 with Retry-After,
// 5xx, a page that fails mid-sync and a resume that loses and doubles nothing (on both engines).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { customerRevenue, subscriptionRevenue, type Coupon, type Price, type RevenueLookups, type Subscription } from '../../src/hub/connectors/stripeRevenue';
import { loadHubConfig, type HubConfig } from '../../src/hub/hubConfig';
import type { AccountRecord } from '../../src/hub/records';
import { registerSources, syncSource, type SyncEnvironment } from '../../src/hub/syncLoop';
import { startFakeStripe, type FakeStripe } from './support/fakeStripe';
import { engines, openTestDatabase, tempDir } from './support/hubEngines';
import { hub, writeFiles } from './support/hubRun';

const NOW = Date.parse('2026-11-28T12:00:00Z');

describe('stripe annual revenue rules (hand-computed)', () => {
  const coupons: Record<string, Coupon> = {
    TWENTY: { id: 'TWENTY', percent_off: 20, duration: 'forever' },
    HUNDRED: { id: 'HUNDRED', amount_off: 10_000, currency: 'usd', duration: 'forever' },
    HALF_ONCE: { id: 'HALF_ONCE', percent_off: 50, duration: 'once' },
    HALF_3M: { id: 'HALF_3M', percent_off: 50, duration: 'repeating', duration_in_months: 3 },
    HALF_A: { id: 'HALF_A', percent_off: 50, duration: 'forever', applies_to: { products: ['prod_A'] } },
  };
  const tiered: Record<string, Price> = {
    price_volume: { id: 'price_volume', currency: 'usd', billing_scheme: 'tiered', tiers_mode: 'volume', recurring: { interval: 'month', interval_count: 1 }, tiers: [{ up_to: 10, unit_amount: 1000, flat_amount: null }, { up_to: null, unit_amount: 800, flat_amount: null }] },
    price_graduated: { id: 'price_graduated', currency: 'usd', billing_scheme: 'tiered', tiers_mode: 'graduated', recurring: { interval: 'month', interval_count: 1 }, tiers: [{ up_to: 10, unit_amount: 1000, flat_amount: 500 }, { up_to: null, unit_amount: 800, flat_amount: null }] },
  };
  const lookups: RevenueLookups = { now: NOW, statuses: new Set(['active', 'past_due']), coupon: (id) => coupons[id], tieredPrice: (id) => tiered[id] };
  const seconds = (iso: string) => Date.parse(iso) / 1000;
  let n = 0;
  const price = (unit: number | null, interval: 'day' | 'week' | 'month' | 'year', extra: Partial<Price> = {}): Price => ({ id: `price_${++n}`, currency: 'usd', product: 'prod_A', unit_amount: unit, recurring: { interval, interval_count: 1 }, ...extra });
  const sub = (items: Array<{ price: Price; quantity?: number; discounts?: Subscription['items']['data'][number]['discounts'] }>, extra: Partial<Subscription> = {}): Subscription => ({
    id: `sub_${++n}`,
    status: 'active',
    items: { has_more: false, data: items.map((item, i) => ({ id: `si_${n}_${i}`, price: item.price, quantity: item.quantity ?? 1, discounts: item.discounts ?? [] })) },
    discounts: [],
    ...extra,
  });
  const discount = (coupon: string, end: string | null = null) => ({ id: `di_${coupon}`, end: end === null ? null : seconds(end), source: { coupon } });
  const arr = (s: Subscription, customerDiscount?: ReturnType<typeof discount>) => subscriptionRevenue(s, customerDiscount, lookups)?.arr;

  it('annualises by interval and interval count, times the quantity', () => {
    assert.equal(arr(sub([{ price: price(5000, 'month'), quantity: 3 }])), 1800); // $50 × 3 × 12
    assert.equal(arr(sub([{ price: price(120_000, 'year') }])), 1200);
    assert.equal(arr(sub([{ price: price(30_000, 'month', { recurring: { interval: 'month', interval_count: 3 } }) }])), 1200); // $300 a quarter × 4
    assert.equal(arr(sub([{ price: price(1000, 'week') }])), 520); // $10 × 52
    assert.equal(arr(sub([{ price: price(100, 'day') }])), 365);
    assert.equal(arr(sub([{ price: price(null, 'month', { unit_amount_decimal: '1250.5' }) }])), 150.06); // 1,250.5 cents × 12
    assert.equal(arr(sub([{ price: price(2000, 'month', { transform_quantity: { divide_by: 10, round: 'up' } }), quantity: 25 }])), 720); // ⌈25 / 10⌉ = 3 packs × $20 × 12
    assert.equal(subscriptionRevenue(sub([{ price: price(500_000, 'month', { currency: 'jpy' }) }]), undefined, lookups)?.arr, 6_000_000); // JPY has no minor unit
  });

  it('prices tiers by volume and graduated', () => {
    assert.equal(arr(sub([{ price: { ...tiered.price_volume!, tiers: null }, quantity: 25 }])), 2400); // all 25 at $8 × 12
    assert.equal(arr(sub([{ price: { ...tiered.price_graduated!, tiers: null }, quantity: 25 }])), 2700); // (10 × $10 + $5 + 15 × $8) × 12
    assert.equal(arr(sub([{ price: { ...tiered.price_graduated!, tiers: null }, quantity: 4 }])), 540); // (4 × $10 + $5) × 12
  });

  it('applies discounts that recur: percentages, fixed amounts per invoice, product-limited coupons; never a one-off or an ended one', () => {
    assert.equal(arr(sub([{ price: price(120_000, 'year') }], { discounts: [discount('TWENTY')] })), 960);
    assert.equal(arr(sub([{ price: price(50_000, 'month') }], { discounts: [discount('HUNDRED')] })), 4800); // ($500 − $100) × 12
    assert.equal(arr(sub([{ price: price(5000, 'month') }], { discounts: [discount('HUNDRED')] })), 0); // never below zero
    assert.equal(arr(sub([{ price: price(10_000, 'month') }], { discounts: [discount('HALF_ONCE')] })), 1200);
    assert.equal(arr(sub([{ price: price(10_000, 'month') }], { discounts: [discount('HALF_3M', '2026-12-15')] })), 600); // still running
    assert.equal(arr(sub([{ price: price(10_000, 'month') }], { discounts: [discount('HALF_3M', '2026-10-01')] })), 1200); // ended
    // 50 % off product A only: $100 (A) → $50, $100 (B) stays.
    assert.equal(arr(sub([{ price: price(10_000, 'month') }, { price: price(10_000, 'month', { product: 'prod_B' }) }], { discounts: [discount('HALF_A')] })), 1800);
    // An item's own discount first, then the subscription's: $300 − 20 % = $240, − $100 = $140 a month.
    assert.equal(arr(sub([{ price: price(30_000, 'month'), discounts: [discount('TWENTY')] }], { discounts: [discount('HUNDRED')] })), 1680);
    // The customer's discount applies to subscriptions without their own.
    assert.equal(arr(sub([{ price: price(120_000, 'year') }]), discount('TWENTY')), 960);
    assert.equal(arr(sub([{ price: price(120_000, 'year') }], { discounts: [discount('HALF_ONCE')] }), discount('TWENTY')), 1200);
  });

  it('counts active and past-due subscriptions, not trials or paused collection, and says what it left out', () => {
    assert.equal(arr(sub([{ price: price(1000, 'month') }], { status: 'past_due' })), 120);
    assert.equal(arr(sub([{ price: price(1000, 'month') }], { status: 'trialing' })), undefined);
    assert.equal(arr(sub([{ price: price(1000, 'month') }], { pause_collection: { behavior: 'void' } })), undefined);
    const metered = subscriptionRevenue(sub([{ price: price(1000, 'month') }, { price: price(5, 'month', { recurring: { interval: 'month', interval_count: 1, usage_type: 'metered' } }) }]), undefined, lookups)!;
    assert.equal(metered.arr, 120);
    assert.match(metered.notes[0]!, /is metered \(billed on usage\), which has no fixed annual amount; the item is left out/);
    const gone = subscriptionRevenue(sub([{ price: price(1000, 'month') }], { discounts: [discount('DELETED')] }), undefined, lookups)!;
    assert.equal(gone.arr, 120);
    assert.match(gone.notes[0]!, /coupon DELETED no longer exists; it is left out/);
  });

  it('adds a customer\'s subscriptions in one currency, never two', () => {
    const total = customerRevenue([sub([{ price: price(1000, 'month') }]), sub([{ price: price(24_000, 'year') }]), sub([{ price: price(900, 'month', { currency: 'eur' }) }])], undefined, lookups)!;
    assert.deepEqual([total.arr, total.currency], [360, 'USD']);
    assert.match(total.notes.join('\n'), /1 subscription in EUR \(108 a year\) left out: the account's ARR is in USD/);
    assert.deepEqual(customerRevenue([sub([{ price: price(1000, 'month') }], { status: 'trialing' })], undefined, lookups), { arr: 0, currency: 'USD', notes: [] });
    assert.equal(customerRevenue([], undefined, lookups), undefined);
  });
});

const KEY = 'rk_test_hub_reader';

/**
 * 270 customers, newest first: 20 without subscriptions (cus_0251…0270), then 250 paying 10 USD a month × (i % 5 + 1)
 * seats; every 10th signs up with a gmail.com address; five have a 20 %-off coupon.
 */
function seed(fake: FakeStripe, createdBase: number): void {
  fake.prices.set('price_seat', { id: 'price_seat', product: 'prod_team', currency: 'usd', unit_amount: 1000, interval: 'month' });
  fake.coupons.set('WELCOME20', { id: 'WELCOME20', percent_off: 20, duration: 'forever' });
  for (let i = 1; i <= 270; i++) {
    const id = `cus_${String(i).padStart(4, '0')}`;
    fake.customers.push({ id, created: createdBase + i, name: `Company ${i}`, email: i % 10 === 0 ? `owner${i}@gmail.com` : `billing@company${i}.example`, metadata: i % 3 === 0 ? { hubspot_company_id: `hs-${i}` } : {} });
    if (i <= 250) {
      fake.subscriptions.push({ id: `sub_${String(i).padStart(4, '0')}`, customer: id, status: 'active', created: createdBase + i, items: [{ id: `si_${i}`, price: 'price_seat', quantity: (i % 5) + 1 }], ...(i % 50 === 0 ? { discounts: [{ id: `di_${i}`, coupon: 'WELCOME20' }] } : {}) });
    }
  }
}

function config(baseUrl: string, extra = ''): HubConfig {
  const dir = tempDir();
  writeFiles(dir, {
    'hub.yml': `version: 1
sources:
  - { id: billing, kind: stripe, token: { env: STRIPE_KEY }, baseUrl: "${baseUrl}", metadata: { externalIds: { hubspot: hubspot_company_id } }${extra} }
features:
  - { id: checkout }
`,
  });
  const outcome = loadHubConfig(path.join(dir, 'hub.yml'));
  if (!outcome.ok) throw new Error(JSON.stringify(outcome.problems));
  return outcome.config;
}

async function setUp(engineName: 'PGlite' | 'PostgreSQL', extra = '') {
  const fake = await startFakeStripe({ key: KEY });
  seed(fake, 1_700_000_000);
  const db = await openTestDatabase(await engines.find((e) => e.name === engineName)!.fresh());
  const hubConfig = config(fake.url, extra);
  await registerSources(db, hubConfig);
  const lines: string[] = [];
  const env: SyncEnvironment = { db, config: hubConfig, owner: 'test', env: { STRIPE_KEY: KEY }, log: (l) => lines.push(l), http: { retryBaseDelayMs: 5, maxWaitMs: 3000 } };
  const accounts = async () => new Map((await db.query<{ vendor_id: string; body: AccountRecord }>("select vendor_id, body from hub_records where source_id = 'billing'")).map((r) => [r.vendor_id, r.body]));
  return { fake, db, hubConfig, env, lines, accounts, source: hubConfig.sources[0]! };
}

for (const engine of engines) {
  describe(`stripe connector on ${engine.name} (fake Stripe API on 127.0.0.1, through the stripe SDK)`, function () {
    this.timeout(60_000);

    it('syncs several pages, fails half way, resumes: nothing lost, nothing doubled', async () => {
      const { fake, db, env, accounts, source } = await setUp(engine.name);
      try {
        // Page 2 (after the first 100 customers) keeps failing with 500 until the sync gives up.
        fake.faults.push(({ url }) => (url.pathname === '/v1/customers' && url.searchParams.get('starting_after') === 'cus_0171' ? { status: 500, body: { error: { type: 'api_error', message: 'An unknown error occurred' } } } : undefined));
        const cut = await syncSource(source, env, { force: true });
        assert.equal(cut.status, 'failed');
        assert.match(cut.status === 'failed' ? cut.error : '', /answered 500/);
        // Page 1 holds cus_0270 … cus_0171: 20 without a subscription (not accounts), 80 paying.
        assert.equal((await accounts()).size, 80);
        const [cursor] = await db.query<{ cursor: { full: { after: string } } }>("select cursor from hub_cursors where source_id = 'billing'");
        assert.equal(cursor!.cursor.full.after, 'cus_0171');

        fake.faults.length = 0;
        fake.requests.length = 0;
        const resumed = await syncSource(source, env, { force: true });
        assert.equal(resumed.status, 'ok', JSON.stringify(resumed));
        const listed = fake.requests.filter((r) => r.url.startsWith('/v1/customers?'));
        assert.equal(listed.length, 2); // pages 2 and 3, from the stored cursor
        assert.match(decodeURIComponent(listed[0]!.url), /starting_after=cus_0171/);
        const all = await accounts();
        assert.equal(all.size, 250);
        const [dupes] = await db.query<{ n: number }>('select count(*)::int as n from (select vendor_id from hub_records group by vendor_id having count(*) > 1) d');
        assert.equal(dupes!.n, 0);
        // cus_0012: 3 seats × $10 × 12; cus_0100: 1 seat, 20 % off; cus_0090: a gmail.com address gives no domain.
        assert.deepEqual(all.get('cus_0012'), { kind: 'account', id: 'cus_0012', name: 'Company 12', domain: 'company12.example', externalIds: { stripe: 'cus_0012', hubspot: 'hs-12' }, arr: 360, currency: 'USD' });
        assert.equal(all.get('cus_0100')!.arr, 96);
        assert.equal(all.get('cus_0090')!.domain, undefined);
        assert.equal(all.has('cus_0260'), false);
      } finally {
        await db.close();
        await fake.close();
      }
    });
  });
}

describe('stripe connector (fake Stripe API on 127.0.0.1, through the stripe SDK)', function () {
  this.timeout(60_000);
  let ctx: Awaited<ReturnType<typeof setUp>>;
  beforeEach(async () => {
    ctx = await setUp('PostgreSQL');
  });
  afterEach(async () => {
    await ctx.db.close();
    await ctx.fake.close();
  });

  it('sends the SDK\'s requests to baseUrl with the key, expanding subscriptions, and fetches each coupon once', async () => {
    const outcome = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    assert.deepEqual(
      ctx.fake.requests.map((r) => r.url.replace(/\?.*$/, '')),
      ['/v1/customers', '/v1/coupons/WELCOME20', '/v1/customers', '/v1/customers'],
    );
    assert.ok(ctx.fake.requests.every((r) => r.authorized && r.method === 'GET'));
    const first = new URL(ctx.fake.requests[0]!.url, ctx.fake.url);
    assert.deepEqual([...first.searchParams].filter(([k]) => k.startsWith('expand')).map(([, v]) => v), ['data.subscriptions', 'data.subscriptions.data.discounts']);
    assert.equal(first.searchParams.get('limit'), '100');
    assert.equal(outcome.records, 250);
  });

  it('syncs incrementally from events: a changed quantity, a cancellation and a deleted customer, nothing else', async () => {
    await syncSource(ctx.source, ctx.env, { force: true });
    const at = Math.floor(Date.now() / 1000);
    const sub5 = ctx.fake.subscriptions.find((s) => s.id === 'sub_0005')!;
    sub5.items[0]!.quantity = 10;
    ctx.fake.emit('customer.subscription.updated', { id: 'sub_0005', object: 'subscription', customer: 'cus_0005' }, at);
    ctx.fake.subscriptions.find((s) => s.id === 'sub_0006')!.status = 'canceled';
    ctx.fake.emit('customer.subscription.deleted', { id: 'sub_0006', object: 'subscription', customer: 'cus_0006' }, at);
    ctx.fake.customers.find((c) => c.id === 'cus_0007')!.deleted = true;
    ctx.fake.emit('customer.deleted', { id: 'cus_0007', object: 'customer' }, at);
    ctx.fake.emit('invoice.paid', { id: 'in_1', object: 'invoice', customer: 'cus_0008' }, at); // not a type the hub asks for

    ctx.fake.requests.length = 0;
    const next = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(next.status, 'ok', JSON.stringify(next));
    assert.deepEqual(ctx.fake.requests.map((r) => r.url.replace(/\?.*$/, '')), ['/v1/events', '/v1/customers/cus_0005', '/v1/customers/cus_0006', '/v1/customers/cus_0007']);
    const types = new URL(ctx.fake.requests[0]!.url, ctx.fake.url).searchParams;
    assert.ok([...types].some(([k, v]) => k.startsWith('types') && v === 'customer.subscription.updated'));
    const all = await ctx.accounts();
    assert.equal(all.get('cus_0005')!.arr, 1200); // 10 seats × $10 × 12
    assert.equal(all.has('cus_0006'), false);
    assert.equal(all.has('cus_0007'), false);
    assert.equal(all.size, 248);

    // Nothing new: one request, and the events of that second are not read twice.
    ctx.fake.requests.length = 0;
    const quiet = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(quiet.status, 'ok');
    assert.equal(ctx.fake.requests.length, 1);
    assert.equal(quiet.records, 0);
  });

  it('keeps a quiet account incremental: the cursor moves on even when nothing happens, so no full pass after 30 days', async () => {
    const start = Date.now();
    const at = (days: number) => ({ ...ctx.env, now: () => start + days * 86_400_000 });
    await syncSource(ctx.source, at(0), { force: true });
    for (const days of [20, 40]) {
      ctx.fake.requests.length = 0;
      const quiet = await syncSource(ctx.source, at(days), { force: true });
      assert.equal(quiet.status, 'ok', JSON.stringify(quiet));
      assert.deepEqual(ctx.fake.requests.map((r) => r.url.replace(/\?.*$/, '')), ['/v1/events'], `day ${days}: events only, no full pass`);
    }
    const [cursor] = await ctx.db.query<{ cursor: { since: number } }>("select cursor from hub_cursors where source_id = 'billing'");
    assert.equal(cursor!.cursor.since, Math.floor((start + 40 * 86_400_000) / 1000) - 300);
  });

  it('resumes an incremental sync cut short after the customers already stored', async () => {
    await syncSource(ctx.source, ctx.env, { force: true });
    const at = Math.floor(Date.now() / 1000);
    for (let i = 11; i <= 40; i++) {
      ctx.fake.subscriptions.find((s) => s.customer === `cus_${String(i).padStart(4, '0')}`)!.items[0]!.quantity = 20;
      ctx.fake.emit('customer.subscription.updated', { object: 'subscription', customer: `cus_${String(i).padStart(4, '0')}` }, at);
    }
    ctx.fake.faults.push(({ url }) => (url.pathname === '/v1/customers/cus_0037' ? { status: 503, body: { error: { type: 'api_error', message: 'Service unavailable' } } } : undefined));
    const cut = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(cut.status, 'failed');
    const [cursor] = await ctx.db.query<{ cursor: { pending: { after: string } } }>("select cursor from hub_cursors where source_id = 'billing'");
    assert.equal(cursor!.cursor.pending.after, 'cus_0035'); // the first 25 changed customers are stored
    assert.equal((await ctx.accounts()).get('cus_0035')!.arr, 2400);
    ctx.fake.faults.length = 0;
    ctx.fake.requests.length = 0;
    const resumed = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(resumed.status, 'ok');
    assert.deepEqual(ctx.fake.requests.map((r) => r.url.replace(/\?.*$/, '')), ['/v1/events', ...[36, 37, 38, 39, 40].map((i) => `/v1/customers/cus_00${i}`)]);
    assert.equal((await ctx.accounts()).get('cus_0040')!.arr, 2400);
  });

  it('waits out 429 with Retry-After and backs off on 5xx, then carries on', async () => {
    ctx.fake.faults.push(({ n }) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' }, body: { error: { type: 'invalid_request_error', code: 'rate_limit', message: 'Request rate limit exceeded.' } } } : undefined));
    ctx.fake.faults.push(({ n }) => (n === 3 ? { status: 502, body: { error: { type: 'api_error', message: 'Bad gateway' } } } : undefined));
    const started = Date.now();
    const outcome = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(outcome.status, 'ok', JSON.stringify(outcome));
    assert.ok(Date.now() - started >= 1000, 'waited for Retry-After');
    assert.deepEqual(ctx.fake.requests.map((r) => r.status), [429, 200, 502, 200, 200, 200]);
    assert.equal(outcome.records, 250);
  });

  it('says what is wrong on 401 and 403, without retrying, and never logs the key', async () => {
    const refused = await syncSource(ctx.source, { ...ctx.env, env: { STRIPE_KEY: 'rk_test_wrong' } }, { force: true });
    assert.match(refused.status === 'failed' ? refused.error : '', /refused the credential \(401\); check the token's environment variable/);
    assert.equal(ctx.fake.requests.length, 1);
    ctx.fake.readable.delete('customers');
    ctx.fake.requests.length = 0;
    const forbidden = await syncSource(ctx.source, ctx.env, { force: true });
    assert.match(forbidden.status === 'failed' ? forbidden.error : '', /answered 403 Forbidden; the token lacks a permission/);
    assert.equal(ctx.fake.requests.length, 1);
    const unset = await syncSource(ctx.source, { ...ctx.env, env: {} }, { force: true });
    assert.match(unset.status === 'failed' ? unset.error : '', /STRIPE_KEY is not set; export a Stripe restricted key/);
    assert.ok(!ctx.lines.join('\n').includes(KEY) && !ctx.lines.join('\n').includes('rk_test_wrong'));
  });

  it('leaves out the discount of a coupon Stripe no longer has, and says so', async () => {
    ctx.fake.coupons.delete('WELCOME20');
    const outcome = await syncSource(ctx.source, ctx.env, { force: true });
    assert.equal(outcome.status, 'ok');
    assert.equal((await ctx.accounts()).get('cus_0100')!.arr, 120);
    assert.ok(outcome.warnings.some((w) => /stripe customer cus_0100: subscription sub_0100: coupon WELCOME20 no longer exists; it is left out/.test(w)), outcome.warnings.join('\n'));
    assert.equal(ctx.fake.requests.filter((r) => r.url.startsWith('/v1/coupons/')).length, 1); // asked once, not per customer
  });

  it('spends no more than its request budget, SDK or not', async () => {
    const limited = await setUp('PostgreSQL', ', budget: { requests: 2, per: 1h }');
    try {
      const outcome = await syncSource(limited.source, limited.env, { force: true });
      assert.equal(outcome.status, 'failed');
      assert.match(outcome.status === 'failed' ? outcome.error : '', /request budget of 2 per 3600 s spent/);
      assert.equal(limited.fake.requests.length, 2);
    } finally {
      await limited.db.close();
      await limited.fake.close();
    }
  });
});

describe('hub check: stripe keys', () => {
  it('reports each bad key of a stripe source at file:line:col', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      'hub.yml': `version: 1
sources:
  - id: billing
    kind: stripe
    token: rk_live_literal_secret
    baseUrl: ftp://api.stripe.com
    statuses: [active, cancelled]
    metadata: { domain: "", colour: blue }
features:
  - { id: checkout }
`,
    });
    const result = await hub(['check', '--config', 'hub.yml'], { cwd: dir });
    assert.equal(result.code, 1);
    const lines = result.err.split('\n');
    for (const expected of [
      /^hub\.yml:5:12: sources\[0\]\.token: write \{ env: NAME \}: credentials come from the environment/,
      /^hub\.yml:6:14: sources\[0\]\.baseUrl: expected an http\(s\) URL such as https:\/\/api\.stripe\.com$/,
      /^hub\.yml:7:24: sources\[0\]\.statuses\[1\]: Invalid option: expected one of "active"/,
      /^hub\.yml:8:25: sources\[0\]\.metadata\.domain: expected a metadata key/,
      /^hub\.yml:8:\d+: sources\[0\]\.metadata: unknown key "colour"$/,
    ]) {
      assert.ok(lines.some((line) => expected.test(line)), `${expected} in:\n${result.err}`);
    }
    assert.doesNotMatch(result.err, /rk_live_literal_secret/);

    writeFiles(dir, { 'hub.yml': 'version: 1\nsources:\n  - { id: billing, kind: stripe, token: { env: STRIPE_API_KEY }, metadata: { externalIds: { hubspot: hubspot_company_id } } }\nfeatures:\n  - { id: checkout }\n' });
    const ok = await hub(['check', '--config', 'hub.yml'], { cwd: dir });
    assert.equal(ok.code, 0, ok.err);
  });
});
