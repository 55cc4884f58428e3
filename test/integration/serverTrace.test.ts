// With `customerLens.trace.server` at verbose, the language client writes every message with its parameters into the
// Customer Lens log, including initializationOptions (which carry the endpoint tokens) and
// customerLens/didChangeToken. In a real VS Code: a token handed over the way Set Token does it reaches a 127.0.0.1
// endpoint as "Authorization: Bearer …", and the log file VS Code wrote holds no trace of it.
import * as assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as vscode from 'vscode';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import { killServer, logText, serverInfo } from './serverProcess';
import { activateExtension, extensionManifest, fixtureUri, waitFor } from './support';

async function startEndpoint(): Promise<{ url: string; authorizations: string[]; server: Server }> {
  /** The Authorization header of every request, `(none)` when there was none. */
  const authorizations: string[] = [];
  const server = createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '(none)');
    const body = req.url?.startsWith('/v1/context')
      ? { version: 1, features: [{ id: 'checkout', name: 'Checkout', problems: [{ id: 't1', title: 'Answer from the traced endpoint', customers: 3 }] }] }
      : { version: 1, features: [{ id: 'checkout' }] };
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, authorizations, server };
}

describe('server trace', function () {
  this.timeout(60_000);
  let api: CustomerLensApi;
  let endpoint: Awaited<ReturnType<typeof startEndpoint>>;

  before(async () => {
    api = await activateExtension<CustomerLensApi>();
    await api.ready;
    endpoint = await startEndpoint();
  });
  after(async () => {
    const config = vscode.workspace.getConfiguration('customerLens');
    await config.update('trace.server', undefined, vscode.ConfigurationTarget.Workspace);
    await config.update('endpoint', undefined, vscode.ConfigurationTarget.Workspace);
    if (endpoint) await api.clearToken(new URL(endpoint.url).origin);
    await new Promise<void>((resolve) => endpoint?.server.close(() => resolve()));
  });

  it('declares the trace setting, off by default', () => {
    // The settings come in categories (customer context, editor, troubleshooting).
    const categories = extensionManifest().contributes?.configuration as { properties: Record<string, { enum?: string[]; default?: string }> }[];
    const properties = Object.assign({}, ...categories.map((category) => category.properties)) as Record<string, { enum?: string[]; default?: string }>;
    assert.deepEqual(properties['customerLens.trace.server']?.enum, ['off', 'messages', 'verbose']);
    assert.equal(properties['customerLens.trace.server']?.default, 'off');
  });

  it('traces the protocol with the token redacted, in the log file VS Code writes', async () => {
    const token = `cl-secret-${randomUUID()}`;
    const origin = new URL(endpoint.url).origin;
    const config = vscode.workspace.getConfiguration('customerLens');
    await config.update('trace.server', 'verbose', vscode.ConfigurationTarget.Workspace);
    // Tracing is on once a request shows up in the log with its result.
    await waitFor('the trace to start', async () => {
      await serverInfo(api);
      return /Received response 'customerLens\/serverInfo - \(\d+\)' in \d+ms\.\s+Result: \{/.test(logText(api));
    });

    await api.storeToken(origin, token);
    await config.update('endpoint', endpoint.url, vscode.ConfigurationTarget.Workspace);
    await waitFor('the endpoint to receive the token', async () => {
      await api.client.sendRequest('customerLens/fileContext', { uri: fixtureUri('src/checkout/couponStep.ts').toString() });
      if (endpoint.authorizations.includes(`Bearer ${token}`)) return true;
      throw new Error(`${endpoint.authorizations.length} requests so far, ${endpoint.authorizations.filter((a) => a === '(none)').length} of them without a token`);
    });
    // A crash and restart: the new server gets the token in initializationOptions, which the client traces.
    await killServer(api);
    const log = await waitFor('the traced notification and initialize in the log', () => {
      const text = logText(api);
      return text.includes("Sending notification 'customerLens/didChangeToken'") && /"initializationOptions": \{[^]*"tokens": \{/.test(text) ? text : undefined;
    });

    assert.ok(!log.includes(token), 'the token must not be in the log');
    assert.ok(!log.includes(token.slice(10)), 'nor any recognizable part of it');
    const notification = log.slice(log.indexOf("Sending notification 'customerLens/didChangeToken'"));
    assert.match(notification, /"token": "<redacted>"/);
    const initialize = log.slice(log.lastIndexOf('"initializationOptions"'));
    assert.match(initialize, new RegExp(`"tokens": \\{\\s*"${origin.replace(/[.:/]/g, '\\$&')}": "<redacted>"\\s*\\}`));
  });
});
