import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { parseMapFile } from '../../src/map/mapFile';
import { indexPatterns, splitPath } from '../../src/map/matcher';
import { compilePattern, folderSegments, patternMatches } from '../../src/map/pattern';
import { compileWorkspaceMap } from '../../src/map/workspaceMap';
import type { MapFeature, MapPattern, WorkspaceMap } from '../../src/shared/mapModel';

const ROOT = path.resolve('/repo');

function mapOf(files: Record<string, string>): { map: WorkspaceMap; problems: string[] } {
  const parsed = Object.entries(files).map(([relative, text]) => parseMapFile(path.join(ROOT, relative), text, { checkContextFile: (file: string) => ({ file }) }));
  for (const p of parsed) assert.deepEqual(p.problems, [], `${p.file} should be valid`);
  const { map, problems } = compileWorkspaceMap(ROOT, parsed);
  return { map, problems: problems.map((p) => `${path.relative(ROOT, p.file)}:${p.range.start.line}:${p.range.start.column} ${p.code} ${p.message}`) };
}

/** `id*` for the primary feature, with the matching pattern's line: `billing*@9 checkout@5`. */
function summary(map: WorkspaceMap, file: string): string {
  const e = map.explain(file);
  const features = e.features.map((f) => `${f.featureId}${f.primary ? '*' : ''}@${path.relative(ROOT, f.mapFile) === '.customer-lens.yml' ? '' : `${path.relative(ROOT, f.mapFile)}:`}${f.line}`);
  return [...features, ...(e.ignored ? [`ignored@${e.ignoredBy?.line}`] : [])].join(' ');
}

const shop = [
  'version: 1', //                                    1
  'features:', //                                     2
  '  - id: checkout', //                              3
  '    paths:', //                                    4
  '      - /src/checkout/', //                        5
  '      - "*.payment.ts"', //                        6
  '    exclude: [/src/checkout/legacy/]', //          7
  '  - id: billing', //                               8
  '    paths: [/src/billing/]', //                    9
  '  - id: coupons', //                               10
  '    paths: [/src/checkout/coupon*, coupon*]', //  11
  'unmapped:', //                                     12
  '  - /scripts/', //                                 13
  '  - "*.test.ts"', //                              14
].join('\n');

describe('workspace map: which features a path belongs to', () => {
  const { map } = mapOf({ '.customer-lens.yml': shop });

  it('finds one feature with the pattern and its line', () => {
    assert.deepEqual(map.explain('src/checkout/cart.ts'), {
      path: 'src/checkout/cart.ts',
      features: [{ featureId: 'checkout', primary: true, pattern: '/src/checkout/', mapFile: path.join(ROOT, '.customer-lens.yml'), line: 5 }],
      ignored: false,
    });
  });

  it('gives a file every matching feature; the last matching pattern in file order is primary and listed first', () => {
    // billing's pattern (line 9) comes after checkout's "*.payment.ts" (line 6).
    assert.equal(summary(map, 'src/billing/subscription.payment.ts'), 'billing*@9 checkout@6');
    // coupons (line 11) comes after checkout (line 5); the others follow in map order.
    assert.equal(summary(map, 'src/checkout/couponStep.ts'), 'coupons*@11 checkout@5');
  });

  it('reports a feature\'s last matching pattern when several of its patterns match', () => {
    assert.equal(summary(map, 'src/checkout/card.payment.ts'), 'checkout*@6');
    assert.equal(summary(map, 'src/checkout/coupon.ts'), 'coupons*@11 checkout@5');
  });

  it('lets "exclude" cancel only its own feature', () => {
    assert.equal(summary(map, 'src/checkout/legacy/old.ts'), '');
    assert.equal(summary(map, 'src/checkout/legacy/couponOld.ts'), 'coupons*@11');
    assert.equal(summary(map, 'src/checkout/legacy/old.payment.ts'), '');
  });

  it('marks files matched by "unmapped" as ignored, with the pattern that ignored them', () => {
    const e = map.explain('scripts/seed.ts');
    assert.equal(e.ignored, true);
    assert.deepEqual(e.ignoredBy, { pattern: '/scripts/', mapFile: path.join(ROOT, '.customer-lens.yml'), line: 13 });
    assert.deepEqual(e.features, []);
    // A feature and an unmapped pattern can both match: both are reported.
    assert.equal(summary(map, 'src/checkout/cart.test.ts'), 'checkout*@5 ignored@14');
  });

  it('answers no feature for unmatched paths and for paths outside the root', () => {
    assert.equal(summary(map, 'src/search/rank.ts'), '');
    assert.equal(summary(map, '../elsewhere/src/checkout/cart.ts'), '');
  });

  it('normalizes the path it is given', () => {
    assert.equal(map.explain('./src\\checkout//cart.ts').path, 'src/checkout/cart.ts');
    assert.equal(summary(map, './src\\checkout//cart.ts'), 'checkout*@5');
  });

  it('looks features up by id', () => {
    assert.equal(map.feature('billing')?.paths[0].pattern, '/src/billing/');
    assert.equal(map.feature('nope'), undefined);
    assert.deepEqual(map.features.map((f) => f.id), ['checkout', 'billing', 'coupons']);
  });
});

