import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { computeCoverage } from '../../src/map/coverage';
import { parseMapFile } from '../../src/map/mapFile';
import { createStarterMap, schemaForNewMap } from '../../src/map/mapInit';
import { compileWorkspaceMap } from '../../src/map/workspaceMap';
import { mapJsonSchema } from '../../src/shared/mapSchema';
import { tempDir, writeFiles } from './mapFixtures';

async function starter(files: Record<string, string>, options?: { schema?: string }) {
  const root = tempDir();
  writeFiles(root, files);
  const starterMap = await createStarterMap(root, Object.keys(files), options);
  const text = starterMap.text;
  const parsed = parseMapFile(path.join(root, '.customer-lens.yml'), text);
  assert.deepEqual(parsed.problems, [], text);
  return { text, parsed, starterMap };
}

describe('starter map (init)', () => {
  it('makes a feature of each top-level source folder, and of each subfolder of src/ and packages/', async () => {
    const { parsed } = await starter({
      'server/api.ts': '',
      'src/checkout/cart.ts': '',
      'src/search/rank.ts': '',
      'src/utils/strings.ts': '',
      'src/index.ts': '',
      'packages/mobile-app/src/a.ts': '',
      'dist/bundle.js': '',
      'node_modules/x/index.js': '',
      'README.md': '',
    });
    assert.deepEqual(
      parsed.features.map((f) => `${f.id} "${f.name}" ${f.paths.map((p) => p.pattern).join(' ')}`),
      ['mobile-app "Mobile app" /packages/mobile-app/', 'server "Server" /server/', 'checkout "Checkout" /src/checkout/', 'search "Search" /src/search/'],
    );
  });

  it('lists tests, scripts, docs and hidden folders under unmapped', async () => {
    const { parsed } = await starter({ 'lib/a.ts': '', 'test/a.test.ts': '', 'scripts/x.sh': '', 'docs/a.md': '', '.github/workflows/ci.yml': '' });
    assert.deepEqual(parsed.unmapped.map((p) => p.pattern), ['/.github/', '/docs/', '/scripts/', '/test/']);
    assert.deepEqual(parsed.features.map((f) => f.id), ['lib']);
  });

  it('takes owners from CODEOWNERS, the last matching rule winning', async () => {
    const { parsed } = await starter({
      '.github/CODEOWNERS': '# owners\n*  @org/platform\n/src/checkout/ @org/payments @alice  # payments\n*.ts @org/ts\nsrc/search @org/discovery\n',
      'src/checkout/a.ts': '',
      'src/search/b.ts': '',
      'src/emails/c.html': '',
    });
    assert.deepEqual(Object.fromEntries(parsed.features.map((f) => [f.id, f.owners])), {
      checkout: ['@org/payments', '@alice'],
      emails: ['@org/platform'],
      search: ['@org/discovery'],
    });
  });

  it('finds CODEOWNERS at the root and in docs/ too', async () => {
    const { parsed } = await starter({ CODEOWNERS: '/app/ @team\n', 'app/a.ts': '' });
    assert.deepEqual(parsed.features[0].owners, ['@team']);
    const { parsed: docs } = await starter({ 'docs/CODEOWNERS': '/app/ @docs-team\n', 'app/a.ts': '' });
    assert.deepEqual(docs.features[0].owners, ['@docs-team']);
  });

  it('turns folder names into valid, unique ids and readable names', async () => {
    const { parsed } = await starter({ 'src/GiftCards/a.ts': '', 'apps/gift_cards/b.ts': '' });
    assert.deepEqual(parsed.features.map((f) => [f.id, f.name]), [['gift_cards', 'Gift cards'], ['giftcards', 'Gift cards']]);
    // The same folder name twice: each id says where it lives.
    const { parsed: dup } = await starter({ 'src/web/a.ts': '', 'apps/web/b.ts': '' });
    assert.deepEqual(dup.features.map((f) => [f.id, f.name]), [['apps-web', 'Web (apps)'], ['src-web', 'Web (src)']]);
  });

  it('starts with the yaml-language-server schema comment and version 1', async () => {
    const { text } = await starter({ 'src/a/b.ts': '' }, { schema: './node_modules/customer-lens/dist/schemas/map.schema.json' });
    assert.equal(text.split('\n')[0], '# yaml-language-server: $schema=./node_modules/customer-lens/dist/schemas/map.schema.json');
    assert.match(text, /^version: 1$/m);
  });

  it('writes a valid map with a commented example for an empty repository', async () => {
    const { text, parsed } = await starter({ 'README.md': '' });
    assert.deepEqual(parsed.features, []);
    assert.match(text, /^# {3}- id: checkout$/m);
  });
});

/**
 * Realistic repositories (test/fixtures/codeowners/*): a CODEOWNERS file where GitHub reads it and the repository's
 * file list. home-hub: 481 lines, an owner for each of a few hundred integrations two folders down; embedded-os:
 * owners for boards, cpus, drivers and network stacks at every depth, with wildcard folders (`/boards/esp*\/`,
 * `/tests/net/gnrc*`) and tooling in dist/, makefiles/ and LICENSES/; web-monorepo: teams owning folders three and
 * four levels down, platform owning CI, Docker and infrastructure.
 */
async function realistic(name: string) {
  const fixture = path.join(__dirname, '..', 'fixtures', 'codeowners', name);
  const root = tempDir();
  const location = fs.readFileSync(path.join(fixture, 'location.txt'), 'utf8').trim();
  writeFiles(root, { [location]: fs.readFileSync(path.join(fixture, 'CODEOWNERS'), 'utf8') });
  const files = fs.readFileSync(path.join(fixture, 'files.txt'), 'utf8').split('\n').filter(Boolean);
  const started = Date.now();
  const starterMap = await createStarterMap(root, files);
  const ms = Date.now() - started;
  const parsed = parseMapFile(path.join(root, '.customer-lens.yml'), starterMap.text);
  assert.deepEqual(parsed.problems, []);
  const { map } = compileWorkspaceMap(root, [parsed]);
  const coverage = computeCoverage(map, [...files, '.customer-lens.yml']);
  const feature = (id: string) => {
    const found = parsed.features.find((f) => f.id === id);
    assert.ok(found, `no feature "${id}" in:\n${starterMap.text}`);
    return { paths: found.paths.map((p) => p.pattern), owners: found.owners, name: found.name };
  };
  const ids = parsed.features.map((f) => f.id);
  const unmapped = parsed.unmapped.map((p) => p.pattern);
  return { starterMap, parsed, coverage, feature, ids, unmapped, ms, text: starterMap.text };
}

describe('starter map from realistic CODEOWNERS files', () => {
  it('home-hub (481 lines): a feature with its owners for every integration, tooling and tests under unmapped', async () => {
    const { starterMap, coverage, feature, ids, unmapped, ms } = await realistic('home-hub');
    assert.ok(starterMap.features >= 240, `${starterMap.features} features`);
    assert.equal(starterMap.codeowners, '.github/CODEOWNERS');
    assert.deepEqual(feature('automation'), { paths: ['/hub/components/automation/'], owners: ['@hub/core'], name: 'Automation' });
    assert.deepEqual(feature('acme_doorbell').paths, ['/hub/components/acme_doorbell/']);
    assert.ok(feature('acme_doorbell').owners.length > 0);
    // Integrations CODEOWNERS has no line for are features too, like their siblings.
    assert.deepEqual(feature('legacy_x10'), { paths: ['/hub/components/legacy_x10/'], owners: [], name: 'Legacy x10' });
    for (const tooling of ['/script/', '/pylint/', '/tests/', '/.github/', '/docs/', '/rootfs/']) assert.ok(unmapped.includes(tooling), `${tooling} in ${unmapped}`);
    for (const notAFeature of ['script', 'tests', 'hub', 'components', 'helpers', 'util', 'rootfs']) assert.ok(!ids.includes(notAFeature), notAFeature);
    assert.ok(coverage.ratio > 0.98, `coverage ${coverage.ratio}`);
    assert.ok(ms < 5000, `${ms} ms`);
  });

  it('embedded-os: owners at any depth, wildcard folders, tooling folders (dist, makefiles, LICENSES, tests) unmapped', async () => {
    const { feature, ids, unmapped, coverage, text } = await realistic('embedded-os');
    assert.deepEqual(feature('boards-esp').paths, ['/boards/esp*/']);
    assert.deepEqual(feature('cpu-esp').paths, ['/cpu/esp*/']);
    assert.equal(feature('cpu-esp').name, 'Esp (cpu)');
    assert.deepEqual(feature('nrf802154').paths, ['/cpu/nrf52/radio/nrf802154/']);
    assert.deepEqual(feature('gnrc-netif').paths, ['/sys/net/gnrc/netif/']);
    assert.deepEqual(feature('net-netif').paths, ['/sys/net/netif/']);
    assert.deepEqual(feature('cc1352p-launchpad').paths, ['/boards/cc1352p-launchpad/'], 'a CODEOWNERS folder written without its trailing slash');
    assert.equal(feature('core').owners.length, 1);
    // A board, driver and system module CODEOWNERS does not name: a feature beside its siblings.
    assert.deepEqual(feature('microbit').owners, []);
    assert.ok(ids.includes('shell') && ids.includes('bmx280') && ids.includes('nimble'));
    for (const tooling of ['/LICENSES/', '/makefiles/', '/dist/', '/doc/', '/examples/', '/tests/', '/.ci/', '/Makefile', '/Kconfig']) {
      assert.ok(unmapped.includes(tooling), `${tooling} in ${unmapped}`);
    }
    for (const notAFeature of ['licenses', 'makefiles', 'dist', 'tools', 'docker', 'tests', 'gnrc', 'ci']) assert.ok(!ids.includes(notAFeature), notAFeature);
    // CODEOWNERS' order is kept, so its last matching line stays primary: /sys/net/ comes after the gnrc folders.
    assert.ok(text.indexOf('"/sys/net/"') > text.indexOf('"/sys/net/gnrc/netif/"'));
    assert.ok(coverage.ratio > 0.97, `coverage ${coverage.ratio}`);
  });

  it('web-monorepo: team folders three and four levels down, platform folders unmapped', async () => {
    const { feature, ids, unmapped } = await realistic('web-monorepo');
    assert.deepEqual(feature('checkout'), { paths: ['/apps/web/src/checkout/'], owners: ['@acme/payments'], name: 'Checkout' });
    assert.deepEqual(feature('billing').paths, ['/apps/web/src/account/billing/']);
    assert.deepEqual(feature('web-src-search').name, 'Search (web/src)');
    assert.deepEqual(feature('api-src-search').owners, ['@acme/discovery']);
    assert.deepEqual(feature('ui').name, 'UI');
    // Not in CODEOWNERS, beside team folders: a feature with the default owners of `*`.
    assert.deepEqual(feature('inventory'), { paths: ['/apps/api/src/inventory/'], owners: ['@acme/engineering'], name: 'Inventory' });
    for (const tooling of ['/infra/', '/ci/', '/docker/', '/.github/', '/scripts/', '/docs/', '/apps/web/e2e/', '/apps/api/test/', '/packages/eslint-config/', '/packages/tsconfig/']) {
      assert.ok(unmapped.includes(tooling), `${tooling} in ${unmapped}`);
    }
    for (const notAFeature of ['infra', 'ci', 'docker', 'scripts', 'e2e', 'eslint-config', 'tsconfig', 'lib']) assert.ok(!ids.includes(notAFeature), notAFeature);
  });
});

describe('the schema a new map points at', () => {
  it('is the copy installed with customer-lens when the repository has it (a devDependency)', () => {
    const root = tempDir();
    writeFiles(root, { 'node_modules/customer-lens/dist/schemas/map.schema.json': '{}' });
    assert.deepEqual(schemaForNewMap(root), { reference: './node_modules/customer-lens/dist/schemas/map.schema.json' });
    assert.deepEqual(schemaForNewMap(path.join(root, 'packages', 'web'), root), { reference: '../../node_modules/customer-lens/dist/schemas/map.schema.json' });
  });

  it('is otherwise a copy written next to the map, or one already written above it', () => {
    const root = tempDir();
    const placement = schemaForNewMap(root);
    assert.equal(placement.reference, './.customer-lens.schema.json');
    assert.equal(placement.write?.file, path.join(root, '.customer-lens.schema.json'));
    assert.deepEqual(JSON.parse(placement.write?.text ?? ''), mapJsonSchema());
    writeFiles(root, { '.customer-lens.schema.json': placement.write?.text ?? '' });
    assert.deepEqual(schemaForNewMap(path.join(root, 'packages', 'web'), root), { reference: '../../.customer-lens.schema.json' });
  });
});
