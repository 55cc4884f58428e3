// `npm run demo` exactly as the README's quick start runs it, on the demo's own path: the sample copied into
// .vscode-test/demo/ inside this clone, a folder the clone's .gitignore lists (the other UI tests use a copy in the
// system's temp folder, where nothing ignores it). Chromium opens the URL the demo prints, as a new user would.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../harness/browser';
import { repoRoot, vscodeTestDir } from '../harness/paths';
import { spawnGroup, type GroupProcess } from '../harness/processGroup';
import { Workbench } from './workbench';
import { screenshotDir } from './workbenchSession';

const statusItemId = 'customer-lens.customer-lens.customerLens.status';

/** npm as the README's command runs it: the npm that runs these tests when there is one, else the one on PATH. */
function npmRun(script: string): [string, string[]] {
  const npmCli = process.env.npm_execpath;
  return npmCli && /npm-cli\.js$/.test(npmCli) ? [process.execPath, [npmCli, 'run', script]] : ['npm', ['run', script]];
}

describe('npm run demo, opened at the URL it prints', function () {
  let demo: GroupProcess | undefined;
  let browser: Browser | undefined;
  let workbench: Workbench;
  let url: string;

  before(async function () {
    // Installs code-server on a fresh machine (~2 minutes), packages the extension, starts the servers.
    this.timeout(10 * 60_000);
    fs.mkdirSync(screenshotDir, { recursive: true });
    let printed: (url: string) => void = () => undefined;
    const announced = new Promise<string>((resolve) => (printed = resolve));
    const [command, args] = npmRun('demo');
    demo = spawnGroup(command, args, {
      cwd: repoRoot,
      logFile: path.join(screenshotDir, 'demo.log'),
      onLine: (line) => {
        const match = /^\s+(http:\/\/127\.0\.0\.1:\d+\/\?\S+)$/.exec(line);
        if (match) printed(match[1]);
      },
    });
    const exited = demo.exited.then((code) => Promise.reject(new Error(`npm run demo exited (${code}) before printing its URL:\n${demo?.tail()}`)));
    url = await Promise.race([announced, exited]);
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    workbench = new Workbench(page, screenshotDir);
    await workbench.waitUntilLoaded();
  });

  after(async () => {
    await browser?.close();
    await demo?.stop();
  });

  afterEach(async function () {
    if (this.currentTest?.state === 'failed' && browser) {
      const { file } = await workbench.screenshot(`failed-demo-${this.currentTest.title.replace(/\W+/g, '-')}`);
      console.log(`      screenshot of the failure: ${file}`);
    }
  });

  it('opens the copy in .vscode-test/demo/, a folder the clone\'s git ignores', () => {
    const folder = new URL(url).searchParams.get('folder') ?? '';
    assert.equal(folder, path.join(vscodeTestDir, 'demo', 'storefront'));
    // `git check-ignore` exits 0 for an ignored path: this test runs where the bug was.
    execFileSync('git', ['check-ignore', '-q', folder], { cwd: repoRoot });
  });

  it('opens on the sample\'s README, which says where to start', async () => {
    assert.equal(await workbench.activeTab('README.md'), 'README.md');
    await workbench.editorLine('Start here').waitFor();
    await workbench.screenshot('demo-start');
  });

  it('counts the files of every feature and lists only src/experimental as unmapped', async () => {
    await workbench.openViewContainer('Customer Lens');
    const { sideBar } = workbench;
    await sideBar.showOnly('Feature Map');
    await sideBar.treeItem('Feature Map', 'Checkout').waitFor();
    const rows = (await sideBar.readTree('Feature Map')).filter((row) => row.level === 1);
    const features = rows.filter((row) => row.label !== 'Unmapped files');
    assert.deepEqual(features.map((row) => row.label), ['Checkout', 'Search', 'Onboarding', 'Billing', 'Mobile checkout']);
    // The hub serves every feature of its config; the sample leaves mobile-checkout without customer data on purpose.
    for (const row of features) {
      const expected = row.label === 'Mobile checkout' ? /^[1-9]\d* files? · no customer data$/ : /^[1-9]\d* files?$/;
      assert.match(row.description, expected, `${row.label}: ${row.description}`);
    }
    await sideBar.expandTreeItem('Feature Map', 'Unmapped files');
    const unmapped = (await sideBar.readTree('Feature Map')).filter((row) => row.level === 2 && !features.some((f) => f.label === row.label));
    assert.deepEqual(unmapped.map((row) => `${row.label} · ${row.description}`), ['src/experimental · 2']);
  });

  it('has no false warnings on the map (every pattern matches files)', async () => {
    // The Feature Map above showed the coverage, so the map's diagnostics have been published by now.
    assert.equal(await workbench.statusBarItem('status.problems').getAttribute('aria-label'), 'No Problems');
  });

  it("shows an open file's feature in the status bar", async () => {
    await workbench.openFile('src/checkout/couponStep.ts');
    await workbench.statusBarItem(statusItemId).filter({ hasText: 'Checkout' }).waitFor();
  });

  it('shows problems and quotes the hub synced from the recorded Zendesk and Linear answers', async () => {
    await workbench.openViewContainer('Customer Lens');
    await workbench.sideBar.showOnly('Context');
    // A Zendesk problem ticket with its incidents, and a Linear issue whose customer needs are its customers and quotes.
    await workbench.webviewText('context-view', 'Gift card balance is not applied to the order total');
    await workbench.webviewText('context-view', 'SHOP-214 Coupon codes are matched case-sensitively at the coupon step');
    const text = await workbench.webviewText('context-view', 'Our buyers type coupon codes in lower case from the newsletter');
    assert.doesNotMatch(text, /Split checkout totals/, 'an issue without the customer label is no problem');
    await workbench.screenshot('demo-recorded-vendors');
  });
});
