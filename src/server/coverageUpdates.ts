// Coverage while a map is being edited. Matching every file of a large workspace takes long enough to stall typing,
// so the server computes it in slices (yielding to the connection between them, and giving up when the map changes
// again), and until then keeps the previous "matches no file" warnings on the patterns that are still there.
import { featureIdRange } from '../map/mapFile';
import { computeCoverage, countCoverage, coverageWarnings } from '../map/coverage';
import type { CoverageReport, MapFeature, MapPattern, MapProblem, TextRange, WorkspaceMap } from '../shared/mapModel';

/** Files matched per slice: a few tens of milliseconds on a large map. */
export const COVERAGE_SLICE = 5000;

/**
 * `computeCoverage(map, files)`, computed slice by slice with `pause()` awaited between slices. Resolves to
 * undefined as soon as `cancelled()` is true. The result is the same as one call over every file: the counts of the
 * slices add up, and the warnings are worded once, over the whole list.
 */
export async function coverageInSlices(
  map: WorkspaceMap,
  files: readonly string[],
  options: { pause: () => Promise<void>; cancelled: () => boolean; slice?: number },
): Promise<CoverageReport | undefined> {
  const size = options.slice ?? COVERAGE_SLICE;
  if (files.length <= size) return computeCoverage(map, files);
  const filesByFeature = new Map<string, string[]>(map.features.map((f) => [f.id, []]));
  const matchesByPattern = new Map<MapPattern, number>();
  const unmappedFiles: string[] = [];
  let mapped = 0;
  let ignored = 0;
  for (let from = 0; from < files.length; from += size) {
    if (from > 0) {
      await options.pause();
      if (options.cancelled()) return undefined;
    }
    const part = countCoverage(map, files.slice(from, from + size));
    mapped += part.mapped;
    ignored += part.ignored;
    for (const [id, list] of part.filesByFeature) for (const file of list) filesByFeature.get(id)?.push(file);
    for (const [pattern, count] of part.matchesByPattern) matchesByPattern.set(pattern, (matchesByPattern.get(pattern) ?? 0) + count);
    for (const file of part.unmappedFiles) unmappedFiles.push(file);
  }
  for (const list of filesByFeature.values()) list.sort();
  unmappedFiles.sort();
  await options.pause();
  if (options.cancelled()) return undefined;
  const problems = coverageWarnings(map, { matchesByPattern, filesByFeature }, files);
  const total = files.length;
  return { total, mapped, ignored, ratio: total === 0 ? 1 : (mapped + ignored) / total, filesByFeature, matchesByPattern, unmappedFiles, problems };
}

/** A warning moved with the text it is about; its fixes edit that text, so they move with it. */
function movedTo(warning: MapProblem, range: TextRange): MapProblem {
  const moved: MapProblem = { ...warning, range };
  if (warning.fixes) {
    const same = (r: TextRange) => r.start.line === warning.range.start.line && r.start.column === warning.range.start.column;
    moved.fixes = warning.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((edit) => (same(edit.range) ? { ...edit, range } : edit)) }));
  }
  return moved;
}

function at(file: string, range: { start: { line: number; column: number } }): string {
  return `${file}\0${range.start.line}:${range.start.column}`;
}

/** Patterns with their feature (none for `unmapped`): a pattern's own matches depend on its text and folder only. */
function patternsOf(map: WorkspaceMap): { pattern: MapPattern; key: string }[] {
  const key = (p: MapPattern, feature: MapFeature | undefined) => [p.mapFile, p.kind, feature?.id ?? '', p.pattern].join('\0');
  return [
    ...map.features.flatMap((f) => [...f.paths, ...f.exclude].map((p) => ({ pattern: p, key: key(p, f) }))),
    ...map.unmapped.map((p) => ({ pattern: p, key: key(p, undefined) })),
  ];
}

/** Whether a feature has files depends on its own paths and excludes only. */
function featureKey(feature: MapFeature): string {
  return [feature.mapFile, feature.id, ...feature.paths.map((p) => p.pattern), '\u0001', ...feature.exclude.map((p) => p.pattern)].join('\0');
}

/** Everything coverage depends on besides the file list: each feature's patterns and the `unmapped` ones, by map file. */
function coverageSignature(map: WorkspaceMap): string {
  return patternsOf(map)
    .map((p) => p.key)
    .join('\u0002');
}

/**
 * The coverage of `previous.map` reused for `next` over the same file list, when the edit between them changed no
 * pattern (a description, a name, owners, comments, lines moved): the same files per feature and per pattern, the
 * warnings at their new positions. Undefined when a pattern changed, so the files must be matched again.
 */
export function reuseCoverage(previous: { map: WorkspaceMap; report: CoverageReport }, next: WorkspaceMap): CoverageReport | undefined {
  if (coverageSignature(previous.map) !== coverageSignature(next)) return undefined;
  const before = patternsOf(previous.map);
  const after = patternsOf(next);
  const matchesByPattern = new Map<MapPattern, number>();
  after.forEach(({ pattern }, i) => matchesByPattern.set(pattern, previous.report.matchesByPattern.get(before[i].pattern) ?? 0));
  return { ...previous.report, matchesByPattern, problems: carryOverWarnings({ map: previous.map, warnings: previous.report.problems }, next) };
}

/**
 * The coverage warnings of `previous` that still hold for `next` over the same file list, placed at their new
 * positions: a pattern still written (same text, kind, feature and map file) still matches no file, and a feature
 * with the same paths and excludes still has none. Patterns and features that are new wait for the next coverage.
 */
export function carryOverWarnings(previous: { map: WorkspaceMap; warnings: readonly MapProblem[] }, next: WorkspaceMap): MapProblem[] {
  const byPosition = new Map(previous.warnings.map((w) => [`${w.code}\0${at(w.file, w.range)}`, w]));
  const patternWarnings = new Map<string, MapProblem>();
  for (const { pattern, key } of patternsOf(previous.map)) {
    const where = at(pattern.mapFile, pattern.range);
    const warning = byPosition.get(`pattern-matches-nothing\0${where}`) ?? byPosition.get(`pattern-matches-folders-only\0${where}`);
    if (warning) patternWarnings.set(key, warning);
  }
  const featureWarnings = new Map<string, MapProblem>();
  for (const feature of previous.map.features) {
    const warning = byPosition.get(`feature-without-files\0${at(feature.mapFile, featureIdRange(feature))}`);
    if (warning) featureWarnings.set(featureKey(feature), warning);
  }
  const result: MapProblem[] = [];
  for (const { pattern, key } of patternsOf(next)) {
    const warning = patternWarnings.get(key);
    if (warning) result.push(movedTo(warning, pattern.range));
  }
  for (const feature of next.features) {
    const warning = featureWarnings.get(featureKey(feature));
    if (warning) result.push(movedTo(warning, featureIdRange(feature)));
  }
  return result.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column));
}
