// Finds, reads and merges every map file of a workspace root into one WorkspaceMap.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { MapFeature, MapPattern, MapProblem, PathExplanation, TextRange, WorkspaceMap } from '../shared/mapModel';
import { featureIdRange, freeId, MAP_FILE_NAMES, MAX_MAP_FILE_BYTES, mapTooLargeMessage, parseMapFile, type ParsedMapFile } from './mapFile';
import { explainMatches, indexPatterns, rememberIndex, splitPath, withPartOfMap } from './matcher';
import { listWorkspaceFiles } from './workspaceFiles';

const START: TextRange = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

function fileProblem(file: string, code: string, message: string): MapProblem {
  return { file, range: START, severity: 'error', code, message };
}

function depth(root: string, dir: string): number {
  const relative = path.relative(root, dir);
  return relative === '' ? 0 : relative.split(path.sep).length;
}

/**
 * Merges parsed map files (valid or not: the features and patterns that validated are used) into one map for
 * `root`. Outer map files come first, so their patterns rank before those of the map files nested below them.
 * A feature id already declared by an earlier map file is reported and left out.
 */
export function compileWorkspaceMap(root: string, maps: readonly ParsedMapFile[]): { map: WorkspaceMap; problems: MapProblem[] } {
  const absoluteRoot = path.resolve(root);
  const problems: MapProblem[] = [];
  const inside = maps.filter((m) => {
    const relative = path.relative(absoluteRoot, m.dir);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      problems.push(fileProblem(m.file, 'outside-root', `this map file is outside the workspace root ${absoluteRoot}; open its folder instead`));
      return false;
    }
    return true;
  });
  const ordered = [...inside].sort((a, b) => depth(absoluteRoot, a.dir) - depth(absoluteRoot, b.dir) || (a.file < b.file ? -1 : 1));
  const features: MapFeature[] = [];
  const byId = new Map<string, MapFeature>();
  const unmapped: MapPattern[] = [];
  const contextFiles: string[] = [];
  const allIds = new Set(ordered.flatMap((m) => m.features.map((f) => f.id)));
  for (const m of ordered) {
    for (const feature of m.features) {
      const earlier = byId.get(feature.id);
      if (earlier) {
        const where = `${path.relative(absoluteRoot, earlier.mapFile) || earlier.mapFile}:${featureIdRange(earlier).start.line}`;
        const range = featureIdRange(feature);
        const free = freeId(feature.id, allIds);
        allIds.add(free);
        problems.push({
          file: m.file,
          range,
          severity: 'error',
          code: 'duplicate-id',
          message: `duplicate id "${feature.id}": ${where} already declares it; ids must be unique across all map files`,
          fixes: [{ title: `Rename this one to "${free}"`, edits: [{ range, oldValue: feature.id, newValue: free }] }],
        });
        continue;
      }
      byId.set(feature.id, feature);
      features.push(feature);
    }
    unmapped.push(...m.unmapped);
    if (m.contextFile) contextFiles.push(m.contextFile);
  }
  const mapFiles = ordered.map((m) => m.file);
  const index = indexPatterns(absoluteRoot, mapFiles, features, unmapped);
  const map: WorkspaceMap = {
    root: absoluteRoot,
    mapFiles,
    features,
    unmapped,
    contextFiles,
    feature: (id) => byId.get(id),
    explain: (relativePath): PathExplanation => {
      const split = splitPath(relativePath);
      return withPartOfMap(map, explainMatches(split, index.match(split), features));
    },
  };
  rememberIndex(map, index);
  return { map, problems };
}

