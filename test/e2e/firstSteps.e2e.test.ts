// What a new user meets first, in the packaged extension in code-server: the sidebar while the server starts, a link
// opened from the sidebar (VS Code's "open external website?" prompt, cancelled then accepted), Explain Mapping on a
// file in no feature and on a mapped one, a broken map in the Feature Map, the walkthrough and the settings.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Page } from 'playwright-core';
import { useWorkbenchSession } from './workbenchSession';

/** A link's tab opens about a second after the prompt is answered; a second tab would follow within this window. */
const QUIET_MS = 3_000;

describe('The first steps, in the packaged extension in the browser', function () {
  // Each step waits on the workbench, which a busy machine slows down.
  this.timeout(180_000);
  const session = useWorkbenchSession();

  it('shows each sidebar view loading until it has something to show, never an empty pane or a wrong state', async () => {
    const { workbench } = session();
    // The first thing, before anything else wakes the extension: the sidebar opens while the server starts.
    await workbench.openViewContainer('Customer Lens');
    const featureMap = workbench.sideBar.section('Feature Map');
    // What the pane shows, and from when: a sample every 100 ms until the features are listed.
    const samples: { text: string; at: number }[] = [];
    const deadline = Date.now() + 90_000;
    for (;;) {
      const text = (await featureMap.innerText()).trim().replace(/\s+/g, ' ');
      if (samples.at(-1)?.text !== text) samples.push({ text, at: Date.now() });
      if (/Checkout/.test(text)) break;
      if (Date.now() > deadline) throw new Error(`the Feature Map never listed the features; it showed: ${JSON.stringify(samples)}`);
      await workbench.page.waitForTimeout(100);
    }
    const shown = samples.map((sample, i) => ({ text: sample.text, ms: (samples[i + 1]?.at ?? sample.at) - sample.at }));
    console.log(`      Feature Map showed, in order: ${JSON.stringify(shown)}`);
    // Until the extension runs, VS Code itself says there is no data provider. From then on the view says it is
    // reading the map, then lists it: never "no features" for a map that has five, never empty for more than a moment
    // (the frame between two renders).
    assert.ok(shown.some((state) => state.text === "Feature Map Reading the map and listing the workspace's files…"), 'the view said it was loading');
    assert.ok(!shown.some((state) => /has no features|no map yet/i.test(state.text)), 'a wrong state showed while loading');
    const empty = shown.filter((state) => state.text === 'Feature Map' && state.ms > 1_000);
    assert.deepEqual(empty, [], 'the pane stayed empty');
    const context = await workbench.webview('context-view');
    assert.notEqual((await context.locator('[data-testid="context-view"]').innerText()).trim(), '', 'the Context view is not blank');
  });

  it('opens a sidebar link once, through VS Code\'s prompt, and not at all when the prompt is cancelled', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.openFile('src/checkout/couponStep.ts');
    await workbench.openViewContainer('Customer Lens');
    await workbench.sideBar.showOnly('Context');
    const view = await workbench.webview('context-view');
    await view.locator('[data-testid="problem-link"]').first().waitFor();

    // The sample's links point at example.com, which cannot be reached here: answer them locally, and record every
    // tab that opens and what it was opened for.
    await page.context().route(/^https:\/\/[a-z]+\.example\.com\//, (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>source</title>' }));
    const opened: string[] = [];
    const onPage = (tab: Page) => {
      opened.push(tab.url());
      tab.on('framenavigated', (frame) => {
        if (frame === tab.mainFrame()) opened.push(frame.url());
      });
    };
    page.context().on('page', onPage);
    try {
      const links = view.locator('[data-testid="problem-link"]');
      const cancelled = (await links.nth(0).getAttribute('href')) ?? '';
      const accepted = (await links.nth(1).getAttribute('href')) ?? '';
      assert.notEqual(cancelled, accepted);

      await links.nth(0).click();
      await answerOpenPrompt(page, cancelled, 'Cancel');
      await links.nth(1).click();
      await answerOpenPrompt(page, accepted, 'Open');
      await page.context().waitForEvent('page', { timeout: 20_000 }).catch(() => undefined);
      // Nothing announces "no second tab": give one the time it took in the past to appear.
      await page.waitForTimeout(QUIET_MS);
      const targets = opened.filter((url) => url.startsWith('https://'));
      assert.deepEqual(targets, [accepted], `tabs opened: ${JSON.stringify(opened)}`);
      assert.equal(await page.locator('.monaco-dialog-box').count(), 0, 'no second prompt is waiting');
    } finally {
      page.context().off('page', onPage);
      await page.context().unrouteAll();
      for (const tab of page.context().pages()) if (tab !== page) await tab.close();
    }
  });

  it('answers Explain Mapping in the same quick pick for a file in no feature as for a mapped one', async () => {
    const { workbench } = session();
    const page = workbench.page;
    const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
    const title = page.locator('.quick-input-widget .quick-input-title');

    const close = async () => {
      await page.keyboard.press('Escape');
      await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    };

    await workbench.openFile('src/checkout/couponStep.ts');
    await workbench.runCommand('Customer Lens: Explain Mapping for Current File');
    await title.filter({ hasText: 'Explain Mapping: src/checkout/couponStep.ts' }).waitFor();
    assert.match((await rows.allInnerTexts()).join('\n'), /Checkout[\s\S]*matched by "\/src\/checkout\/" at \.customer-lens\.yml:\d+/);
    await close();

    await workbench.openFile('src/experimental/voiceSearch.ts');
    await workbench.runCommand('Customer Lens: Explain Mapping for Current File');
    await title.filter({ hasText: 'Explain Mapping: src/experimental/voiceSearch.ts' }).waitFor();
    assert.match((await rows.allInnerTexts()).join('\n'), /In no feature[\s\S]*No pattern of the map matches src\/experimental\/voiceSearch\.ts/);
    assert.equal(await page.locator('.notifications-toasts .notification-toast').count(), 0, 'no pop-up');
    await close();
  });

  it('shows in the Feature Map that the map is broken, and when it is fixed again', async () => {
    const { workbench, workspace } = session();
    await workbench.openViewContainer('Customer Lens');
    await workbench.sideBar.showOnly('Feature Map');
    const mapFile = path.join(workspace, '.customer-lens.yml');
    const good = fs.readFileSync(mapFile, 'utf8');
    try {
      // A typo a person makes: a key the map does not know.
      fs.writeFileSync(mapFile, good.replace('    owners: ["@shop/discovery"]', '    owner: ["@shop/discovery"]'));
      const banner = workbench.sideBar.treeItem('Feature Map', 'The map has 1 error');
      await banner.waitFor({ timeout: 30_000 });
      const rows = await workbench.sideBar.readTree('Feature Map');
      assert.deepEqual(rows[0], { level: 1, label: 'The map has 1 error', description: 'showing the last valid version' });
      assert.ok(rows.some((row) => row.label === 'Search'), 'the last valid map is still listed');
      // The README shows this one (media/screenshots/feature-map-broken.png with CUSTOMER_LENS_UPDATE_SCREENSHOTS=1).
      await workbench.screenshot('feature-map-broken', { clip: await workbench.sideBarRegion(), readme: true });
    } finally {
      fs.writeFileSync(mapFile, good);
    }
    await workbench.sideBar.treeItem('Feature Map', 'The map has 1 error').waitFor({ state: 'detached', timeout: 30_000 });
  });

  it('leads the walkthrough with the map that exists and ticks the steps already done, with no raw markdown', async () => {
    const { workbench } = session();
    const page = workbench.page;
    // The sidebar was opened and a map exists (earlier steps); a hover was shown too. The keyboard goes back to the
    // editor first: typed into the Feature Map, Quick Open's keys would filter the tree instead.
    await workbench.focusEditor();
    await workbench.openFile('src/checkout/couponStep.ts');
    await workbench.hover('applyCoupon(cart', 'applyCoupon', 'Open in sidebar');
    await workbench.runCommand('Welcome: Open Walkthrough...');
    const input = page.locator('.quick-input-widget input');
    await input.fill('Get started with Customer Lens');
    await page.locator('.quick-input-list .monaco-list-row.focused', { hasText: 'Get started with Customer Lens' }).waitFor();
    await page.keyboard.press('Enter');
    const steps = page.locator('.getting-started-step');
    await steps.filter({ hasText: 'Connect an endpoint' }).waitFor();
    await workbench.screenshot('walkthrough');

    const read = () =>
      steps.evaluateAll((elements) =>
        elements
          .filter((element) => (element as HTMLElement).offsetParent !== null)
          .map((element) => ({
            title: element.querySelector('.step-title')?.textContent?.trim() ?? '',
            done: element.querySelector('.codicon-getting-started-step-checked') !== null,
            text: (element as HTMLElement).innerText,
          })),
      );
    // Ticking may take a moment after the walkthrough becomes the active editor.
    const deadline = Date.now() + 20_000;
    let shown = await read();
    while (!(shown.find((s) => s.title === 'Read the map')?.done && shown.find((s) => s.title === 'Open the sidebar')?.done) && Date.now() < deadline) {
      await page.waitForTimeout(200);
      shown = await read();
    }
    assert.deepEqual(
      shown.map((step) => [step.title, step.done]),
      [
        ['Read the map', true],
        ['Hover the code of a feature', true],
        ['Open the sidebar', true],
        ['Connect an endpoint', false],
      ],
    );
    assert.ok(!shown.some((step) => step.text.includes('`')), `raw backticks: ${JSON.stringify(shown.map((s) => s.text))}`);
  });

  it('lists its settings by importance, in named groups', async () => {
    const { workbench } = session();
    const page = workbench.page;
    await workbench.runCommand('Preferences: Open Settings (UI)');
    // The settings search box takes the focus when the editor opens.
    await page.locator('.settings-editor .suggest-input-container .monaco-editor.focused').waitFor();
    await page.keyboard.type('@ext:customer-lens.customer-lens');
    const titles = page.locator('.settings-editor .setting-item-contents .setting-item-title');
    await titles.first().filter({ hasText: 'Endpoint' }).waitFor();
    // Titles read "Customer Lens: Endpoint", "Customer Lens › Hover: Mode"; the list only draws what is on screen.
    const shown = (await titles.allInnerTexts()).map((text) => text.replace(/\s+/g, ' ').trim().replace(/^Customer Lens( ›|:) /, ''));
    await workbench.screenshot('settings');
    const byImportance = ['Endpoint', 'Cache Ttl Minutes', 'Request Timeout Ms', 'Hover: Mode', 'Code Lens: Enabled', 'Agent Tools: Enabled', 'Trace: Server'];
    assert.ok(shown.length >= 4, `settings shown: ${JSON.stringify(shown)}`);
    assert.deepEqual(shown, byImportance.slice(0, shown.length));
    // The table of contents names the groups, most important first.
    const toc = (await page.locator('.settings-editor .settings-toc-container .monaco-list-row').allInnerTexts()).map((text) => text.replace(/\s*\(\d+\)\s*$/, '').trim());
    assert.deepEqual(toc.slice(toc.indexOf('Customer Lens') + 1), ['Customer Context', 'In the Editor', 'AI Agents', 'Troubleshooting']);
  });
});

/** Waits for VS Code's "open the external website?" prompt for `url` and presses `button` ("Open" or "Cancel"). */
async function answerOpenPrompt(page: Page, url: string, button: 'Open' | 'Cancel'): Promise<void> {
  const dialog = page.locator('.monaco-dialog-box', { hasText: 'open the external website' });
  await dialog.waitFor({ timeout: 20_000 });
  assert.match(await dialog.innerText(), new RegExp(url.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  await dialog.locator('.monaco-button', { hasText: new RegExp(`^${button}$`) }).click();
  await dialog.waitFor({ state: 'detached', timeout: 20_000 });
}
