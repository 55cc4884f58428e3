// Customer Lens for agents inside a real VS Code (code-server 1.139, offline): the language-model tools are registered
// and `vscode.lm.invokeTool` returns the context the language server computes; the setting turns them off; the MCP
// server VS Code would start is the extension's own CLI bundle, and it answers an MCP client; Write Agent
// Instructions writes the files. No language model is available offline, so no model chooses or calls the tools
// here: the tests call them the way agent mode does once a model has chosen one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import { activateExtension, extensionManifest, fixtureUri, waitFor, workspaceFolder } from './support';

const CONTEXT_TOOL = 'customerLens_customer_context';
const IMPACT_TOOL = 'customerLens_customer_impact';
const FIND_TOOL = 'customerLens_find_features';

/** The text parts of a tool result, joined. */
function textOf(result: vscode.LanguageModelToolResult): string {
  return result.content
    .filter((part): part is vscode.LanguageModelTextPart => part instanceof vscode.LanguageModelTextPart)
    .map((part) => part.value)
    .join('');
}

async function invoke(name: string, input: object): Promise<string> {
  const source = new vscode.CancellationTokenSource();
  try {
    return textOf(await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, source.token));
  } finally {
    source.dispose();
  }
}

describe('agents: language-model tools and the MCP server', () => {
  let api: CustomerLensApi;

  before(async () => {
    api = await activateExtension<CustomerLensApi>();
    await api.ready;
  });
  after(async () => {
    await vscode.workspace.getConfiguration('customerLens').update('agentTools.enabled', undefined, vscode.ConfigurationTarget.Global);
  });

  it('registers the three tools with VS Code, as package.json declares them', async () => {
    const tools = await waitFor('the Customer Lens tools in vscode.lm.tools', () => {
      const ours = vscode.lm.tools.filter((tool) => tool.name.startsWith('customerLens_'));
      return ours.length === 3 ? ours : undefined;
    });
    assert.deepEqual(tools.map((t) => t.name).sort(), [CONTEXT_TOOL, IMPACT_TOOL, FIND_TOOL].sort());
    const declared = (extensionManifest().contributes?.languageModelTools ?? []) as { name: string; modelDescription: string }[];
    for (const tool of tools) {
      const entry = declared.find((d) => d.name === tool.name);
      assert.ok(entry, `${tool.name} is declared`);
      assert.equal(tool.description, entry.modelDescription);
      assert.equal((tool.inputSchema as { type?: string } | undefined)?.type, 'object');
      assert.ok(tool.tags.includes('customer-lens'));
    }
  });

  it('vscode.lm.invokeTool returns a file\'s customer context, computed by the language server', async () => {
    const text = await invoke(CONTEXT_TOOL, { paths: ['src/checkout/couponStep.ts'] });
    const lines = text.split('\n');
    assert.equal(lines[0], 'Customer context (context from the file customer-context.json, read just now)');
    assert.ok(lines.includes('src/checkout/couponStep.ts → checkout (/src/checkout/ at .customer-lens.yml:17)'), text);
    assert.ok(lines.includes('## checkout: Checkout'));
    assert.ok(lines.includes('- "Coupon codes rejected at the coupon step": 42 customers, $386k ARR, high, in-progress, trend ▲ 35% <https://support.example.com/tickets/48213>'), text);
    assert.ok(!text.includes('Maria Lopez'), 'the people quoted are not named');

    const absolute = await invoke(CONTEXT_TOOL, { paths: [fixtureUri('src/billing/plans.ts').fsPath], format: 'json', maxTokens: 500 });
    const json = JSON.parse(absolute) as { features: { id: string; problems?: { title: string }[] }[] };
    assert.equal(json.features[0]?.id, 'billing');
    assert.ok(absolute.length / 4 <= 500, 'the budget holds');
  });

  it('customer_impact and find_features answer through VS Code too', async () => {
    const impact = await invoke(IMPACT_TOOL, { paths: ['src/search/rankResults.ts', 'scripts/seedCatalog.ts'] });
    assert.match(impact, /^Customer impact of 2 changed paths/);
    assert.match(impact, /## search: Search: 4 open problems, the largest hitting 31 customers/);
    assert.match(impact, /not customer-facing \(unmapped\): scripts\/seedCatalog\.ts/);
    const found = await invoke(FIND_TOOL, { query: 'apple pay' });
    assert.match(found, /^## mobile-checkout: Mobile checkout/m);
  });

  it('answers bad input with an error the model can act on', async () => {
    await assert.rejects(invoke(CONTEXT_TOOL, {}), /Give "paths" \(the files or folders you are about to change\) and\/or "featureIds"/);
    await assert.rejects(invoke(CONTEXT_TOOL, { paths: ['src/a.ts'], maxTokens: 10 }), /Invalid arguments for tool customer_context: maxTokens: maxTokens must be at least 100/);
  });

  it('offers the MCP server where VS Code has the API: the extension\'s CLI bundle, answering an MCP client', async function () {
    const hasApi = typeof (vscode.lm as unknown as { registerMcpServerDefinitionProvider?: unknown }).registerMcpServerDefinitionProvider === 'function';
    const definitions = await api.agents.mcpServerDefinitions();
    if (!hasApi) {
      assert.equal(definitions, undefined, 'no MCP API, no definitions');
      return;
    }
    assert.ok(definitions, 'VS Code 1.139 has the MCP server definition API');
    assert.equal(definitions.length, 1);
    const definition = definitions[0]!;
    assert.equal(definition.label, 'Customer Lens');
    assert.equal(definition.command, process.execPath);
    const cli = definition.args[0]!;
    assert.ok(cli.endsWith(path.join('dist', 'cli', 'customerLens.js')) && fs.existsSync(cli), `the extension's own CLI bundle: ${cli}`);
    assert.deepEqual(definition.args.slice(1, 4), ['mcp', '--root', workspaceFolder().uri.fsPath]);
    assert.equal(definition.env.CUSTOMER_LENS_ENDPOINT, null, 'no endpoint configured');
    assert.equal(definition.env.CUSTOMER_LENS_TOKEN, null);

    // Start it as VS Code would, and speak MCP with it.
    const env: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' };
    for (const [key, value] of Object.entries(definition.env)) if (value !== null) env[key] = String(value);
    const transport = new StdioClientTransport({ command: definition.command, args: [...definition.args], env, cwd: definition.cwd?.fsPath, stderr: 'pipe' });
    const client = new Client({ name: 'integration-test', version: '1.0.0' });
    await client.connect(transport);
    try {
      const { tools } = await client.listTools();
      assert.deepEqual(tools.map((t) => t.name), ['customer_context', 'customer_impact', 'find_features']);
      const result = await client.callTool({ name: 'customer_context', arguments: { paths: ['src/checkout/couponStep.ts'] } });
      const answer = (result.content as { text: string }[])[0]!.text;
      assert.equal(answer, await invoke(CONTEXT_TOOL, { paths: ['src/checkout/couponStep.ts'] }), 'the MCP server and the language-model tool give the same answer');
    } finally {
      await client.close();
    }
  });

  it('hands the MCP server the editor\'s endpoint, and its token only when VS Code starts it', async () => {
    assert.ok(await api.agents.mcpServerDefinitions(), 'VS Code 1.139 has the MCP server definition API');
    const endpoint = 'https://context.example.com/api';
    const config = vscode.workspace.getConfiguration('customerLens');
    await api.storeToken('https://context.example.com', 'trusted-secret-42');
    await config.update('endpoint', endpoint, vscode.ConfigurationTarget.Global);
    try {
      const definition = await waitFor('a definition with the endpoint', async () => {
        const current = (await api.agents.mcpServerDefinitions())?.[0];
        return current?.env.CUSTOMER_LENS_ENDPOINT === endpoint ? current : undefined;
      });
      assert.equal(definition.env.CUSTOMER_LENS_TOKEN, 'trusted-secret-42', 'resolved just before start: the token of the endpoint\'s origin');
      assert.ok(definition.args.includes('--cache-dir'), 'the editor\'s disk cache, so the server starts warm');
    } finally {
      await config.update('endpoint', undefined, vscode.ConfigurationTarget.Global);
      await api.clearToken('https://context.example.com');
    }
  });

  it('the setting turns the tools and the MCP server off', async () => {
    const config = vscode.workspace.getConfiguration('customerLens');
    await config.update('agentTools.enabled', false, vscode.ConfigurationTarget.Global);
    try {
      await assert.rejects(invoke(CONTEXT_TOOL, { paths: ['src/checkout/couponStep.ts'] }), /The Customer Lens tools are turned off \(setting customerLens\.agentTools\.enabled\)/);
      const definitions = await api.agents.mcpServerDefinitions();
      if (definitions) assert.deepEqual(definitions, []);
    } finally {
      await config.update('agentTools.enabled', undefined, vscode.ConfigurationTarget.Global);
    }
    assert.match(await invoke(FIND_TOOL, { query: '' }), /^5 features in the map/);
  });

  it('Write Agent Instructions writes the instruction files for the map', async () => {
    const dir = fixtureUri('.github/instructions').fsPath;
    fs.rmSync(dir, { recursive: true, force: true });
    // The command ends with an information message; it is not awaited by anyone here, so the command returns.
    void vscode.commands.executeCommand('customerLens.writeAgentInstructions');
    const files = await waitFor('the instruction files', () => {
      const names = fs.existsSync(dir) ? fs.readdirSync(dir).sort() : [];
      return names.length === 6 ? names : undefined;
    });
    assert.deepEqual(files, [
      'customer-lens-billing.instructions.md',
      'customer-lens-checkout.instructions.md',
      'customer-lens-mobile-checkout.instructions.md',
      'customer-lens-onboarding.instructions.md',
      'customer-lens-search.instructions.md',
      'customer-lens.instructions.md',
    ]);
    assert.match(fs.readFileSync(path.join(dir, 'customer-lens-checkout.instructions.md'), 'utf8'), /^---\napplyTo: "src\/checkout\/\*\*,\*\*\/\*\.payment\.ts"\n/);
  });
});
