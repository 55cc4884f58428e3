// Restricted Mode inside a real VS Code: the window's folder is not trusted (the `restricted` group). A workspace-level
// `customerLens.endpoint` is ignored (the map's context file keeps working), a user-level one is used, and no
// token is sent. The endpoint is a small protocol v1 server on 127.0.0.1 that records every request.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import type { FileContextResult } from '../../src/shared/lspProtocol';
import { activateExtension, codeLenses, fixtureUri, openFixture, waitFor } from './support';

interface Recorded {
  url: string;
  headers: IncomingHttpHeaders;
}

async function startEndpoint(): Promise<{ url: string; requests: Recorded[]; server: Server }> {
  const requests: Recorded[] = [];
  const server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    const body = req.url?.startsWith('/v1/context')
      ? { version: 1, features: [{ id: 'checkout', name: 'Checkout', problems: [{ id: 'e1', title: 'Answer from the user-level endpoint', customers: 7 }] }] }
      : { version: 1, features: [{ id: 'checkout' }] };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

describe('editor in Restricted Mode', () => {
  let api: CustomerLensApi;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;

  before(async () => {
    assert.equal(vscode.workspace.isTrusted, false, 'this file must run in the restricted group');
    api = await activateExtension<CustomerLensApi>();
    await api.ready;
    endpoint = await startEndpoint();
  });
  after(async () => {
    const config = vscode.workspace.getConfiguration('customerLens');
    await config.update('endpoint', undefined, vscode.ConfigurationTarget.Global);
    await config.update('endpoint', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('codeLens.enabled', undefined, vscode.ConfigurationTarget.Workspace);
    await new Promise<void>((resolve) => endpoint?.server.close(() => resolve()));
  });

  // By method name: the request type objects of this test bundle are not the extension's own.
  const fileContext = () =>
    api.client.sendRequest<FileContextResult>('customerLens/fileContext', { uri: fixtureUri('src/checkout/couponStep.ts').toString() });

  it('ignores an endpoint from the workspace settings and keeps using the context file', async () => {
    const editor = await openFixture('src/checkout/couponStep.ts');
    const config = vscode.workspace.getConfiguration('customerLens');
    // codeLens.enabled rides along as proof that the server has read the new workspace settings.
    await config.update('endpoint', endpoint.url, vscode.ConfigurationTarget.Workspace);
    await config.update('codeLens.enabled', false, vscode.ConfigurationTarget.Workspace);
    const written = fs.readFileSync(fixtureUri('.vscode/settings.json').fsPath, 'utf8');
    assert.ok(written.includes(endpoint.url), `the workspace settings hold the endpoint:\n${written}`);
    await waitFor('the CodeLens to go away (the server read the workspace settings)', async () => {
      const lenses = await codeLenses(editor.document.uri);
      return lenses.every((lens) => lens.command?.command !== 'customerLens.openSidebar');
    });

    const result = await fileContext();
    assert.equal(result.freshness.source, 'file');
    assert.equal(result.features[0]?.context?.problems?.[0]?.id, 'chk-coupon-rejected', 'the context file still works');
    assert.deepEqual(endpoint.requests, [], 'the workspace endpoint must not be called in Restricted Mode');
  });

  it('uses an endpoint from the user settings instead, without a token', async () => {
    const config = vscode.workspace.getConfiguration('customerLens');
    await config.update('endpoint', 'http://127.0.0.1:9/not-this-one', vscode.ConfigurationTarget.Workspace);
    await config.update('endpoint', endpoint.url, vscode.ConfigurationTarget.Global);
    const result = await waitFor('context from the user-level endpoint', async () => {
      const answer = await fileContext();
      return answer.freshness.source === 'endpoint' && answer.features[0]?.context ? answer : undefined;
    });
    assert.equal(result.features[0].context?.problems?.[0]?.title, 'Answer from the user-level endpoint');
    assert.ok(endpoint.requests.length > 0);
    assert.ok(
      endpoint.requests.every((r) => r.headers.authorization === undefined),
      'no Authorization header may be sent in Restricted Mode',
    );
  });
});
