// How much of a workspace the map covers: files per feature, matches per pattern, and what is left unmapped.
import type { CoverageReport, MapProblem, WorkspaceMap } from '../shared/mapModel';
import { featureIdRange } from './mapFile';
import { explainMatches, indexOf, splitPath, withPartOfMap } from './matcher';

/**
 * Matches every file against the map once. Files matched by a feature are mapped; files matched only by an
 * `unmapped` pattern, and the map's own map and context files, are ignored; both count as covered. Warns about patterns that match no file (a typo, or code
 * that moved) and features with no files.
 */
export function computeCoverage(map: WorkspaceMap, files: readonly string[]): CoverageReport {
  const index = indexOf(map);
  const filesByFeature = new Map<string, string[]>(map.features.map((f) => [f.id, []]));
  const counts = new Map(index.patterns.map((p) => [p.source, 0]));
  const unmappedFiles: string[] = [];
  let mapped = 0;
  let ignored = 0;
  for (const file of files) {
    const split = splitPath(file);
    const matches = index.match(split);
    for (const m of matches) counts.set(m.source, (counts.get(m.source) ?? 0) + 1);
    const explanation = withPartOfMap(map, explainMatches(split, matches, map.features));
    if (explanation.features.length > 0) {
      mapped++;
      for (const f of explanation.features) filesByFeature.get(f.featureId)?.push(split.text);
    } else if (explanation.ignored) {
      ignored++;
    } else {
      unmappedFiles.push(split.text);
    }
  }
  for (const list of filesByFeature.values()) list.sort();
  unmappedFiles.sort();

  const problems: MapProblem[] = [];
  const owner = new Map(map.features.flatMap((f) => [...f.paths, ...f.exclude].map((p) => [p, f.id] as const)));
  for (const p of index.patterns) {
    if (counts.get(p.source) !== 0) continue;
    const what = p.source.kind === 'unmapped' ? 'unmapped pattern' : p.source.kind === 'exclude' ? 'exclude pattern' : 'pattern';
    const of = owner.has(p.source) ? ` of feature "${owner.get(p.source)}"` : '';
    problems.push({
      file: p.source.mapFile,
      range: p.source.range,
      severity: 'warning',
      code: 'pattern-matches-nothing',
      message: `${what} "${p.source.pattern}"${of} matches no file; fix or remove it`,
    });
  }
  for (const feature of map.features) {
    if ((filesByFeature.get(feature.id) ?? []).length > 0) continue;
    const why = feature.paths.length === 0 ? 'it has no "paths"' : 'its patterns match no file (or "exclude" cancels them)';
    problems.push({
      file: feature.mapFile,
      range: featureIdRange(feature),
      severity: 'warning',
      code: 'feature-without-files',
      message: `feature "${feature.id}" has no files: ${why}`,
    });
  }
  problems.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.range.start.line - b.range.start.line || a.range.start.column - b.range.start.column));
  const total = files.length;
  return {
    total,
    mapped,
    ignored,
    ratio: total === 0 ? 1 : (mapped + ignored) / total,
    filesByFeature,
    matchesByPattern: counts,
    unmappedFiles,
    problems,
  };
}
