// The language server process behind the extension's client, for tests that stop it the hard way.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { State } from 'vscode-languageclient/node';
import type { CustomerLensApi } from '../../src/client/customerLensContext';
import type { ServerInfoResult } from '../../src/shared/lspProtocol';
import { nextEvent } from './support';

/** The server's process id and start time (by method name: the request types of this bundle are not the extension's). */
export function serverInfo(api: CustomerLensApi): Promise<ServerInfoResult> {
  return api.client.sendRequest<ServerInfoResult>('customerLens/serverInfo');
}

/**
 * Kills the server with SIGKILL (a crash: no shutdown, no exit notification) and resolves once the client runs a new
 * server and that server has loaded the map, with the old and new process ids.
 */
export async function killServer(api: CustomerLensApi): Promise<{ before: ServerInfoResult; after: ServerInfoResult }> {
  const before = await serverInfo(api);
  assert.notEqual(before.pid, process.pid, 'the server runs in its own process');
  const running = nextEvent('the client to be Running again', api.client.onDidChangeState, (event) => event.newState === State.Running, 20_000);
  const reloaded = nextEvent('the new server to load the map', api.onDidChangeMap, () => true, 20_000);
  process.kill(before.pid, 'SIGKILL');
  await running;
  await reloaded;
  return { before, after: await serverInfo(api) };
}

/** The "Customer Lens" log as VS Code wrote it to disk. */
export function logText(api: CustomerLensApi): string {
  const file = path.join(api.logUri.fsPath, 'Customer Lens.log');
  assert.ok(fs.existsSync(file), `no log file at ${file}; the folder holds: ${fs.existsSync(api.logUri.fsPath) ? fs.readdirSync(api.logUri.fsPath).join(', ') : '(nothing)'}`);
  return fs.readFileSync(file, 'utf8');
}
