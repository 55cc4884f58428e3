import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { addPatternToFeature, patternForPath } from '../../src/map/mapEdit';
import { parseMapFile } from '../../src/map/mapFile';

const YAML_FILE = '/repo/.customer-lens.yml';
const JSON_FILE = '/repo/.customer-lens.json';

const MAP = `# Features of the shop.
version: 1
features:
  - id: checkout   # the money path
    paths:
      - /src/checkout/   # all of it
      # payment adapters below
    owners: ["@shop/payments"]

  - id: search
    paths: ["/src/search/", '*.search.ts']
  - id: onboarding
    paths: [
      /src/onboarding/,
      /src/emails/
    ]
  - id: billing
    name: Billing
    links:
      - { title: Spec, url: "https://example.com" }
    # billing has no paths yet
  - { id: emails, name: Emails }
  - id: docs
    paths: []
`;

/** The lines that differ between two texts, as `+line`; every other line must be unchanged. */
function added(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  const out: string[] = [];
  let i = 0;
  for (const line of b) {
    if (a[i] === line) i++;
    else out.push(`+${line}`);
  }
  assert.equal(i, a.length, 'no original line may be lost or changed');
  return out;
}

function patternsOf(text: string, file: string, id: string): string[] {
  const parsed = parseMapFile(file, text, { checkContextFile: (file: string) => ({ file }) });
  assert.deepEqual(parsed.problems, []);
  return parsed.features.find((f) => f.id === id)?.paths.map((p) => p.pattern) ?? [];
}

describe('adding a pattern to a feature (comments and formatting preserved)', () => {
  it('appends to a block list after the last item, keeping comments in place', () => {
    const edited = addPatternToFeature(MAP, YAML_FILE, 'checkout', '/src/payments/card.ts');
    assert.deepEqual(added(MAP, edited), ['+      - /src/payments/card.ts']);
    assert.deepEqual(patternsOf(edited, YAML_FILE, 'checkout'), ['/src/checkout/', '/src/payments/card.ts']);
    assert.ok(edited.indexOf('/src/payments/card.ts') < edited.indexOf('# payment adapters below'));
  });

  it('appends to a flow list in the quote style of its last item', () => {
    const edited = addPatternToFeature(MAP, YAML_FILE, 'search', '*.rank.ts');
    assert.match(edited, /^ {4}paths: \["\/src\/search\/", '\*\.search\.ts', '\*\.rank\.ts'\]$/m);
    assert.deepEqual(patternsOf(edited, YAML_FILE, 'search'), ['/src/search/', '*.search.ts', '*.rank.ts']);
  });

  it('appends to a multi-line flow list on its own line', () => {
    const edited = addPatternToFeature(MAP, YAML_FILE, 'onboarding', '/src/trial/');
    assert.match(edited, / {6}\/src\/emails\/,\n {6}\/src\/trial\/\n {4}\]/);
    assert.deepEqual(patternsOf(edited, YAML_FILE, 'onboarding'), ['/src/onboarding/', '/src/emails/', '/src/trial/']);
  });

  it('fills an empty list', () => {
    const edited = addPatternToFeature(MAP, YAML_FILE, 'docs', '/docs/');
    assert.deepEqual(patternsOf(edited, YAML_FILE, 'docs'), ['/docs/']);
  });

  it('adds a "paths" key to a block feature after its last key, before the comment that follows', () => {
    const edited = addPatternToFeature(MAP, YAML_FILE, 'billing', '/src/billing/');
    assert.deepEqual(added(MAP, edited), ['+    paths: ["/src/billing/"]']);
    assert.ok(edited.indexOf('paths: ["/src/billing/"]') < edited.indexOf('# billing has no paths yet'));
    assert.deepEqual(patternsOf(edited, YAML_FILE, 'billing'), ['/src/billing/']);
  });

  it('adds a "paths" key to a flow feature', () => {
    const edited = addPatternToFeature(MAP, YAML_FILE, 'emails', '/src/emails/');
    assert.match(edited, /^ {2}- \{ id: emails, name: Emails, paths: \["\/src\/emails\/"\] \}$/m);
  });

  it('leaves the text unchanged when the feature already has the pattern', () => {
    assert.equal(addPatternToFeature(MAP, YAML_FILE, 'checkout', '/src/checkout/'), MAP);
  });

  it('edits JSON maps as JSON, keeping their layout', () => {
    const json = '{\n  "version": 1,\n  "features": [\n    { "id": "a", "paths": ["/a/"] },\n    {\n      "id": "b",\n      "name": "B"\n    },\n    {\n      "id": "c",\n      "paths": [\n        "/c/"\n      ]\n    }\n  ]\n}\n';
    const a = addPatternToFeature(json, JSON_FILE, 'a', '/a2/');
    assert.equal(a, json.replace('"paths": ["/a/"] }', '"paths": ["/a/", "/a2/"] }'));
    const b = addPatternToFeature(json, JSON_FILE, 'b', '/b/');
    assert.equal(b, json.replace('      "name": "B"\n', '      "name": "B",\n      "paths": ["/b/"]\n'));
    const c = addPatternToFeature(json, JSON_FILE, 'c', '/c2/');
    assert.match(c, / {8}"\/c\/",\n {8}"\/c2\/"\n/);
    assert.deepEqual(JSON.parse(c).features[2].paths, ['/c/', '/c2/']);
  });

  it('refuses, naming the file, an unknown feature, an invalid pattern and a broken map', () => {
    assert.throws(() => addPatternToFeature(MAP, YAML_FILE, 'nope', '/x/'), /\/repo\/\.customer-lens\.yml declares no feature "nope"/);
    assert.throws(() => addPatternToFeature(MAP, YAML_FILE, 'checkout', '!/x/'), /cannot add to \/repo\/\.customer-lens\.yml: "!" negation is not supported/);
    assert.throws(() => addPatternToFeature('features: [', YAML_FILE, 'checkout', '/x/'), /has syntax errors; fix them before editing it/);
  });

  it('makes anchored patterns for files and folders below the map\'s folder', () => {
    const dir = path.resolve('/repo/packages/web');
    assert.equal(patternForPath(dir, path.join(dir, 'src', 'checkout', 'cart.ts'), false), '/src/checkout/cart.ts');
    assert.equal(patternForPath(dir, path.join(dir, 'src', 'checkout'), true), '/src/checkout/');
    assert.throws(() => patternForPath(dir, path.resolve('/repo/other/a.ts'), false), /is not inside/);
  });
});

describe('adding a pattern to a map with Windows line endings', () => {
  it('keeps \\r\\n line endings', () => {
    const crlf = MAP.replace(/\n/g, '\r\n');
    for (const id of ['checkout', 'onboarding', 'billing']) {
      const edited = addPatternToFeature(crlf, YAML_FILE, id, '/new/');
      assert.equal(edited.replace(/\r\n/g, '').includes('\n'), false, `${id}: no bare \\n`);
      assert.ok(patternsOf(edited, YAML_FILE, id).includes('/new/'));
    }
  });
});
