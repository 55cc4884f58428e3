// The Context view's model for each designed state, built from language-server answers shaped like the real ones
// (the storefront fixture's context file, read with the protocol parser), and checked against the webview's schema.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildContextViewModel, featureView, problemView, usageView } from '../../src/client/sidebar/contextViewModel';
import { formatAge, formatCount, formatMoney } from '../../src/shared/displayFormat';
import { formatChange } from '../../src/client/sidebar/format';
import { parseContextResponse, type FeatureContext } from '../../src/shared/contextProtocol';
import type { Freshness } from '../../src/shared/contextModel';
import type { FileContextResult, FileFeature } from '../../src/shared/lspProtocol';
import { contextViewModelSchema, type ContextViewModel } from '../../src/shared/webviewProtocol';

const STOREFRONT = path.resolve(__dirname, '..', 'fixtures', 'storefront');
const ROOT_URI = 'file:///ws/storefront';
const MAP_URI = `${ROOT_URI}/.customer-lens.yml`;
const NOW = Date.parse('2026-11-22T12:00:00Z');
const HOUR = 3_600_000;

function storefrontContext(id: string): FeatureContext {
  const parsed = parseContextResponse(JSON.parse(fs.readFileSync(path.join(STOREFRONT, 'customer-context.json'), 'utf8')), 'customer-context.json');
  assert.ok(parsed.ok, 'the fixture context file parses');
  const feature = parsed.value.features.find((f) => f.id === id);
  assert.ok(feature, `the fixture has context for ${id}`);
  return feature;
}

function checkoutFeature(overrides: Partial<FileFeature> = {}): FileFeature {
  return {
    id: 'checkout',
    name: 'Checkout',
    description: 'Turning a cart into a paid order.',
    owners: ['@shop/payments'],
    primary: true,
    why: { pattern: '/src/checkout/', mapFileUri: MAP_URI, line: 17 },
    symbols: ['applyCoupon'],
    events: ['coupon_applied'],
    links: [{ title: 'Checkout spec', url: 'https://wiki.example.com/product/checkout' }],
    context: storefrontContext('checkout'),
    ...overrides,
  };
}

const fileFreshness: Freshness = { state: 'synced', source: 'file', fetchedAt: NOW - 3 * 60_000, origin: '/ws/storefront/customer-context.json' };

function result(overrides: Partial<FileContextResult> = {}): FileContextResult {
  return {
    uri: `${ROOT_URI}/src/checkout/applyCoupon.ts`,
    path: 'src/checkout/applyCoupon.ts',
    map: { state: 'ok', usingLastGood: false, mapFileUris: [MAP_URI], errorCount: 0, workspaceFolderUri: ROOT_URI },
    ignored: false,
    features: [checkoutFeature()],
    freshness: fileFreshness,
    ...overrides,
  };
}

/** Builds the model and checks it is a message the webview accepts. */
function build(answer: FileContextResult): ContextViewModel {
  const model = buildContextViewModel(answer, NOW);
  const parsed = contextViewModelSchema.safeParse(model);
  assert.ok(parsed.success, `the model fits the webview schema: ${parsed.success ? '' : parsed.error.message}`);
  return model;
}

