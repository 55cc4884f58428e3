// The sidebar webview app in a real browser (headless Chromium), outside VS Code: the real bundle and stylesheet,
// served from 127.0.0.1 under the production page and CSP. Only `acquireVsCodeApi` is replaced — it exists inside VS
// Code alone — by a stand-in that records what the webview sends. Everything else (rendering, sorting, filtering,
// keyboard focus, message validation, CSP) is the code users run.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { buildContextViewModel } from '../../src/client/sidebar/contextViewModel';
import { exploreDetailView, exploreFeatureView, moduleView } from '../../src/client/sidebar/exploreViewModel';
import { parseContextResponse, type FeatureContext } from '../../src/shared/contextProtocol';
import type { FeatureSummary, FileContextResult } from '../../src/shared/lspProtocol';
import type { ContextViewModel, ExploreViewModel, HostMessage, WebviewKind, WebviewMessage } from '../../src/shared/webviewProtocol';
import { launchChromium } from '../harness/browser';
import { pageWithStandIn } from './support/sidebarPage';

const REPO = path.resolve(__dirname, '..', '..');
const STOREFRONT = path.join(REPO, 'test', 'fixtures', 'storefront');
const ROOT_URI = 'file:///ws/storefront';
const MAP_URI = `${ROOT_URI}/.customer-lens.yml`;
const NOW = Date.parse('2026-11-22T12:00:00Z');

function fixtureContext(id: string): FeatureContext {
  const parsed = parseContextResponse(JSON.parse(fs.readFileSync(path.join(STOREFRONT, 'customer-context.json'), 'utf8')), 'customer-context.json');
  assert.ok(parsed.ok);
  const feature = parsed.value.features.find((f) => f.id === id);
  assert.ok(feature);
  return feature;
}

function checkoutAnswer(context: FeatureContext = fixtureContext('checkout')): FileContextResult {
  return {
    uri: `${ROOT_URI}/src/checkout/applyCoupon.ts`,
    path: 'src/checkout/applyCoupon.ts',
    map: { state: 'ok', usingLastGood: false, mapFileUris: [MAP_URI], errorCount: 0, workspaceFolderUri: ROOT_URI },
    ignored: false,
    features: [
      {
        id: 'checkout',
        name: 'Checkout',
        owners: ['@shop/payments'],
        primary: true,
        why: { pattern: '/src/checkout/', mapFileUri: MAP_URI, line: 17 },
        symbols: [],
        events: [],
        links: [{ title: 'Checkout spec', url: 'https://wiki.example.com/product/checkout' }],
        context,
      },
    ],
    freshness: { state: 'synced', source: 'file', fetchedAt: NOW - 60_000, origin: 'customer-context.json' },
  };
}

