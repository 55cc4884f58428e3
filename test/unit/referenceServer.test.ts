import * as assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { createContextService } from '../../src/context/contextService';
import { startReferenceServer, type ReferenceServer } from '../../src/context/referenceServer';
import { captureLog, sampleFeature } from './support/faultServer';

const TOKEN = 'ref-token-5d2c';
const repoRoot = path.resolve(__dirname, '../..');

interface Answer {
  status: number;
  headers: Headers;
  json: unknown;
  text: string;
}

async function get(url: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Answer> {
  const response = await fetch(url, { headers, method });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, json, text };
}

describe('reference server (in-process)', () => {
  let dir: string;
  let dataFile: string;
  let server: ReferenceServer;
  let lines: string[];
  let lineListeners: ((line: string) => void)[];
  const auth = { authorization: `Bearer ${TOKEN}` };

  /** Resolves with the first log line matching `pattern` from now on. */
  const logLine = (pattern: RegExp) =>
    new Promise<string>((resolve) => {
      const listener = (line: string) => {
        if (!pattern.test(line)) return;
        lineListeners.splice(lineListeners.indexOf(listener), 1);
        resolve(line);
      };
      lineListeners.push(listener);
    });

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cl-reference-'));
    dataFile = path.join(dir, 'context.json');
    await fs.writeFile(dataFile, JSON.stringify({ version: 1, features: [sampleFeature('checkout'), sampleFeature('search')] }));
    lines = [];
    lineListeners = [];
    server = await startReferenceServer({
      dataFile,
      port: 0,
      token: TOKEN,
      log: (line) => {
        lines.push(line);
        for (const listener of [...lineListeners]) listener(line);
      },
    });
  });

  afterEach(async () => {
    await server.close();
    for (const line of lines) assert.ok(!line.includes(TOKEN), `token in log line: ${line}`);
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves /v1/context with an ETag, and 304 for an unchanged answer', async () => {
    const first = await get(`${server.url}/v1/context?features=search,checkout,unknown`, auth);
    assert.equal(first.status, 200);
    assert.match(first.headers.get('content-type') ?? '', /^application\/json/);
    const body = first.json as { version: number; features: { id: string }[] };
    assert.equal(body.version, 1);
    assert.deepEqual(body.features.map((f) => f.id), ['search', 'checkout']);
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^"[\w-]+"$/);

    const again = await get(`${server.url}/v1/context?features=search,checkout,unknown`, { ...auth, 'if-none-match': etag });
    assert.equal(again.status, 304);
    assert.equal(again.text, '');
    const weak = await get(`${server.url}/v1/context?features=search,checkout,unknown`, { ...auth, 'if-none-match': `"other", W/${etag}` });
    assert.equal(weak.status, 304);
    const different = await get(`${server.url}/v1/context?features=search`, { ...auth, 'if-none-match': etag });
    assert.equal(different.status, 200);
  });

  it('lists features', async () => {
    const list = await get(`${server.url}/v1/features`, auth);
    assert.equal(list.status, 200);
    assert.deepEqual(list.json, { version: 1, features: [{ id: 'checkout', name: 'Feature checkout' }, { id: 'search', name: 'Feature search' }] });
    assert.ok(list.headers.get('etag'));
  });

  it('answers 401 without the token or with a wrong one', async () => {
    const missing = await get(`${server.url}/v1/context?features=checkout`);
    assert.equal(missing.status, 401);
    assert.equal(missing.headers.get('www-authenticate'), 'Bearer realm="customer-lens"');
    assert.match((missing.json as { error: { message: string } }).error.message, /missing bearer token/);
    const wrong = await get(`${server.url}/v1/context?features=checkout`, { authorization: 'Bearer nope' });
    assert.equal(wrong.status, 401);
    assert.deepEqual(wrong.json, { error: { message: 'wrong bearer token' } });
  });

  it('answers 400 with a message for a bad query', async () => {
    const cases: [string, RegExp][] = [
      ['', /missing feature ids/],
      ['?features=', /missing feature ids/],
      ['?features=a,,b', /empty feature id/],
      ['?features=a%20b', /invalid feature id "a b": a feature id has no spaces and no commas/],
      [`?features=${'x'.repeat(129)}`, /invalid feature id/],
      [`?features=${Array.from({ length: 51 }, (_, i) => `f${i}`).join(',')}`, /too many feature ids: 51; ask for at most 50 per request/],
    ];
    for (const [query, message] of cases) {
      const answer = await get(`${server.url}/v1/context${query}`, auth);
      assert.equal(answer.status, 400, query);
      assert.match((answer.json as { error: { message: string } }).error.message, message, query);
    }
    // 50 ids, and repeated ids counted once, are fine.
    const fifty = Array.from({ length: 50 }, (_, i) => `f${i}`);
    assert.equal((await get(`${server.url}/v1/context?features=${[...fifty, ...fifty].join(',')}`, auth)).status, 200);
  });

  it('answers 404 with JSON for unknown paths and 405 for other methods', async () => {
    const notFound = await get(`${server.url}/v2/context`, auth);
    assert.equal(notFound.status, 404);
    assert.match((notFound.json as { error: { message: string } }).error.message, /no such path \/v2\/context/);
    const post = await get(`${server.url}/v1/features`, auth, 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.get('allow'), 'GET, HEAD');
    const head = await get(`${server.url}/v1/features`, auth, 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.text, '');
  });

  it('writes one log line per request, without the token', async () => {
    await get(`${server.url}/v1/context?features=checkout`, auth);
    await get(`${server.url}/v1/context?features=checkout`);
    const requestLines = lines.filter((l) => l.startsWith('127.0.0.1 '));
    assert.equal(requestLines.length, 2);
    assert.match(requestLines[0]!, /^127\.0\.0\.1 GET \/v1\/context\?features=checkout 200 \d+B \d+ms$/);
    assert.match(requestLines[1]!, / 401 /);
  });

  it('reloads when the data file changes, and keeps serving the last good data when it breaks', async () => {
    let reloaded = logLine(/^reloaded /);
    await fs.writeFile(dataFile, JSON.stringify({ version: 1, features: [sampleFeature('checkout', { summary: 'updated' })] }));
    await reloaded;
    const updated = await get(`${server.url}/v1/context?features=checkout,search`, auth);
    assert.deepEqual((updated.json as { features: { id: string; summary: string }[] }).features.map((f) => [f.id, f.summary]), [['checkout', 'updated']]);

    reloaded = logLine(/^reloaded /);
    const errorLine = logLine(/context file error/);
    await fs.writeFile(dataFile, '{"version": 1, "features": [');
    assert.match(await errorLine, /context\.json:1:\d+: invalid JSON/);
    assert.match(await reloaded, /kept the last good content/);
    const still = await get(`${server.url}/v1/context?features=checkout`, auth);
    assert.equal((still.json as { features: { summary: string }[] }).features[0]!.summary, 'updated');
  });

  it('is what the context service talks to: batching, 304 revalidation, token', async () => {
    let clock = Date.now();
    const log = captureLog();
    const svc = createContextService(
      { endpoint: server.url, token: TOKEN, contextFiles: [], ttlMs: 60_000, requestTimeoutMs: 2000, maxResponseBytes: 5 * 1024 * 1024, log },
      { now: () => clock },
    );
    try {
      const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => svc.get([i % 2 ? 'checkout' : 'search'])));
      assert.ok(answers.every((a) => Object.keys(a.features).length === 1 && a.freshness.state === 'synced'));
      assert.equal(lines.filter((l) => l.includes('GET /v1/context')).length, 1);
      clock += 61_000;
      const revalidated = new Promise<void>((resolve) => {
        const stop = svc.onDidChange(() => (stop(), resolve()));
      });
      await svc.get(['checkout']);
      await revalidated;
      assert.match(lines.filter((l) => l.includes('GET /v1/context')).at(-1)!, / 304 0B /);
      assert.equal((await svc.get(['checkout'])).freshness.state, 'synced');
      for (const line of log.lines) assert.ok(!line.includes(TOKEN));
    } finally {
      await svc.dispose();
    }
  });

  it('refuses to start on a bad data file or a taken port', async () => {
    const bad = path.join(dir, 'bad.yml');
    await fs.writeFile(bad, 'version: 2\nfeatures: []\n');
    await assert.rejects(startReferenceServer({ dataFile: bad, port: 0 }), /bad\.yml:1:10: expected "version": 1/);
    const port = Number(new URL(server.url).port);
    await assert.rejects(startReferenceServer({ dataFile, port }), new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  });
});

