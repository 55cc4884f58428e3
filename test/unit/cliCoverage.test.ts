import * as assert from 'node:assert/strict';
import { buildOnce, runCli } from './cliHarness';
import { copyFixture } from './mapFixtures';

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
        'Coverage: 55.5% of 9 files (4 mapped, 1 ignored, 4 unmapped)',
        '',
        'Files per feature:',
        '  checkout  3  Checkout',
        '  billing   2  Billing',
        '',
        '4 unmapped file(s) in 3 folder(s); list them with --unmapped.',
        '',
      ].join('\n'),
    );
  });

  it('--unmapped lists the unmapped files grouped by folder', async () => {
    const result = await runCli(shop, 'coverage', '--unmapped');
    assert.equal(result.code, 0);
    assert.ok(
      result.stdout.endsWith(
        [
          'Unmapped files (4):',
          '  ./ (2)',
          '    .customer-lens.yml',
          '    customer-context.json',
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
      ignored: 1,
      unmapped: 4,
      percent: 55.56,
      features: [
        { id: 'checkout', name: 'Checkout', files: ['src/billing/subscription.payment.ts', 'src/checkout/cart.test.ts', 'src/checkout/cart.ts'] },
        { id: 'billing', name: 'Billing', files: ['src/billing/invoice.ts', 'src/billing/subscription.payment.ts'] },
      ],
      unmappedFiles: [
        { folder: './', files: ['.customer-lens.yml', 'customer-context.json'] },
        { folder: 'src/checkout/legacy/', files: ['src/checkout/legacy/oldCart.ts'] },
        { folder: 'src/search/', files: ['src/search/rank.ts'] },
      ],
    });
  });

  it('refuses an invalid map, showing its errors', async () => {
    const result = await runCli(copyFixture('broken'), 'coverage');
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^\.customer-lens\.yml:1:10: error: /);
    assert.match(result.stderr, /customer-lens coverage: the map has 8 errors; fix them first/);
  });
});
