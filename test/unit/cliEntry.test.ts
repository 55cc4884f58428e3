import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce, runCli } from './cliHarness';
import { tempDir } from './mapFixtures';

describe('customer-lens itself (built CLI, child process)', function () {
  this.timeout(120_000);
  before(() => buildOnce());

  it('--version prints the version of the package it was built from', async () => {
    const { version } = JSON.parse(fs.readFileSync(path.resolve(__dirname, '..', '..', 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(tempDir(), '--version');
    assert.equal(result.code, 0);
    assert.equal(result.stdout, `${version}\n`);
    assert.match(version, /^\d+\.\d+\.\d+/);
  });
});
