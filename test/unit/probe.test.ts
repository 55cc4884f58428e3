import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeCommand } from '../../src/cli/probe';
import type { CliIo } from '../../src/cli/cliSupport';
import { startReferenceServer, type ReferenceServer } from '../../src/context/referenceServer';
import { FaultServer, behaviours, refusedUrl, sampleFeature } from './support/faultServer';

const TOKEN = 'probe-token-91aa';

async function probe(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const io: CliIo = { out: (t) => (out += `${t}\n`), err: (t) => (out += `${t}\n`), cwd: process.cwd() };
  const code = await probeCommand.run(args, io);
  return { code, out };
}

function line(out: string, name: string): string {
  const found = out.split('\n').find((l) => l.includes(`  ${name}`));
  assert.ok(found, `no line for "${name}" in:\n${out}`);
  return found;
}

describe('customer-lens probe', () => {
  let dir: string;
  let reference: ReferenceServer;
  let fault: FaultServer | undefined;

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cl-probe-'));
    const dataFile = path.join(dir, 'context.json');
    await fs.writeFile(dataFile, JSON.stringify({ version: 1, features: [sampleFeature('checkout'), sampleFeature('search')] }));
    reference = await startReferenceServer({ dataFile, port: 0, token: TOKEN });
  });

  afterEach(async () => {
    await reference.close();
    await fault?.close();
    fault = undefined;
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('passes the reference server with its token, and exits 0', async () => {
    const { code, out } = await probe([reference.url, '--token', TOKEN]);
    assert.equal(code, 0, out);
    assert.match(out, /^Probing http:\/\/127\.0\.0\.1:\d+ against customer context protocol v1/);
    assert.match(line(out, 'GET /v1/features'), /PASS .* 200, valid protocol v1 body \(2 features\)/);
    assert.match(line(out, 'GET /v1/context?features=checkout,search'), /PASS .* \(2 of 2 features have data\)/);
    for (const name of ['ETag', 'If-None-Match → 304', 'unknown feature id', '51 ids → 400', 'no ids → 400', 'unknown path → 404', 'no token → 401', 'wrong token → 401']) {
      assert.match(line(out, name), /^ {2}PASS/, name);
    }
    assert.match(out, /\n10 passed, 0 failed\n$/);
    assert.ok(!out.includes(TOKEN));
  });

  it('asks for the given features', async () => {
    const { code, out } = await probe([reference.url, '--token', TOKEN, '--features', 'search']);
    assert.equal(code, 0, out);
    assert.match(line(out, 'GET /v1/context?features=search'), /PASS .* \(1 of 1 features have data\)/);
  });

  it('fails without the token when the endpoint needs one, saying so', async () => {
    const { code, out } = await probe([reference.url]);
    assert.equal(code, 1);
    assert.match(line(out, 'GET /v1/features'), /FAIL .* answered 401: the endpoint needs a token; run again with --token/);
  });

  it('reports each way a sloppy endpoint breaks the protocol', async () => {
    fault = await FaultServer.start({ features: [sampleFeature('checkout')] });
    // Serves data but: no 400 for bad queries, no auth, no ETag on the context answer, an invalid item.
    fault.always((req, res, server) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/v1/context') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ version: 1, features: [{ id: 'checkout', quotes: [{ id: 'q1', text: 'ok', sentiment: 'furious' }] }] }));
        return;
      }
      behaviours.serve(req, res, server);
    });
    const { code, out } = await probe([fault.url, '--token', TOKEN]);
    assert.equal(code, 1);
    assert.match(line(out, 'GET /v1/features'), /PASS/);
    assert.match(line(out, 'GET /v1/context?features=checkout'), /FAIL .*feature "checkout" quotes\[0\] \(id "q1"\) field "sentiment"/);
    assert.match(line(out, 'ETag'), /FAIL .*no ETag header/);
    assert.match(line(out, 'unknown feature id'), /FAIL .*expected 200 \{"version": 1, "features": \[\]\}/);
    assert.match(line(out, '51 ids → 400'), /FAIL .*answered 200; expected 400 for more than 50 ids/);
    assert.match(line(out, 'no ids → 400'), /FAIL/);
    assert.match(line(out, 'unknown path → 404'), /PASS .*404, message "not found"/);
    assert.match(line(out, 'no token → 401'), /FAIL .*serves customer data without the token/);
    assert.match(line(out, 'wrong token → 401'), /FAIL .*accepts a wrong token/);
  });

  it('reports a non-JSON error body and a missing 304', async () => {
    fault = await FaultServer.start({ features: [sampleFeature('checkout')] });
    fault.always((req, res, server) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/v1/context' && (url.searchParams.get('features') ?? '').split(',').length > 50) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('Bad Request');
        return;
      }
      if (req.headers['if-none-match']) delete req.headers['if-none-match'];
      behaviours.serve(req, res, server);
    });
    const { out } = await probe([fault.url]);
    assert.match(line(out, '51 ids → 400'), /FAIL .*body is not JSON .*send \{"error": \{"message": "..."\}\} or nothing/);
    assert.match(line(out, 'If-None-Match → 304'), /FAIL .*answered 200, expected 304/);
  });

  it('fails cleanly on an endpoint that cannot be reached or an invalid URL', async () => {
    const url = await refusedUrl();
    const refused = await probe([url]);
    assert.equal(refused.code, 1);
    assert.match(line(refused.out, 'GET /v1/features'), /FAIL .*cannot reach .* \(connection refused\)/);
    const invalid = await probe(['notaurl']);
    assert.equal(invalid.code, 1);
    assert.match(invalid.out, /FAIL .*is not a URL/);
  });

  it('warns that a token would travel over plain http to another machine', async () => {
    const { out } = await probe(['http://192.0.2.1:9/', '--token', TOKEN, '--timeout', '300']);
    assert.match(line(out, 'token transport'), /FAIL .*plain http to another machine; Customer Lens will not send the token there/);
  });
});
