// The Explore view's model: the feature list, and an opened feature's modules (with the map's own comments saying why
// each part of the code belongs) and customers, from the storefront fixture's real map and context files.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { customersOf, exploreDetailView, exploreFeatureView, moduleReason, moduleView, patternComment, relativeTo } from '../../src/client/sidebar/exploreViewModel';
import { leadingDocComment, mainFileOf, moduleFolder, readmeSummary } from '../../src/client/sidebar/moduleDocs';
import { parseContextResponse, type FeatureContext } from '../../src/shared/contextProtocol';
import type { FeatureSummary } from '../../src/shared/lspProtocol';
import { exploreViewModelSchema } from '../../src/shared/webviewProtocol';

const STOREFRONT = path.resolve(__dirname, '..', 'fixtures', 'storefront');
const MAP_TEXT = fs.readFileSync(path.join(STOREFRONT, '.customer-lens.yml'), 'utf8');
const ROOT_URI = 'file:///ws/storefront';
const MAP_URI = `${ROOT_URI}/.customer-lens.yml`;

function lineOf(text: string): number {
  const index = MAP_TEXT.split('\n').findIndex((line) => line.includes(text));
  assert.ok(index >= 0, `the fixture map has a line with ${text}`);
  return index + 1;
}

function context(id: string): FeatureContext {
  const parsed = parseContextResponse(JSON.parse(fs.readFileSync(path.join(STOREFRONT, 'customer-context.json'), 'utf8')), 'customer-context.json');
  assert.ok(parsed.ok);
  const feature = parsed.value.features.find((f) => f.id === id);
  assert.ok(feature);
  return feature;
}

const checkout: FeatureSummary = {
  id: 'checkout',
  name: 'Checkout',
  description: 'Turning a cart into a paid order.',
  owners: ['@shop/payments'],
  workspaceFolderUri: ROOT_URI,
  mapFileUri: MAP_URI,
  range: { start: { line: 11, character: 4 }, end: { line: 26, character: 0 } },
  fileCount: 7,
  patterns: [
    { pattern: '/src/checkout/', kind: 'path', line: lineOf('- /src/checkout/'), fileCount: 5 },
    { pattern: '*.payment.ts', kind: 'path', line: lineOf('- "*.payment.ts"'), fileCount: 2 },
    { pattern: '/src/checkout/legacy/', kind: 'exclude', line: lineOf('      - /src/checkout/legacy/'), fileCount: 1 },
  ],
  summary: 'Turns a cart into a paid order on a merchant’s store.',
  topProblem: { id: 'chk-coupon-rejected', title: 'Coupon codes rejected at the coupon step', customers: 42, severity: 'high' },
  usageHeadline: { id: 'u', label: 'Checkouts completed', value: 12_400, period: '7d', change: 0.06 },
  hasContext: true,
};

