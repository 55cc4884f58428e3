// The language server runs the agents' tools for VS Code's language-model tools (customerLens/agentTool) and writes
// the instruction files (customerLens/writeAgentInstructions). One core answers both ways: the server's answer must
// be the one `customer-lens mcp` gives for the same workspace and input, word for word.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { AgentInstructionsRequest, AgentToolRequest, type AgentInstructionsResult, type AgentToolResult } from '../../src/shared/lspProtocol';
import { buildOnce, runCli } from './cliHarness';
import { connectMcp, type McpConnection } from './support/mcpTestClient';
import { copyFixture, TestLspClient, uriOf } from './support/lspTestClient';

describe('language server: the agents\' tools and instruction files', function () {
  this.timeout(60_000);
  let ws: string;
  let lsp: TestLspClient;
  let mcp: McpConnection;
  let cacheDir: string;

  before(async () => {
    await buildOnce();
    ws = copyFixture();
    cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-parity-cache-'));
    lsp = await TestLspClient.start({ folders: [ws] });
    mcp = await connectMcp(['--root', ws, '--cache-dir', cacheDir]);
  });
  after(async () => {
    await Promise.all([lsp?.stop(), mcp?.close()]);
    fs.rmSync(ws, { recursive: true, force: true });
    fs.rmSync(cacheDir, { recursive: true, force: true });
  });

  const viaServer = (name: string, input: unknown) => lsp.connection.sendRequest<AgentToolResult>(AgentToolRequest.method, { name, input });

  it('answers every tool exactly as customer-lens mcp does, text and JSON, errors included', async () => {
    const calls: [string, Record<string, unknown>][] = [
      ['customer_context', { paths: ['src/checkout/couponStep.ts', 'packages/mobile-app/src/checkout/applePay.payment.ts', 'src/lib/money.ts'] }],
      ['customer_context', { paths: [path.join(ws, 'src', 'billing') + '/'], maxTokens: 600 }],
      ['customer_context', { featureIds: ['search', 'serch'], format: 'json' }],
      ['customer_impact', { paths: ['src/checkout/cart.ts', 'src/onboarding/trialSetup.ts', 'scripts/seedCatalog.ts'], maxTokens: 800 }],
      ['find_features', { query: 'welcome email' }],
      ['find_features', { query: '', format: 'json', maxTokens: 300 }],
      ['customer_context', {}],
      ['customer_context', { paths: ['src/a.ts'], maxTokens: 9999 }],
    ];
    for (const [name, input] of calls) {
      const server = await viaServer(name, input);
      const direct = await mcp.call(name, input);
      if (server.isError && direct.text.startsWith('Input validation error: ')) {
        // The SDK validates MCP arguments before the tool runs and words the error its way; the server validates
        // with the same schema: same message after the SDK's prefix.
        assert.equal(`Input validation error: ${server.text}`, direct.text, `${name} ${JSON.stringify(input)}`);
      } else {
        assert.deepEqual(server, direct, `${name} ${JSON.stringify(input)}`);
      }
    }
  });

  it('names the tools it has when asked for another, and says what to do without a map', async () => {
    const unknown = await viaServer('customer_contexts', { paths: ['x'] });
    assert.deepEqual(unknown, { isError: true, text: 'There is no tool "customer_contexts"; the tools are customer_context, customer_impact, find_features.' });
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-parity-empty-'));
    const bare = await TestLspClient.start({ folders: [empty] });
    try {
      const answer = await bare.connection.sendRequest<AgentToolResult>(AgentToolRequest.method, { name: 'find_features', input: { query: '' } });
      assert.equal(answer.isError, true);
      assert.match(answer.text, /^No map here: no map file \(\.customer-lens\.yml, \.customer-lens\.yaml, \.customer-lens\.json\) in .*; create one with "Customer Lens: Create Map…" \(or `customer-lens init`\)\.$/);
    } finally {
      await bare.stop();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });

  it('writes the same instruction files as customer-lens instructions', async () => {
    const result = await lsp.connection.sendRequest<AgentInstructionsResult>(AgentInstructionsRequest.method, { workspaceFolderUri: uriOf(ws) });
    assert.equal(result.folderUri, uriOf(path.join(ws, '.github', 'instructions')));
    assert.deepEqual(
      result.written.map((uri) => path.basename(new URL(uri).pathname)),
      ['customer-lens.instructions.md', 'customer-lens-checkout.instructions.md', 'customer-lens-search.instructions.md', 'customer-lens-onboarding.instructions.md', 'customer-lens-billing.instructions.md', 'customer-lens-mobile-checkout.instructions.md'],
    );
    const check = await runCli(ws, 'instructions', '--check');
    assert.equal(check.code, 0, `${check.stdout}${check.stderr}`);
    assert.match(check.stdout, /Agent instructions are up to date \(6 files in \.github\/instructions\)\./);
    const again = await lsp.connection.sendRequest<AgentInstructionsResult>(AgentInstructionsRequest.method, { workspaceFolderUri: uriOf(ws) });
    assert.equal(again.written.length, 0);
    assert.equal(again.unchanged.length, 6);
  });
});
