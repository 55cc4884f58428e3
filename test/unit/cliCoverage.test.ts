import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { buildOnce, CLI, runCli } from './cliHarness';
import { copyFixture, tempDir, writeFiles } from './mapFixtures';

describe('customer-lens coverage (built CLI, child process)', function () {
  this.timeout(120_000);
  let shop: string;
  before(async () => {
    await buildOnce();
    shop = copyFixture('shop', { git: true });
  });

  it('prints coverage and the number of files per feature', async () => {
    const result = await runCli(shop, 'coverage');
    assert.equal(result.code, 0, result.stderr);
    assert.equal(
      result.stdout,
      [
        'Coverage: 77.7% of 9 files (4 mapped, 3 ignored, 2 unmapped)',
        '',
        'Files per feature:',
        '  checkout  3  Checkout',
        '  billing   2  Billing',
        '',
        '2 unmapped file(s) in 2 folder(s); list them with --unmapped.',
        '',
      ].join('\n'),
    );
  });

  it('--unmapped lists the unmapped files grouped by folder; the map file and its context file are not among them', async () => {
    const result = await runCli(shop, 'coverage', '--unmapped');
    assert.equal(result.code, 0);
    assert.ok(
      result.stdout.endsWith(
        [
          'Unmapped files (2):',
          '  src/checkout/legacy/ (1)',
          '    src/checkout/legacy/oldCart.ts',
          '  src/search/ (1)',
          '    src/search/rank.ts',
          '',
        ].join('\n'),
      ),
      result.stdout,
    );
  });

  it('--json gives every feature\'s files, and the unmapped files by folder with --unmapped', async () => {
    const result = await runCli(shop, 'coverage', '--json', '--unmapped');
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), {
      root: shop,
      total: 9,
      mapped: 4,
      ignored: 3,
      unmapped: 2,
      percent: 77.78,
      features: [
        { id: 'checkout', name: 'Checkout', files: ['src/billing/subscription.payment.ts', 'src/checkout/cart.test.ts', 'src/checkout/cart.ts'] },
        { id: 'billing', name: 'Billing', files: ['src/billing/invoice.ts', 'src/billing/subscription.payment.ts'] },
      ],
      unmappedFiles: [
        { folder: 'src/checkout/legacy/', files: ['src/checkout/legacy/oldCart.ts'] },
        { folder: 'src/search/', files: ['src/search/rank.ts'] },
      ],
    });
  });

  it('stops quietly when the reader of its output goes away (coverage --unmapped | head)', async () => {
    const dir = tempDir();
    const files: Record<string, string> = { '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: app\n    paths: [/src/]\n' };
    // Far more output than a pipe holds, so the CLI is still writing when head exits.
    for (let i = 0; i < 4000; i++) files[`generated/folder-${i % 40}/a-rather-long-file-name-number-${i}.ts`] = '';
    writeFiles(dir, files);
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile('bash', ['-o', 'pipefail', '-c', `"${process.execPath}" "${CLI}" coverage --unmapped | head -n 3`], { cwd: dir }, (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
      );
    });
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(result.stdout.split('\n').length, 4);
  });

  it('refuses an invalid map, showing its errors', async () => {
    const result = await runCli(copyFixture('broken'), 'coverage');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^\.customer-lens\.yml:1:10: error: /);
    assert.match(result.stderr, /customer-lens coverage: the map has 8 errors; fix them first/);
  });
});
