// How much of a workspace the map covers: files per feature, matches per pattern, and what is left unmapped.
import * as path from 'node:path';
import type { CoverageReport, MapPattern, MapProblem, WorkspaceMap } from '../shared/mapModel';
import { featureIdRange } from './mapFile';
import { explainMatches, indexOf, PatternIndex, splitPath, withPartOfMap, type IndexedPattern } from './matcher';
import { compilePattern, folderSegments, patternMatches } from './pattern';

/** What coverage counts, before any warning is worded. */
export type CoverageCounts = Omit<CoverageReport, 'problems'>;

/**
 * Matches every file against the map once. Files matched by a feature are mapped; files matched only by an
 * `unmapped` pattern, and the map's own map and context files, are ignored; both count as covered. Warns about
 * patterns that match no file (a typo, or code that moved) and features with no files.
 */
export function computeCoverage(map: WorkspaceMap, files: readonly string[]): CoverageReport {
  const counts = countCoverage(map, files);
  return { ...counts, problems: coverageWarnings(map, counts, files) };
}

/** The counts of {@link computeCoverage}, without the warnings (which need the whole file list). */
export function countCoverage(map: WorkspaceMap, files: readonly string[]): CoverageCounts {
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
  const total = files.length;
  return { total, mapped, ignored, ratio: total === 0 ? 1 : (mapped + ignored) / total, filesByFeature, matchesByPattern: counts, unmappedFiles };
}

/**
 * Warnings about the map over a whole file list: patterns that match no file and features with no files. A
 * pattern whose wildcard last name matches no file name but does match folders (`/tests/net/gnrc*`, written for
 * folders as in many CODEOWNERS files) gets its own warning, with the pattern that takes those folders as its fix.
 */
export function coverageWarnings(map: WorkspaceMap, counts: Pick<CoverageCounts, 'matchesByPattern' | 'filesByFeature'>, files: readonly string[]): MapProblem[] {
  const problems: MapProblem[] = [];
  const owner = new Map(map.features.flatMap((f) => [...f.paths, ...f.exclude].map((p) => [p, f.id] as const)));
  const dead = indexOf(map).patterns.filter((p) => counts.matchesByPattern.get(p.source) === 0);
  const folders = foldersMatchedInstead(map, dead, files);
  for (const p of dead) {
    const what = p.source.kind === 'unmapped' ? 'unmapped pattern' : p.source.kind === 'exclude' ? 'exclude pattern' : 'pattern';
    const of = owner.has(p.source) ? ` of feature "${owner.get(p.source)}"` : '';
    const instead = folders.get(p.source);
    if (instead) {
      const written = p.source.pattern;
      const last = written.slice(written.lastIndexOf('/') + 1);
      const fixed = `${written}/`;
      problems.push({
        file: p.source.mapFile,
        range: p.source.range,
        severity: 'warning',
        code: 'pattern-matches-folders-only',
        message: `${what} "${written}"${of} matches no file: a wildcard last name matches file names only, and "${last}" names ${instead === 1 ? 'a folder' : `${instead} folders`} here; write "${fixed}" to take ${instead === 1 ? 'that folder' : 'those folders'}`,
        fixes: [{ title: `Change to "${fixed}"`, edits: [{ range: p.source.range, oldValue: written, newValue: fixed }] }],
      });
      continue;
    }
    problems.push({
      file: p.source.mapFile,
      range: p.source.range,
      severity: 'warning',
      code: 'pattern-matches-nothing',
      message: `${what} "${p.source.pattern}"${of} matches no file; fix or remove it`,
    });
  }
  for (const feature of map.features) {
    if ((counts.filesByFeature.get(feature.id) ?? []).length > 0) continue;
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
  return problems;
}

/**
 * For patterns that match no file and end in a wildcard name without a trailing "/": how many folders the same
 * pattern with a trailing "/" would name. One pass over the files, with an index of those patterns only.
 */
function foldersMatchedInstead(map: WorkspaceMap, dead: readonly IndexedPattern[], files: readonly string[]): Map<MapPattern, number> {
  const result = new Map<MapPattern, number>();
  const candidates = dead.filter((p) => !p.compiled.dirOnly && !p.compiled.expandable);
  if (candidates.length === 0) return result;
  const asFolders = candidates.map((p) => {
    const base = folderSegments(path.relative(map.root, path.dirname(p.source.mapFile)).split(path.sep).join('/'));
    return { ...p, compiled: compilePattern(`${p.source.pattern}/`, base) };
  });
  const index = new PatternIndex(asFolders);
  const named = new Map<MapPattern, Set<string>>();
  for (const file of files) {
    const split = splitPath(file);
    for (const match of index.match(split)) {
      // The folder the wildcard names: the deepest folder of the path the folder pattern still covers.
      let depth = split.segments.length - 1;
      while (depth > 1 && patternMatches(match.compiled, split.segments.slice(0, depth - 1), true)) depth--;
      const folders = named.get(match.source) ?? new Set<string>();
      folders.add(split.segments.slice(0, depth).join('/'));
      named.set(match.source, folders);
    }
  }
  for (const [pattern, folders] of named) result.set(pattern, folders.size);
  return result;
}
