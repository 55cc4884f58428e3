// The files one pattern of a map matches, for the pattern hover and `customerLens/featureFiles` with a pattern. The
// map answers per file ("which features"); this answers per pattern, with the same matcher.
import * as path from 'node:path';
import { compilePattern, folderSegments, patternMatches } from '../map/pattern';
import type { MapPattern } from '../shared/mapModel';
import type { FolderState } from './workspaceState';

/** Relative paths (of `folder.files`) that `pattern` matches on its own, `exclude` not applied. */
export function filesMatching(folder: FolderState, pattern: MapPattern): string[] {
  const base = folder.relative(path.dirname(pattern.mapFile)) ?? '';
  const compiled = compilePattern(pattern.pattern, folderSegments(base));
  return folder.files.filter((file) => patternMatches(compiled, file.split('/'), false));
}