describe('workspace map: nested map files', () => {
  const { map, problems } = mapOf({
    '.customer-lens.yml': 'version: 1\ncontext: ./ctx.json\nfeatures:\n  - id: payments\n    paths: ["*.payment.ts"]\n  - id: web\n    paths: [/packages/web/]\nunmapped: [/docs/]\n',
    'packages/web/.customer-lens.yml': 'version: 1\ncontext: ./web-ctx.json\nfeatures:\n  - id: web-checkout\n    paths: [/src/checkout/]\nunmapped: [/docs/]\n',
    'packages/api/.customer-lens.json': '{"version": 1, "features": [{"id": "api", "paths": ["/src/"]}]}',
  });

  it('orders map files outermost first and collects their context files', () => {
    assert.deepEqual(problems, []);
    assert.deepEqual(map.mapFiles.map((f) => path.relative(ROOT, f)), ['.customer-lens.yml', 'packages/api/.customer-lens.json', 'packages/web/.customer-lens.yml']);
    assert.deepEqual(map.contextFiles, [path.join(ROOT, 'ctx.json'), path.join(ROOT, 'packages/web/web-ctx.json')]);
    assert.deepEqual(map.features.map((f) => f.id), ['payments', 'web', 'api', 'web-checkout']);
  });

  it('anchors a nested map\'s patterns to its own folder', () => {
    assert.equal(summary(map, 'packages/api/src/server.ts'), 'api*@packages/api/.customer-lens.json:1');
    assert.equal(summary(map, 'src/server.ts'), '');
    assert.equal(map.explain('packages/web/docs/a.md').ignoredBy?.mapFile, path.join(ROOT, 'packages/web/.customer-lens.yml'));
    assert.equal(map.explain('docs/a.md').ignoredBy?.mapFile, path.join(ROOT, '.customer-lens.yml'));
  });

  it('applies every map file above a path; the inner map file\'s patterns come later, so its feature is primary', () => {
    assert.equal(summary(map, 'packages/web/src/checkout/form.ts'), 'web-checkout*@packages/web/.customer-lens.yml:5 web@7');
    assert.equal(summary(map, 'packages/web/src/checkout/card.payment.ts'), 'web-checkout*@packages/web/.customer-lens.yml:5 payments@5 web@7');
    assert.equal(summary(map, 'packages/api/src/refund.payment.ts'), 'api*@packages/api/.customer-lens.json:1 payments@5');
  });

  it('reports an id declared again by a nested map file, at the second declaration, and keeps the first', () => {
    const result = mapOf({
      '.customer-lens.yml': 'version: 1\nfeatures:\n  - id: checkout\n    paths: [/web/]\n',
      'web/.customer-lens.yml': 'version: 1\nfeatures:\n  - id: search\n    paths: [/s/]\n  - id: checkout\n    paths: [/src/]\n',
    });
    assert.deepEqual(result.problems, [
      'web/.customer-lens.yml:5:9 duplicate-id duplicate id "checkout": .customer-lens.yml:3 already declares it; ids must be unique across all map files',
    ]);
    assert.deepEqual(result.map.features.map((f) => `${f.id}:${path.relative(ROOT, f.mapFile)}`), ['checkout:.customer-lens.yml', 'search:web/.customer-lens.yml']);
    assert.equal(summary(result.map, 'web/src/a.ts'), 'checkout*@4');
  });

  it('refuses a map file outside the root', () => {
    const outside = parseMapFile(path.resolve('/elsewhere/.customer-lens.yml'), 'version: 1\n', { checkContextFile: (file: string) => ({ file }) });
    const { problems: found } = compileWorkspaceMap(ROOT, [outside]);
    assert.equal(found[0].code, 'outside-root');
  });
});

