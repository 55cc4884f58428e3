import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce, runCli } from './cliHarness';
import { copyFixture, gitInit, tempDir, writeFiles } from './mapFixtures';

describe('customer-lens init (built CLI, child process)', function () {
  this.timeout(120_000);
  before(() => buildOnce());

  it('writes a starter map from the folders and CODEOWNERS that check then accepts', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      '.github/CODEOWNERS': '* @acme/platform\n/src/checkout/ @acme/payments\n',
      'src/checkout/cart.ts': '',
      'src/search/rank.ts': '',
      'test/cart.test.ts': '',
      'README.md': '',
    });
    gitInit(dir);
    const result = await runCli(dir, 'init');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        'Wrote .customer-lens.yml: 2 features (1 from the folders .github/CODEOWNERS gives owners to), 2 with owners from .github/CODEOWNERS, 3 unmapped patterns.',
        "Wrote .customer-lens.schema.json, the map's JSON Schema for editors (the map's first line points at it): commit it with the map.",
        'Next: give each feature a description, merge or split features as the product sees them, then run "customer-lens check".',
        '',
      ].join('\n'),
    );
    const text = fs.readFileSync(path.join(dir, '.customer-lens.yml'), 'utf8');
    // The schema comment points at a file in the repository: it works offline, in any editor, for everyone.
    assert.match(text, /^# yaml-language-server: \$schema=\.\/\.customer-lens\.schema\.json\n/);
    const schema = JSON.parse(fs.readFileSync(path.join(dir, '.customer-lens.schema.json'), 'utf8'));
    assert.deepEqual(schema, JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'dist', 'schemas', 'map.schema.json'), 'utf8')));
    assert.match(text, /- id: checkout\n {4}name: Checkout\n {4}owners: \["@acme\/payments"\] {2}# \.github\/CODEOWNERS:2\n {4}paths: \["\/src\/checkout\/"\]/);
    assert.match(text, /- id: search\n {4}name: Search\n {4}owners: \["@acme\/platform"\]/);
    const check = await runCli(dir, 'check');
    assert.equal(check.code, 0, check.stdout);
    // The map file and its schema copy belong to the map: covered.
    assert.match(check.stdout, /^Coverage: 100\.0% of 7 files \(2 mapped, 5 ignored, 0 unmapped\)$/m);
  });

  it('points the schema comment at customer-lens installed in the repository, and writes no copy then', async () => {
    const dir = tempDir();
    writeFiles(dir, { 'src/a/b.ts': '', 'node_modules/customer-lens/dist/schemas/map.schema.json': '{}' });
    const result = await runCli(dir, 'init');
    assert.equal(result.code, 0, result.stderr);
    assert.match(fs.readFileSync(path.join(dir, '.customer-lens.yml'), 'utf8'), /^# yaml-language-server: \$schema=\.\/node_modules\/customer-lens\/dist\/schemas\/map\.schema\.json\n/);
    assert.equal(fs.existsSync(path.join(dir, '.customer-lens.schema.json')), false);
  });

  it('never overwrites an existing map', async () => {
    const shop = copyFixture('shop');
    const before = fs.readFileSync(path.join(shop, '.customer-lens.yml'), 'utf8');
    const result = await runCli(shop, 'init');
    assert.equal(result.code, 1);
    assert.equal(result.stderr, 'customer-lens init: .customer-lens.yml already exists; edit it instead (init never overwrites a map), or pass --root to start a nested map in a subfolder\n');
    assert.equal(fs.readFileSync(path.join(shop, '.customer-lens.yml'), 'utf8'), before);
    const json = tempDir();
    writeFiles(json, { '.customer-lens.json': '{}' });
    assert.equal((await runCli(json, 'init')).code, 1);
  });

  it('--root writes a nested map for a subfolder', async () => {
    const shop = copyFixture('shop', { git: true });
    const result = await runCli(shop, 'init', '--root', 'src/billing');
    assert.equal(result.code, 0, result.stderr);
    assert.ok(fs.existsSync(path.join(shop, 'src', 'billing', '.customer-lens.yml')));
  });
});
