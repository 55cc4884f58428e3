// The language server over a real LSP connection: a child process speaking JSON-RPC on stdio, on a temporary copy of
// the storefront fixture, with the map's context file as the context source.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CodeAction, CodeLens, CompletionItem, Diagnostic, DocumentLink, Hover, MarkupContent, TextEdit } from 'vscode-languageserver-protocol';
import {
  AddToFeatureRequest,
  CreateMapRequest,
  ExplainRequest,
  FeatureContextRequest,
  FeatureFilesRequest,
  FeatureListRequest,
  FileContextRequest,
  RefreshRequest,
  UnmappedFilesRequest,
  type AddToFeatureResult,
  type ExplainResult,
  type FeatureContextResult,
  type FeatureSummary,
  type FileContextResult,
  type UnmappedFolder,
} from '../../src/shared/lspProtocol';
import { copyFixture, TestLspClient, uriOf } from './support/lspTestClient';

function markdown(hover: Hover | null): string {
  assert.ok(hover, 'expected a hover');
  return (hover.contents as MarkupContent).value;
}

function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}

/** Applies LSP edits (non-overlapping) to a text. */
function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((acc, e) => acc.slice(0, offset(e.range.start)) + e.newText + acc.slice(offset(e.range.end)), text);
}

describe('language server over LSP (storefront fixture, context file)', function () {
  this.timeout(30_000);
  let ws: string;
  let client: TestLspClient;
  const settings: Record<string, unknown> = {};

  before(async () => {
    ws = copyFixture();
    // A feature the context source knows and the map does not (for id completion).
    const contextFile = path.join(ws, 'customer-context.json');
    const context = JSON.parse(fs.readFileSync(contextFile, 'utf8'));
    context.features.push({ id: 'reviews', name: 'Product reviews' });
    fs.writeFileSync(contextFile, JSON.stringify(context, null, 2));
    client = await TestLspClient.start({
      folders: [ws],
      initializationOptions: { commandLinks: true },
      configuration: (item) => (item.section === 'customerLens' ? settings : null),
    });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(ws, { recursive: true, force: true });
  });

  const file = (rel: string) => path.join(ws, ...rel.split('/'));
  const hoverAt = (rel: string, needle: string, offset = 0, occurrence = 1) => {
    const uri = client.open(file(rel));
    return client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: TestLspClient.positionOf(file(rel), needle, offset, occurrence),
    });
  };

  describe('hover cards', () => {
    it('shows the feature card on a symbol listed in the map', async () => {
      const hover = await hoverAt('src/checkout/couponStep.ts', 'applyCoupon(cart', 3);
      const raw = markdown(hover);
      // Figures are joined with no-break spaces so "▲ 35%" never wraps apart; read them as spaces below.
      assert.match(raw, /▲\u00a035%/);
      const card = raw.replace(/\u00a0/g, ' ');
      // Who is hurting and how much first: the name, owners and the open problems as the CodeLens counts them.
      assert.match(card, /^\*\*Checkout\*\* · \\@shop\/payments · 3 open problems\n/);
      assert.match(
        card,
        /- \[Coupon codes rejected at the coupon step\]\(https:\/\/support\.example\.com\/tickets\/48213\) — 42 customers · \$386k ARR · ▲ 35% · in progress$/m,
      );
      assert.match(card, /— 27 customers · \$251k ARR · ▲ 12%$/m);
      assert.doesNotMatch(card, /Order confirmation email arrives minutes late/, 'solved problems stay off the card');
      // One voice, named by its source; the usage headline.
      assert.match(card, /> “We ran 20% off for Black Friday prep .*” — Maria Lopez, Lopez Ceramics · 2026-11-18 · \[Support ticket\]\(https:\/\/support\.example\.com\/tickets\/48213\)/);
      assert.match(card, /\*\*Usage\*\* Checkouts started 18\.4k \(7d\) ▲ 4%/);
      // The rest is one click away in the sidebar: the summary and the links are not on the card.
      assert.doesNotMatch(card, /Turns a shopper's cart into a paid order/);
      assert.doesNotMatch(card, /Checkout spec/);
      // Footer: why this file maps here, freshness, the one command link.
      assert.match(card, /Mapped by `\/src\/checkout\/` in \.customer-lens\.yml:17/);
      assert.match(card, /from customer-context\.json/);
      assert.match(card, /\[Open in sidebar\]\(command:customerLens\.openSidebar "[^"]*"\)/);
      assert.equal(card.match(/\(command:/g)?.length, 1, 'exactly one command link');
      const links = [...card.matchAll(/\]\(([^)\s]+)/g)].map((m) => m[1]);
      assert.ok(links.every((l) => l.startsWith('https://') || l === 'command:customerLens.openSidebar'), links.join('\n'));
      // The range is the identifier under the cursor.
      const at = TestLspClient.positionOf(file('src/checkout/couponStep.ts'), 'applyCoupon(cart');
      assert.deepEqual(hover!.range, { start: at, end: { line: at.line, character: at.character + 'applyCoupon'.length } });
    });

    it("shows the event's metric on an analytics event string", async () => {
      const card = markdown(await hoverAt('src/checkout/applyCoupon.ts', "'coupon_applied'", 4)).replace(/\u00a0/g, ' ');
      assert.match(card, /^\*\*Checkout\*\*/);
      assert.match(card, /\*\*`coupon_applied`\*\* Coupons applied 2\.1k \(7d\) ▼ 18%/);
    });

    it('shows the tagged feature on a `customer-lens: <id>` comment, even in a file of another feature', async () => {
      const card = markdown(await hoverAt('src/onboarding/trialSetup.ts', 'customer-lens: billing', 17)).replace(/\u00a0/g, ' ');
      assert.match(card, /^\*\*Billing\*\* · \\@shop\/billing · 4 open problems/);
      assert.match(card, /Invoices are missing the merchant's VAT number/);
      assert.match(card, /Tagged `customer-lens: billing` \(feature in \.customer-lens\.yml:\d+\)/);
      // Billing's problems are in euros and dollars: each amount names its currency, none reads as "$".
      assert.match(card, /38 customers · 412k EUR ARR/);
      assert.match(card, /21 customers · 96\.3k USD ARR/);
      assert.doesNotMatch(card, /\$\d/);
    });

    it('names the map line of a symbol when the file is not mapped to its feature', async () => {
      const scratch = file('src/experimental/usesCoupon.ts');
      fs.writeFileSync(scratch, "import { applyCoupon } from '../checkout/applyCoupon';\nvoid applyCoupon;\n");
      const card = markdown(await hoverAt('src/experimental/usesCoupon.ts', 'applyCoupon;'));
      assert.match(card, /`applyCoupon` is a symbol of this feature in \.customer-lens\.yml:23/);
    });

    it('shows nothing on a word that is not an anchor, and nothing with hover.mode "off"', async () => {
      assert.equal(await hoverAt('src/checkout/couponStep.ts', 'setBusy(true)'), null);
      settings.hover = { mode: 'off' };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      try {
        assert.equal(await hoverAt('src/checkout/couponStep.ts', 'applyCoupon(cart', 3), null);
      } finally {
        delete settings.hover;
        await client.notify('workspace/didChangeConfiguration', { settings: null });
      }
    });

    it('shows the primary feature anywhere in a mapped file with hover.mode "file"', async () => {
      settings.hover = { mode: 'file' };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      try {
        const card = markdown(await hoverAt('src/billing/subscription.payment.ts', 'export'));
        // subscription.payment.ts matches checkout's "*.payment.ts" and billing's "/src/billing/"; billing comes later.
        assert.match(card, /^\*\*Billing\*\*/);
        assert.match(card, /Mapped by `\/src\/billing\/` in \.customer-lens\.yml:\d+/);
        assert.equal(await hoverAt('src/experimental/voiceSearch.ts', 'export'), null, 'no card in an unmapped file');
      } finally {
        delete settings.hover;
        await client.notify('workspace/didChangeConfiguration', { settings: null });
      }
    });
  });

  describe('CodeLens', () => {
    const lenses = (rel: string) => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: client.open(file(rel)) } });

    it('puts one summary lens at the top of a mapped file that opens the sidebar', async () => {
      const result = await lenses('src/checkout/couponStep.ts');
      assert.equal(result.length, 1);
      assert.deepEqual(result[0].range.start, { line: 0, character: 0 });
      assert.equal(result[0].command?.title, 'Checkout · 3 open problems · 5 quotes · 18.4k checkouts started (7d)');
      assert.equal(result[0].command?.command, 'customerLens.openSidebar');
    });

    it('shows the primary feature with the count of the others for a file of several features', async () => {
      const [lens] = await lenses('src/billing/subscription.payment.ts');
      assert.match(lens.command!.title, /^Billing \(\+1\) · 4 open problems · 5 quotes · 8\.4k renewals charged \(30d\)$/);
    });

    it('has no lens in an unmapped file or when codeLens.enabled is false', async () => {
      assert.deepEqual(await lenses('src/experimental/voiceSearch.ts'), []);
      settings.codeLens = { enabled: false };
      await client.notify('workspace/didChangeConfiguration', { settings: null });
      try {
        assert.deepEqual(await lenses('src/checkout/couponStep.ts'), []);
      } finally {
        delete settings.codeLens;
        await client.notify('workspace/didChangeConfiguration', { settings: null });
      }
    });
  });

  describe('custom requests', () => {
    it('customerLens/fileContext: features primary first, with why, context and freshness', async () => {
      const result = await client.request<FileContextResult>(FileContextRequest.method, { uri: uriOf(file('src/billing/subscription.payment.ts')) });
      assert.equal(result.path, 'src/billing/subscription.payment.ts');
      assert.equal(result.map.state, 'ok');
      assert.deepEqual(
        result.features.map((f) => [f.id, f.primary, f.why.pattern]),
        [
          ['billing', true, '/src/billing/'],
          ['checkout', false, '*.payment.ts'],
        ],
      );
      assert.equal(result.features[0].why.mapFileUri, uriOf(file('.customer-lens.yml')));
      assert.equal(result.features[0].context?.problems?.length, 4);
      assert.equal(result.freshness.state, 'synced');
      assert.equal(result.freshness.source, 'file');
    });

    it('customerLens/explain: an ignored file and a file of a nested map', async () => {
      const ignored = await client.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(file('scripts/seedCatalog.ts')) });
      assert.equal(ignored.ignored, true);
      assert.equal(ignored.ignoredBy?.pattern, '/scripts/');
      assert.deepEqual(ignored.features, []);
      const nested = await client.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(file('packages/mobile-app/src/checkout/applePay.payment.ts')) });
      assert.deepEqual(
        nested.features.map((f) => [f.featureId, f.primary, f.pattern]),
        [
          ['mobile-checkout', true, '/src/checkout/'],
          ['checkout', false, '*.payment.ts'],
        ],
      );
      assert.equal(nested.features[0].mapFileUri, uriOf(file('packages/mobile-app/.customer-lens.yml')));
    });

    it('customerLens/features: every feature with file counts, patterns and a context headline', async () => {
      const features = await client.request<FeatureSummary[]>(FeatureListRequest.method);
      assert.deepEqual(
        features.map((f) => f.id),
        ['checkout', 'search', 'onboarding', 'billing', 'mobile-checkout'],
      );
      const checkout = features.find((f) => f.id === 'checkout')!;
      assert.deepEqual(
        checkout.patterns.map((p) => [p.pattern, p.kind, p.line]),
        [
          ['/src/checkout/', 'path', 17],
          ['*.payment.ts', 'path', 19],
          ['/src/checkout/legacy/', 'exclude', 22],
        ],
      );
      // /src/checkout/ matches 6 files, one of which the exclude takes out: counts agree with featureFiles.
      assert.deepEqual(checkout.patterns.map((p) => p.fileCount), [5, 3, 1]);
      assert.equal(checkout.fileCount, 8);
      assert.equal(checkout.range.start.line, 11, 'the entry starts on line 12 (0-based 11)');
      assert.equal(checkout.topProblem?.id, 'chk-coupon-rejected');
      assert.equal(checkout.usageHeadline?.label, 'Checkouts started');
      assert.equal(checkout.hasContext, true);
      assert.equal(features.find((f) => f.id === 'mobile-checkout')!.hasContext, false);
    });

    it('customerLens/featureContext: a feature\'s context and map links by id, and an error for an unknown id', async () => {
      const [checkout] = (await client.request<FeatureSummary[]>(FeatureListRequest.method)).filter((f) => f.id === 'checkout');
      const result = await client.request<FeatureContextResult>(FeatureContextRequest.method, {
        featureId: 'checkout',
        workspaceFolderUri: checkout!.workspaceFolderUri,
      });
      assert.equal(result.context?.problems?.[0]?.title, 'Coupon codes rejected at the coupon step');
      assert.deepEqual(
        result.links.map((l) => l.title),
        ['Checkout spec', 'Funnel dashboard'],
      );
      assert.equal(result.freshness.source, 'file');
      await assert.rejects(
        client.request(FeatureContextRequest.method, { featureId: 'no-such-feature', workspaceFolderUri: checkout!.workspaceFolderUri }),
        /no feature "no-such-feature"/,
      );
    });

    it('customerLens/featureFiles: a feature, and one of its patterns', async () => {
      const all = await client.request<string[]>(FeatureFilesRequest.method, { featureId: 'checkout' });
      assert.ok(all.includes(uriOf(file('src/checkout/couponStep.ts'))));
      assert.ok(!all.includes(uriOf(file('src/checkout/legacy/legacyCheckout.ts'))), 'excluded');
      const payments = await client.request<string[]>(FeatureFilesRequest.method, { featureId: 'checkout', pattern: '*.payment.ts' });
      assert.deepEqual(
        payments.map((u) => path.relative(ws, new URL(u).pathname)).sort(),
        ['packages/mobile-app/src/checkout/applePay.payment.ts', 'src/billing/subscription.payment.ts', 'src/payments/card.payment.ts'],
      );
    });

    it('customerLens/unmappedFiles: grouped by folder', async () => {
      const groups = await client.request<UnmappedFolder[]>(UnmappedFilesRequest.method);
      const experimental = groups.find((g) => g.folder === 'src/experimental');
      assert.ok(experimental, JSON.stringify(groups));
      assert.ok(experimental.fileUris.includes(uriOf(file('src/experimental/voiceSearch.ts'))));
      assert.equal(experimental.workspaceFolderUri, uriOf(ws));
    });

    it('customerLens/addToFeature: an edit that keeps the comments, and the file maps once it is saved', async () => {
      const mapFile = file('.customer-lens.yml');
      const before = fs.readFileSync(mapFile, 'utf8');
      const result = await client.request<AddToFeatureResult>(AddToFeatureRequest.method, {
        featureId: 'search',
        targetUri: uriOf(file('src/experimental/voiceSearch.ts')),
        isFolder: false,
      });
      assert.equal(result.pattern, '/src/experimental/voiceSearch.ts');
      assert.equal(result.mapFileUri, uriOf(mapFile));
      const after = applyEdits(before, result.edits);
      assert.match(after, /paths: \[\/src\/search\/, \/src\/experimental\/voiceSearch\.ts\]/);
      assert.equal(after.split('\n').filter((l) => l.trim().startsWith('#')).length, before.split('\n').filter((l) => l.trim().startsWith('#')).length);
      fs.writeFileSync(mapFile, after);
      const seen = client.mapChanges.length;
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(mapFile), type: 2 }] });
      await client.until(() => client.mapChanges.length > seen, 'the map to reload');
      const explained = await client.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(file('src/experimental/voiceSearch.ts')) });
      assert.deepEqual(explained.features.map((f) => f.featureId), ['search']);
      fs.writeFileSync(mapFile, before);
      await client.notify('workspace/didChangeWatchedFiles', { changes: [{ uri: uriOf(mapFile), type: 2 }] });
      await client.until(() => client.mapChanges.length > seen + 1, 'the map to reload');
    });

    it('customerLens/addToFeature: a clear error for an unknown feature', async () => {
      await assert.rejects(
        client.request(AddToFeatureRequest.method, { featureId: 'nope', targetUri: uriOf(file('src/experimental/voiceSearch.ts')), isFolder: false }),
        /there is no feature "nope"/,
      );
    });

    it('customerLens/refresh: rereads the context and tells the client', async () => {
      const seen = client.contextChanges.length;
      await client.request(RefreshRequest.method);
      await client.until(() => client.contextChanges.length > seen, 'customerLens/didChangeContext');
    });
  });

  describe('the map file in the editor', () => {
    const mapFile = () => file('.customer-lens.yml');
    const diagnosticsOf = (uri: string): Diagnostic[] => client.diagnostics.get(uri) ?? [];

    it('has no diagnostics for the fixture map', () => {
      assert.deepEqual(diagnosticsOf(uriOf(mapFile())), []);
    });

    it('reports every problem of unsaved text with exact ranges, keeps the last good map, and clears when fixed', async () => {
      const uri = client.open(mapFile(), 'yaml');
      const good = fs.readFileSync(mapFile(), 'utf8');
      const broken = good.replace('    paths: [/src/search/]', '    pahts: [/src/search/]').replace('      - /src/onboarding/', '      - "!/src/onboarding/"');
      client.change(mapFile(), broken);
      await client.until(() => diagnosticsOf(uri).length >= 2, 'diagnostics on the broken map');
      const problems = diagnosticsOf(uri);
      const lines = broken.split('\n');
      const typoLine = lines.findIndex((l) => l.includes('pahts'));
      const typo = problems.find((d) => d.code === 'unknown-key');
      assert.ok(typo, JSON.stringify(problems));
      assert.match(messageOf(typo), /unknown key "pahts" \(did you mean "paths"\?\)/);
      assert.deepEqual(typo.range, { start: { line: typoLine, character: 4 }, end: { line: typoLine, character: 9 } });
      assert.equal(typo.severity, 1);
      assert.equal(typo.source, 'customer-lens');
      const negation = problems.find((d) => messageOf(d).includes('negation'));
      assert.ok(negation, JSON.stringify(problems));
      const negationLine = lines.findIndex((l) => l.includes('"!/src/onboarding/"'));
      assert.equal(negation.range.start.line, negationLine);
      assert.equal(negation.range.start.character, lines[negationLine].indexOf('"!'));

      // The last good map stays in force: search files still map to search.
      const result = await client.request<FileContextResult>(FileContextRequest.method, { uri: uriOf(file('src/search/rankResults.ts')) });
      assert.equal(result.map.usingLastGood, true);
      assert.ok(result.map.errorCount >= 2);
      assert.deepEqual(result.features.map((f) => f.id), ['search']);

      client.change(mapFile(), good);
      await client.until(() => diagnosticsOf(uri).length === 0, 'the diagnostics to clear');
    });

    it('warns about a pattern that matches no file, at the pattern', async () => {
      const uri = client.open(mapFile(), 'yaml');
      const good = fs.readFileSync(mapFile(), 'utf8');
      const text = good.replace('    paths: [/src/search/]', '    paths: [/src/search/, /src/serch/]');
      client.change(mapFile(), text);
      await client.until(() => diagnosticsOf(uri).some((d) => d.severity === 2), 'a warning');
      const warning = diagnosticsOf(uri).find((d) => d.severity === 2)!;
      const line = text.split('\n').findIndex((l) => l.includes('/src/serch/'));
      assert.match(messageOf(warning), /\/src\/serch\//);
      assert.deepEqual(warning.range.start, { line, character: text.split('\n')[line].indexOf('/src/serch/') });
      client.change(mapFile(), good);
      await client.until(() => diagnosticsOf(uri).length === 0, 'the warning to clear');
    });

    it('offers quick fixes for problems whose message names the fix, which clear them when applied', async () => {
      const uri = client.open(mapFile(), 'yaml');
      const good = fs.readFileSync(mapFile(), 'utf8');
      const broken = good
        .replace('    paths: [/src/search/]', '    pahts: [/src/search/]')
        .replace('    owners: ["@shop/growth"]', '    owners: "@shop/growth"')
        .replace('  - id: billing', '  - id: search')
        .replace('      - /src/onboarding/', '      - /src//onboarding/');
      client.change(mapFile(), broken);
      await client.until(() => diagnosticsOf(uri).length >= 4, 'four errors on the broken map');
      const whole = { start: { line: 0, character: 0 }, end: { line: broken.split('\n').length, character: 0 } };
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: whole, context: { diagnostics: diagnosticsOf(uri) } });
      assert.deepEqual(actions.map((a) => `${a.kind} ${a.title}`).sort(), [
        'quickfix Change "pahts" to "paths"',
        'quickfix Change to "/src/onboarding/"',
        'quickfix Make it a list: ["@shop/growth"]',
        'quickfix Rename this one to "search-2"',
      ]);
      for (const action of actions) assert.equal(action.diagnostics?.length, 1);
      // Only the fixes for the problem under the cursor, where the editor asks for them.
      const typoLine = broken.split('\n').findIndex((l) => l.includes('pahts'));
      const atTypo = await client.request<CodeAction[]>('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: typoLine, character: 6 }, end: { line: typoLine, character: 6 } },
        context: { diagnostics: [] },
      });
      assert.deepEqual(atTypo.map((a) => a.title), ['Change "pahts" to "paths"']);
      assert.equal(atTypo[0].isPreferred, true);
      const edits = actions.flatMap((a) => a.edit?.changes?.[uri] ?? []);
      const fixed = applyEdits(broken, edits);
      assert.equal(fixed, good.replace('  - id: billing', '  - id: search-2'));
      client.change(mapFile(), fixed);
      await client.until(() => diagnosticsOf(uri).length === 0, 'the errors to clear');
      client.change(mapFile(), good);
      await client.until(() => diagnosticsOf(uri).length === 0, 'the map to be restored');
    });

    it('warns that a wildcard last name matches files only, and offers the folder pattern (gnrc*)', async () => {
      const uri = client.open(mapFile(), 'yaml');
      const good = fs.readFileSync(mapFile(), 'utf8');
      const text = good.replace('      - /src/billing/\n', '      - /src/bill*\n');
      client.change(mapFile(), text);
      await client.until(() => diagnosticsOf(uri).some((d) => d.code === 'pattern-matches-folders-only'), 'the folders-only warning', 15_000);
      const warning = diagnosticsOf(uri).find((d) => d.code === 'pattern-matches-folders-only')!;
      assert.equal(messageOf(warning), 'pattern "/src/bill*" of feature "billing" matches no file: a wildcard last name matches file names only, and "bill*" names a folder here; write "/src/bill*/" to take that folder');
      const actions = await client.request<CodeAction[]>('textDocument/codeAction', { textDocument: { uri }, range: warning.range, context: { diagnostics: [warning] } });
      assert.deepEqual(actions.map((a) => a.title), ['Change to "/src/bill*/"']);
      const fixed = applyEdits(text, actions[0].edit?.changes?.[uri] ?? []);
      assert.match(fixed, /^ {6}- \/src\/bill\*\/$/m);
      client.change(mapFile(), fixed);
      await client.until(() => diagnosticsOf(uri).length === 0, 'the warning to clear', 15_000);
      client.change(mapFile(), good);
    });

    it('hover on a pattern says how many files it matches', async () => {
      const uri = client.open(mapFile(), 'yaml');
      const hover = await client.request<Hover>('textDocument/hover', { textDocument: { uri }, position: TestLspClient.positionOf(mapFile(), '"*.payment.ts"', 3) });
      const text = markdown(hover);
      assert.match(text, /^`\*\.payment\.ts` maps to \*\*Checkout\*\*: 3 files/);
      assert.match(text, /- `src\/payments\/card\.payment\.ts`/);
    });

    it('links `context:` to the context file', async () => {
      const uri = client.open(mapFile(), 'yaml');
      const links = await client.request<DocumentLink[]>('textDocument/documentLink', { textDocument: { uri } });
      assert.equal(links.length, 1);
      assert.equal(links[0].target, uriOf(file('customer-context.json')));
      const at = TestLspClient.positionOf(mapFile(), './customer-context.json');
      assert.deepEqual(links[0].range, { start: at, end: { line: at.line, character: at.character + './customer-context.json'.length } });
    });

    it('completes the keys a feature may still have, and ids the context source knows', async () => {
      const uri = client.open(mapFile(), 'yaml');
      const good = fs.readFileSync(mapFile(), 'utf8');
      const withNew = good.replace('  - id: search\n', '  - id: \n    name: New\n  - id: search\n');
      client.change(mapFile(), withNew);
      const idLine = withNew.split('\n').findIndex((l) => l === '  - id: ');
      const ids = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: idLine, character: 8 } });
      // "reviews" is in the context file but not in the map; the ids the map declares are not offered again.
      assert.deepEqual(ids.map((i) => [i.label, i.detail]), [['reviews', 'Product reviews (from the context source)']]);

      // The search feature has every key but "exclude".
      const keyText = good.replace('    name: Search\n', '    name: Search\n    ex\n');
      client.change(mapFile(), keyText);
      const keyLine = keyText.split('\n').findIndex((l) => l === '    ex');
      const keys = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: keyLine, character: 6 } });
      assert.deepEqual(keys.map((k) => [k.label, k.insertText]), [['exclude', 'exclude: ']]);
      // At the top level, only the key the map does not have yet.
      const topText = `${good.replace('context: ./customer-context.json\n', '')}co\n`;
      client.change(mapFile(), topText);
      const topLine = topText.split('\n').indexOf('co');
      const top = await client.request<CompletionItem[]>('textDocument/completion', { textDocument: { uri }, position: { line: topLine, character: 2 } });
      assert.deepEqual(top.map((k) => k.label), ['context']);
      client.change(mapFile(), good);
      await client.until(() => diagnosticsOf(uri).length === 0, 'the map to be clean again');
    });
  });

  describe('customerLens/createMap', () => {
    it('writes a starter map in a folder without one, and never overwrites it', async () => {
      const empty = fs.mkdtempSync(path.join(path.dirname(ws), 'customer-lens-empty-'));
      fs.mkdirSync(path.join(empty, 'src', 'catalog'), { recursive: true });
      fs.writeFileSync(path.join(empty, 'src', 'catalog', 'list.ts'), 'export const list = [];\n');
      const other = await TestLspClient.start({ folders: [empty] });
      try {
        const created = await other.request<{ mapFileUri: string; created: boolean }>(CreateMapRequest.method, { workspaceFolderUri: uriOf(empty) });
        assert.deepEqual(created, { mapFileUri: uriOf(path.join(empty, '.customer-lens.yml')), created: true });
        const text = fs.readFileSync(path.join(empty, '.customer-lens.yml'), 'utf8');
        assert.match(text, /version: 1/);
        // A schema comment that works offline and in other editors: a copy of the schema next to the map.
        assert.match(text, /^# yaml-language-server: \$schema=\.\/\.customer-lens\.schema\.json$/m);
        assert.equal(JSON.parse(fs.readFileSync(path.join(empty, '.customer-lens.schema.json'), 'utf8')).title, 'Customer Lens map');
        // The new map and its schema belong to the map: neither is listed as unmapped (Create Map's first suggestion).
        await other.until(() => other.mapChanges.length >= 2, 'the new map to load');
        const unmapped = await other.request<UnmappedFolder[]>(UnmappedFilesRequest.method);
        assert.deepEqual(unmapped, []);
        fs.appendFileSync(path.join(empty, '.customer-lens.yml'), '# mine\n');
        const again = await other.request<{ mapFileUri: string; created: boolean }>(CreateMapRequest.method, { workspaceFolderUri: uriOf(empty) });
        assert.equal(again.created, false);
        assert.match(fs.readFileSync(path.join(empty, '.customer-lens.yml'), 'utf8'), /# mine\n$/);
        const explained = await other.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(path.join(empty, 'src', 'catalog', 'list.ts')) });
        assert.equal(explained.map.state, 'ok');
        assert.equal(explained.features.length, 1);
      } finally {
        await other.stop();
        fs.rmSync(empty, { recursive: true, force: true });
      }
    });
  });
});

