// The sidebar in a real VS Code window on a copy of the storefront workspace: what the Context webview rendered for a
// mapped file, an unmapped file and with an unreachable endpoint; Add to Feature… editing the map so the file maps;
// the Feature Map tree and Explore reading the real language server.
import * as assert from 'node:assert/strict';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import type { AddedPattern } from '../../src/client/sidebar/addToFeature';
import type { ContextViewModel } from '../../src/shared/webviewProtocol';
import { activateExtension, fixtureUri, nextEvent, openFixture, positionOf, waitFor, waitForDiagnostics, writeFixture } from './support';

type Mapped = Extract<ContextViewModel, { state: 'mapped' }>;

/** A 127.0.0.1 port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  await new Promise((resolve) => server.close(resolve));
  return address.port;
}

describe('sidebar', function () {
  this.timeout(60_000);
  let api: CustomerLensApi;

  before(async () => {
    api = await activateExtension<CustomerLensApi>();
    await api.ready;
    await vscode.commands.executeCommand('customerLens.context.focus');
  });

  async function contextFor(path: string, predicate: (model: ContextViewModel) => boolean = () => true) {
    await openFixture(path);
    return api.sidebar.waitForContext((r) => 'file' in r.model && r.model.file?.path === path && r.model.state !== 'loading' && predicate(r.model));
  }

  it('renders a mapped file’s feature with its customers', async () => {
    const rendered = await contextFor('src/checkout/applyCoupon.ts');
    assert.equal(rendered.model.state, 'mapped', JSON.stringify(rendered.model).slice(0, 500));
    const model = rendered.model as Mapped;
    const [checkout] = model.features;
    assert.equal(checkout?.id, 'checkout');
    assert.equal(checkout.primary, true);
    assert.deepEqual(checkout.owners, ['@shop/payments']);
    assert.match(checkout.why ?? '', /paid order/);
    assert.equal(checkout.whyMapped.pattern, '/src/checkout/');
    assert.match(checkout.whyMapped.location, /^\.customer-lens\.yml:\d+$/);
    assert.equal(checkout.hasData, true);
    assert.ok(checkout.problems.some((p) => p.title === 'Coupon codes rejected at the coupon step' && p.customersText === '42 customers'));
    assert.deepEqual(model.banners, []);
    assert.match(model.sourceText, /^From customer-context\.json/);
    // What the webview drew, counted in its DOM.
    assert.equal(rendered.testIds['feature'], model.features.length);
    assert.equal(rendered.testIds['problem'], checkout.problems.length);
    assert.equal(rendered.testIds['quote'], checkout.quotes.length);
    assert.equal(rendered.testIds['sparkline'], checkout.usage.filter((u) => u.series.length >= 2).length);
    assert.ok((rendered.testIds['sparkline'] ?? 0) > 0);
  });

  it('lists both features of a file that two maps claim, primary first', async () => {
    const rendered = await contextFor('packages/mobile-app/src/checkout/applePay.payment.ts', (m) => m.state === 'mapped');
    const model = rendered.model as Mapped;
    assert.deepEqual(model.features.map((f) => [f.id, f.primary]), [['mobile-checkout', true], ['checkout', false]]);
  });

  it('explains an unmapped file and offers Add to Feature…', async () => {
    const rendered = await contextFor('src/experimental/voiceSearch.ts');
    assert.deepEqual(rendered.model, {
      state: 'not-mapped',
      file: { uri: fixtureUri('src/experimental/voiceSearch.ts').toString(), path: 'src/experimental/voiceSearch.ts', name: 'voiceSearch.ts' },
      reason: 'No pattern in the map matches src/experimental/voiceSearch.ts. Add it to a feature so its customers show up here.',
      ignored: false,
      canAdd: true,
      banners: [],
    });
    assert.equal(rendered.testIds['add-to-feature'], 1);
  });

  it('names the pattern that marks a file as not customer-facing', async () => {
    const rendered = await contextFor('scripts/seedCatalog.ts');
    assert.equal(rendered.model.state, 'not-mapped');
    assert.equal(rendered.model.state === 'not-mapped' && rendered.model.ignoredBy?.pattern, '/scripts/');
  });

  it('shows the offline state with an unreachable endpoint and an empty cache, then recovers', async () => {
    const port = await closedPort();
    const settings = vscode.workspace.getConfiguration('customerLens');
    await openFixture('src/search/rankResults.ts');
    await settings.update('endpoint', `http://127.0.0.1:${port}`, vscode.ConfigurationTarget.Workspace);
    try {
      const rendered = await api.sidebar.waitForContext((r) => r.model.state === 'mapped' && r.model.file.path === 'src/search/rankResults.ts' && r.model.banners.some((b) => b.kind === 'offline'));
      const model = rendered.model as Mapped;
      const banner = model.banners.find((b) => b.kind === 'offline');
      assert.equal(banner?.title, 'Offline');
      assert.match(banner?.message ?? '', /^No cached context to show yet\./);
      assert.ok(banner?.message.includes(`127.0.0.1:${port}`), `the banner names the endpoint: ${banner?.message}`);
      assert.equal(model.features[0]?.id, 'search');
      assert.equal(model.features[0]?.hasData, false);
      assert.match(model.features[0]?.noDataReason ?? '', /Nothing is cached/);
      assert.equal(rendered.testIds['banner-offline'], 1);
      assert.equal(rendered.testIds['feature-no-data'], 1);
    } finally {
      await settings.update('endpoint', undefined, vscode.ConfigurationTarget.Workspace);
    }
    const back = await api.sidebar.waitForContext((r) => r.model.state === 'mapped' && r.model.file.path === 'src/search/rankResults.ts' && r.model.banners.length === 0);
    assert.equal((back.model as Mapped).features[0]?.hasData, true);
  });

  it('lists features, patterns with counts and unmapped folders in the Feature Map', async () => {
    await vscode.commands.executeCommand('customerLens.featureMap.focus');
    const roots = await api.sidebar.featureMapChildren();
    const labels = roots.map((r) => r.item.label);
    for (const name of ['Checkout', 'Search', 'Onboarding', 'Billing', 'Mobile checkout']) assert.ok(labels.includes(name), `${name} in ${labels.join(', ')}`);
    const checkout = roots.find((r) => r.item.label === 'Checkout');
    assert.match(String(checkout?.item.description), /^\d+ files$/);
    const patterns = await api.sidebar.featureMapChildren(checkout!.node);
    assert.deepEqual(patterns.map((p) => p.item.label), ['/src/checkout/', '*.payment.ts', '/src/checkout/legacy/']);
    const files = await api.sidebar.featureMapChildren(patterns[0]!.node);
    assert.ok(files.some((f) => f.item.resourceUri?.toString() === fixtureUri('src/checkout/applyCoupon.ts').toString()));
    assert.ok(String(patterns[0]?.item.description).startsWith(`${files.length} files`), `the count is what is listed: ${patterns[0]?.item.description}`);
    assert.ok(!files.some((f) => f.item.resourceUri?.path.includes('/legacy/')), 'excluded files are not listed');
    assert.equal(patterns[2]?.item.description, 'excludes 1 file');
    const unmapped = roots.find((r) => r.item.label === 'Unmapped files');
    assert.ok(unmapped, 'an Unmapped files group');
    const folders = await api.sidebar.featureMapChildren(unmapped.node);
    assert.ok(folders.some((f) => f.item.label === 'src/experimental'), `folders: ${folders.map((f) => f.item.label).join(', ')}`);
    assert.equal(api.sidebar.featureMapState(), 'ready');
  });

  it('Explore lists every feature and opens one into its modules', async () => {
    await vscode.commands.executeCommand('customerLens.explore.focus');
    const list = await api.sidebar.waitForExplore((r) => r.model.state === 'ready' && r.model.features.length >= 5);
    assert.equal(list.testIds['explore-feature'], list.model.state === 'ready' ? list.model.features.length : -1);
    await api.sidebar.openExploreFeature('checkout');
    const opened = await api.sidebar.waitForExplore((r) => r.model.state === 'ready' && r.model.opened?.state === 'ready');
    const detail = opened.model.state === 'ready' && opened.model.opened?.state === 'ready' ? opened.model.opened.detail : undefined;
    assert.ok(detail);
    assert.deepEqual(detail.modules.map((m) => m.pattern), ['/src/checkout/', '*.payment.ts']);
    // Why each module exists: the main file's doc comment where the map says nothing, the map's comment otherwise.
    assert.match(detail.modules[0]?.why ?? '', /^The checkout flow from a shopper's cart to a paid order/);
    assert.equal(detail.modules[0]?.whySource, 'doc comment of src/checkout/checkoutService.ts');
    assert.match(detail.modules[1]?.why ?? '', /Payment method adapters/);
    assert.equal(detail.modules[1]?.whySource, 'comment in .customer-lens.yml');
    assert.ok(detail.customers.topProblems.length > 0);
    assert.equal(opened.testIds['explore-detail'], 1);
    assert.ok((opened.testIds['explore-file'] ?? 0) > 0);
    await api.sidebar.openExploreFeature(undefined);
  });

  it("Explore takes a module's reason from its folder's README when the map says nothing", async () => {
    const readme = await writeFixture('src/search/README.md', '# Search\n\n![badge](https://ci.example.com/b.svg)\n\nHelps shoppers find a product by **name** or need.\n');
    try {
      await vscode.commands.executeCommand('customerLens.explore.focus');
      await api.sidebar.waitForExplore((r) => r.model.state === 'ready' && r.model.features.length >= 5);
      await api.sidebar.openExploreFeature('search');
      const opened = await api.sidebar.waitForExplore((r) => r.model.state === 'ready' && r.model.opened?.state === 'ready' && r.model.opened.featureId === 'search');
      const detail = opened.model.state === 'ready' && opened.model.opened?.state === 'ready' ? opened.model.opened.detail : undefined;
      assert.deepEqual([detail?.modules[0]?.why, detail?.modules[0]?.whySource], ['Helps shoppers find a product by name or need.', 'src/search/README.md']);
      assert.equal(opened.testIds['explore-module-why-source'], 1);
    } finally {
      await vscode.workspace.fs.delete(readme);
      await api.sidebar.openExploreFeature(undefined);
    }
  });

  it('shows a map with errors on top of the Feature Map, and the last valid version below it', async () => {
    const mapUri = fixtureUri('.customer-lens.yml');
    // Edited and saved through the editor, as a person would (and so the open document and the disk agree).
    const document = await vscode.workspace.openTextDocument(mapUri);
    const good = document.getText();
    const typo = positionOf(document, 'owners: ["@shop/discovery"]');
    await vscode.commands.executeCommand('customerLens.featureMap.focus');
    try {
      const broken = new vscode.WorkspaceEdit();
      broken.replace(mapUri, new vscode.Range(typo, typo.translate(0, 'owners'.length)), 'owner');
      assert.ok(await vscode.workspace.applyEdit(broken));
      await document.save();
      await waitForDiagnostics(mapUri, 'an error for the misspelt key', (diagnostics) => diagnostics.some((d) => d.severity === vscode.DiagnosticSeverity.Error));
      const roots = await waitFor('the broken map on top of the tree', async () => {
        const children = await api.sidebar.featureMapChildren();
        return children[0]?.node.kind === 'mapErrors' ? children : undefined;
      });
      assert.equal(roots[0]?.item.label, 'The map has 1 error');
      assert.equal(roots[0]?.item.description, 'showing the last valid version');
      assert.equal(roots[0]?.item.command?.command, 'vscode.open', 'clicking it opens the first error');
      assert.ok(roots.some((r) => r.item.label === 'Search'), 'the last valid map is listed');
      const mobile = roots.find((r) => r.item.label === 'Mobile checkout');
      assert.match(String(mobile?.item.description), /· no customer data$/);
    } finally {
      const revert = new vscode.WorkspaceEdit();
      revert.replace(mapUri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), good);
      await vscode.workspace.applyEdit(revert);
      await document.save();
    }
    await waitForDiagnostics(mapUri, 'no errors once the map is fixed', (list) => !list.some((d) => d.severity === vscode.DiagnosticSeverity.Error));
    await waitFor('the error row to go', async () => (await api.sidebar.featureMapChildren())[0]?.node.kind === 'feature');
  });

  it('Add to Feature… adds a pattern to the map, keeping its comments, and the file then maps', async () => {
    const mapUri = fixtureUri('.customer-lens.yml');
    const before = new TextDecoder().decode(await vscode.workspace.fs.readFile(mapUri));
    await vscode.commands.executeCommand('customerLens.context.focus');
    await contextFor('src/experimental/giftCards.ts', (m) => m.state === 'not-mapped');
    try {
      const mapChanged = nextEvent('the map reload after Add to Feature…', api.onDidChangeMap);
      const added = await vscode.commands.executeCommand<AddedPattern[]>('customerLens.addToFeature', fixtureUri('src/experimental/giftCards.ts'), 'checkout');
      assert.equal(added.length, 1);
      assert.equal(added[0]?.featureId, 'checkout');
      assert.equal(added[0]?.alreadyPresent, false);
      // Read from disk: the edit was saved, not just applied.
      const after = new TextDecoder().decode(await vscode.workspace.fs.readFile(mapUri));
      assert.ok(after.includes(added[0]!.pattern), `the saved map has ${added[0]!.pattern}`);
      const beforeLines = before.split('\n');
      const newLines = after.split('\n').filter((line) => !beforeLines.includes(line));
      assert.equal(newLines.length, 1, `one line added: ${newLines.join(' | ')}`);
      assert.ok(newLines[0]!.includes(added[0]!.pattern));
      assert.equal(after.split('\n').filter((line) => line !== newLines[0]).join('\n'), before, 'every other line, comments included, kept as written');
      assert.ok(!vscode.workspace.textDocuments.some((d) => d.uri.toString() === mapUri.toString() && d.isDirty), 'no unsaved edit left in the map');
      await mapChanged;
      const rendered = await api.sidebar.waitForContext((r) => r.model.state === 'mapped' && r.model.file.path === 'src/experimental/giftCards.ts');
      const model = rendered.model as Mapped;
      assert.equal(model.features[0]?.id, 'checkout');
      assert.equal(model.features[0]?.whyMapped.pattern, added[0]!.pattern);
    } finally {
      // Later suites expect the fixture's map as it was.
      const restored = nextEvent('the map reload after restoring it', api.onDidChangeMap);
      await vscode.workspace.fs.writeFile(mapUri, new TextEncoder().encode(before));
      const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === mapUri.toString());
      if (open?.isDirty) await open.save();
      await restored;
    }
  });
});
