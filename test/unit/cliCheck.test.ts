import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildOnce, hasStackTrace, runCli } from './cliHarness';
import { copyFixture, gitInit, tempDir, writeFiles } from './mapFixtures';

describe('customer-lens check (built CLI, child process)', function () {
  this.timeout(120_000);
  before(() => buildOnce());

  it('passes a valid map and prints coverage of the git file list', async () => {
    const shop = copyFixture('shop', { git: true });
    const result = await runCli(shop, 'check');
    assert.equal(result.stderr, '');
    assert.equal(result.code, 0);
    // The map file and its context file belong to the map: ignored (covered) without an "unmapped" pattern.
    assert.equal(result.stdout, 'Coverage: 77.7% of 9 files (4 mapped, 3 ignored, 2 unmapped)\n1 map file, 2 features: 0 errors, 0 warnings\n');
  });

  it('reports every error at once with file:line:col and exits 1', async () => {
    const broken = copyFixture('broken');
    const result = await runCli(broken, 'check');
    assert.equal(result.code, 1);
    const locations = result.stdout.split('\n').filter((l) => l.includes(': error: ')).map((l) => l.split(': error: ')[0]);
    assert.deepEqual(locations, [
      '.customer-lens.yml:1:10',
      '.customer-lens.yml:2:10',
      '.customer-lens.yml:4:9',
      '.customer-lens.yml:6:5',
      '.customer-lens.yml:8:13',
      '.customer-lens.yml:8:37',
      '.customer-lens.yml:9:13',
      '.customer-lens.yml:10:9',
    ]);
    assert.match(result.stdout, /\.customer-lens\.yml:6:5: error: feature "Checkout": unknown key "pahts" \(did you mean "paths"\?\)/);
    assert.match(result.stdout, /\.customer-lens\.yml:10:9: error: duplicate id "search"/);
    assert.match(result.stdout, /Coverage: not computed until the errors above are fixed\n1 map file, 0 features: 8 errors, 0 warnings\n$/);
    assert.equal(hasStackTrace(result.stdout + result.stderr), false);
  });

  it('warns about patterns that match no file and features with no files, and still exits 0', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: checkout\n    paths: [/src/checkout/, /src/chekout/]\n  - id: search\n    paths: [/src/search/]\nunmapped: [.customer-lens.yml]\n',
      'src/checkout/cart.ts': '',
    });
    const result = await runCli(dir, 'check');
    assert.equal(result.code, 0);
    assert.equal(
      result.stdout,
      [
        '.customer-lens.yml:4:29: warning: pattern "/src/chekout/" of feature "checkout" matches no file; fix or remove it',
        '.customer-lens.yml:5:9: warning: feature "search" has no files: its patterns match no file (or "exclude" cancels them)',
        '.customer-lens.yml:6:13: warning: pattern "/src/search/" of feature "search" matches no file; fix or remove it',
        'Coverage: 100.0% of 2 files (1 mapped, 1 ignored, 0 unmapped)',
        '1 map file, 2 features: 0 errors, 3 warnings',
        '',
      ].join('\n'),
    );
  });

  it('says that a wildcard last name matches files only, and which pattern takes the folders (/tests/net/gnrc*)', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: net\n    paths: [/sys/net/]\nunmapped: [/tests/net/gnrc*]\n',
      'sys/net/ip.c': '',
      'tests/net/gnrc_ipv6/main.c': '',
      'tests/net/gnrc_udp/main.c': '',
    });
    const result = await runCli(dir, 'check');
    assert.equal(result.code, 0);
    assert.match(
      result.stdout,
      /^\.customer-lens\.yml:5:12: warning: unmapped pattern "\/tests\/net\/gnrc\*" matches no file: a wildcard last name matches file names only, and "gnrc\*" names 2 folders here; write "\/tests\/net\/gnrc\*\/" to take those folders$/m,
    );
  });

  it('reports duplicate ids across nested map files', async () => {
    const dir = tempDir();
    writeFiles(dir, {
      '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: web\n    paths: [/web/]\n',
      'web/.customer-lens.yml': 'version: 1\nfeatures:\n  - id: web\n    paths: [/src/]\n',
      'web/src/a.ts': '',
    });
    const result = await runCli(dir, 'check');
    assert.equal(result.code, 1);
    assert.match(result.stdout, /^web\/\.customer-lens\.yml:3:9: error: duplicate id "web": \.customer-lens\.yml:3 already declares it; ids must be unique across all map files$/m);
  });

  describe('--min-coverage', () => {
    let shop: string;
    before(() => {
      shop = copyFixture('shop', { git: true });
    });

    it('fails below the minimum, saying what to do', async () => {
      const result = await runCli(shop, 'check', '--min-coverage', '80');
      assert.equal(result.code, 1);
      assert.match(result.stdout, /^error: coverage 77\.7% is below the minimum of 80%; map the unmapped files \(customer-lens coverage --unmapped\) or list them under "unmapped"$/m);
    });

    it('passes at or above it (a "%" sign is fine)', async () => {
      assert.equal((await runCli(shop, 'check', '--min-coverage', '77')).code, 0);
      assert.equal((await runCli(shop, 'check', '--min-coverage=77.7%')).code, 0);
    });

    it('rejects a value that is not a percentage (usage error, exit 2)', async () => {
      for (const value of ['abc', '101', '-1', '']) {
        const result = await runCli(shop, 'check', `--min-coverage=${value}`);
        assert.equal(result.code, 2, value);
        assert.match(result.stderr, /--min-coverage must be a percentage from 0 to 100/);
      }
    });
  });

  it('--json prints the result for machines', async () => {
    const shop = copyFixture('shop', { git: true });
    const result = await runCli(shop, 'check', '--json', '--min-coverage', '90');
    assert.equal(result.code, 1);
    assert.deepEqual(JSON.parse(result.stdout), {
      ok: false,
      root: shop,
      mapFiles: ['.customer-lens.yml'],
      features: 2,
      errors: 0,
      warnings: 0,
      problems: [],
      coverage: { total: 9, mapped: 4, ignored: 3, unmapped: 2, percent: 77.78 },
      minCoverage: 90,
    });
    const broken = await runCli(copyFixture('broken'), 'check', '--json');
    const json = JSON.parse(broken.stdout);
    assert.equal(json.coverage, null);
    assert.deepEqual(json.problems[0], {
      file: '.customer-lens.yml',
      line: 1,
      column: 10,
      endLine: 1,
      endColumn: 11,
      severity: 'error',
      code: 'unsupported-version',
      message: '"version": must be 1 (got 2); this is the only map format version',
    });
  });

  it('counts files from git (ignored files do not count) or, outside git, from a walk without .git and node_modules', async () => {
    const files = {
      '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: app\n    paths: [/src/]\nunmapped: [/.customer-lens.yml, /.gitignore]\n',
      '.gitignore': 'generated/\nnode_modules/\n',
      'src/a.ts': '',
      'generated/b.js': '',
      'node_modules/x/index.js': '',
    };
    const walked = tempDir();
    writeFiles(walked, files);
    const walk = await runCli(walked, 'check');
    // .customer-lens.yml, .gitignore, src/a.ts, generated/b.js: the walk does not read .gitignore.
    assert.match(walk.stdout, /^Coverage: 75\.0% of 4 files \(1 mapped, 2 ignored, 1 unmapped\)$/m);
    const repo = tempDir();
    writeFiles(repo, files);
    gitInit(repo);
    const git = await runCli(repo, 'check');
    assert.match(git.stdout, /^Coverage: 100\.0% of 3 files \(1 mapped, 2 ignored, 0 unmapped\)$/m);
  });

  it('checks a workspace copied into a folder the enclosing repository ignores (the demo in .vscode-test/)', async () => {
    const clone = tempDir();
    writeFiles(clone, { '.gitignore': '.vscode-test/\n', 'README.md': '' });
    gitInit(clone);
    const demo = path.join(clone, '.vscode-test', 'demo');
    fs.cpSync(copyFixture('shop'), demo, { recursive: true });
    const result = await runCli(demo, 'check', '--min-coverage', '60');
    assert.equal(result.code, 0, result.stdout + result.stderr);
    assert.match(result.stdout, /^Coverage: 77\.7% of 9 files \(4 mapped, 3 ignored, 2 unmapped\)$/m);
    assert.match(result.stderr, /^note: .*\.vscode-test\/demo is ignored by the git repository at .*; listing it by walking its folders/m);
  });

  it('fails --min-coverage, and says why, when no file is listed (coverage of nothing is not 100%)', async () => {
    const repo = tempDir();
    writeFiles(repo, { '.gitignore': '*\n', '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: app\n    paths: [/src/]\n', 'src/a.ts': '' });
    gitInit(repo);
    const result = await runCli(repo, 'check', '--min-coverage', '90');
    assert.equal(result.code, 1);
    assert.equal(
      result.stdout,
      [
        'Coverage: not measured, no files were listed',
        `error: coverage cannot reach the minimum of 90%: no files were listed in ${repo}; check that git does not ignore them (git ls-files), or pass the folder that holds them with --root`,
        '1 map file, 1 feature: 0 errors, 0 warnings',
        '',
      ].join('\n'),
    );
    assert.match(result.stderr, /^warning: git ls-files --exclude-standard lists no file in .*, yet it holds files: every file is ignored/m);
    const json = JSON.parse((await runCli(repo, 'check', '--json', '--min-coverage', '90')).stdout);
    assert.equal(json.ok, false);
    assert.deepEqual(json.coverage, { total: 0, mapped: 0, ignored: 0, unmapped: 0, percent: null });
  });

  it('works as a CI step from any folder of the repository', async () => {
    const shop = copyFixture('shop', { git: true });
    const result = await runCli(path.join(shop, 'src'), 'check', '--min-coverage', '50');
    assert.equal(result.code, 0, result.stdout + result.stderr);
  });
});
