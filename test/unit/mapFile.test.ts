import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { MAP_FILE_NAMES, parseMapFile, type ParsedMapFile } from '../../src/map/mapFile';
import type { MapProblem } from '../../src/shared/mapModel';

const FILE = path.resolve('/repo/.customer-lens.yml');
const noContextCheck = { checkContextFile: (file: string) => ({ file }) };

function parse(text: string, file = FILE): ParsedMapFile {
  return parseMapFile(file, text, noContextCheck);
}

/** `line:col code message` for each problem, as a user reads them. */
function problems(result: ParsedMapFile): string[] {
  return result.problems.map((p: MapProblem) => `${p.range.start.line}:${p.range.start.column} ${p.severity} ${p.code} ${p.message}`);
}

function only(result: ParsedMapFile): MapProblem {
  assert.equal(result.problems.length, 1, problems(result).join('\n'));
  return result.problems[0];
}

function at(problem: MapProblem, line: number, column: number): void {
  assert.deepEqual([problem.range.start.line, problem.range.start.column], [line, column], problem.message);
}

describe('map file parsing and validation', () => {
  it('knows the three map file names, YAML first', () => {
    assert.deepEqual(MAP_FILE_NAMES, ['.customer-lens.yml', '.customer-lens.yaml', '.customer-lens.json']);
  });

  it('reads the documented example with every field and each pattern\'s position', () => {
    const text = [
      'version: 1',
      'context: ./customer-context.json',
      'features:',
      '  - id: checkout',
      '    name: Checkout',
      '    description: Turning a cart into a paid order.',
      '    owners: ["@shop/payments"]',
      '    paths: ["/src/checkout/", "*.payment.ts"]',
      '    exclude: ["/src/checkout/legacy/"]',
      '    symbols: [CheckoutService, applyCoupon]',
      '    events: [checkout_started, checkout_completed]',
      '    links: [{ title: Spec, url: "https://example.com/spec" }]',
      'unmapped: ["/scripts/", "*.test.ts"]',
    ].join('\n');
    const result = parse(text);
    assert.deepEqual(result.problems, []);
    assert.equal(result.valid, true);
    assert.equal(result.dir, path.dirname(FILE));
    assert.equal(result.contextFile, path.resolve('/repo/customer-context.json'));
    const [feature] = result.features;
    assert.equal(feature.id, 'checkout');
    assert.equal(feature.name, 'Checkout');
    assert.equal(feature.description, 'Turning a cart into a paid order.');
    assert.deepEqual(feature.owners, ['@shop/payments']);
    assert.deepEqual(feature.symbols, ['CheckoutService', 'applyCoupon']);
    assert.deepEqual(feature.events, ['checkout_started', 'checkout_completed']);
    assert.deepEqual(feature.links, [{ title: 'Spec', url: 'https://example.com/spec' }]);
    assert.deepEqual(
      feature.paths.map((p) => [p.pattern, p.kind, p.range.start.line, p.range.start.column]),
      [['/src/checkout/', 'path', 8, 13], ['*.payment.ts', 'path', 8, 31]],
    );
    assert.deepEqual(feature.exclude.map((p) => [p.pattern, p.kind, p.range.start.line]), [['/src/checkout/legacy/', 'exclude', 9]]);
    assert.deepEqual(result.unmapped.map((p) => [p.pattern, p.kind, p.range.start.line, p.range.start.column]), [['/scripts/', 'unmapped', 13, 12], ['*.test.ts', 'unmapped', 13, 25]]);
    assert.equal(feature.range.start.line, 4);
    assert.equal(feature.mapFile, FILE);
  });

  it('defaults a feature\'s name to its id and its lists to empty', () => {
    const [feature] = parse('version: 1\nfeatures:\n  - id: search\n    paths: [/src/search/]\n').features;
    assert.equal(feature.name, 'search');
    assert.deepEqual([feature.owners, feature.exclude, feature.symbols, feature.events, feature.links], [[], [], [], [], []]);
    assert.equal(feature.description, undefined);
  });

  describe('reports, with file:line:col', () => {
    it('invalid YAML at its position, and nothing else', () => {
      const problem = only(parse('version: 1\nfeatures:\n  - id: a\n    paths: ["/a/"\n'));
      assert.equal(problem.code, 'invalid-yaml');
      assert.equal(problem.file, FILE);
      assert.equal(problem.range.start.line, 5);
      assert.match(problem.message, /^invalid YAML: /);
    });

    it('an unquoted pattern starting with "*" (a YAML alias) with the fix', () => {
      const problem = only(parse('version: 1\nunmapped: [*.test.ts]\n'));
      at(problem, 2, 12);
      assert.equal(problem.code, 'invalid-yaml');
      assert.match(problem.message, /quote patterns: "\*\.test\.ts"/);
    });

    it('a key written twice', () => {
      const problem = only(parse('version: 1\nversion: 1\n'));
      at(problem, 2, 1);
      assert.match(problem.message, /"version" appears twice/);
    });

    it('more than one YAML document', () => {
      assert.match(only(parse('version: 1\n---\nfeatures: []\n')).message, /one YAML document/);
    });

    it('an empty file', () => {
      const problem = only(parse(''));
      assert.equal(problem.code, 'empty-map');
      at(problem, 1, 1);
    });

    it('a missing version, and one that is not 1', () => {
      const missing = only(parse('features: []\n'));
      assert.equal(missing.code, 'missing-key');
      at(missing, 1, 1);
      assert.match(missing.message, /missing "version"; add "version: 1"/);
      const wrong = only(parse('# map\nversion: 2\n'));
      assert.equal(wrong.code, 'unsupported-version');
      at(wrong, 2, 10);
      assert.match(wrong.message, /must be 1 \(got 2\)/);
      assert.equal(only(parse('version: "1"\n')).code, 'unsupported-version');
    });

    it('a map that is not a mapping', () => {
      const problem = only(parse('- checkout\n- search\n'));
      assert.equal(problem.code, 'wrong-type');
      assert.match(problem.message, /expected a mapping/);
    });

    it('unknown keys with "did you mean", at the key', () => {
      const result = parse('version: 1\nfeature: []\nfeatures:\n  - id: a\n    pahts: ["/a/"]\n    descripton: x\n    links: [{ title: T, ulr: "https://x.example" }]\n    colour: red\n');
      assert.deepEqual(problems(result), [
        '2:1 error unknown-key the map: unknown key "feature" (did you mean "features"?)',
        '5:5 error unknown-key feature "a": unknown key "pahts" (did you mean "paths"?)',
        '6:5 error unknown-key feature "a": unknown key "descripton" (did you mean "description"?)',
        '7:15 error missing-key feature "a" › links[0]: missing "url"',
        '7:25 error unknown-key feature "a" › links[0]: unknown key "ulr" (did you mean "url"?)',
        '8:5 error unknown-key feature "a": unknown key "colour"; known keys are id, name, description, owners, paths, exclude, symbols, events, links',
      ].sort(byPosition));
      assert.equal(result.valid, false);
    });

    it('wrong types, naming the feature and the key', () => {
      const result = parse('version: 1\nfeatures:\n  - id: a\n    owners: "@shop/payments"\n    paths: /a/\n    symbols: [1]\n    description:\n  - checkout\n');
      assert.deepEqual(problems(result), [
        '4:13 error wrong-type feature "a" › owners: expected a list, got the text "@shop/payments"; write it as a list: ["@shop/payments"]',
        '5:12 error wrong-type feature "a" › paths: expected a list, got the text "/a/"; write it as a list: ["/a/"]',
        '6:15 error wrong-type feature "a" › symbols[0]: expected a string, got the number 1',
        '7:17 error wrong-type feature "a" › description: is empty; give it a value or remove the key',
        '8:5 error wrong-type feature #2: expected a mapping (key: value), got the text "checkout"',
      ]);
    });

    it('malformed ids with a suggestion, and a missing id', () => {
      const result = parse('version: 1\nfeatures:\n  - id: Checkout Flow\n    paths: [/a/]\n  - id: -x\n  - id: "a/b"\n  - name: No id\n');
      assert.deepEqual(problems(result), [
        '3:9 error invalid-id feature "Checkout Flow" › id: id "Checkout Flow" is not valid; use lowercase letters, digits, "-", "_" and "." (e.g. "checkout-flow")',
        '5:9 error invalid-id feature "-x" › id: id "-x" is not valid; use lowercase letters, digits, "-", "_" and "." (e.g. "x")',
        '6:9 error invalid-id feature "a/b" › id: id "a/b" is not valid; use lowercase letters, digits, "-", "_" and "." (e.g. "a-b")',
        '7:5 error missing-key feature #4: missing "id"',
      ]);
      assert.deepEqual(result.features, []);
    });

    it('accepts ids made of lowercase letters, digits, "-", "_" and "."', () => {
      const result = parse('version: 1\nfeatures:\n  - id: a-b_c.d9\n  - id: 2fa\n');
      assert.deepEqual(problems(result), []);
      assert.deepEqual(result.features.map((f) => f.id), ['a-b_c.d9', '2fa']);
    });

    it('duplicate ids at the second one, naming the first one\'s line', () => {
      const result = parse('version: 1\nfeatures:\n  - id: search\n    paths: [/a/]\n  - id: search\n    paths: [/b/]\n');
      const problem = only(result);
      assert.equal(problem.code, 'duplicate-id');
      at(problem, 5, 9);
      assert.match(problem.message, /duplicate id "search": the feature at line 3 already uses it/);
      assert.deepEqual(result.features.map((f) => f.paths[0].pattern), ['/a/'], 'the first declaration is kept');
    });

    it('empty and invalid patterns, each at its own position, in paths, exclude and unmapped', () => {
      const result = parse('version: 1\nfeatures:\n  - id: a\n    paths: ["", "!/src/legacy/", "/ok/"]\n    exclude: ["./x"]\nunmapped: ["a//b", "src\\\\x", " /s/"]\n');
      assert.deepEqual(problems(result), [
        '4:13 error invalid-pattern feature "a" › paths[0]: a pattern must not be empty; remove it or write a path such as "/src/"',
        '4:17 error invalid-pattern feature "a" › paths[1]: "!" negation is not supported; to leave "/src/legacy/" out of a feature, list it under that feature\'s "exclude"',
        '5:15 error invalid-pattern feature "a" › exclude[0]: pattern "./x" uses "."; patterns are relative to the map file\'s folder, so start with "/" instead (e.g. "/src/")',
        '6:12 error invalid-pattern unmapped[0]: pattern "a//b" has an empty folder name ("//"); write a single "/"',
        '6:20 error invalid-pattern unmapped[1]: pattern "src\\x" contains "\\"; separate folders with "/" (escapes are not supported)',
        '6:30 error invalid-pattern unmapped[2]: pattern " /s/" has spaces at its start or end; remove them',
      ]);
    });

    it('a link that is not an http(s) URL', () => {
      const problem = only(parse('version: 1\nfeatures:\n  - id: a\n    links:\n      - title: Spec\n        url: "ftp://example.com/spec"\n'));
      at(problem, 6, 14);
      assert.match(problem.message, /links\[0\]\.url: expected an http\(s\) URL/);
    });

    it('a context file that does not exist, with the path it looked for', () => {
      const result = parseMapFile(FILE, 'version: 1\ncontext: ./missing.json\n');
      const problem = only(result);
      assert.equal(problem.code, 'missing-context-file');
      at(problem, 2, 10);
      assert.match(problem.message, /"\.\/missing\.json" does not exist \(looked for .*missing\.json\); create it or fix the path/);
      assert.equal(result.contextFile, undefined);
    });

    it('checks the context file on disk by default', () => {
      const here = path.join(__dirname, '.customer-lens.yml');
      assert.equal(parseMapFile(here, `version: 1\ncontext: ./${path.basename(__filename)}\n`).contextFile, __filename);
      assert.equal(only(parseMapFile(here, 'version: 1\ncontext: ./nope.json\n')).code, 'missing-context-file');
    });

    it('every problem at once, in file order, and keeps the valid features', () => {
      const result = parse('version: 1\nfeatures:\n  - id: good\n    paths: [/good/]\n  - id: Bad\n    paths: [/bad/]\n  - id: good2\n    paths: ["!x"]\n    pahts: []\n');
      assert.deepEqual(result.problems.map((p) => [p.range.start.line, p.code]), [[5, 'invalid-id'], [8, 'invalid-pattern'], [9, 'unknown-key']]);
      assert.deepEqual(result.features.map((f) => f.id), ['good']);
    });
  });

  describe('JSON maps', () => {
    const JSON_FILE = path.resolve('/repo/.customer-lens.json');

    it('reads them with positions, allowing "$schema"', () => {
      const text = '{\n\t"$schema": "./map.schema.json",\n\t"version": 1,\n\t"features": [\n\t\t{ "id": "api", "paths": ["/src/"] }\n\t]\n}\n';
      const result = parse(text, JSON_FILE);
      assert.deepEqual(problems(result), []);
      assert.deepEqual(result.features[0].paths.map((p) => [p.pattern, p.range.start.line]), [['/src/', 5]]);
    });

    it('reports syntax errors at their position', () => {
      const [problem] = parse('{\n  "version": 1,\n  "features": [}\n', JSON_FILE).problems;
      assert.equal(problem.code, 'invalid-json');
      assert.match(problem.message, /^invalid JSON: /);
      at(problem, 3, 16);
    });

    it('rejects what YAML accepts but JSON does not', () => {
      const problem = only(parse("{ 'version': 1 }", JSON_FILE));
      assert.equal(problem.code, 'invalid-json');
    });

    it('validates them like YAML maps', () => {
      const problem = only(parse('{\n  "version": 1,\n  "featurs": []\n}', JSON_FILE));
      at(problem, 3, 3);
      assert.match(problem.message, /unknown key "featurs" \(did you mean "features"\?\)/);
    });
  });

  it('ignores a byte order mark', () => {
    assert.deepEqual(problems(parse('\ufeffversion: 1\n')), []);
  });
});

function byPosition(a: string, b: string): number {
  const [la, ca] = a.split(' ')[0].split(':').map(Number);
  const [lb, cb] = b.split(' ')[0].split(':').map(Number);
  return la - lb || ca - cb;
}
