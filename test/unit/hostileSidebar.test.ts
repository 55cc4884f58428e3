// Long strings from a context source in the Context view, in real Chromium: the text an endpoint sends goes through
// the protocol parser (the boundary every answer crosses), the extension's view model and the real webview bundle.
import * as assert from 'node:assert/strict';
import { buildContextViewModel } from '../../src/client/sidebar/contextViewModel';
import { parseContextResponse, type FeatureContext } from '../../src/shared/contextProtocol';
import type { FileContextResult, FileFeature } from '../../src/shared/lspProtocol';
import { SidebarPages } from './support/sidebarPage';

const NOW = Date.parse('2026-11-22T12:00:00Z');

function parsed(features: unknown[]): FeatureContext[] {
  const result = parseContextResponse({ version: 1, features }, 'https://context.example.com/v1/context');
  assert.ok(result.ok);
  return result.value.features;
}

function answer(contexts: FeatureContext[]): FileContextResult {
  const features: FileFeature[] = contexts.map((context, i) => ({
    id: context.id,
    name: `Feature ${i}`,
    owners: ['@shop/team'],
    primary: i === 0,
    why: { pattern: '/src/', mapFileUri: 'file:///ws/.customer-lens.yml', line: 3 + i },
    symbols: [],
    events: [],
    links: [],
    context,
  }));
  return {
    uri: 'file:///ws/src/cart.ts',
    path: 'src/cart.ts',
    map: { state: 'ok', usingLastGood: false, mapFileUris: ['file:///ws/.customer-lens.yml'], errorCount: 0, workspaceFolderUri: 'file:///ws' },
    ignored: false,
    features,
    freshness: { state: 'synced', source: 'endpoint', fetchedAt: NOW - 60_000, origin: 'https://context.example.com' },
  };
}

/** `length` characters of words, the way a pasted log or a runaway template fills a field. */
function longText(length: number, seed: number): string {
  const words = ['coupon', 'rejected', 'at', 'checkout', 'again', 'customers', 'angry', `w${seed}`];
  let text = '';
  for (let i = 0; text.length < length; i++) text += `${words[(i + seed) % words.length]} `;
  return text.slice(0, length);
}

describe('hostile text: long strings in the Context view (Chromium)', function () {
  this.timeout(120_000);
  let pages: SidebarPages;

  before(async () => {
    pages = await SidebarPages.start();
  });
  after(async () => {
    await pages?.close();
  });

  it('shows a feature with a 100,000-character summary at once, cut, with a way to read more', async () => {
    const [context] = parsed([{ id: 'checkout', summary: longText(100_000, 1), problems: [{ id: 'p', title: 'Coupon codes rejected', detail: longText(100_000, 2) }] }]);
    const model = buildContextViewModel(answer([context!]), NOW);
    const tab = await pages.open('context');
    const started = Date.now();
    await tab.showContext(model);
    assert.ok(Date.now() - started < 2000, `rendered after ${Date.now() - started} ms`);
    const why = tab.page.locator('[data-testid="feature-why"]');
    const shown = (await why.textContent()) ?? '';
    assert.ok(shown.length < 2000, `the summary shows ${shown.length} characters`);
    await why.getByRole('button', { name: 'More' }).click();
    const more = (await why.textContent()) ?? '';
    assert.ok(more.length > shown.length, 'More shows the rest that was kept');
    await tab.close();
  });

  it('draws twelve features full of 10–100 kB strings quickly, and sends the webview a bounded model', async () => {
    const features = Array.from({ length: 12 }, (_, f) => {
      const size = (i: number) => 10_000 + (((f + 1) * 7919 * (i + 1)) % 90_000);
      return {
        id: `feature-${f}`,
        name: longText(size(0), f),
        summary: longText(size(1), f),
        problems: Array.from({ length: 30 }, (_, i) => ({ id: `p${i}`, title: longText(size(i + 2), i), detail: longText(size(i + 3), i), source: longText(size(i), i) })),
        quotes: Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, text: longText(size(i + 4), i), author: longText(size(i + 5), i), segment: longText(size(i + 6), i) })),
        usage: [{ id: 'u', label: longText(size(7), f), value: 3, unit: longText(size(8), f), period: longText(size(9), f) }],
        links: [{ title: longText(size(10), f), url: 'https://wiki.example.com/x' }],
      };
    });
    const model = buildContextViewModel(answer(parsed(features)), NOW);
    const bytes = Buffer.byteLength(JSON.stringify(model));
    assert.ok(bytes <= 2 * 1024 * 1024, `the webview would receive ${(bytes / 1024 / 1024).toFixed(1)} MB`);
    const tab = await pages.open('context');
    const started = Date.now();
    const rendered = await tab.showContext(model);
    assert.ok(Date.now() - started < 5000, `rendered after ${Date.now() - started} ms`);
    assert.equal(rendered.params.testIds['feature'], 12);
    await tab.close();
  });
});