async function readMapFile(file: string): Promise<{ text?: string; problem?: MapProblem }> {
  let stat;
  try {
    stat = await fs.stat(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ELOOP' ? 'is a symbolic link loop' : code === 'ENOENT' ? 'does not exist (a broken link?)' : `cannot be read (${code ?? String(error)})`;
    return { problem: fileProblem(file, 'unreadable-map', `the map file ${reason}; fix or remove it`) };
  }
  if (stat.isDirectory()) {
    return { problem: fileProblem(file, 'map-is-directory', 'this map file is a folder; a map must be a file: rename or remove the folder') };
  }
  if (!stat.isFile()) return { problem: fileProblem(file, 'unreadable-map', 'the map file is not a regular file; replace it with a YAML or JSON file') };
  if (stat.size > MAX_MAP_FILE_BYTES) return { problem: fileProblem(file, 'map-too-large', mapTooLargeMessage(stat.size)) };
  let bytes: Buffer;
  try {
    bytes = await fs.readFile(file);
  } catch (error) {
    return { problem: fileProblem(file, 'unreadable-map', `the map file cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)}); check its permissions`) };
  }
  let text: string;
  try {
    if (bytes.includes(0)) throw new Error('NUL byte');
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { problem: fileProblem(file, 'binary-map', 'the map file is not UTF-8 text (it looks binary); a map is a YAML or JSON text file') };
  }
  return { text };
}

/**
 * Finds every map file at and below `root` (from `files`, or by listing the root), reads, validates and merges them.
 * Never throws for bad input: unreadable, binary, oversized or folder "map files" become problems naming the file.
 * `map` is absent when no map file was found or none could be read. When a folder holds more than one map file name, the first of
 * MAP_FILE_NAMES is used and the others are reported.
 */
export async function loadWorkspaceMap(
  root: string,
  options: { files?: readonly string[] } = {},
): Promise<{ map?: WorkspaceMap; parsed: ParsedMapFile[]; problems: MapProblem[] }> {
  const absoluteRoot = path.resolve(root);
  const problems: MapProblem[] = [];
  let files: readonly string[];
  try {
    files = options.files ?? (await listWorkspaceFiles(absoluteRoot));
  } catch (error) {
    problems.push(fileProblem(absoluteRoot, 'unreadable-root', `cannot list the files of ${absoluteRoot}: ${error instanceof Error ? error.message : String(error)}`));
    return { parsed: [], problems };
  }
  // A "map file" that is a folder shows up as files below it; the root's own names are checked even when unlisted
  // (a new map not yet added to git).
  const candidates = new Set<string>();
  for (const name of MAP_FILE_NAMES) candidates.add(name);
  for (const file of files) {
    const segments = file.split('/');
    const at = segments.findIndex((s) => MAP_FILE_NAMES.includes(s));
    if (at >= 0) candidates.add(segments.slice(0, at + 1).join('/'));
  }
  const byFolder = new Map<string, string[]>();
  for (const relative of candidates) {
    const absolute = path.join(absoluteRoot, relative);
    if (!files.includes(relative)) {
      try {
        await fs.lstat(absolute);
      } catch {
        // Not there: this name is simply not used in this folder.
        continue;
      }
    }
    const folder = path.dirname(absolute);
    const list = byFolder.get(folder) ?? [];
    list.push(absolute);
    byFolder.set(folder, list);
  }
  const parsed: ParsedMapFile[] = [];
  for (const [, list] of [...byFolder.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    list.sort((a, b) => MAP_FILE_NAMES.indexOf(path.basename(a)) - MAP_FILE_NAMES.indexOf(path.basename(b)));
    for (const extra of list.slice(1)) {
      problems.push(fileProblem(extra, 'extra-map-file', `${path.basename(list[0])} in the same folder is used instead of this file; merge them and delete this one`));
    }
    const { text, problem } = await readMapFile(list[0]);
    if (problem) {
      problems.push(problem);
      continue;
    }
    try {
      parsed.push(parseMapFile(list[0], text as string, { root: absoluteRoot }));
    } catch (error) {
      // parseMapFile reports bad input as problems; an exception here is a bug, and must not take the map down.
      const reason = error instanceof Error ? error.message : String(error);
      problems.push(fileProblem(list[0], 'internal-error', `this map file could not be read (${reason}); please report it with the file`));
    }
  }
  for (const p of parsed) problems.push(...p.problems);
  if (parsed.length === 0) return { parsed, problems };
  const compiled = compileWorkspaceMap(absoluteRoot, parsed);
  problems.push(...compiled.problems);
  return { map: compiled.map, parsed, problems };
}
