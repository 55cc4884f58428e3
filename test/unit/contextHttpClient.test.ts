import * as assert from 'node:assert/strict';
import { Agent, MockAgent } from 'undici';
import { HttpClient, HttpError, isLoopbackHost, parseRetryAfter, transportAllowsToken } from '../../src/context/httpClient';
import { FaultServer, TEST_TLS, behaviours, captureLog, refusedUrl } from './support/faultServer';

const TOKEN = 'tok-3f9a8c1d-secret';

function client(log = captureLog(), extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  return new HttpClient({ requestTimeoutMs: 2000, maxResponseBytes: 1024 * 1024, log, retryBaseDelayMs: 5, ...extra });
}

describe('context http client', () => {
  const servers: FaultServer[] = [];
  const logs: ReturnType<typeof captureLog>[] = [];
  const start = async (options?: Parameters<typeof FaultServer.start>[0]) => {
    const server = await FaultServer.start(options);
    servers.push(server);
    return server;
  };
  const tracked = (extra?: Partial<ConstructorParameters<typeof HttpClient>[0]>) => {
    const log = captureLog();
    logs.push(log);
    return { http: client(log, extra), log };
  };

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  after(() => {
    // Whatever the test, the token never reaches a log line.
    const lines = logs.flatMap((l) => l.lines);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(!line.includes(TOKEN), `token in log line: ${line}`);
  });

  it('retries 503 at most 3 times, then returns the last answer', async () => {
    const server = (await start()).always(behaviours.status(503));
    const { http } = tracked();
    const response = await http.get(`${server.url}/v1/context?features=a`);
    assert.equal(response.status, 503);
    assert.equal(response.attempts, 4);
    assert.equal(server.requests.length, 4);
    await http.close();
  });

  it('retries 429, 502 and 504, but not 500 or 404', async () => {
    const server = (await start()).next(behaviours.status(429), behaviours.status(502), behaviours.status(504));
    const { http } = tracked();
    const ok = await http.get(`${server.url}/v1/features`);
    assert.equal(ok.status, 200);
    assert.equal(server.requests.length, 4);
    server.next(behaviours.status(500));
    assert.equal((await http.get(`${server.url}/v1/features`)).status, 500);
    server.next(behaviours.status(404));
    assert.equal((await http.get(`${server.url}/v1/features`)).status, 404);
    assert.equal(server.requests.length, 6);
    await http.close();
  });

  it('waits as long as Retry-After says', async () => {
    const server = (await start()).next(behaviours.status(429, { 'retry-after': '1' }));
    const { http, log } = tracked();
    const response = await http.get(`${server.url}/v1/features`);
    assert.equal(response.status, 200);
    const [first, second] = server.requests;
    assert.ok(second!.at - first!.at >= 950, `second attempt came after ${second!.at - first!.at} ms`);
    assert.ok(log.lines.some((l) => l.includes('delayMs=1000 source=retry-after')));
    await http.close();
  });

  it('does not wait for a Retry-After beyond its limit', async () => {
    const server = (await start()).always(behaviours.status(503, { 'retry-after': '3600' }));
    const { http } = tracked();
    const response = await http.get(`${server.url}/v1/features`);
    assert.equal(response.status, 503);
    assert.equal(server.requests.length, 1);
    await http.close();
  });

  it('backs off exponentially with jitter', async () => {
    const server = (await start()).next(behaviours.status(503), behaviours.status(503), behaviours.status(503));
    const { http, log } = tracked({ retryBaseDelayMs: 40, random: () => 1 });
    await http.get(`${server.url}/v1/features`);
    const delays = log.lines.filter((l) => l.includes('http retry')).map((l) => Number(/delayMs=(\d+)/.exec(l)![1]));
    assert.deepEqual(delays, [40, 80, 160]);
    const { http: jittered, log: jitterLog } = tracked({ retryBaseDelayMs: 40, random: () => 0 });
    server.next(behaviours.status(503));
    await jittered.get(`${server.url}/v1/features`);
    assert.deepEqual(jitterLog.lines.filter((l) => l.includes('http retry')).map((l) => Number(/delayMs=(\d+)/.exec(l)![1])), [20]);
    await http.close();
    await jittered.close();
  });

  it('retries a refused connection 3 times, then fails naming the URL', async () => {
    const url = await refusedUrl();
    const { http } = tracked();
    await assert.rejects(http.get(`${url}/v1/context?features=a`), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.kind, 'network');
      assert.equal(error.attempts, 4);
      assert.match(error.message, new RegExp(`cannot reach ${url}/v1/context\\?features=a \\(connection refused\\)`));
      return true;
    });
    await http.close();
  });

  it('times out a slow server and a stalled body after requestTimeoutMs', async () => {
    const server = (await start()).always(behaviours.slow(5000));
    const { http } = tracked({ requestTimeoutMs: 150, maxRetries: 1 });
    await assert.rejects(http.get(`${server.url}/v1/features`), (error: unknown) => {
      assert.ok(error instanceof HttpError);
      assert.equal(error.kind, 'timeout');
      assert.match(error.message, /did not answer within 150 ms; .*customerLens\.requestTimeoutMs/);
      return true;
    });
    assert.equal(server.requests.length, 2, 'a timeout is retried');
    server.always(behaviours.stallBody(5000));
    await assert.rejects(http.get(`${server.url}/v1/features`), (error: unknown) => error instanceof HttpError && error.kind === 'timeout');
    await http.close();
  });

  it('caps the response size, declared or streamed, with an error naming the endpoint', async () => {
    const server = (await start()).next(behaviours.tooLarge(3 * 1024 * 1024, true), behaviours.tooLarge(3 * 1024 * 1024, false));
    const { http } = tracked({ maxResponseBytes: 1024 * 1024 });
    for (const kind of ['declared', 'chunked']) {
      await assert.rejects(http.get(`${server.url}/v1/context?features=big`), (error: unknown) => {
        assert.ok(error instanceof HttpError, kind);
        assert.equal(error.kind, 'too-large');
        assert.match(error.message, new RegExp(`^${server.url}/v1/context\\?features=big sent .*more than the 1 MB limit`));
        return true;
      });
    }
    // The connection pool is still usable afterwards.
    assert.equal((await http.get(`${server.url}/v1/features`)).status, 200);
    await http.close();
  });

  it('sends the token to its own origin over http on loopback', async () => {
    const server = await start();
    const { http } = tracked();
    const response = await http.get(`${server.url}/v1/features`, { auth: { token: TOKEN, origin: new URL(server.url).origin } });
    assert.equal(response.tokenWithheld, false);
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${TOKEN}`);
    await http.close();
  });

  it('sends the token over https', async () => {
    const server = await start({ tls: true });
    // A real TLS server with a test certificate; the agent trusts that certificate only.
    const dispatcher = new Agent({ connect: { ca: TEST_TLS.cert } });
    const { http } = tracked({ dispatcher });
    const response = await http.get(`${server.url}/v1/features`, { auth: { token: TOKEN, origin: new URL(server.url).origin } });
    assert.equal(response.status, 200);
    assert.equal(server.requests[0]!.headers.authorization, `Bearer ${TOKEN}`);
    await http.close();
    await dispatcher.close();
  });

  it('never sends the token over plain http to another machine', async () => {
    // Mocked on purpose: tests may only send traffic to loopback addresses, and the rule under test is about
    // every other host. A MockAgent stands in for the remote host and records what would have been sent.
    const mock = new MockAgent();
    mock.disableNetConnect();
    let authorization: unknown = 'unset';
    mock
      .get('http://context.example.com')
      .intercept({ path: '/v1/features', method: 'GET' })
      .reply(200, (options) => {
        authorization = (options.headers as Record<string, string>).authorization;
        return { version: 1, features: [] };
      });
    const { http, log } = tracked({ dispatcher: mock });
    const response = await http.get('http://context.example.com/v1/features', { auth: { token: TOKEN, origin: 'http://context.example.com' } });
    assert.equal(response.status, 200);
    assert.equal(response.tokenWithheld, true);
    assert.equal(authorization, undefined);
    assert.ok(log.lines.some((l) => l.startsWith('warn token not sent') && l.includes('use https')));
    await mock.close();
  });

  it('drops the token on a redirect to another origin, keeps it on the same origin', async () => {
    const other = await start();
    const home = (await start()).next(
      behaviours.redirect((p) => `/moved${p}`),
      behaviours.serve,
      behaviours.redirect((p) => `${other.url}${p}`, 307),
    );
    const { http, log } = tracked();
    const auth = { token: TOKEN, origin: new URL(home.url).origin };
    const same = await http.get(`${home.url}/v1/features`, { auth });
    assert.equal(same.url, `${home.url}/moved/v1/features`);
    assert.equal(home.requests[1]!.headers.authorization, `Bearer ${TOKEN}`);

    const cross = await http.get(`${home.url}/v1/features`, { auth });
    assert.equal(cross.status, 200);
    assert.equal(cross.url, `${other.url}/v1/features`);
    assert.equal(home.requests[2]!.headers.authorization, `Bearer ${TOKEN}`);
    assert.equal(other.requests[0]!.headers.authorization, undefined, 'the token must not follow a cross-origin redirect');
    assert.equal(cross.tokenWithheld, true);
    assert.ok(log.lines.some((l) => l.includes('crossOrigin=true')));
    await http.close();
  });

  it('stops after 5 redirects and refuses non-http redirects', async () => {
    const server = (await start()).always(behaviours.redirect((p) => `${p}x`));
    const { http } = tracked();
    await assert.rejects(http.get(`${server.url}/v1/features`), /redirected more than 5 times/);
    server.always(behaviours.redirect('file:///etc/passwd'));
    await assert.rejects(http.get(`${server.url}/v1/features`), /redirected to file: URL; only http and https are followed/);
    await http.close();
  });

  it('knows loopback hosts and parses Retry-After', () => {
    for (const host of ['localhost', '127.0.0.1', '127.8.9.10', '[::1]']) assert.equal(isLoopbackHost(host), true, host);
    for (const host of ['example.com', '10.0.0.1', '192.0.2.2', 'localhost.example.com', '[::2]', 'api.localhost']) assert.equal(isLoopbackHost(host), false, host);
    assert.equal(transportAllowsToken(new URL('https://example.com')), true);
    assert.equal(transportAllowsToken(new URL('http://example.com')), false);
    assert.equal(transportAllowsToken(new URL('http://127.0.0.1:9')), true);
    assert.equal(parseRetryAfter('2'), 2000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6000);
    assert.equal(parseRetryAfter('soon'), undefined);
  });
});
