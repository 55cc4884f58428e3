// The agents' tools in Restricted Mode follow the rest of the extension: the map and its context file work, an
// endpoint from the workspace settings is ignored, and no token goes anywhere, not to the endpoint and not into the
// MCP server VS Code would start.
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import { activateExtension, waitFor } from './support';

async function invoke(name: string, input: object): Promise<string> {
  const result = await vscode.lm.invokeTool(name, { input, toolInvocationToken: undefined }, new vscode.CancellationTokenSource().token);
  return result.content.map((part) => (part instanceof vscode.LanguageModelTextPart ? part.value : '')).join('');
}

describe('agents in Restricted Mode', () => {
  let api: CustomerLensApi;
  const userEndpoint = 'http://127.0.0.1:9/user-level';

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this file must run in the restricted group');
    api = await activateExtension<CustomerLensApi>();
    await api.ready;
  });
  after(async () => {
    const config = vscode.workspace.getConfiguration('customerLens');
    await config.update('endpoint', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    await api.clearToken(new URL(userEndpoint).origin);
  });

  it('answers from the map and its context file, ignoring an endpoint from the workspace settings', async () => {
    await vscode.workspace.getConfiguration('customerLens').update('endpoint', 'http://127.0.0.1:9/workspace-level', vscode.ConfigurationTarget.Workspace);
    const text = await invoke('customerLens_customer_context', { paths: ['src/checkout/couponStep.ts'] });
    assert.match(text, /^Customer context \(context from the file customer-context\.json/);
    assert.match(text, /"Coupon codes rejected at the coupon step": 42 customers/);
    const definitions = await api.agents.mcpServerDefinitions();
    if (definitions) assert.equal(definitions[0]?.env.CUSTOMER_LENS_ENDPOINT, null, 'the MCP server is not pointed at the workspace endpoint');
  });

  it('points the MCP server at an endpoint from the user settings, never with a token', async () => {
    await api.storeToken(new URL(userEndpoint).origin, 'restricted-secret-1');
    await vscode.workspace.getConfiguration('customerLens').update('endpoint', userEndpoint, vscode.ConfigurationTarget.Global);
    const definitions = await api.agents.mcpServerDefinitions();
    if (!definitions) return; // This VS Code has no MCP API: nothing is offered, so nothing can leak.
    const definition = await waitFor('the definition to follow the user endpoint', async () => {
      const current = (await api.agents.mcpServerDefinitions())?.[0];
      return current?.env.CUSTOMER_LENS_ENDPOINT === userEndpoint ? current : undefined;
    });
    assert.equal(definition.env.CUSTOMER_LENS_TOKEN, null, 'no token in Restricted Mode');
  });
});
