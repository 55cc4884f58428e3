// `customer-lens lsp --stdio` as any LSP editor runs it, with the context coming from the real reference server on
// 127.0.0.1 (protocol v1, a required token): initializationOptions, workspace/configuration, tokens per origin,
// Restricted Mode, and that the token never shows in a log.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol';
import { startReferenceServer, type ReferenceServer } from '../../src/context/referenceServer';
import { DidChangeTokenNotification, FileContextRequest, type FileContextResult } from '../../src/shared/lspProtocol';
import { copyFixture, TestLspClient, uriOf } from './support/lspTestClient';

const TOKEN = 'tok-3f9a1c77e2-secret';

describe('customer-lens lsp --stdio with an endpoint (reference server on 127.0.0.1)', function () {
  this.timeout(30_000);
  let ws: string;
  let reference: ReferenceServer;
  const requests: string[] = [];
  const clients: TestLspClient[] = [];

  before(async () => {
    ws = copyFixture();
    reference = await startReferenceServer({
      dataFile: path.join(ws, 'customer-context.json'),
      port: 0,
      token: TOKEN,
      log: (line) => requests.push(line),
      watch: false,
    });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await reference?.close();
    fs.rmSync(ws, { recursive: true, force: true });
  });
  beforeEach(() => {
    requests.length = 0;
  });

  async function start(options: Omit<Parameters<typeof TestLspClient.start>[0], 'folders'>): Promise<TestLspClient> {
    const client = await TestLspClient.start({ folders: [ws], entry: 'cli', clientName: 'Neovim', ...options });
    clients.push(client);
    return client;
  }
  const couponStep = () => path.join(ws, 'src', 'checkout', 'couponStep.ts');
  async function hover(client: TestLspClient): Promise<string> {
    const uri = client.open(couponStep());
    const result = await client.request<Hover | null>('textDocument/hover', {
      textDocument: { uri },
      position: TestLspClient.positionOf(couponStep(), 'applyCoupon(cart', 3),
    });
    assert.ok(result, 'expected a hover');
    return (result.contents as MarkupContent).value;
  }
  const fileContext = (client: TestLspClient) => client.request<FileContextResult>(FileContextRequest.method, { uri: uriOf(couponStep()) });
  const assertTokenNeverLogged = (client: TestLspClient) => {
    assert.ok(!client.logs.some((l) => l.includes(TOKEN)), 'the token appears in the server log');
    assert.ok(!client.stderr.join('').includes(TOKEN), 'the token appears on stderr');
    assert.ok(!requests.some((l) => l.includes(TOKEN)), 'the token appears in the reference server log');
  };

  it('reads endpoint, token and hover mode from initializationOptions (a client without workspace/configuration)', async () => {
    const client = await start({ initializationOptions: { endpoint: reference.url, token: TOKEN, hover: { mode: 'anchors' } } });
    const card = await hover(client);
    assert.match(card, /^\*\*Checkout\*\*/);
    assert.match(card, /42\scustomers · \$386k\sARR · ▲\s35% · in\sprogress/);
    assert.match(card, / · updated just now$/);
    assert.doesNotMatch(card, /command:/, 'no command link for a client that did not ask for it');
    const result = await fileContext(client);
    assert.equal(result.freshness.source, 'endpoint');
    assert.equal(result.freshness.state, 'synced');
    assert.equal(result.freshness.origin, new URL(reference.url).origin);
    assert.ok(requests.some((l) => l.includes('/v1/context')), requests.join('\n'));
    assertTokenNeverLogged(client);
  });

  it('without the token: no context, and the card says why', async () => {
    const client = await start({ initializationOptions: { endpoint: reference.url } });
    const card = await hover(client);
    assert.match(card, /\*Customer context is unavailable right now\.\*/);
    assert.match(card, /⚠ http\\:\/\/127\.0\.0\.1:\d+\/v1\/context\?features=[\w,-]*\bcheckout\b[\w,-]* answered 401: .*Set Token/);
    assert.match(card, / · context error$/);
    assert.equal((await fileContext(client)).freshness.state, 'error');
  });

  it('takes the endpoint from workspace/configuration and the token from customerLens/didChangeToken', async () => {
    const client = await start({ configuration: (item) => (item.section === 'customerLens' ? { endpoint: reference.url } : null) });
    assert.equal((await fileContext(client)).freshness.state, 'error', 'no token yet');
    await client.notify(DidChangeTokenNotification.method, { origin: new URL(reference.url).origin, token: TOKEN });
    await client.until(() => client.contextChanges.length > 0, 'customerLens/didChangeContext after the token change');
    const result = await fileContext(client);
    assert.equal(result.freshness.state, 'synced');
    assert.equal(result.features[0].context?.problems?.[0]?.id, 'chk-coupon-rejected');
    assertTokenNeverLogged(client);
  });

  it('never sends a token to another origin', async () => {
    const client = await start({
      initializationOptions: { tokens: { 'https://context.example.com': TOKEN } },
      configuration: (item) => (item.section === 'customerLens' ? { endpoint: reference.url } : null),
    });
    const result = await fileContext(client);
    assert.equal(result.freshness.state, 'error');
    assert.match(result.freshness.error ?? '', /401/);
  });

  describe('Restricted Mode (trusted: false)', () => {
    it('ignores a workspace-level endpoint and uses the context file', async () => {
      const origin = new URL(reference.url).origin;
      const client = await start({
        initializationOptions: { trusted: false, tokens: { [origin]: TOKEN } },
        configuration: (item) => (item.section === 'customerLens' ? { endpoint: reference.url, endpointLevel: 'workspace' } : null),
      });
      const result = await fileContext(client);
      assert.equal(result.freshness.source, 'file');
      assert.equal(result.features[0].context?.problems?.length, 4, 'the context file still works');
      assert.deepEqual(requests, [], 'the endpoint was never called');
      assert.ok(client.logs.some((l) => l.includes('ignored in Restricted Mode')), client.logs.join('\n'));
    });

    it('uses a user-level endpoint, without the token', async () => {
      const origin = new URL(reference.url).origin;
      const client = await start({
        initializationOptions: { trusted: false, tokens: { [origin]: TOKEN } },
        configuration: (item) =>
          item.section === 'customerLens' ? { endpoint: 'https://workspace.example.com', endpointLevel: 'workspace', userEndpoint: reference.url } : null,
      });
      const result = await fileContext(client);
      assert.equal(result.freshness.source, 'endpoint');
      assert.equal(result.freshness.origin, origin);
      assert.equal(result.freshness.state, 'error', 'the endpoint wants a token and none was sent');
      assert.ok(requests.some((l) => l.includes('401')), requests.join('\n'));
    });
  });
});
