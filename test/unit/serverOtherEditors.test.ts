// `customer-lens lsp --stdio` as editors other than VS Code meet it: clients that run no client command, render no
// markdown, watch no files, answer no workspace/configuration, give no root folder, or send requests at the wrong
// time or with the wrong shape. A real child process speaking JSON-RPC on stdio, on a temporary copy of the sample.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeLens, Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { ExplainRequest, FeatureListRequest, FileContextRequest, type ExplainResult, type FeatureSummary } from '../../src/shared/lspProtocol';
import { REPO_ROOT, copyFixture, TestLspClient, uriOf } from './support/lspTestClient';

const MessageType = { Error: 1, Warning: 2, Info: 3 } as const;

/** The JSON-RPC error a request was answered with (fails when it succeeded). */
async function rpcError(request: Promise<unknown>): Promise<{ code: number; message: string }> {
  try {
    await request;
  } catch (error) {
    const { code, message } = error as { code: number; message: string };
    return { code, message };
  }
  assert.fail('expected the request to fail');
}

describe('customer-lens lsp --stdio in other editors', function () {
  this.timeout(30_000);
  let ws: string;
  const clients: TestLspClient[] = [];
  const file = (rel: string) => path.join(ws, ...rel.split('/'));
  const couponStep = () => file('src/checkout/couponStep.ts');

  beforeEach(() => {
    ws = copyFixture();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.stop()));
    fs.rmSync(ws, { recursive: true, force: true });
  });

  async function start(options: Omit<Parameters<typeof TestLspClient.start>[0], 'folders'> & { folders?: string[] } = {}): Promise<TestLspClient> {
    const client = await TestLspClient.start({ folders: [ws], entry: 'cli', clientName: 'Neovim', ...options });
    clients.push(client);
    return client;
  }
  /** The hover on `applyCoupon` in couponStep.ts. */
  const hoverOnApplyCoupon = (client: TestLspClient) =>
    client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri: client.open(couponStep()) },
      position: TestLspClient.positionOf(couponStep(), 'applyCoupon(cart', 3),
    });
  const lensesOf = (client: TestLspClient, target: string) => client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri: client.open(target) } });

  describe('CodeLens commands', () => {
    it('a client without the sidebar gets a lens command the server runs: the feature card, shown as a message', async () => {
      const client = await start();
      const [lens] = await lensesOf(client, couponStep());
      const advertised = client.initializeResult.capabilities.executeCommandProvider?.commands ?? [];
      assert.ok(lens.command, 'the lens has a command');
      assert.ok(advertised.includes(lens.command.command), `${lens.command.command} is not in executeCommandProvider.commands (${advertised.join(', ')})`);

      const shownText = await client.request<string>('workspace/executeCommand', { command: lens.command.command, arguments: lens.command.arguments });
      // The card keeps a figure and its unit together with no-break spaces; read them as the spaces they show as.
      const result = shownText.replace(/\u00a0/g, ' ');
      const shown = client.messages.at(-1);
      assert.equal(shown?.type, MessageType.Info);
      assert.equal(shown?.message, shownText);
      assert.match(result, /^Checkout · @shop\/payments · 3 open problems\n/);
      assert.match(result, /Coupon codes rejected at the coupon step <https:\/\/support\.example\.com\/[^>]+> — 42 customers/);
      assert.match(result, /Mapped by \/src\/checkout\/ in \.customer-lens\.yml:\d+ · from customer-context\.json$/);
      assert.doesNotMatch(result, /\*\*|\\|command:/, 'plain text, without markdown or a command link');
    });

    it('the VS Code extension (commandLinks) keeps its own "open the sidebar" command', async () => {
      const client = await start({ initializationOptions: { commandLinks: true } });
      const [lens] = await lensesOf(client, couponStep());
      assert.equal(lens.command?.command, 'customerLens.openSidebar');
    });

    it('no server command has the id of one of the extension\'s commands (VS Code would refuse to register it twice)', async () => {
      const client = await start();
      const serverCommands = client.initializeResult.capabilities.executeCommandProvider?.commands ?? [];
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
      const extensionCommands = new Set(pkg.contributes.commands.map((c) => c.command));
      const clientSource = fs.readdirSync(path.join(REPO_ROOT, 'src', 'client'), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts'))
        .map((f) => fs.readFileSync(path.join(REPO_ROOT, 'src', 'client', f), 'utf8'))
        .join('\n');
      assert.ok(serverCommands.length > 0);
      for (const id of serverCommands) {
        assert.ok(!extensionCommands.has(id), `${id} is also an extension command`);
        assert.ok(!clientSource.includes(`'${id}'`), `${id} is registered by the extension`);
      }
    });

    it('an unknown command or wrong arguments are -32602 with the reason', async () => {
      const client = await start();
      const unknown = await rpcError(client.request('workspace/executeCommand', { command: 'customerLens.openSidebar', arguments: [] }));
      assert.equal(unknown.code, -32602);
      assert.match(unknown.message, /unknown command "customerLens\.openSidebar"; this server runs customerLens\.server\.showFeature/);
      const bad = await rpcError(client.request('workspace/executeCommand', { command: 'customerLens.server.showFeature', arguments: [{ uri: 5 }] }));
      assert.equal(bad.code, -32602);
      assert.match(bad.message, /invalid 0\.uri/);
      const missing = await rpcError(
        client.request('workspace/executeCommand', { command: 'customerLens.server.showFeature', arguments: [{ uri: uriOf(couponStep()), featureId: 'nope' }] }),
      );
      assert.equal(missing.code, -32602);
      assert.match(missing.message, /no feature "nope"/);
    });
  });

  describe('hover format', () => {
    it('a plaintext-only client gets the card as plain text: no markdown syntax, links written out', async () => {
      const client = await start({ hoverFormats: ['plaintext'] });
      const hover = await hoverOnApplyCoupon(client);
      assert.ok(hover);
      const contents = hover.contents as MarkupContent;
      assert.equal(contents.kind, 'plaintext');
      contents.value = contents.value.replace(/\u00a0/g, ' ');
      assert.match(contents.value, /^Checkout · @shop\/payments · 3 open problems\n\n/);
      assert.match(contents.value, /\n- Coupon codes rejected at the coupon step <https:\/\/support\.example\.com\/[^>]+> — 42 customers/);
      assert.match(contents.value, /\n> “[^”]+” — Maria Lopez/);
      assert.doesNotMatch(contents.value, /\*\*|\\[*_`[\]<>.:@-]|\]\(/, 'no markdown syntax or escapes left');
    });

    it('a client that prefers markdown still gets markdown', async () => {
      const client = await start({ hoverFormats: ['markdown', 'plaintext'] });
      const hover = await hoverOnApplyCoupon(client);
      assert.equal((hover?.contents as MarkupContent).kind, 'markdown');
      assert.match((hover?.contents as MarkupContent).value, /^\*\*Checkout\*\*/);
    });
  });

  describe('a client that does not watch files', () => {
    it('a map replaced on disk (as git pull does it) takes effect', async () => {
      const client = await start({ watchesFiles: false });
      const mapFile = file('.customer-lens.yml');
      const before = client.mapChanges.length;
      // git checks a file out by writing it anew and renaming it into place.
      const text = fs.readFileSync(mapFile, 'utf8').replace('name: Checkout\n', 'name: Checkout flow\n');
      fs.writeFileSync(`${mapFile}.tmp`, text);
      fs.renameSync(`${mapFile}.tmp`, mapFile);
      await client.until(() => client.mapChanges.length > before, 'customerLens/didChangeMap after the map changed on disk');
      const features = await client.request<FeatureSummary[]>(FeatureListRequest.method);
      assert.ok(features.some((f) => f.name === 'Checkout flow'), features.map((f) => f.name).join(', '));
      assert.ok(client.logs.some((l) => / watch=server/.test(l)), 'the server says it watches the files itself');

      // And again: a second change is seen too (a watch on the replaced file itself would have gone deaf).
      const again = client.mapChanges.length;
      fs.writeFileSync(mapFile, text.replace('name: Checkout flow\n', 'name: Checkout again\n'));
      await client.until(() => client.mapChanges.length > again, 'customerLens/didChangeMap after the second change');
      assert.ok((await client.request<FeatureSummary[]>(FeatureListRequest.method)).some((f) => f.name === 'Checkout again'));
    });
  });

  describe('settings without workspace/configuration', () => {
    it('takes every setting from initializationOptions (codeLens.enabled here)', async () => {
      const client = await start({ initializationOptions: { codeLens: { enabled: false } } });
      assert.deepEqual(await lensesOf(client, couponStep()), []);
    });
  });

  describe('no root folder', () => {
    it('says so, finds the map from the opened file, and serves the root map and a nested map together', async () => {
      const client = await start({ folders: [] });
      await client.until(() => client.messages.length > 0, 'a message about the missing root');
      assert.equal(client.messages[0].type, MessageType.Info);
      assert.match(client.messages[0].message, /no workspace folder/);

      const nested = file('packages/mobile-app/src/checkout/applePay.payment.ts');
      client.open(nested);
      await client.until(() => client.mapChanges.length > 0, 'the map found from the file to load');
      assert.deepEqual(client.mapChanges, [uriOf(ws)], 'one folder: the outermost with a map, not the nested package');
      const explained = await client.request<ExplainResult>(ExplainRequest.method, { uri: uriOf(nested) });
      assert.deepEqual(
        explained.features.map((f) => f.featureId).sort(),
        ['checkout', 'mobile-checkout'],
        'the root map\'s checkout and the package\'s mobile-checkout',
      );
      const hover = await hoverOnApplyCoupon(client);
      assert.match((hover?.contents as MarkupContent).value, /^\*\*Checkout\*\*/);
    });

    it('warns once when an opened file has no map above it', async () => {
      const client = await start({ folders: [] });
      const lonely = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-no-map-'));
      try {
        const loose = path.join(lonely, 'notes.ts');
        fs.writeFileSync(loose, 'export const x = 1;\n');
        client.open(loose);
        await client.until(() => client.messages.some((m) => m.type === MessageType.Warning), 'a warning about the missing map');
        const warning = client.messages.find((m) => m.type === MessageType.Warning)!;
        assert.match(warning.message, new RegExp(`no \\.customer-lens\\.yml in ${lonely.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} or above it`));
        assert.match(warning.message, /customer-lens init/);
        const context = await client.request<{ features: unknown[] }>(FileContextRequest.method, { uri: uriOf(loose) });
        assert.deepEqual(context.features, []);
      } finally {
        fs.rmSync(lonely, { recursive: true, force: true });
      }
    });
  });

  describe('LSP error codes', () => {
    it('-32002 before initialize, -32602 for params of the wrong shape, -32600 after shutdown', async () => {
      const client = await start({ uninitialized: true });
      const hoverParams = { textDocument: { uri: uriOf(couponStep()) }, position: { line: 0, character: 0 } };

      for (const [method, params] of [
        ['textDocument/hover', hoverParams],
        [FeatureListRequest.method, undefined],
        ['shutdown', undefined],
      ] as const) {
        const early = await rpcError(client.request(method, params));
        assert.equal(early.code, -32002, `${method} before initialize: ${early.message}`);
        assert.match(early.message, /not initialized; send initialize first/);
      }

      await client.initialize({ folders: [ws] });
      for (const [method, params, field] of [
        ['textDocument/hover', { textDocument: { uri: 5 }, position: { line: 0, character: 0 } }, 'textDocument.uri'],
        ['textDocument/hover', { textDocument: { uri: uriOf(couponStep()) } }, 'position'],
        ['textDocument/codeLens', {}, 'textDocument'],
        [FileContextRequest.method, { uri: 7 }, 'uri'],
        ['customerLens/featureContext', {}, 'featureId'],
        ['workspace/executeCommand', { arguments: [] }, 'command'],
      ] as const) {
        const bad = await rpcError(client.request(method, params));
        assert.equal(bad.code, -32602, `${method} ${JSON.stringify(params)}: ${bad.message}`);
        assert.match(bad.message, new RegExp(`invalid ${field.replace('.', '\\.')}`));
      }
      assert.ok(await client.request('textDocument/hover', hoverParams) !== undefined, 'good params still work');

      await client.request('shutdown');
      for (const method of ['textDocument/hover', FeatureListRequest.method, 'shutdown']) {
        const late = await rpcError(client.request(method, method === 'textDocument/hover' ? hoverParams : undefined));
        assert.equal(late.code, -32600, `${method} after shutdown: ${late.message}`);
        assert.match(late.message, /shutting down/);
      }
    });
  });
});
