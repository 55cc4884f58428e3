// "Did this work?" in a real VS Code (code-server, offline). The workspace is made a git repository with a change to
// checkout 20 days ago (by the user) and a problem whose mentions fell after it: the Context view marks the change on
// the trend line, says what the figures did and lists it under "Your recent changes". Then a checkout file is changed
// and "Customer Lens: Customer Impact of My Changes" opens the report the server computed in the markdown preview.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import type { ImpactResult } from '../../src/shared/lspProtocol';
import type { ContextViewModel } from '../../src/shared/webviewProtocol';
import { activateExtension, openFixture, waitFor, workspaceFolder } from './support';

const DAY = 86_400_000;
type Mapped = Extract<ContextViewModel, { state: 'mapped' }>;

/** Daily points from `fromDay` to `toDay` (epoch ms at midnight UTC): `before` until the change's day, `after` after it. */
function daily(fromDay: number, toDay: number, changeDay: number, before: number, after: number): { t: string; v: number }[] {
  const points: { t: string; v: number }[] = [];
  for (let t = fromDay; t <= toDay; t += DAY) if (t !== changeDay) points.push({ t: new Date(t).toISOString().slice(0, 10), v: t < changeDay ? before : after });
  return points;
}

describe('did this work, in VS Code', function () {
  this.timeout(90_000);
  let api: CustomerLensApi;
  let root: string;
  const changed = 'src/checkout/applyCoupon.ts';
  let original: string;
  let originalContext: string;

  before(async () => {
    api = await activateExtension<CustomerLensApi>();
    await api.ready;
    root = workspaceFolder().uri.fsPath;
    const today = Math.floor(Date.now() / DAY) * DAY;
    const changeAt = today - 20 * DAY + 10 * 3_600_000;
    const contextFile = path.join(root, 'customer-context.json');
    originalContext = fs.readFileSync(contextFile, 'utf8');
    const context = JSON.parse(originalContext);
    const checkout = context.features.find((f: { id: string }) => f.id === 'checkout');
    checkout.problems[0].series = daily(today - 40 * DAY, today - 2 * DAY, today - 20 * DAY, 10, 4);
    fs.writeFileSync(contextFile, JSON.stringify(context, null, 2));
    const git = (date: string | undefined, ...args: string[]) =>
      execFileSync('git', args, {
        cwd: root,
        encoding: 'utf8',
        env: { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com', ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
      });
    git(undefined, 'init', '-q');
    git(undefined, 'config', 'user.email', 'dev@example.com');
    git(undefined, 'add', '-A');
    git(new Date(today - 90 * DAY).toISOString(), '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Start');
    original = fs.readFileSync(path.join(root, changed), 'utf8');
    fs.writeFileSync(path.join(root, changed), `${original}\n// accept lower-case codes\n`);
    git(undefined, 'add', '-A');
    git(new Date(changeAt).toISOString(), '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Accept lower-case coupon codes');
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (original !== undefined) fs.writeFileSync(path.join(root, changed), original);
    if (originalContext !== undefined) fs.writeFileSync(path.join(root, 'customer-context.json'), originalContext);
    fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
  });

  it('marks the change on the trend line, says what the figures did, and lists it under Your recent changes', async () => {
    await vscode.commands.executeCommand('customerLens.context.focus');
    // Refresh: the server checks the (new) repository's history at once.
    await vscode.commands.executeCommand('customerLens.refresh');
    await openFixture(changed);
    let last: ContextViewModel | undefined;
    const rendered = await api.sidebar
      .waitForContext((r) => {
        last = r.model;
        return r.model.state === 'mapped' && r.model.file.path === changed && r.model.features[0]?.outcome?.measured !== undefined && (r.model.recentChanges?.items.length ?? 0) > 0;
      }, 60_000)
      .catch((error: unknown) => {
        const seen = last?.state === 'mapped' ? { outcome: last.features[0]?.outcome, recent: last.recentChanges } : last?.state;
        throw new Error(`${error instanceof Error ? error.message : String(error)}; last model: ${JSON.stringify(seen)}`);
      });
    const model = rendered.model as Mapped;
    const checkout = model.features[0]!;
    assert.match(checkout.outcome!.measured!, /^Since the change of \d+ \w+ \([0-9a-f]{7,} Accept lower-case coupon codes\): .*mentions of “Coupon codes rejected at the coupon step” ▼ 60%/);
    const problem = checkout.problems.find((p) => p.id === 'chk-coupon-rejected');
    assert.equal(problem?.markers?.length, 1, 'the change is marked on the problem trend');
    assert.match(problem!.markers![0]!.label, /Accept lower-case coupon codes$/);
    assert.equal(model.recentChanges?.title, 'Your recent changes (dev@example.com)');
    assert.deepEqual(model.recentChanges?.items.map((i) => i.featureId), ['checkout']);
    // What the webview drew, counted in its DOM.
    assert.ok((rendered.testIds['sparkline-marker'] ?? 0) >= 1, JSON.stringify(rendered.testIds));
    assert.equal(rendered.testIds['outcome-measured'], 1);
    assert.equal(rendered.testIds['recent-change'], 1);
  });

  it('Customer Impact of My Changes opens the markdown report of the working tree in the preview', async () => {
    fs.writeFileSync(path.join(root, changed), `${original}\n// accept lower-case codes\n// and trim spaces\n`);
    const result = (await vscode.commands.executeCommand<ImpactResult>('customerLens.customerImpact'))!;
    assert.ok(result, 'the command returns the report');
    assert.equal(result.range, 'uncommitted changes');
    assert.equal(result.fileCount, 1);
    assert.equal(result.featureCount, 1);
    assert.ok(result.markdown.startsWith('<!-- customer-lens-impact -->\n### Customer impact'), result.markdown);
    assert.match(result.markdown, /#### Checkout \(`checkout`\) · `@shop\/payments`/);
    assert.match(result.markdown, /\[Coupon codes rejected at the coupon step\]\(https:\/\/support\.example\.com\/tickets\/48213\) — 42\u00a0customers/);
    assert.match(result.markdown, /Changed here: `src\/checkout\/applyCoupon\.ts`/);
    const preview = await waitFor('the markdown preview of the report', () =>
      vscode.window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input instanceof vscode.TabInputWebview && /markdown\.preview/.test(tab.input.viewType)),
    );
    assert.match(preview.label, /Preview/);
    const document = vscode.workspace.textDocuments.find((d) => d.isUntitled && d.languageId === 'markdown' && d.getText() === result.markdown);
    assert.ok(document, 'the report is an untitled markdown document (nothing is written to disk)');
  });
});
