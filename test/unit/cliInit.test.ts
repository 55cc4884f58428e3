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
    assert.match(result.stdout, /^Wrote \.customer-lens\.yml: 2 features, owners from CODEOWNERS, 2 unmapped folders\.\nNext: give each feature a description/);
    const text = fs.readFileSync(path.join(dir, '.customer-lens.yml'), 'utf8');
    assert.match(text, /^# yaml-language-server: \$schema=\S+map\.schema\.json\n/);
    assert.match(text, /- id: checkout\n {4}name: Checkout\n.*\n {4}owners: \["@acme\/payments"\]\n {4}paths: \["\/src\/checkout\/"\]/);
    assert.match(text, /- id: search\n {4}name: Search\n.*\n {4}owners: \["@acme\/platform"\]/);
    const check = await runCli(dir, 'check');
    assert.equal(check.code, 0, check.stdout);
    assert.match(check.stdout, /^Coverage: 66\.6% of 6 files \(2 mapped, 2 ignored, 2 unmapped\)$/m);
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
