// The editor surfaces inside a real VS Code (code-server): hover cards on a symbol, an event and a tag, the CodeLens,
// the status bar, and live diagnostics on a broken map. The sample workspace uses its context file (no endpoint).
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import { activateExtension, codeLenses, fixtureUri, nextEvent, openFixture, positionOf, waitFor, waitForDiagnostics } from './support';

/** Our card among every provider's hovers (TypeScript answers too), as VS Code received it. */
async function customerLensHover(uri: vscode.Uri, position: vscode.Position): Promise<vscode.MarkdownString> {
  return waitFor(`a Customer Lens hover at ${vscode.workspace.asRelativePath(uri)}:${position.line + 1}`, async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const contents = hovers.flatMap((h) => h.contents).filter((c): c is vscode.MarkdownString => typeof c !== 'string' && 'value' in c);
    return contents.find((c) => c.value.includes('Mapped by') || c.value.includes('Tagged'));
  });
}

describe('editor: hover cards, CodeLens, status bar, map diagnostics', () => {
  let api: CustomerLensApi;

  before(async () => {
    api = await activateExtension<CustomerLensApi>();
    await api.ready;
  });

  it('shows the feature card on a symbol from the map, with the only trusted command being "Open in sidebar"', async () => {
    const editor = await openFixture('src/checkout/couponStep.ts');
    const card = await customerLensHover(editor.document.uri, positionOf(editor.document, 'applyCoupon(cart', 3));
    // `\s`: figures are joined with no-break spaces, so they never wrap apart.
    assert.match(card.value, /^\*\*Checkout\*\* · \\@shop\/payments · 3\sopen\sproblems/);
    assert.match(card.value, /\[Coupon codes rejected at the coupon step\]\(https:\/\/support\.example\.com\/tickets\/48213\) — 42\scustomers · \$386k\sARR · ▲\s35% · in\sprogress/);
    assert.match(card.value, /— Maria Lopez, Lopez Ceramics · 2026-11-18/);
    assert.match(card.value, /\*\*Usage\*\* Checkouts started 18\.4k \(7d\) ▲\s4%/);
    assert.match(card.value, /Mapped by `\/src\/checkout\/` in \.customer-lens\.yml:17 · from customer-context\.json · \[Open in sidebar\]\(command:customerLens\.openSidebar/);
    assert.deepEqual(card.isTrusted, { enabledCommands: ['customerLens.openSidebar'] }, 'isTrusted must be an allow-list, never true');
    assert.ok(!card.supportHtml, 'no HTML in hover cards');
  });

  it("shows the event's usage on an analytics event string", async () => {
    const editor = await openFixture('src/checkout/applyCoupon.ts');
    const card = await customerLensHover(editor.document.uri, positionOf(editor.document, "'coupon_applied'", 4));
    assert.match(card.value, /^\*\*Checkout\*\*/);
    assert.match(card.value, /\*\*`coupon_applied`\*\* Coupons applied 2\.1k \(7d\) ▼\s18%/);
  });

  it('shows the tagged feature on a `customer-lens:` comment tag', async () => {
    const editor = await openFixture('src/onboarding/trialSetup.ts');
    const card = await customerLensHover(editor.document.uri, positionOf(editor.document, 'customer-lens: billing', 17));
    assert.match(card.value, /^\*\*Billing\*\* · \\@shop\/billing · 4\sopen\sproblems/);
    assert.match(card.value, /Invoices are missing the merchant's VAT number/);
    assert.match(card.value, /Tagged `customer-lens: billing`/);
  });

  it('puts a summary CodeLens at the top of a mapped file', async () => {
    const editor = await openFixture('src/checkout/couponStep.ts');
    const lenses = await waitFor('the Customer Lens CodeLens', async () => {
      const all = await codeLenses(editor.document.uri);
      return all.find((lens) => lens.command?.command === 'customerLens.openSidebar');
    });
    assert.equal(lenses.command?.title, 'Checkout · 3 open problems · 5 quotes · 18.4k checkouts started (7d)');
    assert.equal(lenses.range.start.line, 0);
  });

  it('shows the active file’s primary feature in the status bar', async () => {
    const editor = await openFixture('src/billing/subscription.payment.ts');
    const status = await waitFor('the status bar to show Billing', () => {
      const current = api.statusBar();
      return current.featureId === 'billing' && vscode.window.activeTextEditor === editor ? current : undefined;
    });
    assert.equal(status.visible, true);
    assert.equal(status.text, '$(comment-discussion) Billing');
    assert.equal(status.state, 'synced');
    assert.match(status.tooltip, /src\/billing\/subscription\.payment\.ts belongs to Billing, Checkout/);
  });

  it('reports map errors as you type, with exact ranges, keeps the last good map, and clears them when fixed', async () => {
    const mapUri = fixtureUri('.customer-lens.yml');
    const document = await vscode.workspace.openTextDocument(mapUri);
    await vscode.window.showTextDocument(document, { preview: false });
    const original = document.getText();
    const typo = positionOf(document, 'paths: [/src/search/]');

    const edit = new vscode.WorkspaceEdit();
    edit.replace(mapUri, new vscode.Range(typo, typo.translate(0, 'paths'.length)), 'pahts');
    assert.ok(await vscode.workspace.applyEdit(edit));
    try {
      const diagnostics = await waitForDiagnostics(mapUri, 'an unknown-key error on "pahts"', (list) => list.some((d) => d.code === 'unknown-key'));
      const error = diagnostics.find((d) => d.code === 'unknown-key')!;
      assert.equal(error.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(error.source, 'customer-lens');
      assert.match(error.message, /unknown key "pahts" \(did you mean "paths"\?\)/);
      assert.ok(error.range.isEqual(new vscode.Range(typo, typo.translate(0, 5))), `range ${JSON.stringify(error.range)}`);
      assert.equal(document.isDirty, true, 'the diagnostics come from the unsaved text');

      // The last good map stays in force: search files still belong to search.
      const searchFile = await openFixture('src/search/rankResults.ts');
      const status = await waitFor('the status bar for a search file', () => {
        const current = api.statusBar();
        return current.featureId === 'search' && vscode.window.activeTextEditor === searchFile ? current : undefined;
      });
      assert.match(status.tooltip, /last good map is in force/);
    } finally {
      const revert = new vscode.WorkspaceEdit();
      revert.replace(mapUri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      await vscode.workspace.applyEdit(revert);
      await document.save();
    }
    await waitForDiagnostics(mapUri, 'no diagnostics once the map is fixed', (list) => list.length === 0);
  });

  it('warns about a pattern that matches no file, at that pattern', async () => {
    const mapUri = fixtureUri('.customer-lens.yml');
    const document = await vscode.workspace.openTextDocument(mapUri);
    const original = document.getText();
    const at = positionOf(document, '/src/search/]', '/src/search/'.length);
    const edit = new vscode.WorkspaceEdit();
    edit.insert(mapUri, at, ', /src/serch/');
    const changed = nextEvent('the map to reload', api.onDidChangeMap);
    assert.ok(await vscode.workspace.applyEdit(edit));
    await changed;
    try {
      const diagnostics = await waitForDiagnostics(mapUri, 'a warning on /src/serch/', (list) => list.some((d) => d.severity === vscode.DiagnosticSeverity.Warning));
      const warning = diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Warning)!;
      const start = positionOf(document, '/src/serch/');
      assert.ok(warning.range.start.isEqual(start), `range ${JSON.stringify(warning.range)}`);
      assert.match(warning.message, /\/src\/serch\//);
    } finally {
      const revert = new vscode.WorkspaceEdit();
      revert.replace(mapUri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), original);
      await vscode.workspace.applyEdit(revert);
      await document.save();
    }
    await waitForDiagnostics(mapUri, 'no diagnostics once the pattern is gone', (list) => list.length === 0);
  });
});
