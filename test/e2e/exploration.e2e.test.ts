// The map as a tech lead reads it (the Feature Map tree) and as a new hire tours it (the Explore view), in the
// packaged extension in the browser. Screenshots: test-results/e2e/feature-map.png and explore.png.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TreeRow } from './sideBar';
import { useWorkbenchSession } from './workbenchSession';

const statusItemId = 'customer-lens.customer-lens.customerLens.status';

describe('Feature Map and Explore, installed from the .vsix, in the browser', function () {
  const session = useWorkbenchSession();

  before(async () => {
    await session().workbench.openViewContainer('Customer Lens');
  });

  it('lists every feature in the Feature Map with its patterns, files and the unmapped files', async () => {
    const { workbench } = session();
    const { sideBar } = workbench;
    await sideBar.showOnly('Feature Map');
    await sideBar.treeItem('Feature Map', 'Checkout').waitFor();

    assert.deepEqual(outline(await sideBar.readTree('Feature Map')), [
      'Checkout · 8 files',
      'Search · 4 files',
      'Onboarding · 4 files',
      'Billing · 5 files',
      'Mobile checkout · 2 files · no customer data',
      'Unmapped files · 2',
    ]);

    await sideBar.expandTreeItem('Feature Map', 'Checkout');
    await sideBar.expandTreeItem('Feature Map', '/src/checkout/');
    await sideBar.expandTreeItem('Feature Map', 'Unmapped files');
    const tree = outline(await sideBar.readTree('Feature Map'));
    await workbench.screenshot('feature-map', { clip: await workbench.sideBarRegion() });

    assert.deepEqual(tree, [
      'Checkout · 8 files',
      '  /src/checkout/ · 5 files',
      '    applyCoupon.ts · src/checkout',
      '    cart.ts · src/checkout',
      '    checkoutService.ts · src/checkout',
      '    couponStep.ts · src/checkout',
      '    orderTotals.ts · src/checkout',
      '  *.payment.ts · 3 files',
      '  /src/checkout/legacy/ · excludes 1 file',
      'Search · 4 files',
      'Onboarding · 4 files',
      'Billing · 5 files',
      'Mobile checkout · 2 files · no customer data',
      'Unmapped files · 2',
      '  src/experimental · 2',
    ]);
  });

  it('opens the map file at a feature, selected, with "Reveal in Map"', async () => {
    const { workbench, workspace } = session();
    await workbench.sideBar.showOnly('Feature Map');
    const mapLines = fs.readFileSync(path.join(workspace, '.customer-lens.yml'), 'utf8').split(/\r?\n/);
    const billingLine = mapLines.findIndex((line) => /^\s*- id: billing\s*$/.test(line)) + 1;
    assert.ok(billingLine > 0, 'the sample map has no "- id: billing" line');
    // Billing's entry runs up to the next top-level key of the map.
    const nextKeyLine = mapLines.findIndex((line, index) => index >= billingLine && /^\S/.test(line)) + 1;

    await workbench.sideBar.runTreeItemAction('Feature Map', 'Billing', 'Reveal in Map');

    assert.equal(await workbench.activeTab('.customer-lens.yml'), '.customer-lens.yml');
    await workbench.editorLine('- id: billing').waitFor();
    const cursor = await workbench.cursor(/selected/);
    assert.ok(cursor.line > billingLine && cursor.line < nextKeyLine, `the selection should end inside Billing's entry (lines ${billingLine}–${nextKeyLine - 1}); the cursor is on line ${cursor.line}`);
    assert.ok(cursor.selectedCharacters > 100, `Billing's entry should be selected; ${cursor.selectedCharacters} characters are`);
  });

  it('finds a feature by searching Explore, shows its customers and modules, and opens its code', async () => {
    const { workbench } = session();
    await workbench.sideBar.showOnly('Explore');
    const explore = await workbench.webview('explore-view');
    const count = explore.locator('[data-testid="explore-count"]');
    await count.filter({ hasText: '5 features' }).waitFor();

    await explore.locator('[data-testid="explore-search"]').pressSequentially('invoice');
    await count.filter({ hasText: '1 of 5 features' }).waitFor();
    const cards = explore.locator('[data-testid="explore-feature"]');
    assert.deepEqual(await cards.evaluateAll((found) => found.map((card) => card.getAttribute('data-feature-id'))), ['billing']);
    assert.match(await cards.first().innerText(), /Top problem: Invoices are missing the merchant's VAT number \(38 customers\)/);

    await cards.first().click();
    const detail = explore.locator('[data-testid="explore-detail"][data-feature-id="billing"]');
    await detail.waitFor();
    await workbench.screenshot('explore', { clip: await workbench.sideBarRegion() });

    const text = await detail.innerText();
    assert.match(text, /^← All features\nBilling\n+Owned by\s+@shop\/billing\n/);
    assert.match(text, /WHY IT EXISTS\n+Charges merchants for their subscription plan/i);
    assert.match(text, /Segments\s+Enterprise\s+Mid-market\s+SMB/);
    assert.match(text, /Invoices are missing the merchant's VAT number\s+38 customers\s+412k EUR ARR/);
    assert.match(text, /ARR is in EUR and USD; amounts are not converted/);
    // Open problems are links to their source; every quote is there in full, named by its source.
    assert.equal(await detail.locator('[data-testid="explore-problem-link"]').count(), 3);
    assert.ok((await detail.locator('[data-testid="explore-quote"]').count()) >= 4);
    assert.match(text, /My accountant sent back three months of invoices because our VAT number isn't on them\. I entered it during signup!/);
    const modules = await detail.locator('[data-testid="explore-module"] h4').allInnerTexts();
    assert.deepEqual(
      modules.map((heading) => heading.replace(/\s+/g, ' ').trim()),
      ['/src/billing/ 4 files', '/src/emails/**/invoice* 1 file'],
    );
    assert.deepEqual(await detail.locator('[data-testid="explore-file"]').allInnerTexts(), [
      'chargeSubscription.ts',
      'invoiceRenderer.ts',
      'plans.ts',
      'subscription.payment.ts',
      'invoice.html',
    ]);

    await detail.locator('[data-testid="explore-file"]', { hasText: 'invoiceRenderer.ts' }).click();
    assert.equal(await workbench.activeTab('invoiceRenderer.ts'), 'invoiceRenderer.ts');
    await workbench.statusBarItem(statusItemId).filter({ hasText: 'Billing' }).waitFor();
  });
});

/** Tree rows as an indented outline, "label · description", the way they read on screen. */
function outline(rows: TreeRow[]): string[] {
  return rows.map((row) => `${'  '.repeat(row.level - 1)}${row.label}${row.description ? ` · ${row.description}` : ''}`);
}