describe('Context view model', () => {
  it('shows a mapped file with its feature, owners, why, problems, quotes, usage and links', () => {
    const model = build(result());
    assert.equal(model.state, 'mapped');
    if (model.state !== 'mapped') return;
    assert.equal(model.file.name, 'applyCoupon.ts');
    assert.equal(model.sourceText, 'From customer-context.json · read 3 min ago');
    assert.deepEqual(model.banners, []);
    const [checkout] = model.features;
    assert.ok(checkout);
    assert.equal(checkout.name, 'Checkout');
    assert.deepEqual(checkout.owners, ['@shop/payments']);
    assert.match(checkout.why ?? '', /paid order/, 'the context summary says why it exists');
    assert.deepEqual(checkout.whyMapped, { pattern: '/src/checkout/', mapFileUri: MAP_URI, line: 17, location: '.customer-lens.yml:17' });
    assert.equal(checkout.hasData, true);
    const coupon = checkout.problems.find((p) => p.id === 'chk-coupon-rejected');
    assert.ok(coupon);
    assert.equal(coupon.customersText, '42 customers');
    assert.equal(coupon.statusLabel, 'In progress');
    assert.equal(coupon.arrText, '$386k ARR');
    assert.deepEqual(coupon.trend, { direction: 'up', text: '▲ 35%', label: 'up 35% on the previous period', tone: 'bad' });
    assert.equal(coupon.url, 'https://support.example.com/tickets/48213');
    assert.ok(checkout.quotes.length > 0 && checkout.quotes.every((q) => q.text.length > 0));
    assert.ok(checkout.segments.length > 0, 'quote segments are offered for filtering');
    assert.deepEqual(checkout.segments, [...checkout.segments].sort((a, b) => a.localeCompare(b)));
    assert.ok(checkout.usage.some((u) => u.series.length >= 2), 'a usage metric carries its series for the sparkline');
    assert.equal(checkout.links[0]?.url, 'https://wiki.example.com/product/checkout', 'map links come first');
  });

  it('counts open and solved problems as the hover and the CodeLens do, and names each quote by its source', () => {
    const model = build(result());
    assert.equal(model.state, 'mapped');
    if (model.state !== 'mapped') return;
    const [checkout] = model.features;
    // The fixture has 4 problems, one solved: the CodeLens says "3 open problems", so the sidebar says 3 open too.
    assert.deepEqual(checkout?.problemCounts, { open: 3, solved: 1 });
    assert.deepEqual(checkout?.problems.map((p) => p.open), [true, true, true, false]);
    assert.deepEqual(
      checkout?.quotes.map((q) => [q.linkText, q.attribution]),
      [
        ['Support ticket', 'Maria Lopez, Lopez Ceramics · 2026-11-18'],
        ['Sales call', 'Daniel Reyes, Northwind Outdoor · 2026-11-10'],
        ['Intercom', 'Priya Natarajan, Bramble & Oak · 2026-11-04'],
        ['Customer interview', 'Aisha Khan, Fernleaf Tea · 2026-10-22'],
        ['Quarterly business review', 'Tom Becker, Alpine Gear Co · 2026-09-29'],
      ],
    );
    const unnamed = featureView(checkoutFeature({ context: { id: 'checkout', quotes: [{ id: 'q', text: 'Hi', url: 'https://calls.example.com/r/1' }] } }), fileFreshness, NOW);
    assert.equal(unnamed.quotes[0]?.linkText, 'calls.example.com', 'a quote without a named source is linked by its host, never "Source"');
  });

  it('keeps currencies apart: each ARR names its currency when a feature mixes them, and says they are not converted', () => {
    const billing = featureView(checkoutFeature({ id: 'billing', name: 'Billing', context: storefrontContext('billing') }), fileFreshness, NOW);
    assert.deepEqual(billing.problems.map((p) => p.arrText), ['412k EUR ARR', '184k USD ARR', '40.6k USD ARR', '96.3k USD ARR']);
    assert.equal(billing.currencyNote, 'ARR is in EUR and USD; amounts are not converted, so compare them only within one currency.');
    const checkout = featureView(checkoutFeature(), fileFreshness, NOW);
    assert.equal(checkout.problems[0]?.arrText, '$386k ARR');
    assert.equal(checkout.currencyNote, undefined);
    const noCode = problemView({ id: 'p', title: 'T', arr: 5000 }, NOW);
    assert.equal(noCode.arrText, '5k ARR (currency not given)');
  });

  it('lists the primary feature first', () => {
    const billing = checkoutFeature({ id: 'billing', name: 'Billing', primary: true, context: undefined });
    const model = build(result({ features: [checkoutFeature({ primary: false }), billing] }));
    assert.equal(model.state, 'mapped');
    if (model.state === 'mapped') assert.deepEqual(model.features.map((f) => [f.id, f.primary]), [['billing', true], ['checkout', false]]);
  });

  it('explains a file no pattern matches and offers Add to feature', () => {
    const model = build(result({ uri: `${ROOT_URI}/src/experimental/voiceSearch.ts`, path: 'src/experimental/voiceSearch.ts', features: [] }));
    assert.deepEqual(model, {
      state: 'not-mapped',
      file: { uri: `${ROOT_URI}/src/experimental/voiceSearch.ts`, path: 'src/experimental/voiceSearch.ts', name: 'voiceSearch.ts' },
      reason: 'No pattern in the map matches src/experimental/voiceSearch.ts. Add it to a feature so its customers show up here.',
      ignored: false,
      canAdd: true,
      banners: [],
    });
  });

  it('names the unmapped pattern that marks a file as not customer-facing', () => {
    const ignoredBy = { pattern: '/scripts/', mapFileUri: MAP_URI, line: 70 };
    const model = build(result({ path: 'scripts/seedCatalog.ts', uri: `${ROOT_URI}/scripts/seedCatalog.ts`, features: [], ignored: true, ignoredBy }));
    assert.equal(model.state, 'not-mapped');
    if (model.state !== 'not-mapped') return;
    assert.equal(model.reason, 'Marked as not customer-facing by "/scripts/" in .customer-lens.yml:70.');
    assert.deepEqual(model.ignoredBy, { ...ignoredBy, location: '.customer-lens.yml:70' });
  });

  it('does not offer Add to feature for a file outside every workspace folder', () => {
    const model = build(result({ uri: 'file:///tmp/notes.ts', path: undefined, features: [] }));
    assert.equal(model.state === 'not-mapped' && model.canAdd, false);
    assert.match(model.state === 'not-mapped' ? model.reason : '', /outside every workspace folder/);
  });

  it('offers Create map when the workspace has no map', () => {
    const model = build(result({ map: { state: 'none', usingLastGood: false, mapFileUris: [], errorCount: 0, workspaceFolderUri: ROOT_URI }, features: [] }));
    assert.equal(model.state, 'no-map');
    assert.equal(model.state === 'no-map' && model.workspaceFolderUri, ROOT_URI);
  });

  it('points at the map when it is invalid with no last good version', () => {
    const model = build(result({ map: { state: 'invalid', usingLastGood: false, mapFileUris: [MAP_URI], errorCount: 3, workspaceFolderUri: ROOT_URI }, features: [] }));
    assert.equal(model.state, 'invalid-map');
    if (model.state === 'invalid-map') {
      assert.equal(model.mapFileUri, MAP_URI);
      assert.match(model.message, /3 errors/);
    }
  });

  it('warns when the last good map is in force', () => {
    const model = build(result({ map: { state: 'ok', usingLastGood: true, mapFileUris: [MAP_URI], errorCount: 1 } }));
    assert.equal(model.state, 'mapped');
    if (model.state === 'mapped') assert.deepEqual(model.banners.map((b) => [b.kind, b.message]), [['map-errors', 'The map file has 1 error; the last valid version is in use until they are fixed.']]);
  });

  it('keeps cached context on screen offline, with a banner giving its age and the error', () => {
    const freshness: Freshness = {
      state: 'offline',
      source: 'endpoint',
      fetchedAt: NOW - 2 * 24 * HOUR,
      origin: 'http://127.0.0.1:9',
      error: 'Could not reach http://127.0.0.1:9/v1/context: connection refused. Check customerLens.endpoint.',
    };
    const model = build(result({ freshness }));
    assert.equal(model.state, 'mapped');
    if (model.state !== 'mapped') return;
    assert.deepEqual(model.banners, [{
      kind: 'offline',
      title: 'Offline',
      message: 'Showing context cached 2 days ago. Could not reach http://127.0.0.1:9/v1/context: connection refused. Check customerLens.endpoint.',
      age: '2 days ago',
    }]);
    assert.equal(model.features[0]?.hasData, true, 'the cached context is still shown');
    assert.equal(model.sourceText, 'From http://127.0.0.1:9 · fetched 2 days ago');
  });

  it('says offline with nothing cached, and why each feature has no data', () => {
    const freshness: Freshness = { state: 'offline', source: 'endpoint', origin: 'http://127.0.0.1:9', error: 'Could not reach http://127.0.0.1:9.' };
    const model = build(result({ freshness, features: [checkoutFeature({ context: undefined })] }));
    assert.equal(model.state, 'mapped');
    if (model.state !== 'mapped') return;
    assert.equal(model.banners[0]?.message, 'No cached context to show yet. Could not reach http://127.0.0.1:9.');
    assert.equal(model.banners[0]?.age, undefined);
    const [feature] = model.features;
    assert.equal(feature?.hasData, false);
    assert.match(feature?.noDataReason ?? '', /Nothing is cached/);
    assert.deepEqual([feature?.problems.length, feature?.quotes.length, feature?.usage.length], [0, 0, 0]);
    assert.equal(feature?.why, 'Turning a cart into a paid order.', "the map's description stands in for the summary");
  });

  it('tells a feature the source has no entry for apart from having no source at all', () => {
    const missing = build(result({ features: [checkoutFeature({ context: undefined })] }));
    assert.match(missing.state === 'mapped' ? missing.features[0]?.noDataReason ?? '' : '', /no entry for "checkout"/);
    const none = build(result({ freshness: { state: 'none', source: 'none' }, features: [checkoutFeature({ context: undefined })] }));
    assert.match(none.state === 'mapped' ? none.features[0]?.noDataReason ?? '' : '', /Connect an endpoint/);
  });

  it('shows an endpoint error as an alert banner with what was cached', () => {
    const freshness: Freshness = { state: 'error', source: 'endpoint', fetchedAt: NOW - 5 * HOUR, error: 'https://ctx.example.com/v1/context answered 500.' };
    const model = build(result({ freshness }));
    assert.deepEqual(model.state === 'mapped' && model.banners.map((b) => [b.kind, b.title, b.age]), [['error', 'Context source error', '5 h ago']]);
  });

  it('only makes https links openable; others are listed by title', () => {
    const view = featureView(
      checkoutFeature({
        links: [
          { title: 'Spec', url: 'https://wiki.example.com/spec' },
          { title: 'Intranet', url: 'http://intranet.local/page' },
        ],
        context: { id: 'checkout', links: [{ title: 'Spec again', url: 'https://wiki.example.com/spec' }] },
      }),
      fileFreshness,
      NOW,
    );
    assert.deepEqual(view.links, [{ title: 'Spec', url: 'https://wiki.example.com/spec' }]);
    assert.deepEqual(view.unopenableLinks, ['Intranet']);
    const problem = problemView({ id: 'p', title: 'T', url: 'http://tickets.local/1' }, NOW);
    assert.equal(problem.url, undefined);
  });

  it('orders a usage series by time and describes it for screen readers', () => {
    const usage = usageView({
      id: 'u',
      label: 'Weekly users',
      value: 4100,
      period: '7d',
      change: -0.1,
      series: [
        { t: '2026-11-15', v: 4100 },
        { t: '2026-11-01', v: 3200 },
        { t: '2026-11-08', v: 3900 },
      ],
    });
    assert.deepEqual(usage.series, [3200, 3900, 4100]);
    assert.equal(usage.valueText, '4.1k');
    assert.equal(usage.periodText, 'last 7d');
    assert.deepEqual(usage.change, { direction: 'down', text: '▼ 10%', label: 'down 10% on the previous period', tone: 'bad' });
    assert.equal(usage.seriesLabel, '3 points from 2026-11-01 to 2026-11-15, 3.2k to 4.1k');
    assert.deepEqual(usageView({ id: 'one', label: 'One point', value: 1, series: [{ t: '2026-11-01', v: 1 }] }).series, [], 'one point draws no line');
  });
});

