import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseMapFile } from '../../src/map/mapFile';
import { createStarterMap } from '../../src/map/mapInit';
import { tempDir, writeFiles } from './mapFixtures';

async function starter(files: Record<string, string>, options?: { schema?: string }) {
  const root = tempDir();
  writeFiles(root, files);
  const text = await createStarterMap(root, Object.keys(files), options);
  const parsed = parseMapFile(path.join(root, '.customer-lens.yml'), text);
  assert.deepEqual(parsed.problems, [], text);
  return { text, parsed };
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
    const { parsed: dup } = await starter({ 'src/web/a.ts': '', 'apps/web/b.ts': '' });
    assert.deepEqual(dup.features.map((f) => f.id), ['web', 'web-2']);
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
