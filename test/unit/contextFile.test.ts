import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ContextFile, readContextFile } from '../../src/context/contextFile';
import { captureLog } from './support/faultServer';

describe('context file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'cl-context-file-'));
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('reads JSON and YAML of the same shape', async () => {
    const json = path.join(dir, 'context.json');
    const yaml = path.join(dir, 'context.yml');
    await fs.writeFile(json, JSON.stringify({ version: 1, features: [{ id: 'checkout', summary: 'Pay' }] }));
    await fs.writeFile(yaml, 'version: 1\nfeatures:\n  - id: checkout\n    summary: Pay\n');
    const fromJson = await readContextFile(json);
    const fromYaml = await readContextFile(yaml);
    assert.ok(fromJson.ok && fromYaml.ok);
    assert.deepEqual(fromJson.features, fromYaml.features);
  });

  it('names file:line:col and the field of an invalid item, and keeps the valid ones', async () => {
    const file = path.join(dir, 'context.yml');
    await fs.writeFile(
      file,
      ['version: 1', 'features:', '  - id: checkout', '    problems:', '      - id: p1', '        title: Coupons', '        severity: awful', '      - id: p2', '        title: Ok', ''].join('\n'),
    );
    const result = await readContextFile(file);
    assert.ok(result.ok);
    assert.deepEqual(result.features[0]!.problems!.map((p) => p.id), ['p2']);
    assert.match(result.warnings[0]!, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:7:19: feature "checkout" problems\\[0\\] \\(id "p1"\\) field "severity"`));
  });

  it('reports syntax errors with file:line:col for JSON and YAML', async () => {
    const json = path.join(dir, 'bad.json');
    await fs.writeFile(json, '{\n  "version": 1,\n  "features": [,]\n}\n');
    const badJson = await readContextFile(json);
    assert.equal(badJson.ok, false);
    assert.match(!badJson.ok ? badJson.error : '', new RegExp(`bad\\.json:3:\\d+: invalid JSON`));
    const yaml = path.join(dir, 'bad.yaml');
    await fs.writeFile(yaml, 'version: 1\nfeatures:\n  - id: a\n   name: [unclosed\n');
    const badYaml = await readContextFile(yaml);
    assert.equal(badYaml.ok, false);
    assert.match(!badYaml.ok ? badYaml.error : '', /bad\.yaml:\d+:\d+: invalid YAML/);
    const missing = await readContextFile(path.join(dir, 'nope.yml'));
    assert.match(!missing.ok ? missing.error : '', /nope\.yml: file not found/);
    const wrongShape = path.join(dir, 'shape.json');
    await fs.writeFile(wrongShape, '{"features": []}');
    const shape = await readContextFile(wrongShape);
    assert.match(!shape.ok ? shape.error : '', /shape\.json:1:1: expected "version": 1/);
  });

  it('reloads when the file changes, and keeps the last good content when an edit breaks it', async () => {
    const file = path.join(dir, 'context.json');
    await fs.writeFile(file, JSON.stringify({ version: 1, features: [{ id: 'a', summary: 'one' }] }));
    const log = captureLog();
    const changes: string[][] = [];
    let notify: (() => void) | undefined;
    const context = new ContextFile(file, {
      log,
      debounceMs: 10,
      onChange: (ids) => {
        changes.push(ids);
        notify?.();
      },
    });
    const changed = () => new Promise<void>((resolve) => (notify = resolve));
    try {
      await context.start();
      assert.equal(context.current.features.get('a')?.summary, 'one');

      let next = changed();
      // Like an editor: write a new file and rename it over the old one.
      await fs.writeFile(`${file}.tmp`, JSON.stringify({ version: 1, features: [{ id: 'a', summary: 'two' }, { id: 'b' }] }));
      await fs.rename(`${file}.tmp`, file);
      await next;
      assert.equal(context.current.features.get('a')?.summary, 'two');
      assert.deepEqual(changes.at(-1)!.sort(), ['a', 'b']);

      next = changed();
      await fs.writeFile(file, '{"version": 1, "features": [');
      await next;
      assert.match(context.current.error ?? '', /context\.json:1:\d+: invalid JSON/);
      assert.equal(context.current.features.get('a')?.summary, 'two', 'the last good content stays');
      assert.ok(log.lines.some((l) => l.startsWith('error context file error') && l.includes('context.json')));

      next = changed();
      await fs.writeFile(file, JSON.stringify({ version: 1, features: [{ id: 'a', summary: 'three' }] }));
      await next;
      assert.equal(context.current.error, undefined);
      assert.equal(context.current.features.get('a')?.summary, 'three');
      assert.equal(context.current.features.has('b'), false);
    } finally {
      context.dispose();
    }
  });

  it('notices changes on access when not watching', async () => {
    const file = path.join(dir, 'context.yml');
    await fs.writeFile(file, 'version: 1\nfeatures: [{id: a, summary: one}]\n');
    const context = new ContextFile(file, { log: captureLog(), watch: false });
    await context.start();
    assert.equal(context.watching, false);
    await fs.writeFile(file, 'version: 1\nfeatures: [{id: a, summary: changed}]\n');
    await context.check();
    assert.equal(context.current.features.get('a')?.summary, 'changed');
    context.dispose();
  });
});
