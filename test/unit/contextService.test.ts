import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createContextService, type ContextServiceDeps } from '../../src/context/contextService';
import type { ContextService, ContextServiceOptions } from '../../src/shared/contextModel';
import { FaultServer, behaviours, captureLog, sampleFeature } from './support/faultServer';

const TOKEN = 'svc-token-77b1e0';
const MINUTE = 60_000;

/** Resolves with the ids of the next change event. */
function nextChange(service: ContextService, predicate: (ids: readonly string[]) => boolean = () => true): Promise<readonly string[]> {
  return new Promise((resolve) => {
    const stop = service.onDidChange((ids) => {
      if (!predicate(ids)) return;
      stop();
      resolve(ids);
    });
  });
}

describe('context service (endpoint)', () => {
  let dir: string;
  let server: FaultServer;
  const services: ContextService[] = [];
  const logs: ReturnType<typeof captureLog>[] = [];
  let clock: number;

  const features = Array.from({ length: 20 }, (_, i) => sampleFeature(`feature-${i}`));

  function service(overrides: Partial<ContextServiceOptions> = {}, deps: ContextServiceDeps = {}) {
    const log = captureLog();
    logs.push(log);
    const created = createContextService(
      {
        endpoint: server.url,
        token: TOKEN,
        contextFiles: [],
        cacheDir: dir,
        ttlMs: 10 * MINUTE,
        requestTimeoutMs: 2000,
        maxResponseBytes: 5 * 1024 * 1024,
        log,
        ...overrides,
      },
      { now: () => clock, retryBaseDelayMs: 5, ...deps },
    );
    services.push(created);
    return { service: created, log };
  }

  beforeEach(async () => {
    clock = Date.parse('2026-11-22T10:00:00Z');
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cl-context-service-'));
    server = await FaultServer.start({ features });
  });

  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.dispose()));
    await server.close();
    await fs.rm(dir, { recursive: true, force: true });
  });

  after(() => {
    const lines = logs.flatMap((l) => l.lines);
    assert.ok(lines.length > 0);
    for (const line of lines) assert.ok(!line.includes(TOKEN), `token in log line: ${line}`);
  });

  it('batches 200 lookups over 20 features into one request', async () => {
    const { service: svc } = service();
    // Like opening 200 files that belong to 20 features: each file asks for its own feature.
    const lookups = Array.from({ length: 200 }, (_, i) => svc.get([`feature-${i % 20}`]));
    const answers = await Promise.all(lookups);
    assert.equal(server.contextRequests.length, 1);
    assert.deepEqual([...server.contextRequests[0]!.ids].sort(), features.map((f) => f.id).sort());
    for (const [i, answer] of answers.entries()) {
      assert.deepEqual(Object.keys(answer.features), [`feature-${i % 20}`]);
      assert.equal(answer.freshness.state, 'synced');
      assert.equal(answer.freshness.source, 'endpoint');
      assert.equal(answer.freshness.fetchedAt, clock);
    }
    // Looked up again: from the cache, no request at all.
    await Promise.all(Array.from({ length: 200 }, (_, i) => svc.get([`feature-${i % 20}`])));
    assert.equal(server.contextRequests.length, 1);
  });

  it('splits more than 50 ids into requests of at most 50', async () => {
    const { service: svc } = service();
    const ids = Array.from({ length: 120 }, (_, i) => `id-${i}`);
    const answer = await svc.get(ids);
    assert.deepEqual(answer.features, {});
    assert.deepEqual(server.contextRequests.map((r) => r.ids.length).sort((a, b) => a - b), [20, 50, 50]);
    // Ids with no data are remembered: not asked for again within the TTL.
    await svc.get(ids);
    assert.equal(server.contextRequests.length, 3);
  });

  it('never requests an id that is already in flight', async () => {
    server.always(behaviours.slow(200));
    const { service: svc } = service();
    const first = svc.get(['feature-1', 'feature-2']);
    await server.received(1);
    // While the first request is on the wire, more lookups come in for the same and other ids.
    const second = svc.get(['feature-1', 'feature-2', 'feature-3']);
    const third = svc.get(['feature-2']);
    const [a, b, c] = await Promise.all([first, second, third]);
    assert.deepEqual(server.contextRequests.map((r) => r.ids), [['feature-1', 'feature-2'], ['feature-3']]);
    assert.deepEqual(Object.keys(a.features), ['feature-1', 'feature-2']);
    assert.deepEqual(Object.keys(b.features), ['feature-1', 'feature-2', 'feature-3']);
    assert.deepEqual(Object.keys(c.features), ['feature-2']);
  });

  it('sends only feature ids: no paths, no file contents', async () => {
    const { service: svc } = service();
    await svc.get(['feature-1', 'billing/invoices']);
    const [request] = server.contextRequests;
    assert.equal(request!.url, '/v1/context?features=billing%2Finvoices,feature-1');
    assert.deepEqual(Object.keys(request!.headers).sort(), ['accept', 'authorization', 'connection', 'host']);
  });

  it('answers stale entries at once and revalidates them in the background with If-None-Match (304)', async () => {
    const { service: svc } = service();
    const ids = ['feature-1', 'feature-2', 'feature-3'];
    await svc.get(ids);
    const etag = server.sentEtags[0];
    const fetchedAt = clock;

    clock += 11 * MINUTE;
    server.always(behaviours.slow(300));
    let revalidated = false;
    const changed = nextChange(svc).then((ids) => {
      revalidated = true;
      return ids;
    });
    const stale = await svc.get(['feature-2']);
    assert.equal(revalidated, false, 'the answer did not wait for the slow endpoint');
    assert.equal(stale.freshness.state, 'stale');
    assert.equal(stale.freshness.fetchedAt, fetchedAt);
    assert.ok(stale.features['feature-2']);

    assert.deepEqual([...(await changed)].sort(), ids);
    const revalidation = server.contextRequests[1]!;
    assert.deepEqual(revalidation.ids, ids, 'the whole group is revalidated as one request');
    assert.equal(revalidation.headers['if-none-match'], etag);
    const fresh = await svc.get(ids);
    assert.equal(fresh.freshness.state, 'synced');
    assert.equal(fresh.freshness.fetchedAt, clock);
    assert.equal(Object.keys(fresh.features).length, 3);
  });

  it('picks up changed data on revalidation and tells listeners', async () => {
    const { service: svc } = service();
    await svc.get(['feature-1', 'feature-2']);
    server.data.set('feature-2', sampleFeature('feature-2', { summary: 'rewritten' }));
    clock += 11 * MINUTE;
    const changed = nextChange(svc);
    await svc.get(['feature-1']);
    assert.deepEqual(await changed, ['feature-1', 'feature-2']);
    assert.equal(server.contextRequests[1]!.headers['if-none-match'], server.sentEtags[0]);
    const answer = await svc.get(['feature-2']);
    assert.equal(answer.features['feature-2']!.summary, 'rewritten');
    assert.equal(answer.freshness.state, 'synced');
  });

  it('a lookup that is new data changes nothing for listeners; a changed cached feature does', async () => {
    const { service: svc } = service();
    const heard: (readonly string[])[] = [];
    svc.onDidChange((ids) => heard.push(ids));
    await svc.get(['feature-1']);
    assert.deepEqual(heard, []);
    server.data.set('feature-1', sampleFeature('feature-1', { summary: 'v2' }));
    await svc.refresh();
    assert.deepEqual(heard, [['feature-1']]);
  });

  it('starts offline from the disk cache, marked with its age', async () => {
    const first = service().service;
    await first.get(['feature-1', 'feature-5']);
    const fetchedAt = clock;
    await first.dispose();
    await server.close();

    // A new window an hour later: a new service on the same cache folder, and the endpoint is gone.
    clock += 60 * MINUTE;
    const { service: cold } = service({}, { maxRetries: 0 });
    const changed = nextChange(cold);
    const answer = await cold.get(['feature-1', 'feature-5', 'feature-9']);
    assert.deepEqual(Object.keys(answer.features).sort(), ['feature-1', 'feature-5']);
    assert.equal(answer.features['feature-1']!.problems![0]!.title, 'A problem with feature-1');
    assert.equal(answer.freshness.fetchedAt, fetchedAt, 'the age of the data shows');
    assert.equal(answer.freshness.state, 'offline');
    assert.match(answer.freshness.error ?? '', new RegExp(`cannot reach ${server.url}/v1/context\\?features=feature-9 \\(connection refused\\)`));
    await changed;
    const later = await cold.get(['feature-1']);
    assert.equal(later.freshness.state, 'offline');
    assert.equal(later.freshness.fetchedAt, fetchedAt);
    assert.ok(later.features['feature-1']);
  });

  it('answers a cold offline start for cached ids at once, then marks them offline', async () => {
    const first = service().service;
    await first.get(['feature-1']);
    await first.dispose();
    await server.close();
    clock += 60 * MINUTE;
    const { service: cold } = service({}, { maxRetries: 0 });
    const changed = nextChange(cold);
    const answer = await cold.get(['feature-1']);
    assert.ok(answer.features['feature-1']);
    assert.equal(answer.freshness.state, 'stale', 'known data answers before the endpoint is tried');
    assert.deepEqual(await changed, ['feature-1']);
    assert.equal((await cold.get(['feature-1'])).freshness.state, 'offline');
  });

  it('refuses to retry forever: a failing endpoint costs 4 requests, then shows the error', async () => {
    server.always(behaviours.status(503));
    const { service: svc, log } = service();
    const answer = await svc.get(['feature-1']);
    assert.equal(server.contextRequests.length, 4);
    assert.deepEqual(answer.features, {});
    assert.equal(answer.freshness.state, 'error');
    assert.match(answer.freshness.error ?? '', new RegExp(`${server.url}/v1/context\\?features=feature-1 answered 503: injected 503`));
    assert.equal(log.lines.filter((l) => l.startsWith('error context error')).length, 1);
  });

  it('keeps cached context when the endpoint sends bad JSON, too much, or invalid items', async () => {
    const { service: svc, log } = service({ maxResponseBytes: 64 * 1024 });
    await svc.get(['feature-1']);
    clock += 11 * MINUTE;

    server.next(behaviours.badJson);
    const changed = nextChange(svc);
    const stale = await svc.get(['feature-1']);
    assert.ok(stale.features['feature-1']);
    assert.deepEqual(await changed, ['feature-1'], 'listeners hear that the banner changed');
    const broken = await svc.get(['feature-1']);
    assert.equal(broken.freshness.state, 'error');
    assert.match(broken.freshness.error ?? '', new RegExp(`^${server.url}/v1/context\\?features=feature-1 did not send JSON`));
    assert.ok(broken.features['feature-1'], 'the last good context stays');

    clock += 20_000;
    server.next(behaviours.tooLarge(1024 * 1024, false));
    const tooLarge = await svc.get(['feature-2']);
    assert.deepEqual(tooLarge.features, {});
    assert.equal(tooLarge.freshness.state, 'error');
    assert.match(tooLarge.freshness.error ?? '', new RegExp(`^${server.url}/v1/context\\?features=feature-2 sent more than the 64 KB limit`));

    clock += 40_000;
    server.next(
      behaviours.body({
        version: 1,
        features: [{ id: 'feature-3', problems: [{ id: 'ok', title: 'Fine' }, { id: 'bad', title: 'Broken', customers: -4 }], unknownField: true }],
      }),
    );
    const partial = await svc.get(['feature-3']);
    assert.deepEqual(partial.features['feature-3']!.problems!.map((p) => p.id), ['ok']);
    assert.equal(partial.freshness.state, 'synced', 'a good answer clears the error');
    assert.ok(log.lines.some((l) => l.startsWith('warn context item dropped') && l.includes('feature "feature-3" problems[1] (id "bad") field "customers"')));
  });

  it('leaves a failing endpoint alone for a while instead of hammering it', async () => {
    server.always(behaviours.status(502));
    const { service: svc } = service({}, { maxRetries: 0 });
    assert.equal((await svc.get(['feature-1'])).freshness.state, 'error');
    assert.equal(server.contextRequests.length, 1);
    for (let i = 0; i < 20; i++) await svc.get([`feature-${i}`]);
    assert.equal(server.contextRequests.length, 1, 'no requests during the quiet period');
    clock += 16_000;
    server.always(behaviours.serve);
    const back = await svc.get(['feature-1']);
    assert.equal(back.freshness.state, 'synced');
    assert.ok(back.features['feature-1']);
    assert.equal(server.contextRequests.length, 2);
  });

  it('asks again in halves when the features asked for together are over the size limit, refusing only one too large alone', async () => {
    const { service: svc, log } = service({ maxResponseBytes: 64 * 1024 });
    // Four features of about 30 kB each fit one by one, not together; a fifth of 100 kB does not fit at all.
    for (let i = 0; i < 4; i++) server.data.set(`large-${i}`, sampleFeature(`large-${i}`, { summary: `${i} ${'x'.repeat(30_000)}` }));
    server.data.set('huge', sampleFeature('huge', { summary: 'y'.repeat(100_000) }));
    const ids = ['large-0', 'large-1', 'huge', 'large-2', 'large-3'];
    const answer = await svc.get(ids, { budgetMs: 10_000 });
    assert.deepEqual(Object.keys(answer.features).sort(), ['large-0', 'large-1', 'large-2', 'large-3']);
    assert.ok(log.lines.some((line) => /features=huge sent 99 KB, more than the 64 KB limit/.test(line)), log.lines.join('\n'));
    // One request for all five, then halves until each answer fits: never more than one request per id and level.
    assert.ok(server.contextRequests.length <= 1 + 2 + 4 + 2, `${server.contextRequests.length} requests`);
  });

  it('returns within the budget and reports the late answer as a change', async () => {
    server.always(behaviours.slow(300));
    const { service: svc } = service();
    const changed = nextChange(svc);
    const quick = await svc.get(['feature-4'], { budgetMs: 20 });
    assert.deepEqual(quick.features, {});
    assert.deepEqual(await changed, ['feature-4']);
    const later = await svc.get(['feature-4'], { budgetMs: 20 });
    assert.ok(later.features['feature-4']);
    assert.equal(server.contextRequests.length, 1);
  });

  it('refresh refetches without revalidation, and keeps everything when offline', async () => {
    const { service: svc } = service();
    await svc.get(['feature-1', 'feature-2']);
    server.data.set('feature-1', sampleFeature('feature-1', { summary: 'new' }));
    await svc.refresh();
    assert.equal(server.contextRequests.length, 2);
    assert.equal(server.contextRequests[1]!.headers['if-none-match'], undefined);
    assert.equal((await svc.get(['feature-1'])).features['feature-1']!.summary, 'new');

    server.always(behaviours.hangUp);
    await svc.refresh();
    const offline = await svc.get(['feature-1', 'feature-2']);
    assert.equal(offline.freshness.state, 'offline');
    assert.equal(Object.keys(offline.features).length, 2);
  });

  it('bounds the cache by size, dropping the least recently used, on disk too', async () => {
    const entryBytes = JSON.stringify(sampleFeature('feature-1')).length + 'feature-1'.length + 64;
    const { service: svc } = service({ maxCacheBytes: Math.floor(entryBytes * 3.5) });
    for (const id of ['feature-1', 'feature-2', 'feature-3']) await svc.get([id]);
    await svc.get(['feature-1']);
    await svc.get(['feature-4']);
    assert.equal(server.contextRequests.length, 4);
    await svc.get(['feature-1', 'feature-3', 'feature-4']);
    assert.equal(server.contextRequests.length, 4, 'recently used entries stay');
    await svc.dispose();
    const [file] = await fs.readdir(path.join(dir, 'context-cache'));
    const disk = JSON.parse(await fs.readFile(path.join(dir, 'context-cache', file!), 'utf8')) as { features: { id: string }[] };
    assert.deepEqual(disk.features.map((f) => f.id).sort(), ['feature-1', 'feature-3', 'feature-4']);
  });

  it('lists features from /v1/features', async () => {
    const { service: svc } = service();
    const list = await svc.listFeatures();
    assert.equal(list.length, 20);
    assert.deepEqual(list[0], { id: 'feature-0', name: 'Feature feature-0' });
    await svc.listFeatures();
    assert.equal(server.requests.filter((r) => r.pathname === '/v1/features').length, 1);
  });

  it('reports an invalid endpoint setting without sending anything', async () => {
    const { service: svc } = service({ endpoint: 'ftp://context.example.com' });
    const answer = await svc.get(['feature-1']);
    assert.equal(answer.freshness.state, 'error');
    assert.match(answer.freshness.error ?? '', /customerLens\.endpoint must be an http or https URL/);
    const withCredentials = service({ endpoint: 'https://user:pw@context.example.com' }).service;
    assert.match((await withCredentials.get([])).freshness.error ?? '', /contains credentials/);
    assert.equal(server.requests.length, 0);
  });
});