describe('Explore view model', () => {
  it('lists a feature with purpose, owners, top problem and usage headline', () => {
    const view = exploreFeatureView(checkout);
    assert.deepEqual(view, {
      id: 'checkout',
      name: 'Checkout',
      purpose: 'Turns a cart into a paid order on a merchant’s store.',
      owners: ['@shop/payments'],
      topProblem: { title: 'Coupon codes rejected at the coupon step', customersText: '42 customers', severity: 'high' },
      usageHeadline: {
        label: 'Checkouts completed',
        valueText: '12.4k',
        change: { direction: 'up', text: '▲ 6%', label: 'up 6% on the previous period', tone: 'good' },
      },
      filesText: '7 files',
      hasContext: true,
    });
    const bare = exploreFeatureView({ ...checkout, summary: undefined, topProblem: undefined, usageHeadline: undefined, hasContext: false }, 'storefront');
    assert.equal(bare.purpose, 'Turning a cart into a paid order.', "the map's description when there is no context");
    assert.equal(bare.workspaceFolderName, 'storefront');
    assert.equal(bare.topProblem, undefined);
  });

  it('takes the comment above a pattern as the reason it is in the feature', () => {
    assert.equal(patternComment(MAP_TEXT, lineOf('- "*.payment.ts"')), 'Payment method adapters live next to whoever calls them; they are all checkout\'s concern.');
    assert.equal(patternComment(MAP_TEXT, lineOf('- /src/checkout/')), undefined, 'no comment right above: no reason invented');
    assert.equal(patternComment('paths:\n  - /src/a/  # the admin app\n', 2), 'the admin app');
    assert.equal(patternComment('paths:\n  - "/src/#hash/"\n', 2), undefined, 'a # inside quotes is not a comment');
    assert.equal(patternComment('a: 1\n', 9), undefined);
  });

  it('groups a module’s files by folder, sorted, relative to the workspace folder', () => {
    const files = [`${ROOT_URI}/src/checkout/cart.ts`, `${ROOT_URI}/packages/mobile-app/src/checkout/applePay.payment.ts`, `${ROOT_URI}/src/checkout/applyCoupon.ts`];
    const module = moduleView({ pattern: '*.payment.ts', line: lineOf('- "*.payment.ts"') }, files, ROOT_URI, MAP_URI, MAP_TEXT);
    assert.deepEqual(module.folders, [
      { folder: 'packages/mobile-app/src/checkout', files: [{ uri: files[1], name: 'applePay.payment.ts', path: 'packages/mobile-app/src/checkout/applePay.payment.ts' }] },
      {
        folder: 'src/checkout',
        files: [
          { uri: files[2], name: 'applyCoupon.ts', path: 'src/checkout/applyCoupon.ts' },
          { uri: files[0], name: 'cart.ts', path: 'src/checkout/cart.ts' },
        ],
      },
    ]);
    assert.equal(module.filesText, '3 files');
    assert.match(module.why ?? '', /Payment method adapters/);
    assert.equal(relativeTo(`${ROOT_URI}/`, `${ROOT_URI}/a%20b/c.ts`), 'a b/c.ts');
  });

  it('says who the customers are: segments, quoted companies, the open problems hitting the most of them as links, and every quote in full', () => {
    const customers = customersOf(context('checkout'));
    assert.ok(customers.segments.length > 0);
    assert.ok(customers.companies.includes('Lopez Ceramics'));
    assert.deepEqual(customers.topProblems[0], {
      title: 'Coupon codes rejected at the coupon step',
      customersText: '42 customers',
      arrText: '$386k ARR',
      statusLabel: 'In progress',
      url: 'https://support.example.com/tickets/48213',
    });
    assert.ok(customers.topProblems.length <= 3);
    assert.ok(!customers.topProblems.some((p) => p.title.startsWith('Order confirmation email')), 'a solved problem is not what hurts them');
    assert.equal(customers.problemCountText, '3 open · 1 solved', 'counted as the hover and the CodeLens count');
    assert.match(customers.summary ?? '', /quotes? on record/);
    // Quotes in full, newest first, each named by its source.
    assert.equal(customers.quotes.length, 5);
    assert.equal(customers.quotes[0]?.text, context('checkout').quotes?.[0]?.text);
    assert.equal(customers.quotes[0]?.linkText, 'Support ticket');
    assert.deepEqual(customersOf(undefined), { segments: [], companies: [], topProblems: [], quotes: [] });
  });

  it('keeps dollars and euros apart among the problems it lists', () => {
    const billing = customersOf(context('billing'));
    assert.deepEqual(billing.topProblems.map((p) => p.arrText), ['412k EUR ARR', '96.3k USD ARR', '40.6k USD ARR']);
    assert.match(billing.currencyNote ?? '', /^ARR is in EUR and USD; amounts are not converted/);
    assert.equal(customersOf(context('checkout')).currencyNote, undefined);
  });

  it("says why a module exists from the map's comment, else the folder's README, else the main file's doc comment", () => {
    const readme = { path: 'src/billing/README.md', text: '# Billing\n\n[![build](https://ci.example.com/b.svg)](https://ci)\n\nCharges merchants **every month** for their [plan](docs/plans.md).\nInvoices are PDFs.\n\n## Layout\n\nMore.' };
    const mainFile = { path: 'src/billing/billing.ts', text: '#!/usr/bin/env node\n// Copyright 2026 Fernhill. MIT licence.\n\n/**\n * Runs the monthly billing cycle.\n *\n * @module billing\n */\nexport {};\n' };
    assert.deepEqual(moduleReason('Listed after checkout on purpose.', '.customer-lens.yml', { readme, mainFile }), {
      why: 'Listed after checkout on purpose.',
      whySource: 'comment in .customer-lens.yml',
    });
    assert.deepEqual(moduleReason(undefined, '.customer-lens.yml', { readme, mainFile }), {
      why: 'Charges merchants every month for their plan. Invoices are PDFs.',
      whySource: 'src/billing/README.md',
    });
    assert.deepEqual(moduleReason(undefined, '.customer-lens.yml', { mainFile }), { why: 'Runs the monthly billing cycle.', whySource: 'doc comment of src/billing/billing.ts' });
    assert.equal(moduleReason(undefined, '.customer-lens.yml', { mainFile: { path: 'a.ts', text: "import x from 'y';\n/** Not leading. */\n" } }), undefined);
  });

  it('reads doc comments and README paragraphs in the forms repositories write them', () => {
    assert.equal(leadingDocComment('// The search box.\n// Ranks as you type.\n\n// unrelated\nexport {};'), 'The search box. Ranks as you type.');
    assert.equal(leadingDocComment('"""Tax rules per country.\n\nLonger text."""\nimport os\n'), 'Tax rules per country.');
    assert.equal(leadingDocComment('//! Parses maps.\nuse std::fs;'), 'Parses maps.');
    assert.equal(leadingDocComment('# customer-lens: checkout\nx = 1\n'), undefined, 'a lone tag is not a reason');
    assert.equal(leadingDocComment('/* eslint-disable */\n/** Real reason. */\n'), 'Real reason.');
    assert.equal(readmeSummary('---\ntitle: x\n---\n<!-- hidden -->\n```sh\nnpm i\n```\n- a list\n\nThe prose.'), 'The prose.');
    assert.equal(readmeSummary('# Only a heading\n'), undefined);
  });

  it("finds a module's folder and the file that speaks for it", () => {
    assert.equal(moduleFolder('/src/checkout/', ['src/checkout/a.ts', 'src/checkout/deep/b.ts']), 'src/checkout');
    assert.equal(moduleFolder('/src/emails/**/invoice*', ['src/emails/templates/invoice.html']), 'src/emails');
    assert.equal(moduleFolder('docs/api.md', ['docs/api.md']), 'docs', 'a slash in the middle anchors; the file name is not a folder');
    assert.equal(moduleFolder('*.payment.ts', ['src/billing/x.payment.ts', 'src/billing/y.payment.ts']), undefined, 'a pattern that matches at any depth names no folder');
    assert.equal(moduleFolder('/src/checkout/', []), undefined);
    assert.equal(mainFileOf('src/checkout', ['src/checkout/applyCoupon.ts', 'src/checkout/checkoutService.ts', 'src/checkout/legacy/checkout.ts']), 'src/checkout/checkoutService.ts');
    assert.equal(mainFileOf('src/search', ['src/search/rankResults.ts', 'src/search/index.ts', 'src/search/searchIndex.ts']), 'src/search/index.ts');
    assert.equal(mainFileOf('src/billing', ['src/billing/plans.ts']), undefined);
  });

  it('builds an opened feature the webview accepts, with https links only', () => {
    const modules = checkout.patterns
      .filter((p) => p.kind === 'path')
      .map((p) => moduleView(p, [`${ROOT_URI}/src/checkout/cart.ts`], ROOT_URI, MAP_URI, MAP_TEXT));
    const detail = exploreDetailView(checkout, modules, context('checkout'), [
      { title: 'Checkout spec', url: 'https://wiki.example.com/product/checkout' },
      { title: 'Old wiki', url: 'http://old.example.com/checkout' },
    ]);
    assert.deepEqual(detail.modules.map((m) => m.pattern), ['/src/checkout/', '*.payment.ts']);
    assert.ok(detail.links.every((l) => l.url.startsWith('https://')));
    assert.equal(detail.links[0]?.title, 'Checkout spec');
    // Why it exists comes from the repository (the map's description); the context's summary leads the customers.
    assert.equal(detail.purpose, 'Turning a cart into a paid order.');
    assert.equal(detail.purposeSource, 'the map');
    assert.match(detail.customers.lead ?? '', /Turns a shopper's cart into a paid order/);
    const model = { state: 'ready', features: [exploreFeatureView(checkout)], opened: { state: 'ready', featureId: 'checkout', detail } };
    const parsed = exploreViewModelSchema.safeParse(model);
    assert.ok(parsed.success, parsed.success ? '' : parsed.error.message);
  });
});
