// Benchmark of the map matcher on a synthetic monorepo: 100,000 paths × 2,000 patterns.
// Prints figures; asserts nothing about time. Run: npm run bench
import * as path from 'node:path';
import { computeCoverage } from '../../src/map/coverage';
import { parseMapFile } from '../../src/map/mapFile';
import { splitPath } from '../../src/map/matcher';
import { compilePattern, folderSegments, patternMatches } from '../../src/map/pattern';
import { compileWorkspaceMap } from '../../src/map/workspaceMap';
import { benchMapEdit } from './mapEdit';

const PATHS = 100_000;
const ROOT = path.resolve('/bench-repo');

// mulberry32: small, deterministic, and exact in 32-bit integer arithmetic.
let seed = 7;
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n: number) => Math.floor(random() * n);

// 40 packages × 25 modules × up to 3 levels of folders; file names share extensions and suffixes like real code.
const extensions = ['ts', 'tsx', 'js', 'json', 'md', 'css', 'test.ts', 'spec.ts', 'payment.ts', 'stories.tsx'];
const folders = ['components', 'hooks', 'api', 'handlers', 'utils', 'models', 'views', 'legacy', 'i18n', '__tests__'];
function makePaths(): string[] {
  const paths = new Set<string>();
  while (paths.size < PATHS) {
    const depth = int(3);
    const parts = [`packages`, `pkg${int(40)}`, 'src', `mod${int(25)}`];
    for (let i = 0; i < depth; i++) parts.push(folders[int(folders.length)]);
    parts.push(`file${int(400)}.${extensions[int(extensions.length)]}`);
    paths.add(parts.join('/'));
  }
  return [...paths];
}

// 2,000 patterns across 250 features: mostly anchored folders (as maps are written), then file-name suffixes,
// literal names, anchored globs, and a few unindexable globs.
function makeMap(): { text: string; patterns: number } {
  const lines = ['version: 1', 'features:'];
  let patterns = 0;
  for (let f = 0; f < 250; f++) {
    const paths: string[] = [];
    const exclude: string[] = [];
    for (let k = 0; k < 7; k++) {
      const r = random();
      if (r < 0.7) paths.push(`/packages/pkg${int(40)}/src/mod${int(25)}/${random() < 0.5 ? `${folders[int(folders.length)]}/` : ''}`);
      else if (r < 0.8) paths.push(`*.f${f}k${k}.ts`);
      else if (r < 0.88) paths.push(`file${int(400)}.${extensions[int(extensions.length)]}`);
      else if (r < 0.97) paths.push(`/packages/pkg${int(40)}/**/${folders[int(folders.length)]}/*.ts`);
      else paths.push(`*mod${int(25)}*f${f}*`);
    }
    if (f % 2 === 0) exclude.push(`/packages/pkg${int(40)}/src/mod${int(25)}/legacy/`);
    patterns += paths.length + exclude.length;
    lines.push(`  - id: feature-${f}`, `    paths: [${paths.map((p) => JSON.stringify(p)).join(', ')}]`);
    if (exclude.length) lines.push(`    exclude: [${exclude.map((p) => JSON.stringify(p)).join(', ')}]`);
  }
  const unmapped = ['"*.test.ts"', '"*.spec.ts"', '__tests__/', '"*.md"', '/packages/pkg0/src/mod0/i18n/'];
  // Pad to exactly 2,000 patterns with more unmapped folders.
  for (let i = 0; patterns + unmapped.length < 2000; i++) unmapped.push(`/packages/pkg${i % 40}/src/mod${i % 25}/i18n/`);
  lines.push(`unmapped: [${unmapped.join(', ')}]`);
  return { text: `${lines.join('\n')}\n`, patterns: patterns + unmapped.length };
}

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  const paths = makePaths();
  const { text, patterns } = makeMap();
  global.gc?.();
  const heapBefore = process.memoryUsage().heapUsed;

  let start = process.hrtime.bigint();
  const parsed = parseMapFile(path.join(ROOT, '.customer-lens.yml'), text);
  const parseMs = ms(start);
  if (!parsed.valid) throw new Error(`the synthetic map is invalid: ${parsed.problems[0].message}`);

  start = process.hrtime.bigint();
  const { map } = compileWorkspaceMap(ROOT, [parsed]);
  const compileMs = ms(start);
  global.gc?.();
  const heapAfterCompile = process.memoryUsage().heapUsed;

  // Warm up, then time explain over every path.
  for (let i = 0; i < 5000; i++) map.explain(paths[i]);
  start = process.hrtime.bigint();
  let withFeature = 0;
  for (const p of paths) if (map.explain(p).features.length > 0) withFeature++;
  const explainMs = ms(start);

  start = process.hrtime.bigint();
  const report = computeCoverage(map, paths);
  const coverageMs = ms(start);

  // The same question answered by testing every pattern, on a sample, for comparison.
  const all = [...map.features.flatMap((f) => [...f.paths, ...f.exclude]), ...map.unmapped].map((p) => compilePattern(p.pattern, folderSegments('')));
  const sample = paths.slice(0, 2000);
  start = process.hrtime.bigint();
  for (const p of sample) {
    const split = splitPath(p);
    for (const c of all) patternMatches(c, split.segments, split.isDir);
  }
  const scanMs = ms(start);

  const rate = (n: number, t: number) => `${Math.round((n / t) * 1000).toLocaleString('en-US')} paths/s`;
  console.log(`customer-lens matcher benchmark (node ${process.version}, ${process.platform}/${process.arch})`);
  console.log(`  input            ${paths.length.toLocaleString('en-US')} paths, ${patterns.toLocaleString('en-US')} patterns in ${map.features.length} features (${(text.length / 1024).toFixed(0)} KB map)`);
  console.log(`  parse + validate ${parseMs.toFixed(1)} ms`);
  console.log(`  compile (index)  ${compileMs.toFixed(1)} ms`);
  console.log(`  explain          ${explainMs.toFixed(0)} ms for all paths = ${rate(paths.length, explainMs)} (${withFeature.toLocaleString('en-US')} with a feature)`);
  console.log(`  coverage         ${coverageMs.toFixed(0)} ms (${(report.ratio * 100).toFixed(1)}% covered, ${report.problems.length} warnings)`);
  console.log(`  full scan        ${rate(sample.length, scanMs)} (every pattern tested per path, for comparison)`);
  console.log(`  memory           heap +${mb(heapAfterCompile - heapBefore)} for the parsed and compiled map${global.gc ? '' : ' (approximate: run with --expose-gc)'}, rss ${mb(process.memoryUsage().rss)}`);

  const edit = await benchMapEdit(paths, text);
  console.log('  one edit of the open map (median of 7 edits, each adding a pattern):');
  console.log(`    full reload    ${edit.fullReload.toFixed(0)} ms: reread every map file, reparse, recompile, coverage (what every keystroke cost before)`);
  console.log(`    keystroke      ${edit.edit.toFixed(0)} ms: reparse the edited file, recompile, problems with the warnings that still hold`);
  console.log(`    typing paused  ${edit.coverage.toFixed(0)} ms: coverage of every file in slices, the longest ${edit.longestSlice.toFixed(0)} ms without a break`);
  console.log(`                   ${edit.coverageReused.toFixed(1)} ms when the edit changed no pattern (a comment, a name): coverage reused`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