describe('language server over LSP: multi-root', function () {
  this.timeout(30_000);
  let storefront: string;
  let docs: string;
  let client: TestLspClient;

  before(async () => {
    storefront = copyFixture();
    docs = fs.mkdtempSync(path.join(path.dirname(storefront), 'customer-lens-docs-'));
    fs.mkdirSync(path.join(docs, 'guides'));
    fs.writeFileSync(path.join(docs, 'guides', 'checkout.md'), '# Checkout guide\n');
    fs.writeFileSync(
      path.join(docs, '.customer-lens.yml'),
      'version: 1\nfeatures:\n  - id: help-center\n    name: Help center\n    paths: [/guides/]\n',
    );
    client = await TestLspClient.start({ folders: [storefront, docs] });
  });
  after(async () => {
    await client?.stop();
    fs.rmSync(storefront, { recursive: true, force: true });
    fs.rmSync(docs, { recursive: true, force: true });
  });

  it('resolves each file against its own folder’s map', async () => {
    const guide = await client.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(path.join(docs, 'guides', 'checkout.md')) });
    assert.deepEqual(guide.features.map((f) => f.featureId), ['help-center']);
    assert.equal(guide.map.workspaceFolderUri, uriOf(docs));
    assert.equal(guide.path, 'guides/checkout.md');
    const code = await client.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(path.join(storefront, 'src', 'checkout', 'cart.ts')) });
    assert.deepEqual(code.features.map((f) => f.featureId), ['checkout']);
    assert.equal(code.map.workspaceFolderUri, uriOf(storefront));
  });

  it('lists the features of every folder, each with its folder', async () => {
    const features = await client.request<FeatureSummary[]>(FeatureListRequest.method);
    const helpCenter = features.find((f) => f.id === 'help-center');
    assert.equal(helpCenter?.workspaceFolderUri, uriOf(docs));
    assert.equal(helpCenter?.fileCount, 1);
    assert.equal(helpCenter?.hasContext, false, 'the docs folder has no context source');
    assert.equal(features.find((f) => f.id === 'checkout')?.workspaceFolderUri, uriOf(storefront));
  });

  it('a file outside every folder has no map', async () => {
    const outside = await client.request<FileContextResult>(FileContextRequest.method, { uri: 'file:///nowhere/else.ts' });
    assert.equal(outside.map.state, 'none');
    assert.equal(outside.path, undefined);
    assert.deepEqual(outside.features, []);
  });
});
