// The packaged extension as a user meets it: the .vsix installed into code-server, the storefront sample opened in
// Chromium, a checkout file opened, an anchor hovered, the sidebar read. Screenshots: test-results/e2e/; the
// README's (media/screenshots/customer-lens.png) with CUSTOMER_LENS_UPDATE_SCREENSHOTS=1.
import * as assert from 'node:assert/strict';
import { useWorkbenchSession } from './workbenchSession';

const statusItemId = 'customer-lens.customer-lens.customerLens.status';

describe('Customer Lens installed from its .vsix, in the browser', function () {
  const session = useWorkbenchSession();

  it('adds its view container to the activity bar', async () => {
    await session().workbench.activityBarEntry('Customer Lens').waitFor();
  });

  it("shows the open file's feature in the status bar", async () => {
    await session().workbench.openFile('src/checkout/couponStep.ts');

    const item = session().workbench.statusBarItem(statusItemId);
    await item.filter({ hasText: 'Checkout' }).waitFor();

    assert.match((await item.getAttribute('aria-label')) ?? '', /src\/checkout\/couponStep\.ts belongs to Checkout/);
  });

  it("shows the open file's feature, problems and quotes in the sidebar", async () => {
    await session().workbench.openFile('src/checkout/couponStep.ts');
    await session().workbench.openViewContainer('Customer Lens');

    const text = await session().workbench.webviewText('context-view', 'Coupon codes rejected at the coupon step');
    await session().workbench.screenshot('sidebar');

    assert.match(text, /Checkout/);
    assert.match(text, /src\/checkout\/couponStep\.ts/);
    assert.match(text, /Maria Lopez/);
  });

  it("shows the feature's customers in a hover card on an anchor", async () => {
    // With the sidebar still open from the previous step, this is the screenshot the README shows.
    await session().workbench.openFile('src/checkout/couponStep.ts');

    const card = await session().workbench.hover('applyCoupon(cart', 'applyCoupon', 'Top problems');
    await session().workbench.screenshot('customer-lens', { readme: true });

    assert.match(card, /Checkout — @shop\/payments/);
    assert.match(card, /Coupon codes rejected at the coupon step — 42 customers · high · in-progress/);
    assert.match(card, /— Maria Lopez, Lopez Ceramics/);
    assert.match(card, /Usage Checkouts started 18\.4k \(7d\)/);
    assert.match(card, /Mapped by \/src\/checkout\/ in \.customer-lens\.yml:\d+/);
  });
});
