// What the map commands (explain, check, coverage, init) share: finding the workspace root, loading its map, and
// printing problems the way compilers do (`file:line:col: error: message`, clickable in a terminal).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { CoverageReport, MapProblem, WorkspaceMap } from '../shared/mapModel';
import { MAP_FILE_NAMES, type ParsedMapFile } from '../map/mapFile';
import { listWorkspaceFiles } from '../map/workspaceFiles';
import { loadWorkspaceMap } from '../map/workspaceMap';
import { InputError, type CliIo } from './cliSupport';

/** The `--root` option as every map command declares it. */
export const rootOption = { root: { type: 'string' } } as const;

function isDirectory(dir: string): boolean {
  try {
    return fs.statSync(dir).isDirectory();
  } catch {
    // Missing or unreadable: not a folder we can use.
    return false;
  }
}

function holdsMap(dir: string): boolean {
  return MAP_FILE_NAMES.some((name) => fs.existsSync(path.join(dir, name)));
}

/**
 * The workspace root: `--root` when given; otherwise, inside a git work tree, the outermost folder up to the
 * repository's top that holds a map file (so a nested package's map does not hide the repository's map);
 * outside git, the nearest folder holding a map file; otherwise the current folder.
 */
export function resolveRoot(io: CliIo, given: string | undefined): string {
  if (given !== undefined) {
    const root = path.resolve(io.cwd, given);
    if (!isDirectory(root)) throw new InputError(`--root ${given}: ${root} is not a folder; pass the folder that holds the map file`);
    return root;
  }
  const withMap: string[] = [];
  let gitTop: string | undefined;
  for (let dir = path.resolve(io.cwd); ; dir = path.dirname(dir)) {
    if (holdsMap(dir)) withMap.push(dir);
    if (fs.existsSync(path.join(dir, '.git'))) {
      gitTop = dir;
      break;
    }
    if (path.dirname(dir) === dir) break;
  }
  if (withMap.length === 0) return path.resolve(io.cwd);
  return gitTop ? withMap[withMap.length - 1] : withMap[0];
}

/** A path relative to `from`, `/`-separated; the absolute path when it is not below `from`. */
export function relativePath(from: string, file: string): string {
  const relative = path.relative(from, file);
  if (relative === '') return '.';
  if (relative.startsWith('..') || path.isAbsolute(relative)) return file;
  return relative.split(path.sep).join('/');
}

/** One problem as a compiler-style line, its file relative to the current folder. */
export function formatProblem(problem: MapProblem, cwd: string): string {
  return `${relativePath(cwd, problem.file)}:${problem.range.start.line}:${problem.range.start.column}: ${problem.severity}: ${problem.message}`;
}

/** One problem for `--json` output, its file relative to the root. */
export function problemJson(problem: MapProblem, root: string) {
  return {
    file: relativePath(root, problem.file),
    line: problem.range.start.line,
    column: problem.range.start.column,
    endLine: problem.range.end.line,
    endColumn: problem.range.end.column,
    severity: problem.severity,
    code: problem.code,
    message: problem.message,
  };
}

/** A workspace's files and map as the commands need them. */
export interface LoadedWorkspace {
  root: string;
  files: string[];
  map?: WorkspaceMap;
  parsed: ParsedMapFile[];
  problems: MapProblem[];
}

/**
 * Lists the files and loads the map; a root without any map file is an input error that says what to do. How the
 * files were listed, when unusual (a folder git ignores is walked), and an empty list where files exist go to stderr.
 */
export async function loadWorkspace(io: CliIo, root: string): Promise<LoadedWorkspace> {
  const files = await listWorkspaceFiles(root, {
    onSkipped: (folder, reason) => io.err(`warning: skipped folder ${folder}: ${reason}`),
    onNotice: (notice) => io.err(`${notice.level === 'warning' ? 'warning' : 'note'}: ${notice.message}`),
  });
  const loaded = await loadWorkspaceMap(root, { files });
  if (loaded.parsed.length === 0 && loaded.problems.length === 0) {
    throw new InputError(`no map file (${MAP_FILE_NAMES.join(', ')}) in ${root} or below; run "customer-lens init" to create one, or pass --root`);
  }
  return { root, files, ...loaded };
}

/**
 * For commands that need a usable map: prints the map's errors and throws when there is any, so nothing is answered
 * from half a map.
 */
export function requireValidMap(io: CliIo, workspace: LoadedWorkspace): WorkspaceMap {
  const errors = workspace.problems.filter((p) => p.severity === 'error');
  if (errors.length > 0 || !workspace.map) {
    for (const problem of errors) io.err(formatProblem(problem, io.cwd));
    throw new InputError(`the map has ${errors.length} error${errors.length === 1 ? '' : 's'}; fix ${errors.length === 1 ? 'it' : 'them'} first (see "customer-lens check")`);
  }
  return workspace.map;
}

/** A ratio as a percentage with one decimal, rounded down so a value below a minimum never prints as reaching it. */
export function formatPercent(ratio: number): string {
  return `${(Math.floor(ratio * 1000 + 1e-9) / 10).toFixed(1)}%`;
}

/** `1 file`, `2 files`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The one-line coverage summary `check` and `coverage` print. */
export function coverageLine(report: CoverageReport): string {
  if (report.total === 0) return 'Coverage: not measured, no files were listed';
  return `Coverage: ${formatPercent(report.ratio)} of ${plural(report.total, 'file')} (${report.mapped} mapped, ${report.ignored} ignored, ${report.unmappedFiles.length} unmapped)`;
}
