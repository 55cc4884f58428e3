// How many requests the language server sends to a context endpoint while files open and change: counted on a real
// protocol v1 server on 127.0.0.1, with the real server process over LSP. The map's feature ids are known once it
// loads, so one request (≤ 50 ids) serves every file opened afterwards, in a burst or one by one.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { CodeLens } from 'vscode-languageserver-protocol';
import { FaultServer, sampleFeature } from './support/faultServer';
import { TestLspClient } from './support/lspTestClient';

const FEATURES = 20;
const FILES_PER_FEATURE = 10;

/** A workspace of 20 features with 10 files each, and its map. */
function makeWorkspace(): { root: string; files: string[] } {
  const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'customer-lens-requests-')));
  const lines = ['version: 1', 'features:'];
  const files: string[] = [];
  for (let f = 0; f < FEATURES; f++) {
    lines.push(`  - id: feature-${f}`, `    name: Feature ${f}`, '    paths:', `      - /src/feature${f}/`);
    fs.mkdirSync(path.join(root, 'src', `feature${f}`), { recursive: true });
    for (let i = 0; i < FILES_PER_FEATURE; i++) {
      const file = path.join(root, 'src', `feature${f}`, `part${i}.ts`);
      fs.writeFileSync(file, `export const part${i} = ${i};\n`);
      files.push(file);
    }
  }
  fs.writeFileSync(path.join(root, '.customer-lens.yml'), `${lines.join('\n')}\n`);
  return { root, files };
}

describe('requests to the endpoint while files open and change (real server on 127.0.0.1)', function () {
  this.timeout(60_000);
  let server: FaultServer;
  let ws: { root: string; files: string[] };
  const clients: TestLspClient[] = [];

  before(async () => {
    ws = makeWorkspace();
    server = await FaultServer.start({ features: Array.from({ length: FEATURES }, (_, i) => sampleFeature(`feature-${i}`)) });
  });
  after(async () => {
    await Promise.all(clients.map((c) => c.stop()));
    await server?.close();
    fs.rmSync(ws.root, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  async function start(settings: Record<string, unknown> = {}): Promise<TestLspClient> {
    const client = await TestLspClient.start({
      folders: [ws.root],
      configuration: (item) => (item.section === 'customerLens' ? { endpoint: server.url, ...settings } : null),
    });
    clients.push(client);
    return client;
  }
  const lensOf = async (client: TestLspClient, file: string): Promise<string> => {
    const uri = client.open(file);
    const lenses = await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    return lenses.map((lens) => lens.command?.title ?? '').join(' | ');
  };

  it('opening 200 files of 20 features one by one costs one request, and every lens has its context', async () => {
    const client = await start();
    const titles: string[] = [];
    for (const file of ws.files) titles.push(await lensOf(client, file));
    assert.equal(server.contextRequests.length, 1, server.contextRequests.map((r) => r.url).join('\n'));
    assert.equal(server.contextRequests[0]!.ids.length, FEATURES);
    // A lens without context would only name the feature; each one counts its feature's problems.
    for (const [i, title] of titles.entries()) assert.match(title, /problem/, `lens of ${ws.files[i]}: ${title}`);
  });

  it('opening 200 files in a burst costs one request', async () => {
    const client = await start();
    const titles = await Promise.all(ws.files.map((file) => lensOf(client, file)));
    assert.equal(server.contextRequests.length, 1);
    assert.ok(titles.every((title) => title.length > 0));
  });

  it('with cacheTtlMinutes 0, 100 edits with their lenses cost at most 3 requests, revalidations as 304s', async () => {
    const client = await start({ cacheTtlMinutes: 0 });
    const file = ws.files[0]!;
    const uri = client.open(file);
    await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    for (let edit = 1; edit <= 100; edit++) {
      client.change(file, `export const part0 = ${edit};\n`);
      await client.request<CodeLens[]>('textDocument/codeLens', { textDocument: { uri } });
    }
    const requests = server.contextRequests;
    assert.ok(requests.length <= 3, `${requests.length} requests for 100 edits`);
    for (const revalidation of requests.slice(1)) assert.ok(revalidation.headers['if-none-match'], 'a revalidation is conditional');
  });
});
