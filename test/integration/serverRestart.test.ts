// A language server that crashes is started again: in a real VS Code, the server process is killed with SIGKILL,
// the client goes back to Running on its own, and hovers work again.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import { killServer, logText } from './serverProcess';
import { activateExtension, openFixture, positionOf, waitFor } from './support';

/** Our card among every provider's hovers, as VS Code received it. */
async function customerLensHover(uri: vscode.Uri, position: vscode.Position): Promise<string> {
  return waitFor(`a Customer Lens hover at ${vscode.workspace.asRelativePath(uri)}:${position.line + 1}`, async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const texts = hovers.flatMap((h) => h.contents).map((c) => (typeof c === 'string' ? c : c.value));
    return texts.find((text) => text.includes('Mapped by'));
  });
}

describe('language server crash and restart', function () {
  this.timeout(60_000);
  let api: CustomerLensApi;

  before(async () => {
    api = await activateExtension<CustomerLensApi>();
    await api.ready;
  });

  it('starts a new server when the server process is killed, and hovers work again', async () => {
    const editor = await openFixture('src/checkout/couponStep.ts');
    const at = positionOf(editor.document, 'applyCoupon(cart', 3);
    assert.match(await customerLensHover(editor.document.uri, at), /^\*\*Checkout\*\*/);

    const { before, after } = await killServer(api);
    assert.notEqual(after.pid, before.pid, 'a new server process answers');
    assert.ok(Date.parse(after.startedAt) >= Date.parse(before.startedAt));
    assert.equal(api.client.isRunning(), true);

    const card = await customerLensHover(editor.document.uri, at);
    assert.match(card, /^\*\*Checkout\*\* · \\@shop\/payments/);
    assert.match(card, /Coupon codes rejected at the coupon step/);
    assert.match(card, /Mapped by `\/src\/checkout\/` in \.customer-lens\.yml:17/);

    // The restart is written to the log (no notification: the next one would only come if it kept crashing).
    await waitFor('the restart in the log', () => /language server exited unexpectedly; restarting crashes=\d+ limit=5 windowMinutes=3/.test(logText(api)));
  });
});
