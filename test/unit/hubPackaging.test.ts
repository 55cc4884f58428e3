// The hub is its own bundle: nothing of it (PGlite, pg, its SQL) enters the extension's bundles or the .vsix, and
// the CLI loads it only when `customer-lens hub` runs.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from './support/hubEngines';
import { writeFiles } from './support/hubRun';

const run = promisify(execFile);
const repoRoot = path.resolve(__dirname, '..', '..');
const HUB_MARKERS = /@electric-sql\/pglite|jsonb_to_recordset|hub_records|stripe-node|api\.stripe\.com|us\.posthog\.com|api\.hubapi\.com/;

describe('hub packaging', function () {
  this.timeout(600_000);

  before(async () => {
    await run(process.execPath, ['esbuild.js'], { cwd: repoRoot });
  });

  it('keeps the hub out of the extension host bundle and the CLI bundle (which is the language server too)', () => {
    for (const bundle of ['dist/client/extension.js', 'dist/cli/customerLens.js']) {
      assert.doesNotMatch(fs.readFileSync(path.join(repoRoot, bundle), 'utf8'), HUB_MARKERS, `${bundle} carries hub code`);
    }
    const hub = fs.readFileSync(path.join(repoRoot, 'dist/hub/hub.js'), 'utf8');
    assert.match(hub, HUB_MARKERS);
    // The engines stay runtime dependencies, loaded from node_modules, not bundled.
    assert.match(hub, /(require|import)\("@electric-sql\/pglite"\)/);
    assert.match(hub, /(require|import)\("pg"\)/);
    // So do the vendors' SDKs.
    assert.match(hub, /(require|import)\("stripe"\)/);
    assert.doesNotMatch(hub, /stripe-node/, 'the stripe SDK is bundled into the hub');
  });

  it('leaves dist/hub and every dependency out of the .vsix', async () => {
    const { stdout } = await run(path.join(repoRoot, 'node_modules/.bin/vsce'), ['ls', '--no-dependencies'], { cwd: repoRoot });
    const files = stdout.split('\n').filter((line) => line.trim() !== '');
    assert.ok(files.includes('dist/client/extension.js'), stdout);
    assert.deepEqual(files.filter((f) => f.startsWith('dist/hub') || f.includes('node_modules') || /pglite|stripe|\.wasm$/.test(f)), []);
  });

  it('runs `customer-lens hub` from the built CLI by loading the hub bundle', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'hub.yml': 'version: 1\nsources:\n  - { id: t, kind: csv-tickets }\nfeatures:\n  - { id: checkout }\n' });
    const { stdout } = await run(process.execPath, [path.join(repoRoot, 'dist/cli/customerLens.js'), 'hub', 'check', '--config', 'hub.yml'], { cwd: dir });
    assert.match(stdout, /hub\.yml: OK, 1 source \(t: csv-tickets\), 1 feature/);
    const usage = await run(process.execPath, [path.join(repoRoot, 'dist/cli/customerLens.js'), 'hub', 'bogus'], { cwd: dir }).catch((error: { code: number; stderr: string }) => error);
    assert.equal((usage as { code: number }).code, 2);
    assert.match((usage as { stderr: string }).stderr, /unknown hub command "bogus"; use serve, sync, import, check or status/);
  });
});