describe('reference server (the built CLI as a child process)', function () {
  const cli = path.join(repoRoot, 'dist', 'cli', 'customerLens.js');
  let child: ChildProcess | undefined;

  before(async function () {
    this.timeout(60_000);
    await promisify(execFile)(process.execPath, ['esbuild.js'], { cwd: repoRoot });
  });

  afterEach(() => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    child = undefined;
  });

  /** Starts `customer-lens serve` and resolves with its URL once it prints it. */
  async function serve(args: string[]): Promise<{ url: string; output: () => string }> {
    const started = spawn(process.execPath, [cli, 'serve', ...args], { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    child = started;
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const match = /at (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) resolve(match[1]!);
      };
      started.stdout!.on('data', onData);
      started.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
      started.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
    });
    return { url, output: () => output };
  }

  it('serves the fixture context with --port 0, logs each request, and stops cleanly on SIGTERM', async () => {
    const { url, output } = await serve(['--data', 'test/fixtures/storefront/customer-context.json', '--port', '0', '--token', TOKEN]);
    const answer = await get(`${url}/v1/context?features=checkout`, { authorization: `Bearer ${TOKEN}` });
    assert.equal(answer.status, 200);
    assert.equal((answer.json as { features: { id: string }[] }).features[0]!.id, 'checkout');
    assert.equal((await get(`${url}/v1/features`)).status, 401);

    const exited = once(child!, 'exit');
    child!.kill('SIGTERM');
    const [code] = await exited;
    assert.equal(code, 0);
    const text = output();
    assert.match(text, /Serving customer context protocol v1 from test\/fixtures\/storefront\/customer-context\.json \(4 features\)/);
    assert.match(text, /GET \/v1\/context\?features=checkout 200 /);
    assert.match(text, /GET \/v1\/features 401 /);
    assert.match(text, /Stopping \(SIGTERM\)/);
    assert.ok(!text.includes(`Bearer ${TOKEN}`));
  });

  it('exits 1 with the file and field for a bad data file, 2 for bad arguments', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cl-serve-'));
    const bad = path.join(dir, 'context.yml');
    await fs.writeFile(bad, 'version: 1\nfeatures: 12\n');
    const run = (args: string[]) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        execFile(process.execPath, [cli, 'serve', ...args], (error, _stdout, stderr) => resolve({ code: error ? (error.code as number) : 0, stderr }));
      });
    const badFile = await run(['--data', bad, '--port', '0']);
    assert.equal(badFile.code, 1);
    assert.match(badFile.stderr, /context\.yml:2:11: expected "features" to be an array/);
    const noData = await run(['--port', '0']);
    assert.equal(noData.code, 2);
    assert.match(noData.stderr, /--data FILE is required/);
    await fs.rm(dir, { recursive: true, force: true });
  });
});
