import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createContextService } from '../../src/context/contextService';
import type { ContextService, ContextServiceOptions } from '../../src/shared/contextModel';
import { captureLog } from './support/faultServer';

describe('context service (context files, no endpoint)', () => {
  let dir: string;
  const services: ContextService[] = [];

  function service(overrides: Partial<ContextServiceOptions>) {
    const created = createContextService({
      contextFiles: [],
      ttlMs: 600_000,
      requestTimeoutMs: 2000,
      maxResponseBytes: 5 * 1024 * 1024,
      log: captureLog(),
      ...overrides,
    });
    services.push(created);
    return created;
  }

  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cl-context-files-'));
  });
  afterEach(async () => {
    await Promise.all(services.splice(0).map((s) => s.dispose()));
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('serves the fixture workspace context file as the embedded default', async () => {
    const file = path.resolve(__dirname, '../fixtures/storefront/customer-context.json');
    const svc = service({ contextFiles: [file] });
    const answer = await svc.get(['checkout', 'no-such-feature']);
    assert.deepEqual(Object.keys(answer.features), ['checkout']);
    assert.ok(answer.features.checkout!.problems!.length > 0);
    assert.equal(answer.freshness.state, 'synced');
    assert.equal(answer.freshness.source, 'file');
    assert.equal(answer.freshness.origin, file);
    assert.deepEqual((await svc.listFeatures()).map((f) => f.id).sort(), ['billing', 'checkout', 'onboarding', 'search']);
  });

  it('merges several files, the first one listed winning', async () => {
    const a = path.join(dir, 'a.yml');
    const b = path.join(dir, 'b.json');
    await fs.writeFile(a, 'version: 1\nfeatures:\n  - id: checkout\n    summary: from a\n');
    await fs.writeFile(b, JSON.stringify({ version: 1, features: [{ id: 'checkout', summary: 'from b' }, { id: 'search' }] }));
    const answer = await service({ contextFiles: [a, b] }).get(['checkout', 'search']);
    assert.equal(answer.features.checkout!.summary, 'from a');
    assert.ok(answer.features.search);
  });

  it('reloads a changed file, tells listeners, and keeps the last good content when it breaks', async () => {
    const file = path.join(dir, 'context.yml');
    await fs.writeFile(file, 'version: 1\nfeatures:\n  - id: checkout\n    summary: one\n');
    const svc = service({ contextFiles: [file] });
    assert.equal((await svc.get(['checkout'])).features.checkout!.summary, 'one');

    let changed = new Promise<readonly string[]>((resolve) => {
      const stop = svc.onDidChange((ids) => (stop(), resolve(ids)));
    });
    await fs.writeFile(file, 'version: 1\nfeatures:\n  - id: checkout\n    summary: two\n');
    assert.deepEqual(await changed, ['checkout']);
    assert.equal((await svc.get(['checkout'])).features.checkout!.summary, 'two');

    changed = new Promise<readonly string[]>((resolve) => {
      const stop = svc.onDidChange((ids) => (stop(), resolve(ids)));
    });
    await fs.writeFile(file, 'version: 1\nfeatures:\n  - id: checkout\n    problems: {oops\n');
    await changed;
    const broken = await svc.get(['checkout']);
    assert.equal(broken.freshness.state, 'error');
    assert.match(broken.freshness.error ?? '', new RegExp(`${path.basename(file)}:\\d+:\\d+: invalid YAML`));
    assert.equal(broken.features.checkout!.summary, 'two');
  });

  it('says "none" with neither an endpoint nor a file', async () => {
    const answer = await service({}).get(['checkout']);
    assert.deepEqual(answer, { features: {}, freshness: { state: 'none', source: 'none' } });
  });

  it('reports a missing context file', async () => {
    const answer = await service({ contextFiles: [path.join(dir, 'missing.yml')] }).get(['checkout']);
    assert.equal(answer.freshness.state, 'error');
    assert.match(answer.freshness.error ?? '', /missing\.yml: file not found/);
  });
});