describe('sidebar formatting', () => {
  it('reads large counts and money compactly', () => {
    assert.deepEqual([formatCount(950), formatCount(4100), formatCount(1_250_000)], ['950', '4.1k', '1.3M']);
    assert.equal(formatMoney(1_200_000, 'usd'), '$1.2M');
    assert.equal(formatMoney(85_000, 'EUR'), '€85k');
  });

  it('gives a change its arrow, and its tone from whether growth is good news', () => {
    assert.equal(formatChange(0.12, true).tone, 'good');
    assert.equal(formatChange(0.12, false).tone, 'bad');
    assert.deepEqual(formatChange(0.001, true), { direction: 'flat', text: '± 0%', label: 'unchanged on the previous period', tone: 'neutral' });
  });

  it('says how old data is in words', () => {
    assert.deepEqual(
      [10_000, 5 * 60_000, 3 * HOUR, 24 * HOUR, 3 * 24 * HOUR, 30 * 24 * HOUR].map((age) => formatAge(NOW - age, NOW)),
      ['just now', '5 min ago', '3 h ago', '1 day ago', '3 days ago', '4 weeks ago'],
    );
    assert.equal(formatAge(Date.parse('2024-01-31T00:00:00Z'), NOW), 'on 2024-01-31');
  });
});
