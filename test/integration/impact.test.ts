// "Customer Lens: Customer Impact of My Changes" in a real VS Code (code-server, offline): the workspace is made a
// git repository, a checkout file and an unmapped file are changed, and the command opens the report the server
// computed in the markdown preview.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import type { ImpactResult } from '../../src/shared/lspProtocol';
import { activateExtension, waitFor, workspaceFolder } from './support';

describe('Customer Impact of My Changes', () => {
  let root: string;
  const changed = 'src/checkout/applyCoupon.ts';
  let original: string;

  before(async () => {
    const api = await activateExtension<CustomerLensApi>();
    await api.ready;
    root = workspaceFolder().uri.fsPath;
    const env = { ...process.env, GIT_AUTHOR_NAME: 'dev', GIT_AUTHOR_EMAIL: 'dev@example.com', GIT_COMMITTER_NAME: 'dev', GIT_COMMITTER_EMAIL: 'dev@example.com' };
    const git = (...args: string[]) => execFileSync('git', args, { cwd: root, env, encoding: 'utf8' });
    git('init', '-q');
    git('add', '-A');
    git('-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'Start');
    original = fs.readFileSync(path.join(root, changed), 'utf8');
    fs.writeFileSync(path.join(root, changed), `${original}\n// accept lower-case codes\n`);
  });
  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    if (original !== undefined) fs.writeFileSync(path.join(root, changed), original);
    fs.rmSync(path.join(root, '.git'), { recursive: true, force: true });
  });

  it('opens the markdown report of the working tree in the preview, the touched feature with its customers', async () => {
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
