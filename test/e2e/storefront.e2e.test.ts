// The packaged extension as a user meets it: the .vsix installed into code-server, the storefront sample opened in
// Chromium, a checkout file opened, an anchor hovered, the sidebar read. Screenshots: test-results/e2e/; the
// README's (media/screenshots/customer-lens.png) with CUSTOMER_LENS_UPDATE_SCREENSHOTS=1.
import * as assert from 'node:assert/strict';
import { useWorkbenchSession } from './workbenchSession';

const statusItemId = 'customer-lens.customer-lens.customerLens.status';

describe('Customer Lens installed from its .vsix, in the browser', function () {
  this.timeout(180_000);
  const session = useWorkbenchSession();

  it('adds its view container to the activity bar', async () => {
    await session().workbench.activityBarEntry('Customer Lens').waitFor();
  });

  it("shows the open file's feature in the status bar", async () => {
    await session().workbench.openFile('src/checkout/couponStep.ts');

    const item = session().workbench.statusBarItem(statusItemId);
    // The first file opened after the window loads: the extension activates and its server lists the workspace
    // first, which on a busy machine takes well over Playwright's default 30 s.
    await item.filter({ hasText: 'Checkout' }).waitFor({ timeout: 90_000 });

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

  it("shows the feature's customers in a hover card on an anchor, all of it without scrolling", async () => {
    // With the sidebar still open from the previous step, this is the screenshot the README shows.
    const { workbench } = session();
    await workbench.openFile('src/checkout/couponStep.ts');

    const shown = await workbench.hover('applyCoupon(cart', 'applyCoupon', 'Coupon codes rejected at the coupon step');
    await workbench.screenshot('customer-lens', { readme: true });
    // VS Code caps a hover's height by the room above or below the line; at 1400×900 that is about 250 px. Our card
    // comes first and must be read whole without scrolling inside the hover (TypeScript's part may come below it).
    const layout = await workbench.hoverLayout('Coupon codes rejected at the coupon step');
    const ours = layout.parts.findIndex((part) => part.text.includes('Open in sidebar'));
    console.log(`      hover: ${layout.visibleHeight} px visible of ${layout.contentHeight} px, ${Math.round(layout.width)} px wide; card ${Math.round(layout.parts[ours]?.bottom - layout.parts[ours]?.top)} px`);
    assert.equal(ours, 0, `the Customer Lens card should be the hover's first part; parts: ${JSON.stringify(layout.parts.map((p) => p.text.slice(0, 60)))}`);
    const cardPart = layout.parts[0];
    assert.ok(
      cardPart.bottom <= layout.visibleBottom + 1,
      `the card ends ${Math.round(cardPart.bottom - layout.visibleBottom)} px below what the hover shows (${layout.visibleHeight} px visible): its last lines need scrolling`,
    );
    const hover = workbench.page.locator('.monaco-hover:visible', { hasText: 'Open in sidebar' }).first();
    assert.equal(await workbench.renderedLines(hover, '▲ 35%'), 1, '"▲ 35%" is on one line');

    // The card joins figures with no-break spaces; read them as spaces.
    const card = shown.replace(/\u00a0/g, ' ');

    assert.match(card, /^Checkout · @shop\/payments · 3 open problems$/m);
    assert.match(card, /Coupon codes rejected at the coupon step — 42 customers · \$386k ARR · ▲ 35% · in progress/);
    assert.match(card, /— Maria Lopez, Lopez Ceramics · 2026-11-18 · Support ticket/);
    assert.match(card, /Usage Checkouts started 18\.4k \(7d\) ▲ 4%/);
    assert.match(card, /Mapped by \/src\/checkout\/ in \.customer-lens\.yml:\d+ · from customer-context\.json · Open in sidebar/);
  });
});
