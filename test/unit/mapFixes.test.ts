// The fixes that come with map problems whose message names the fix, applied to the text they were made for: each
// must leave a map without that problem (and no new one), keeping comments and quoting style.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { computeCoverage } from '../../src/map/coverage';
import { scalarReplacement } from '../../src/map/mapEdit';
import { parseMapFile } from '../../src/map/mapFile';
import { compileWorkspaceMap } from '../../src/map/workspaceMap';
import type { MapEdit, MapProblem } from '../../src/shared/mapModel';

const ROOT = path.resolve('/repo');
const FILE = path.join(ROOT, '.customer-lens.yml');

/** Applies a fix's edits (1-based line/column ranges) the way the editor applies the code action. */
function apply(text: string, edits: readonly MapEdit[], json = false): string {
  const lines = text.split('\n');
  const offset = (p: { line: number; column: number }) => lines.slice(0, p.line - 1).reduce((n, l) => n + l.length + 1, 0) + p.column - 1;
  return [...edits]
    .sort((a, b) => offset(b.range.start) - offset(a.range.start))
    .reduce((acc, edit) => {
      const start = offset(edit.range.start);
      const end = offset(edit.range.end);
      const current = acc.slice(start, end);
      const replacement = 'newText' in edit ? (assert.equal(current, edit.oldText), edit.newText) : scalarReplacement(current, edit.oldValue, edit.newValue, json);
      assert.ok(replacement !== undefined, `the text at the edit is ${JSON.stringify(current)}`);
      return acc.slice(0, start) + replacement + acc.slice(end);
    }, text);
}

function onlyProblem(text: string, code: string): MapProblem {
  const problems = parseMapFile(FILE, text, { checkContextFile: (file) => ({ file }) }).problems.filter((p) => p.code === code);
  assert.equal(problems.length, 1, JSON.stringify(problems));
  return problems[0];
}

function fixOnce(text: string, code: string): { fixed: string; title: string } {
  const problem = onlyProblem(text, code);
  assert.equal(problem.fixes?.length, 1, `${problem.message} has no fix`);
  const fix = problem.fixes[0];
  const fixed = apply(text, fix.edits);
  assert.deepEqual(parseMapFile(FILE, fixed, { checkContextFile: (file) => ({ file }) }).problems, [], fixed);
  return { fixed, title: fix.title };
}

const HEAD = 'version: 1\nfeatures:\n';

