import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce, hasStackTrace, runCli, runCliWithInput } from './cliHarness';
import { copyFixture, tempDir, writeFiles } from './mapFixtures';

describe('customer-lens explain (built CLI, child process)', function () {
  this.timeout(120_000);
  let shop: string;

  before(async () => {
    await buildOnce();
    shop = copyFixture('shop', { git: true });
  });

  it('prints each path\'s features, primary first, with the pattern and the map line', async () => {
    const result = await runCli(shop, 'explain', 'src/checkout/cart.ts', 'src/billing/subscription.payment.ts', 'src/checkout/legacy/oldCart.ts', 'scripts/seed.ts', 'src/checkout/cart.test.ts', 'src/checkout');
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      [
        'src/checkout/cart.ts',
        '  checkout  primary  /src/checkout/  .customer-lens.yml:9',
        'src/billing/subscription.payment.ts',
        '  billing   primary  /src/billing/  .customer-lens.yml:18',
        '  checkout           *.payment.ts   .customer-lens.yml:9',
        'src/checkout/legacy/oldCart.ts',
        '  no feature: add a pattern for it to a feature\'s "paths", or to "unmapped"',
        'scripts/seed.ts',
        '  (unmapped)  ignored  /scripts/  .customer-lens.yml:19',
        'src/checkout/cart.test.ts',
        '  checkout    primary  /src/checkout/  .customer-lens.yml:9',
        '  (unmapped)  ignored  *.test.ts       .customer-lens.yml:19',
        'src/checkout/',
        '  checkout  primary  /src/checkout/  .customer-lens.yml:9',
        '',
      ].join('\n'),
    );
  });

  it('--json prints exactly the documented shape', async () => {
    const result = await runCli(shop, 'explain', '--json', 'src/checkout/cart.ts', 'src/billing/subscription.payment.ts', 'scripts/seed.ts');
    assert.equal(result.code, 0);
    assert.deepEqual(JSON.parse(result.stdout), [
      { path: 'src/checkout/cart.ts', features: [{ id: 'checkout', primary: true, pattern: '/src/checkout/', map: '.customer-lens.yml', line: 9 }], ignored: false },
      {
        path: 'src/billing/subscription.payment.ts',
        features: [
          { id: 'billing', primary: true, pattern: '/src/billing/', map: '.customer-lens.yml', line: 18 },
          { id: 'checkout', primary: false, pattern: '*.payment.ts', map: '.customer-lens.yml', line: 9 },
        ],
        ignored: false,
      },
      { path: 'scripts/seed.ts', features: [], ignored: true },
    ]);
  });

  it('takes paths relative to the current folder and finds the root above it', async () => {
    const result = await runCli(path.join(shop, 'src', 'checkout'), 'explain', '--json', 'cart.ts', '../billing/invoice.ts');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout).map((e: { path: string; features: Array<{ id: string }> }) => [e.path, e.features.map((f) => f.id)]), [
      ['src/checkout/cart.ts', ['checkout']],
      ['src/billing/invoice.ts', ['billing']],
    ]);
  });

  it('uses the outermost map of the git repository from inside a nested package, with map paths relative to the root', async () => {
    const mono = copyFixture('monorepo', { git: true });
    const result = await runCli(path.join(mono, 'packages', 'web'), 'explain', '--json', 'src/checkout/card.payment.ts');
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), [
      {
        path: 'packages/web/src/checkout/card.payment.ts',
        features: [
          { id: 'web-checkout', primary: true, pattern: '/src/checkout/', map: 'packages/web/.customer-lens.yml', line: 6 },
          { id: 'payments', primary: false, pattern: '*.payment.ts', map: '.customer-lens.yml', line: 5 },
        ],
        ignored: false,
      },
    ]);
  });

  it('--root picks the workspace root', async () => {
    const result = await runCli(tempDir(), 'explain', '--root', shop, '--json', path.join(shop, 'src/billing/invoice.ts'));
    assert.equal(result.code, 0, result.stderr);
    assert.equal(JSON.parse(result.stdout)[0].path, 'src/billing/invoice.ts');
  });

  describe('--stdin: paths one a line on standard input', () => {
    it('explains them after the arguments, skipping empty lines and CRLF line ends', async () => {
      const result = await runCliWithInput(shop, 'src/checkout/cart.ts\r\n\nscripts/seed.ts\n', 'explain', '--stdin', '--json', 'src/search/rank.ts');
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(
        JSON.parse(result.stdout).map((e: { path: string; ignored: boolean }) => `${e.path} ${e.ignored}`),
        ['src/search/rank.ts false', 'src/checkout/cart.ts false', 'scripts/seed.ts true'],
      );
    });

    it('takes 100,000 paths (more than fit on a command line)', async () => {
      const paths = Array.from({ length: 100_000 }, (_, i) => `src/${['checkout', 'billing', 'search'][i % 3]}/module-${i}/file-${i}.ts`);
      const started = Date.now();
      const result = await runCliWithInput(shop, `${paths.join('\n')}\n`, 'explain', '--stdin', '--json');
      const ms = Date.now() - started;
      assert.equal(result.code, 0, result.stderr.slice(0, 500));
      const explained = JSON.parse(result.stdout) as { path: string; features: { id: string }[] }[];
      assert.equal(explained.length, 100_000);
      assert.deepEqual(explained[99_999].features.map((f) => f.id), ['checkout']);
      assert.deepEqual(explained[99_998].features.map((f) => f.id), []);
      console.log(`      100,000 paths explained from stdin in ${ms} ms`);
    });

    it('says so when standard input holds no path', async () => {
      const result = await runCliWithInput(shop, '\n\n', 'explain', '--stdin');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^customer-lens explain: standard input held no path to explain \(one path a line\)/);
    });
  });

  describe('bad input: one line naming the file and what to do, non-zero exit, no stack trace', () => {
    it('a path outside the root', async () => {
      const result = await runCli(shop, 'explain', '../elsewhere.ts');
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      assert.match(result.stderr, /^customer-lens explain: \.\.\/elsewhere\.ts is outside the workspace root .*; pass a path inside it, or use --root\n$/);
    });

    it('no path at all (a usage error, exit 2)', async () => {
      const result = await runCli(shop, 'explain');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /^customer-lens explain: give at least one path to explain, or --stdin\n\nUsage: customer-lens explain/);
    });

    it('an unknown option (exit 2)', async () => {
      const result = await runCli(shop, 'explain', '--jsno', 'a.ts');
      assert.equal(result.code, 2);
      assert.match(result.stderr, /Unknown option '--jsno'/);
    });

    it('no map file', async () => {
      const dir = tempDir();
      const result = await runCli(dir, 'explain', 'a.ts');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^customer-lens explain: no map file \(\.customer-lens\.yml, \.customer-lens\.yaml, \.customer-lens\.json\) in .* or below; run "customer-lens init" to create one, or pass --root\n$/);
    });

    it('a --root that is not a folder', async () => {
      const result = await runCli(shop, 'explain', '--root', 'nope', 'a.ts');
      assert.equal(result.code, 1);
      assert.match(result.stderr, /^customer-lens explain: --root nope: .*nope is not a folder; pass the folder that holds the map file\n$/);
    });

    it('an invalid map: its errors with file:line:col, then what to do', async () => {
      const dir = copyFixture('broken');
      const result = await runCli(dir, 'explain', 'src/a.ts');
      assert.equal(result.code, 1);
      assert.equal(result.stdout, '');
      const lines = result.stderr.trimEnd().split('\n');
      assert.match(lines[0], /^\.customer-lens\.yml:1:10: error: "version": must be 1/);
      assert.match(lines[lines.length - 1], /^customer-lens explain: the map has \d+ errors; fix them first \(see "customer-lens check"\)$/);
      assert.equal(hasStackTrace(result.stderr), false);
    });

    const badMaps: Array<[string, (dir: string) => void, RegExp]> = [
      ['a binary map', (dir) => writeFiles(dir, { '.customer-lens.yml': Buffer.from([0, 1, 2, 0xff]) }), /\.customer-lens\.yml:1:1: error: the map file is not UTF-8 text \(it looks binary\)/],
      [
        'a 50 MB map',
        (dir) => {
          writeFiles(dir, { '.customer-lens.yml': 'version: 1\n' });
          fs.truncateSync(path.join(dir, '.customer-lens.yml'), 50 * 1024 * 1024);
        },
        /\.customer-lens\.yml:1:1: error: the map file is 50\.0 MB; a map is limited to 1 MB: split it into nested map files/,
      ],
      ['a map that is a folder', (dir) => writeFiles(dir, { '.customer-lens.yml/x': '' }), /\.customer-lens\.yml:1:1: error: this map file is a folder; a map must be a file/],
      ['a map that is a link loop', (dir) => fs.symlinkSync('.customer-lens.yml', path.join(dir, '.customer-lens.yml')), /\.customer-lens\.yml:1:1: error: the map file is a symbolic link loop/],
      ['invalid YAML', (dir) => writeFiles(dir, { '.customer-lens.yml': 'version: 1\nfeatures: [\n' }), /^\.customer-lens\.yml:3:1: error: invalid YAML: /],
    ];
    for (const [name, setup, expected] of badMaps) {
      it(name, async () => {
        const dir = tempDir();
        writeFiles(dir, { 'src/a.ts': '' });
        setup(dir);
        const result = await runCli(dir, 'explain', 'src/a.ts');
        assert.equal(result.code, 1);
        assert.match(result.stderr, expected);
        assert.equal(result.stderr.trimEnd().split('\n').length, 2, result.stderr);
        assert.equal(hasStackTrace(result.stderr), false);
      });
    }
  });
});