describe('pattern index', () => {
  // mulberry32: small, deterministic, and exact in 32-bit integer arithmetic.
  let seed = 42;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
  const names = ['src', 'lib', 'checkout', 'a', 'b', 'docs', 'x.ts', 'y.payment.ts', 'README.md', 'test', 'v1', 'v10'];
  const globs = ['*', '*.ts', '*.payment.ts', 'v?', '*out*', 'READ*', '**', 'c*t'];

  function randomPattern(): string {
    const segments = Array.from({ length: 1 + Math.floor(random() * 3) }, () => (random() < 0.35 ? pick(globs) : pick(names)));
    const lead = random() < 0.5 ? '/' : '';
    const trail = random() < 0.3 ? '/' : '';
    return `${lead}${segments.join('/')}${trail}`;
  }

  function randomPath(): string {
    const depth = 1 + Math.floor(random() * 5);
    const p = Array.from({ length: depth }, () => pick(names)).join('/');
    return random() < 0.1 ? `${p}/` : p;
  }

  it('finds exactly the patterns a full scan finds (randomized, 3,000 paths × 400 patterns)', () => {
    const mapFile = path.join(ROOT, 'pkg', '.customer-lens.yml');
    const rootMap = path.join(ROOT, '.customer-lens.yml');
    const features: MapFeature[] = [];
    const all: Array<{ source: MapPattern; base: string[] }> = [];
    for (let i = 0; i < 40; i++) {
      const file = i % 4 === 0 ? mapFile : rootMap;
      const paths: MapPattern[] = Array.from({ length: 10 }, (_, j) => ({
        pattern: randomPattern(),
        kind: 'path' as const,
        mapFile: file,
        range: { start: { line: i * 10 + j + 1, column: 1 }, end: { line: i * 10 + j + 1, column: 2 } },
      }));
      for (const source of paths) all.push({ source, base: folderSegments(path.relative(ROOT, path.dirname(file))) });
      features.push({ id: `f${i}`, name: `f${i}`, owners: [], paths, exclude: [], symbols: [], events: [], links: [], mapFile: file, range: paths[0].range });
    }
    const index = indexPatterns(ROOT, [rootMap, mapFile], features, []);
    // The reference answer comes from the general segment matcher, without the index and without its shortcut for
    // `**/name` shapes, so both are checked against it.
    const compiled = all.map(({ source, base }) => ({ source, pattern: { ...compilePattern(source.pattern, base), tail: undefined } }));
    let compared = 0;
    for (let n = 0; n < 3000; n++) {
      const p = n % 3 === 0 ? `pkg/${randomPath()}` : randomPath();
      const split = splitPath(p);
      const expected = compiled.filter((c) => patternMatches(c.pattern, split.segments, split.isDir)).map((c) => c.source);
      const actual = index.match(split).map((m) => m.source);
      const key = (list: MapPattern[]) => list.map((s) => `${s.pattern}@${s.range.start.line}`).sort();
      assert.deepEqual(key(actual), key(expected), `path ${p}`);
      compared += expected.length;
    }
    assert.ok(compared > 3000, `the generator should produce many matches (got ${compared})`);
  });
});