describe('quick fixes for map problems', () => {
  it('changes an unknown key to the key its message suggests', () => {
    const { fixed, title } = fixOnce(`${HEAD}  - id: checkout\n    pahts: [/src/checkout/]  # the checkout flow\n`, 'unknown-key');
    assert.equal(title, 'Change "pahts" to "paths"');
    assert.equal(fixed, `${HEAD}  - id: checkout\n    paths: [/src/checkout/]  # the checkout flow\n`);
  });

  it('offers no key when the suggested one is already there, and none for a key that resembles nothing', () => {
    assert.equal(onlyProblem(`${HEAD}  - id: a\n    paths: [/a/]\n    pahts: [/b/]\n`, 'unknown-key').fixes, undefined);
    assert.equal(onlyProblem(`${HEAD}  - id: a\n    colour: red\n`, 'unknown-key').fixes, undefined);
  });

  it('wraps a string into the list its message asks for', () => {
    const { fixed, title } = fixOnce(`${HEAD}  - id: search\n    owners: "@shop/discovery"\n    paths: [/src/search/]\n`, 'wrong-type');
    assert.equal(title, 'Make it a list: ["@shop/discovery"]');
    assert.match(fixed, /^ {4}owners: \["@shop\/discovery"\]$/m);
  });

  it('renames a duplicate id to a free one, and two duplicates to two different ones', () => {
    const text = `${HEAD}  - id: search\n  - id: search\n  - id: search\n  - id: search-2\n`;
    const problems = parseMapFile(FILE, text).problems.filter((p) => p.code === 'duplicate-id');
    assert.deepEqual(problems.map((p) => p.fixes?.[0].title), ['Rename this one to "search-3"', 'Rename this one to "search-4"']);
    const fixed = problems.reduce((acc, p) => apply(acc, p.fixes?.[0].edits ?? []), text);
    assert.equal(fixed, `${HEAD}  - id: search\n  - id: search-3\n  - id: search-4\n  - id: search-2\n`);
    assert.deepEqual(parseMapFile(FILE, fixed).problems, []);
  });

  it('renames a feature id that another map file already declares', () => {
    const outer = parseMapFile(FILE, `${HEAD}  - id: web\n    paths: [/web/]\n`);
    const innerText = `${HEAD}  - id: 'web'\n    paths: [/src/]\n`;
    const inner = parseMapFile(path.join(ROOT, 'web', '.customer-lens.yml'), innerText);
    const { problems } = compileWorkspaceMap(ROOT, [outer, inner]);
    assert.equal(problems[0].fixes?.[0].title, 'Rename this one to "web-2"');
    assert.equal(apply(innerText, problems[0].fixes?.[0].edits ?? []), `${HEAD}  - id: 'web-2'\n    paths: [/src/]\n`, 'the quoting style is kept');
  });

  it('fixes an id the way its message suggests', () => {
    const { fixed, title } = fixOnce(`${HEAD}  - id: Gift Cards\n`, 'invalid-id');
    assert.equal(title, 'Change the id to "gift-cards"');
    assert.equal(fixed, `${HEAD}  - id: gift-cards\n`);
  });

  it('fixes a pattern whose message names the fix', () => {
    const cases: [string, string][] = [
      ['" /src/a/ "', '"/src/a/"'],
      ['"src\\\\checkout\\\\"', '"src/checkout/"'],
      ['/src//checkout/', '/src/checkout/'],
      ['./src/checkout/', '/src/checkout/'],
      ["'src/./a/'", "'src/a/'"],
    ];
    for (const [written, expected] of cases) {
      const { fixed } = fixOnce(`${HEAD}  - id: a\n    paths: [${written}]\n`, 'invalid-pattern');
      assert.equal(fixed, `${HEAD}  - id: a\n    paths: [${expected}]\n`, written);
    }
    assert.equal(onlyProblem(`${HEAD}  - id: a\n    paths: ["../x/"]\n`, 'invalid-pattern').fixes, undefined, 'no guess for ".."');
  });

  it('moves a negated pattern to the feature\'s exclude, without the "!"', () => {
    const block = `${HEAD}  - id: search\n    paths:\n      - /src/search/\n      - "!/src/search/legacy/"  # the old engine\n    owners: ["@x"]\n`;
    const moved = fixOnce(block, 'invalid-pattern');
    assert.equal(moved.title, 'Move "/src/search/legacy/" to this feature\'s "exclude"');
    assert.equal(moved.fixed, `${HEAD}  - id: search\n    paths:\n      - /src/search/\n    owners: ["@x"]\n    exclude: ["/src/search/legacy/"]\n`);

    const flow = `${HEAD}  - id: search\n    paths: ["!/src/search/legacy/", /src/search/]\n    exclude: [/src/search/old/]\n`;
    assert.equal(fixOnce(flow, 'invalid-pattern').fixed, `${HEAD}  - id: search\n    paths: [/src/search/]\n    exclude: [/src/search/old/, /src/search/legacy/]\n`, 'in the style of its neighbours');

    const json = '{\n  "version": 1,\n  "features": [\n    { "id": "search", "paths": ["/src/", "!/src/old/"] }\n  ]\n}\n';
    const problem = parseMapFile(path.join(ROOT, '.customer-lens.json'), json).problems.find((p) => p.code === 'invalid-pattern');
    const fixedJson = apply(json, problem?.fixes?.[0].edits ?? [], true);
    assert.deepEqual(JSON.parse(fixedJson).features[0], { id: 'search', paths: ['/src/'], exclude: ['/src/old/'] });

    // The only path of a feature: moving it would leave the feature without paths, so no fix is offered.
    assert.equal(onlyProblem(`${HEAD}  - id: a\n    paths: ["!/src/a/"]\n`, 'invalid-pattern').fixes, undefined);
  });

  it('quotes a pattern that YAML read as an alias', () => {
    const { fixed, title } = fixOnce(`${HEAD}  - id: a\n    paths: [/a/]\nunmapped:\n  - *.test.ts\n`, 'invalid-yaml');
    assert.equal(title, 'Quote it: "*.test.ts"');
    assert.match(fixed, /^ {2}- "\*\.test\.ts"$/m);
  });

  it('sets the version to 1, and adds it when it is missing', () => {
    assert.equal(fixOnce('version: 2\nfeatures: []\n', 'unsupported-version').fixed, 'version: 1\nfeatures: []\n');
    assert.equal(fixOnce('# my map\nfeatures: []\n', 'missing-key').fixed, '# my map\nversion: 1\nfeatures: []\n');
  });

  it('never edits text that changed since the problem was found', () => {
    assert.equal(scalarReplacement('paths', 'pahts', 'paths', false), undefined);
    assert.equal(scalarReplacement('"pahts"', 'pahts', 'paths', false), '"paths"');
  });

  describe('a wildcard last name that matches folders, not files (/tests/net/gnrc*, from a real CODEOWNERS file)', () => {
    const text = `${HEAD}  - id: net\n    paths: [/sys/net/]\nunmapped:\n  - /tests/net/gnrc*\n  - /tests/net/lwip*\n`;
    const files = ['sys/net/ip.c', 'tests/net/gnrc_ipv6/main.c', 'tests/net/gnrc_udp/main.c', 'tests/net/gnrc_udp/tests/01-run.py', 'tests/net/lwip.c'];

    it('says it matches file names only, how many folders it names, and writes the folder pattern as the fix', () => {
      const parsed = parseMapFile(FILE, text);
      const { map } = compileWorkspaceMap(ROOT, [parsed]);
      const report = computeCoverage(map, files);
      assert.deepEqual(report.problems.map((p) => `${p.range.start.line}:${p.range.start.column} ${p.code} ${p.message}`), [
        '6:5 pattern-matches-folders-only unmapped pattern "/tests/net/gnrc*" matches no file: a wildcard last name matches file names only, and "gnrc*" names 2 folders here; write "/tests/net/gnrc*/" to take those folders',
      ]);
      const fixed = apply(text, report.problems[0].fixes?.[0].edits ?? []);
      assert.match(fixed, /^ {2}- \/tests\/net\/gnrc\*\/$/m);
      const after = computeCoverage(compileWorkspaceMap(ROOT, [parseMapFile(FILE, fixed)]).map, files);
      assert.deepEqual(after.problems, []);
      assert.deepEqual(after.unmappedFiles, []);
    });
  });
});
