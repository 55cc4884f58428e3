// Benchmark of the map matcher on a synthetic monorepo: 100,000 paths × 2,000 patterns.
// Prints figures; asserts nothing about time. Run: npm run bench
import * as path from 'node:path';
import { computeCoverage } from '../../src/map/coverage';
import { parseMapFile } from '../../src/map/mapFile';
import { splitPath } from '../../src/map/matcher';
import { compilePattern, folderSegments, patternMatches } from '../../src/map/pattern';
import { compileWorkspaceMap } from '../../src/map/workspaceMap';
import { benchMapEdit } from './mapEdit';
import { makeMap, makePaths, seeded } from './synthetic';

const PATHS = 100_000;
const ROOT = path.resolve('/bench-repo');

function ms(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

async function main(): Promise<void> {
  const random = seeded(7);
  const paths = makePaths(random, PATHS);
  const { text, patterns } = makeMap(random);
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