describe('sidebar webview in Chromium', function () {
  this.timeout(60_000);
  let browser: Browser;
  let server: Server;
  let origin: string;
  let tab: Page;

  before(async () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-webview-'));
    await esbuild.build({ entryPoints: [path.join(REPO, 'src/webview/sidebar.ts')], bundle: true, format: 'iife', platform: 'browser', target: 'es2022', outfile: path.join(outdir, 'sidebar.js'), logLevel: 'error' });
    const files: Record<string, [string, string]> = {
      '/sidebar.js': [path.join(outdir, 'sidebar.js'), 'text/javascript'],
      '/sidebar.css': [path.join(REPO, 'media', 'sidebar.css'), 'text/css'],
    };
    server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const file = files[url.pathname];
      if (file) {
        res.writeHead(200, { 'content-type': file[1] }).end(fs.readFileSync(file[0]));
        return;
      }
      const kind = url.searchParams.get('view') === 'explore' ? 'explore' : 'context';
      res.writeHead(200, { 'content-type': 'text/html' }).end(pageWithStandIn(kind, origin));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
  });

  beforeEach(async () => {
    tab = await browser.newPage({ viewport: { width: 320, height: 900 } });
  });

  afterEach(async () => {
    await tab.close();
  });

  async function open(kind: WebviewKind): Promise<void> {
    await tab.goto(`${origin}/?view=${kind}`);
    await waitForSent((m) => m.method === 'webview/ready');
  }

  async function sent(): Promise<WebviewMessage[]> {
    return tab.evaluate(() => (window as unknown as { __sent: WebviewMessage[] }).__sent);
  }

  async function waitForSent(predicate: (message: WebviewMessage) => boolean): Promise<WebviewMessage> {
    for (;;) {
      // One snapshot both for searching and for counting: a message posted between two reads would be counted but
      // never searched, and the wait below would then stall for a message that never comes. (`window.postMessage` is
      // delivered as a later task, so the webview's answer to `post` can land at any point of this loop.)
      const messages = await sent();
      const found = messages.find(predicate);
      if (found) return found;
      // Waits for the next message the webview posts rather than polling on a clock.
      await tab.waitForFunction((count) => (window as unknown as { __sent: unknown[] }).__sent.length > count, messages.length);
    }
  }

  let seq = 0;
  async function post(message: HostMessage | unknown): Promise<void> {
    await tab.evaluate((m) => window.postMessage(m, '*'), message);
  }

  async function showContext(model: ContextViewModel): Promise<Extract<WebviewMessage, { method: 'webview/didRender' }>> {
    const current = ++seq;
    await post({ method: 'context/didChange', params: { seq: current, model } });
    return (await waitForSent((m) => m.method === 'webview/didRender' && m.params.seq === current)) as Extract<WebviewMessage, { method: 'webview/didRender' }>;
  }

  async function showExplore(model: ExploreViewModel): Promise<void> {
    const current = ++seq;
    await post({ method: 'explore/didChange', params: { seq: current, model } });
    await waitForSent((m) => m.method === 'webview/didRender' && m.params.seq === current);
  }

  async function texts(selector: string): Promise<string[]> {
    return tab.locator(selector).allTextContents();
  }

  it('draws a mapped file: feature, problems with badges and ARR, quotes, sparklines and links, within the CSP', async () => {
    await open('context');
    const rendered = await showContext(buildContextViewModel(checkoutAnswer(), NOW));
    assert.equal(await tab.locator('[data-testid="feature-name"]').textContent(), 'Checkout');
    assert.equal(rendered.params.testIds['problem'], 4);
    assert.equal(rendered.params.testIds['problem-status'], 4);
    assert.ok((rendered.params.testIds['sparkline'] ?? 0) >= 1, 'usage series are drawn');
    assert.ok((rendered.params.testIds['quote'] ?? 0) >= 3);
    assert.deepEqual((await texts('[data-testid="problem-status"]')).slice(0, 2), ['In progress', 'Open'], 'most customers affected first');
    assert.equal((await texts('[data-testid="problem-arr"]'))[0], '$386k ARR');
    assert.equal(await tab.locator('svg[data-testid="sparkline"] polyline').count(), rendered.params.testIds['sparkline']);
    assert.match((await tab.locator('[data-testid="usage-change"]').first().getAttribute('aria-label')) ?? '', /^(up|down|unchanged)/);
    assert.deepEqual(await tab.evaluate(() => (window as unknown as { __violations: string[] }).__violations), [], 'no CSP violation');
  });

  it('marks changes to the code on the usage sparklines and problem trends, says what they did, and lists my recent changes', async () => {
    await open('context');
    const context = fixtureContext('checkout');
    const weeks = ['2026-09-14', '2026-09-21', '2026-09-28', '2026-10-05', '2026-10-12', '2026-10-19', '2026-10-26', '2026-11-02', '2026-11-09', '2026-11-16'];
    context.problems![0]!.series = weeks.map((t, i) => ({ t, v: i < 6 ? 10 : 4 }));
    const change = { kind: 'commit' as const, hash: 'a1b2c3d'.padEnd(40, '0'), short: 'a1b2c3d', date: Date.parse('2026-10-20T10:00:00Z'), subject: '<img src=x onerror="window.__pwned=1"> Accept \u202elower-case codes' };
    const tag = { kind: 'tag' as const, hash: change.hash, short: 'a1b2c3d', date: Date.parse('2026-10-22T10:00:00Z'), subject: change.subject, tag: 'v1.4.0', ships: 1 };
    const answer = checkoutAnswer(context);
    answer.features[0]!.history = {
      state: 'ready',
      changes: [tag, change],
      since: Date.parse('2026-06-01T00:00:00Z'),
      measured: { state: 'measured', change, windowDays: 21, figures: [{ kind: 'problem', id: 'chk-coupon-rejected', label: 'Coupon codes rejected', before: 10, after: 4, ratio: -0.6, good: true }] },
    };
    answer.recentChanges = { state: 'ready', email: 'dev@example.com', days: 30, changes: [{ featureId: 'checkout', name: 'Checkout', change, commits: 2, outcome: answer.features[0]!.history.measured! }] };
    const rendered = await showContext(buildContextViewModel(answer, NOW));
    const usageLines = rendered.params.testIds['sparkline'] ?? 0;
    assert.ok(usageLines >= 2, 'usage sparklines and the problem trend are drawn');
    // Every line spanning the change carries both marks: the commit (dashed) and the release tag.
    assert.equal(rendered.params.testIds['sparkline-marker'], usageLines * 2);
    const problemLine = tab.locator('[data-testid="problem"]').first().locator('svg[data-testid="sparkline"]');
    assert.equal(await problemLine.count(), 1, 'the problem has its trend line');
    const titles = await problemLine.locator('[data-testid="sparkline-marker"] > title').allTextContents();
    assert.deepEqual(titles, ['20 Oct · a1b2c3d <img src=x onerror="window.__pwned=1"> Accept lower-case codes', '22 Oct · release v1.4.0 (1 change to this feature)']);
    const box = await problemLine.boundingBox();
    const markerBox = await problemLine.locator('.sparkline-marker-commit .sparkline-marker-line').boundingBox();
    assert.ok(box && markerBox, 'the marker is drawn');
    // 20 Oct sits between the 6th and 7th of ten weekly points: about 0.57 of the way along.
    const at = (markerBox.x + markerBox.width / 2 - box.x) / box.width;
    assert.ok(at > 0.5 && at < 0.62, `marker at ${at}`);
    assert.equal(
      await tab.locator('[data-testid="outcome-measured"]').textContent(),
      'Since the change of 20 Oct (a1b2c3d <img src=x onerror="window.__pwned=1"> Accept lower-case codes): mentions of “Coupon codes rejected” ▼ 60% (21 days before and after)',
    );
    assert.equal(await tab.locator('[data-testid="recent-change"]').count(), 1);
    assert.match((await tab.locator('[data-testid="recent-changes"] h2').textContent()) ?? '', /^Your recent changes \(dev@example\.com\)$/);
    assert.match((await tab.locator('[data-testid="recent-outcome"]').textContent()) ?? '', /▼ 60%/);
    assert.equal(await tab.locator('#root img').count(), 0);
    assert.equal(await tab.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.deepEqual(await tab.evaluate(() => (window as unknown as { __violations: string[] }).__violations), [], 'no CSP violation');
  });

  it('shows remote strings as text, never as markup', async () => {
    await open('context');
    const hostile = { id: 'checkout', summary: '<b>bold</b>', problems: [{ id: 'x', title: '<img src=x onerror="window.__pwned=1">', customers: 1 }] };
    await showContext(buildContextViewModel(checkoutAnswer(hostile), NOW));
    assert.equal(await tab.locator('.problem-title').first().textContent(), '<img src=x onerror="window.__pwned=1">');
    assert.equal(await tab.locator('[data-testid="feature-why"]').textContent(), '<b>bold</b>');
    assert.equal(await tab.locator('#root img, #root b').count(), 0);
    assert.equal(await tab.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  });

  it('sorts problems by customers, severity and recency, remembers the choice, and keeps keyboard focus on the control', async () => {
    await open('context');
    const context: FeatureContext = {
      id: 'checkout',
      problems: [
        { id: 'many-low', title: 'Many customers, low severity', customers: 50, severity: 'low', updatedAt: '2026-11-01' },
        { id: 'few-critical', title: 'Few customers, critical', customers: 10, severity: 'critical', updatedAt: '2026-10-01' },
        { id: 'fewest-recent', title: 'Fewest customers, most recent', customers: 5, severity: 'medium', updatedAt: '2026-11-20' },
      ],
    };
    await showContext(buildContextViewModel(checkoutAnswer(context), NOW));
    const ids = () => tab.locator('[data-testid="problem"]').evaluateAll((items) => items.map((i) => (i as HTMLElement).dataset.problemId));
    assert.deepEqual(await ids(), ['many-low', 'few-critical', 'fewest-recent']);
    const sort = tab.locator('[data-testid="problem-sort"]');
    await sort.focus();
    await sort.selectOption('severity');
    assert.deepEqual(await ids(), ['few-critical', 'fewest-recent', 'many-low']);
    await sort.selectOption('recency');
    assert.deepEqual(await ids(), ['fewest-recent', 'many-low', 'few-critical']);
    assert.equal(await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid), 'problem-sort');
    const state = await tab.evaluate(() => (window as unknown as { __state: { problemSort: string } }).__state);
    assert.equal(state.problemSort, 'recency');
    // A new model (after a refresh) keeps the user's order.
    await showContext(buildContextViewModel(checkoutAnswer(context), NOW));
    assert.equal(await sort.inputValue(), 'recency');
    assert.deepEqual(await ids(), ['fewest-recent', 'many-low', 'few-critical']);
  });

  it('filters quotes by segment', async () => {
    await open('context');
    const model = buildContextViewModel(checkoutAnswer(), NOW);
    assert.equal(model.state, 'mapped');
    const segments = model.state === 'mapped' ? model.features[0]!.segments : [];
    assert.ok(segments.length > 1, 'the fixture has quotes from several segments');
    await showContext(model);
    const all = await tab.locator('[data-testid="quote"]').count();
    await tab.locator('[data-testid="quote-segment"]').selectOption(segments[0]!);
    const badges = await texts('[data-testid="quote"] [data-testid="quote-segment-badge"]');
    assert.ok(badges.length > 0 && badges.length < all);
    assert.ok(badges.every((b) => b === segments[0]));
  });

  it('opens links through the host, never by navigating', async () => {
    await open('context');
    await showContext(buildContextViewModel(checkoutAnswer(), NOW));
    const before = tab.url();
    await tab.locator('[data-testid="feature-link"]').first().focus();
    await tab.keyboard.press('Enter');
    const message = await waitForSent((m) => m.method === 'link/open');
    assert.deepEqual(message, { method: 'link/open', params: { url: 'https://wiki.example.com/product/checkout' } });
    assert.equal(tab.url(), before);
  });

  it("opens each link once, through the host only: VS Code's frame never sees the click", async () => {
    await open('context');
    await showContext(buildContextViewModel(checkoutAnswer(), NOW));
    for (const testId of ['problem-link', 'quote-link', 'feature-link']) {
      await tab.locator(`[data-testid="${testId}"]`).first().click();
      await tab.locator(`[data-testid="${testId}"]`).first().click({ button: 'middle' });
    }
    const opened = (await sent()).filter((m) => m.method === 'link/open').map((m) => (m.method === 'link/open' ? m.params.url : ''));
    assert.deepEqual(opened, ['https://support.example.com/tickets/48213', 'https://support.example.com/tickets/48213', 'https://wiki.example.com/product/checkout']);
    assert.deepEqual(await tab.evaluate(() => (window as unknown as { __frameOpened: string[] }).__frameOpened), [], 'a click reached the frame, which would open a second tab');
  });

  it('says "Reading customer context…" from the moment the view opens until the first model arrives', async () => {
    await open('context');
    assert.equal(await tab.locator('[data-testid="view-loading"]').textContent(), 'Reading customer context…');
    assert.equal(await tab.locator('[data-testid="view-loading"]').getAttribute('role'), 'status');
    await showContext(buildContextViewModel(checkoutAnswer(), NOW));
    assert.equal(await tab.locator('[data-testid="view-loading"]').count(), 0);
    await open('explore');
    assert.deepEqual(await texts('[role="status"]'), ['', 'Reading the map…']);
  });

  it('counts open and solved problems as the CodeLens does, lists solved last, names quote sources and keeps currencies apart', async () => {
    await open('context');
    await showContext(buildContextViewModel(checkoutAnswer(), NOW));
    assert.equal(await tab.locator('[data-testid="feature-problem-summary"]').textContent(), '3 open problems');
    assert.equal(await tab.locator('[data-testid="problems-count"]').textContent(), ' 3 open · 1 solved');
    assert.deepEqual(await texts('[data-testid="problem-status"]'), ['In progress', 'Open', 'Planned', 'Solved']);
    assert.deepEqual(await texts('[data-testid="quote-link"]'), ['Support ticket', 'Sales call', 'Intercom', 'Customer interview', 'Quarterly business review']);
    assert.equal(await tab.locator('[data-testid="currency-note"]').count(), 0);
    await showContext(buildContextViewModel(checkoutAnswer(fixtureContext('billing')), NOW));
    // Sorted by customers affected, never by amount: 412k EUR and 184k USD are not on one scale.
    assert.deepEqual(await texts('[data-testid="problem-arr"]'), ['412k EUR ARR', '96.3k USD ARR', '40.6k USD ARR', '184k USD ARR']);
    assert.match((await tab.locator('[data-testid="currency-note"]').textContent()) ?? '', /^ARR is in EUR and USD; amounts are not converted/);
  });

  it('offers Add to feature for an unmapped file and Create map without a map', async () => {
    await open('context');
    const unmapped = buildContextViewModel({ ...checkoutAnswer(), uri: `${ROOT_URI}/src/experimental/voiceSearch.ts`, path: 'src/experimental/voiceSearch.ts', features: [] }, NOW);
    await showContext(unmapped);
    assert.match((await tab.locator('[data-testid="not-mapped-reason"]').textContent()) ?? '', /No pattern in the map matches src\/experimental\/voiceSearch\.ts/);
    await tab.locator('[data-testid="add-to-feature"]').click();
    assert.deepEqual(await waitForSent((m) => m.method === 'map/addToFeature'), { method: 'map/addToFeature', params: { uri: `${ROOT_URI}/src/experimental/voiceSearch.ts` } });
    await showContext({ state: 'no-map', workspaceFolderUri: ROOT_URI, message: 'No map yet.' });
    await tab.locator('[data-testid="create-map"]').click();
    assert.deepEqual(await waitForSent((m) => m.method === 'map/create'), { method: 'map/create', params: { workspaceFolderUri: ROOT_URI } });
  });

  it('shows the offline banner as an alert', async () => {
    await open('context');
    const answer = { ...checkoutAnswer(), freshness: { state: 'offline' as const, source: 'endpoint' as const, fetchedAt: NOW - 2 * 86_400_000, error: 'Could not reach http://127.0.0.1:9.' } };
    await showContext(buildContextViewModel(answer, NOW));
    const banner = tab.locator('[data-testid="banner-offline"]');
    assert.equal(await banner.getAttribute('role'), 'alert');
    assert.match((await banner.textContent()) ?? '', /Offline.*cached 2 days ago/);
  });

  it('reports a message that fails validation and keeps what it showed', async () => {
    await open('context');
    await showContext(buildContextViewModel(checkoutAnswer(), NOW));
    await post({ method: 'context/didChange', params: { seq: 99, model: { state: 'mapped', features: 'nope' } } });
    const failure = await waitForSent((m) => m.method === 'webview/didFail');
    assert.match(failure.method === 'webview/didFail' ? failure.params.message : '', /^invalid message method=context\/didChange: params\.model/);
    assert.equal(await tab.locator('[data-testid="feature-name"]').textContent(), 'Checkout');
  });

  it('is reachable by keyboard and fits a narrow sidebar', async () => {
    await tab.setViewportSize({ width: 200, height: 900 });
    await open('context');
    await showContext(buildContextViewModel(checkoutAnswer(), NOW));
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await tab.keyboard.press('Tab');
      const id = await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.testid ?? document.activeElement?.tagName ?? '');
      reached.add(id);
    }
    for (const id of ['why-mapped', 'problem-sort', 'quote-segment', 'problem-link', 'feature-link', 'refresh']) assert.ok(reached.has(id), `Tab reaches ${id}: ${[...reached].join(', ')}`);
    const overflow = await tab.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling at 200px (overflow ${overflow}px)`);
  });

  it('Explore: searches features, opens one, and jumps to a file', async () => {
    await open('explore');
    const summary: FeatureSummary = {
      id: 'checkout',
      name: 'Checkout',
      owners: ['@shop/payments'],
      workspaceFolderUri: ROOT_URI,
      mapFileUri: MAP_URI,
      range: { start: { line: 11, character: 4 }, end: { line: 26, character: 0 } },
      fileCount: 1,
      patterns: [{ pattern: '/src/checkout/', kind: 'path', line: 17, fileCount: 1 }],
      summary: 'Turns a cart into a paid order.',
      topProblem: { id: 'p', title: 'Coupon codes rejected', customers: 42 },
      hasContext: true,
    };
    const search: FeatureSummary = { ...summary, id: 'search', name: 'Search', owners: ['@shop/discovery'], summary: 'Find products.', topProblem: undefined };
    const features = [exploreFeatureView(summary), exploreFeatureView(search)];
    await showExplore({ state: 'ready', features });
    assert.equal(await tab.locator('[data-testid="explore-feature"]').count(), 2);
    await tab.locator('[data-testid="explore-search"]').fill('discovery');
    assert.deepEqual(await texts('[data-testid="explore-feature"] .feature-name'), ['Search']);
    assert.equal(await tab.locator('[data-testid="explore-count"]').textContent(), '1 of 2 features');
    await tab.locator('[data-testid="explore-search"]').fill('');
    await tab.locator('[data-testid="explore-feature"][data-feature-id="checkout"]').click();
    assert.deepEqual(await waitForSent((m) => m.method === 'explore/openFeature'), { method: 'explore/openFeature', params: { featureId: 'checkout' } });
    const module = moduleView(summary.patterns[0]!, [`${ROOT_URI}/src/checkout/applyCoupon.ts`], ROOT_URI, MAP_URI, undefined);
    await showExplore({ state: 'ready', features, opened: { state: 'ready', featureId: 'checkout', detail: exploreDetailView(summary, [module], fixtureContext('checkout'), []) } });
    assert.equal(await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.id), 'detail-heading', 'focus moves to the opened feature');
    // A hierarchy to read top-down: why it exists, its customers (problems as links, quotes in full), its code.
    assert.deepEqual(await texts('[data-testid="explore-detail"] h3'), ['Why it exists', 'Customers 3 open · 1 solved', 'Code 1', 'Links']);
    assert.deepEqual(await texts('[data-testid="explore-problem-link"]'), [
      'Coupon codes rejected at the coupon step',
      'Declined cards show "Something went wrong" instead of the reason',
      'Shipping cost only appears on the last step',
    ]);
    assert.equal((await texts('[data-testid="explore-quote"] blockquote'))[0], fixtureContext('checkout').quotes?.[0]?.text, 'a quote in full');
    const headingSize = await tab.evaluate(() => parseFloat(getComputedStyle(document.getElementById('detail-heading')!).fontSize));
    const bodySize = await tab.evaluate(() => parseFloat(getComputedStyle(document.querySelector('[data-testid="explore-purpose"]')!).fontSize));
    assert.ok(headingSize >= bodySize * 1.25, `the feature's name stands out (${headingSize}px against ${bodySize}px body text)`);
    await tab.locator('[data-testid="explore-problem-link"]').first().click();
    assert.deepEqual(await waitForSent((m) => m.method === 'link/open'), { method: 'link/open', params: { url: 'https://support.example.com/tickets/48213' } });
    await tab.locator('[data-testid="explore-file"]').click();
    assert.deepEqual(await waitForSent((m) => m.method === 'file/open'), { method: 'file/open', params: { uri: `${ROOT_URI}/src/checkout/applyCoupon.ts` } });
    await tab.locator('[data-testid="explore-back"]').click();
    assert.equal(await tab.locator('[data-testid="explore-feature"]').count(), 2);
    assert.equal(await tab.evaluate(() => (document.activeElement as HTMLElement | null)?.dataset.featureId), 'checkout', 'focus returns to the feature');
  });
});
