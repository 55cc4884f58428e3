// An endpoint that misbehaves on purpose, over real sockets on 127.0.0.1: a body that drips one byte at a time (each
// byte inside the body timeout) and a name that only pretends to be this machine.
import * as assert from 'node:assert/strict';
import * as dns from 'node:dns';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Agent } from 'undici';
import { createContextService } from '../../src/context/contextService';
import { HttpClient, HttpError, isLoopbackHost, loopbackOnlyLookup, transportAllowsToken } from '../../src/context/httpClient';
import type { ContextService } from '../../src/shared/contextModel';
import { FaultServer, behaviours, captureLog, sampleFeature } from './support/faultServer';

const TOKEN = 'drip-token-5be1c2';

describe('hostile endpoint', function () {
  this.timeout(20_000);
  const servers: FaultServer[] = [];
  const services: ContextService[] = [];
  const start = async () => {
    const server = await FaultServer.start({ features: [sampleFeature('checkout')] });
    servers.push(server);
    return server;
  };

  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.dispose()));
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('ends a request whose body drips within every body timeout, at the request deadline', async () => {
    const server = (await start()).always(behaviours.drip(200));
    const http = new HttpClient({ requestTimeoutMs: 1000, maxResponseBytes: 5 * 1024 * 1024, log: captureLog(), maxRetries: 0 });
    const started = Date.now();
    await assert.rejects(http.get(`${server.url}/v1/context?features=checkout`), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /did not answer within 1000 ms/);
      return true;
    });
    // undici checks its timers about once a second; the deadline is this client's own.
    assert.ok(Date.now() - started < 2500, `gave up after ${Date.now() - started} ms`);
    await http.close();
  });

  it('shows the context once a dripping endpoint recovers and the user refreshes', async () => {
    const server = (await start()).always(behaviours.drip(200));
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cl-drip-'));
    const service = createContextService(
      { endpoint: server.url, contextFiles: [], cacheDir: dir, ttlMs: 600_000, requestTimeoutMs: 1000, maxResponseBytes: 5 * 1024 * 1024, log: captureLog() },
      { maxRetries: 0 },
    );
    services.push(service);
    const first = await service.get(['checkout'], { budgetMs: 100 });
    assert.equal(first.features.checkout, undefined);
    // The dripping request ends at its deadline and the endpoint is reported unreachable.
    for (const started = Date.now(); (await service.get([])).freshness.state !== 'offline'; ) {
      assert.ok(Date.now() - started < 5000, 'the dripping request never ended');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    server.always(behaviours.serve);
    await service.refresh();
    const after = await service.get(['checkout'], { budgetMs: 2000 });
    assert.equal(after.features.checkout?.name, 'Feature checkout');
    assert.equal(after.freshness.state, 'synced');
    await service.dispose();
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('trusts loopback addresses, not names that merely end in .localhost', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]', '[::ffff:7f00:1]']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['attacker.localhost', 'api.localhost', 'localhost.example.com', 'example.com', '10.0.0.1', '[::2]']) {
      assert.equal(isLoopbackHost(host), false, host);
    }
    assert.equal(transportAllowsToken(new URL('http://attacker.localhost:8080/')), false);
    assert.equal(transportAllowsToken(new URL('http://127.0.0.1:8080/')), true);
  });

  it('connects to localhost only at a loopback address', async () => {
    const lookup = (options: dns.LookupOptions) =>
      new Promise<unknown>((resolve, reject) =>
        (loopbackOnlyLookup as unknown as (h: string, o: dns.LookupOptions, cb: (e: Error | null, ...r: unknown[]) => void) => void)('localhost', options, (error, ...result) =>
          error ? reject(error) : resolve(result),
        ),
      );
    const all = (await lookup({ all: true })) as [{ address: string }[]];
    assert.ok(all[0].length > 0 && all[0].every((a) => isLoopbackHost(a.address)), JSON.stringify(all));
    const one = (await lookup({})) as [string, number];
    assert.equal(isLoopbackHost(one[0]), true, one[0]);
  });

  it('does not send the token over plain http to attacker.localhost, wherever that name points', async () => {
    // A resolver that answers for attacker.localhost the way the attacker's DNS would: with an address the attacker
    // controls. Here that is a real server on 127.0.0.1 that records what it receives.
    const server = await start();
    const port = new URL(server.url).port;
    const lookup: typeof dns.lookup = ((hostname: string, options: unknown, callback: (...args: unknown[]) => void) => {
      if (hostname === 'attacker.localhost') {
        const all = typeof options === 'object' && options !== null && (options as { all?: boolean }).all;
        return all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
      }
      return dns.lookup(hostname, options as dns.LookupOptions, callback as never);
    }) as typeof dns.lookup;
    const dispatcher = new Agent({ connect: { lookup } });
    const log = captureLog();
    const http = new HttpClient({ requestTimeoutMs: 2000, maxResponseBytes: 1024 * 1024, log, dispatcher, maxRetries: 0 });
    const url = `http://attacker.localhost:${port}/v1/features`;
    const response = await http.get(url, { auth: { token: TOKEN, origin: new URL(url).origin } });
    assert.equal(response.status, 200);
    assert.equal(server.requests[0]!.headers.authorization, undefined, 'the token reached attacker.localhost');
    assert.equal(response.tokenWithheld, true);
    assert.ok(log.lines.some((l) => l.startsWith('warn token not sent')));
    await http.close();
    await dispatcher.close();
  });
});
