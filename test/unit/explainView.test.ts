// "Explain Mapping for Current File" answers every file the same way: a quick pick whose items say why and do the
// next useful thing, for a mapped file, a file marked not customer-facing, a file in no feature, and a broken or
// missing map.
import * as assert from 'node:assert/strict';
import { explainPick } from '../../src/client/explainView';
import type { ExplainResult, MapStatus } from '../../src/shared/lspProtocol';

const ROOT = 'file:///ws/storefront';
const MAP = `${ROOT}/.customer-lens.yml`;
const ok: MapStatus = { state: 'ok', usingLastGood: false, mapFileUris: [MAP], errorCount: 0, workspaceFolderUri: ROOT };
const at = (uri: string, line: number) => `${uri.slice(uri.lastIndexOf('/') + 1)}:${line}`;

function explain(overrides: Partial<ExplainResult>): ExplainResult {
  return { uri: `${ROOT}/src/a.ts`, path: 'src/a.ts', features: [], ignored: false, map: ok, ...overrides };
}

describe('Explain Mapping', () => {
  it('lists the features of a mapped file, primary first, each opening the map at its pattern', () => {
    const pick = explainPick(
      explain({
        features: [
          { featureId: 'billing', name: 'Billing', primary: true, pattern: '/src/billing/', mapFileUri: MAP, line: 62 },
          { featureId: 'checkout', name: 'Checkout', primary: false, pattern: '*.payment.ts', mapFileUri: MAP, line: 19 },
        ],
      }),
      'src/billing/subscription.payment.ts',
      at,
    );
    assert.equal(pick.title, 'Explain Mapping: src/billing/subscription.payment.ts');
    assert.deepEqual(
      pick.items.map((i) => [i.label, i.description, i.detail, i.action]),
      [
        ['$(star-full) Billing', 'primary', 'matched by "/src/billing/" at .customer-lens.yml:62', { kind: 'openMap', mapFileUri: MAP, line: 62 }],
        ['$(circle-outline) Checkout', undefined, 'matched by "*.payment.ts" at .customer-lens.yml:19', { kind: 'openMap', mapFileUri: MAP, line: 19 }],
      ],
    );
  });

  it('answers a file in no feature in the same list, offering Add to Feature and the map', () => {
    const pick = explainPick(explain({ uri: `${ROOT}/src/experimental/voiceSearch.ts`, path: 'src/experimental/voiceSearch.ts' }), 'src/experimental/voiceSearch.ts', at);
    assert.equal(pick.title, 'Explain Mapping: src/experimental/voiceSearch.ts');
    assert.equal(pick.placeholder, 'This file belongs to no feature');
    assert.deepEqual(
      pick.items.map((i) => [i.label, i.action]),
      [
        ['$(circle-slash) In no feature', { kind: 'addToFeature', uri: `${ROOT}/src/experimental/voiceSearch.ts` }],
        ['$(go-to-file) Open Map File', { kind: 'openMap', mapFileUri: MAP }],
      ],
    );
    assert.match(pick.items[0]!.detail ?? '', /No pattern of the map matches src\/experimental\/voiceSearch\.ts/);
  });

  it('names the unmapped pattern that marks a file not customer-facing, and opens the map there', () => {
    const pick = explainPick(explain({ ignored: true, ignoredBy: { pattern: '/scripts/', mapFileUri: MAP, line: 71 } }), 'scripts/seedCatalog.ts', at);
    assert.deepEqual(pick.items, [
      { label: '$(eye-closed) Not customer-facing', detail: 'marked by "/scripts/" in unmapped at .customer-lens.yml:71', action: { kind: 'openMap', mapFileUri: MAP, line: 71 } },
    ]);
  });

  it('says when the map is broken or missing, and what to do', () => {
    const broken = explainPick(explain({ map: { ...ok, state: 'invalid', errorCount: 2 } }), 'src/a.ts', at);
    assert.equal(broken.items[0]?.label, '$(error) The map has 2 errors');
    assert.deepEqual(broken.items[0]?.action, { kind: 'openMap', mapFileUri: MAP });
    const lastGood = explainPick(explain({ map: { ...ok, usingLastGood: true, errorCount: 1 } }), 'src/a.ts', at);
    assert.match(lastGood.placeholder, /the map has errors: this is its last valid version/);
    const none = explainPick(explain({ map: { state: 'none', usingLastGood: false, mapFileUris: [], errorCount: 0 } }), 'src/a.ts', at);
    assert.deepEqual(none.items.map((i) => i.action), [{ kind: 'createMap' }]);
  });
});
