import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { computeCoverage } from '../../src/map/coverage';
import { parseMapFile } from '../../src/map/mapFile';
import { compileWorkspaceMap } from '../../src/map/workspaceMap';

const ROOT = path.resolve('/repo');

function coverageOf(text: string, files: string[]) {
  const parsed = parseMapFile(path.join(ROOT, '.customer-lens.yml'), text, { checkContextFile: (file: string) => ({ file }) });
  assert.deepEqual(parsed.problems, []);
  const { map } = compileWorkspaceMap(ROOT, [parsed]);
  return { map, report: computeCoverage(map, files) };
}

const MAP = [
  'version: 1',
  'features:',
  '  - id: checkout',
  '    paths: [/src/checkout/, "*.payment.ts", /src/old/]',
  '    exclude: [/src/checkout/legacy/, /src/checkout/gone/]',
  '  - id: billing',
  '    paths: [/src/billing/]',
  '  - id: search',
  '    paths: [/src/search/]',
  '  - id: empty',
  'unmapped: [/scripts/, "*.md", /tools/]',
].join('\n');

const FILES = [
  'README.md',
  'scripts/seed.ts',
  'src/billing/invoice.ts',
  'src/billing/plan.payment.ts',
  'src/checkout/cart.ts',
  'src/checkout/legacy/old.ts',
  'src/experimental/gift.ts',
  'src/search/README.md',
];

describe('coverage', () => {
  const { map, report } = coverageOf(MAP, FILES);

  it('counts mapped, ignored and unmapped files; covered = mapped + ignored', () => {
    assert.equal(report.total, 8);
    assert.equal(report.mapped, 4, 'billing ×2, checkout, search/README.md (a feature wins over unmapped)');
    assert.equal(report.ignored, 2, 'README.md, scripts/seed.ts');
    assert.deepEqual(report.unmappedFiles, ['src/checkout/legacy/old.ts', 'src/experimental/gift.ts']);
    assert.equal(report.ratio, 6 / 8);
  });

  it('lists the files of every feature, a file in each of its features', () => {
    assert.deepEqual(Object.fromEntries(report.filesByFeature), {
      checkout: ['src/billing/plan.payment.ts', 'src/checkout/cart.ts'],
      billing: ['src/billing/invoice.ts', 'src/billing/plan.payment.ts'],
      search: ['src/search/README.md'],
      empty: [],
    });
  });

  it('counts the files each pattern matches, keyed by the map\'s own pattern objects', () => {
    const checkout = map.feature('checkout');
    assert.ok(checkout);
    assert.equal(report.matchesByPattern.get(checkout.paths[0]), 2, '/src/checkout/ matches cart.ts and legacy/old.ts');
    assert.equal(report.matchesByPattern.get(checkout.paths[1]), 1);
    assert.equal(report.matchesByPattern.get(checkout.exclude[0]), 1);
    assert.equal(report.matchesByPattern.get(map.unmapped[1]), 2);
  });

  it('warns about patterns that match no file and features with no files, at their positions', () => {
    assert.deepEqual(
      report.problems.map((p) => `${p.range.start.line}:${p.range.start.column} ${p.severity} ${p.code} ${p.message}`),
      [
        '4:45 warning pattern-matches-nothing pattern "/src/old/" of feature "checkout" matches no file; fix or remove it',
        '5:38 warning pattern-matches-nothing exclude pattern "/src/checkout/gone/" of feature "checkout" matches no file; fix or remove it',
        '10:9 warning feature-without-files feature "empty" has no files: it has no "paths"',
        '11:31 warning pattern-matches-nothing unmapped pattern "/tools/" matches no file; fix or remove it',
      ],
    );
  });

  it('says when a feature\'s patterns are all cancelled by its exclude', () => {
    const { report: r } = coverageOf('version: 1\nfeatures:\n  - id: a\n    paths: [/a/]\n    exclude: ["*.ts"]\n', ['a/x.ts']);
    assert.match(r.problems[0].message, /feature "a" has no files: its patterns match no file \(or "exclude" cancels them\)/);
  });

  it('counts the map files and their context file as covered (ignored), not unmapped', () => {
    const parsed = parseMapFile(path.join(ROOT, '.customer-lens.yml'), 'version: 1\ncontext: ./ctx/customer-context.json\nfeatures:\n  - id: a\n    paths: [/src/]\n', { checkContextFile: (file) => ({ file }) });
    const nested = parseMapFile(path.join(ROOT, 'pkg', '.customer-lens.yml'), 'version: 1\nfeatures: []\n');
    const { map: own } = compileWorkspaceMap(ROOT, [parsed, nested]);
    const r = computeCoverage(own, ['.customer-lens.yml', 'ctx/customer-context.json', 'pkg/.customer-lens.yml', 'pkg/other.yml', 'src/a.ts']);
    assert.deepEqual(r.unmappedFiles, ['pkg/other.yml']);
    assert.equal(r.ignored, 3);
    assert.deepEqual(own.explain('ctx/customer-context.json'), { path: 'ctx/customer-context.json', features: [], ignored: true, partOfMap: 'context file' });
    assert.equal(own.explain('pkg/.customer-lens.yml').partOfMap, 'map file');
    assert.equal(own.explain('pkg/other.yml').ignored, false);
  });

  it('is complete (ratio 1) for no files', () => {
    const { report: r } = coverageOf(MAP, []);
    assert.equal(r.ratio, 1);
    assert.equal(r.total, 0);
  });
});
