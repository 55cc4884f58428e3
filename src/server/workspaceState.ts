// The map of one workspace folder as the server holds it: the parsed map files (unsaved editor text wins over the
// disk), the map in force (the last good one while the current text has errors), the folder's file list and the
// coverage of that list. Reloaded on map-file changes; an edit of an open map document takes a faster path that
// reparses only that file and leaves coverage for when typing pauses.
import * as path from 'node:path';
import { parseMapFile, MAP_FILE_NAMES, type ParsedMapFile } from '../map/mapFile';
import { compileWorkspaceMap, loadWorkspaceMap } from '../map/workspaceMap';
import { listWorkspaceFiles, type ListOptions } from '../map/workspaceFiles';
import { explainMatches, indexOf, splitPath } from '../map/matcher';
import type { Logger } from '../shared/contextModel';
import type { CoverageReport, MapPattern, MapProblem, PathExplanation, WorkspaceMap } from '../shared/mapModel';
import type { MapStatus } from '../shared/lspProtocol';
import { carryOverWarnings, coverageInSlices, reuseCoverage } from './coverageUpdates';
import { pathToUri } from './uris';

/** Text of open documents by absolute path: unsaved map edits take effect before they are saved. */
export type OpenText = (absPath: string) => string | undefined;

/** Whether a file name is one of the map file names. */
export function isMapFileName(file: string): boolean {
  return MAP_FILE_NAMES.includes(path.basename(file));
}

const FILE_START = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };

export class FolderState {
  /** Files of the folder, relative and `/`-separated (git ls-files, or a walk). */
  files: string[] = [];
  /** The map files found, parsed from the editor's text when open. */
  parsed: ParsedMapFile[] = [];
  /** Problems of the current text, by map file (parse + compile + coverage warnings). */
  problems = new Map<string, MapProblem[]>();
  /** The map in force. */
  map: WorkspaceMap | undefined;
  /** True when the current text has errors and `map` is the last good one. */
  usingLastGood = false;
  /** The coverage of the file list; for an earlier map than `map` while an edit's coverage is pending. */
  coverage: CoverageReport | undefined;
  /** Bumped whenever the map in force or the map files' problems change, so callers can tell what is current. */
  version = 0;
  private fileListLoaded = false;
  private generation = 0;
  /** Problems of map files that could not be parsed at all (unreadable, binary, too large, a second map file). */
  private loadProblems: MapProblem[] = [];
  /** Parse and compile problems of the current text, by map file. */
  private textProblems = new Map<string, MapProblem[]>();
  private coverageOf: WorkspaceMap | undefined;
  /** The file list `coverage` was computed over. */
  private coverageFiles: readonly string[] | undefined;
  private coverageRun: { map: WorkspaceMap; done: Promise<boolean> } | undefined;
  private patternFilesCache: { map: WorkspaceMap; files: Map<MapPattern, string[]> } | undefined;
  /** Why the file list is empty although the folder holds files; then coverage warnings would all be false. */
  private listingWarning: string | undefined;

  readonly uri: string;

  constructor(
    readonly root: string,
    private readonly log: Logger,
    private readonly listFiles: (root: string, options?: ListOptions) => Promise<string[]> = listWorkspaceFiles,
  ) {
    this.uri = pathToUri(root);
  }

  /** The path of `absPath` relative to the folder, `/`-separated; undefined when it lies outside. */
  relative(absPath: string): string | undefined {
    const rel = path.relative(this.root, absPath);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  /** True when `coverage` (and the warnings about patterns matching no file) are for the map in force. */
  get coverageCurrent(): boolean {
    return this.coverageOf === this.map;
  }

  /**
   * Rereads the file list (git ls-files or a walk), then the maps. Resolves to false when a later change overtook it.
   * The first time, the root's own map file is read before the files are listed, and `onEarlyMap` is called when it
   * is in force: hovers and lenses answer long before a large workspace has been listed (map files
   * nested below the root, and coverage, follow with the list).
   */
  async reloadFiles(openText: OpenText, onEarlyMap?: () => void): Promise<boolean> {
    const started = Date.now();
    // First, before the listing competes with it for the thread: a map file parses in a fraction of a second, a large
    // workspace lists in seconds.
    if (!this.fileListLoaded && !this.map && (await this.loadRootMap(openText))) onEarlyMap?.();
    try {
      let warning: string | undefined;
      this.files = await this.listFiles(this.root, {
        onNotice: (notice) => {
          if (notice.level === 'warning') {
            warning = notice.message;
            this.log.warn(`workspace files root=${this.root} ${notice.message}`);
          } else {
            this.log.info(`workspace files root=${this.root} ${notice.message}`);
          }
        },
      });
      this.listingWarning = warning;
      this.fileListLoaded = true;
      this.coverageOf = undefined;
      this.coverageRun = undefined;
    } catch (error) {
      this.log.error(`listing files failed root=${this.root} error=${error instanceof Error ? error.message : String(error)}`);
    }
    this.log.info(`workspace files root=${this.root} count=${this.files.length} ms=${Date.now() - started}`);
    return this.reloadMaps(openText);
  }

  /**
   * Finds and rereads every map file and recompiles the map; an open map document's text replaces what is on disk.
   * When the result has errors, the last good map stays in force. Overlapping reloads are fine: only the last one
   * applies. Resolves to false when a later change overtook it (that change finishes the job).
   */
  async reloadMaps(openText: OpenText): Promise<boolean> {
    if (!this.fileListLoaded) return false;
    const generation = ++this.generation;
    const loaded = await loadWorkspaceMap(this.root, { files: this.files });
    if (generation !== this.generation) return false;

    this.applyLoaded(loaded, openText);
    return this.refreshCoverage();
  }

  /** Puts a load in force, with each open map document's text in place of what is on disk. */
  private applyLoaded(loaded: Awaited<ReturnType<typeof loadWorkspaceMap>>, openText: OpenText): void {
    const parsed = loaded.parsed.map((p) => {
      const text = openText(p.file);
      return text === undefined ? p : parseMapFile(p.file, text, { root: this.root });
    });
    const parsedFiles = new Set(parsed.map((p) => p.file));
    // loadWorkspaceMap's problems for files it could not parse stay; parse and compile problems are recomputed from
    // the editor's text.
    this.loadProblems = loaded.problems.filter((problem) => !parsedFiles.has(problem.file));
    this.apply(parsed);
  }

  /** Reads the map file at the root only (no file list needed); false when none is there or a full load came first. */
  private async loadRootMap(openText: OpenText): Promise<boolean> {
    const generation = ++this.generation;
    const loaded = await loadWorkspaceMap(this.root, { files: [] });
    if (generation !== this.generation || this.fileListLoaded || loaded.parsed.length === 0) return false;
    this.applyLoaded(loaded, openText);
    this.log.info(`map loaded early root=${this.root} features=${this.map?.features.length ?? 0} (files still being listed)`);
    return this.map !== undefined;
  }

  /**
   * The fast path for typing in an open map file: reparses that file only (the others' parses are reused) and
   * recompiles. Coverage is left to `refreshCoverage`; until then the warnings that still hold are kept. Returns
   * false when `file` is not one of the map files in use (a new map file): the caller reloads the maps instead.
   */
  editMap(file: string, text: string): boolean {
    const index = this.parsed.findIndex((p) => p.file === file);
    if (index < 0) return false;
    const parsed = [...this.parsed];
    parsed[index] = parseMapFile(file, text, { root: this.root });
    this.apply(parsed);
    return true;
  }

  /**
   * Brings the coverage up to date with the map in force: at once when no pattern changed since the last coverage,
   * otherwise by matching the file list in slices so that the server keeps answering meanwhile. Resolves to false
   * when the map changed again before it finished.
   */
  refreshCoverage(): Promise<boolean> {
    const map = this.map;
    if (!map || this.coverageOf === map) return Promise.resolve(true);
    const reused = this.coverage && this.coverageOf && this.coverageFiles === this.files ? reuseCoverage({ map: this.coverageOf, report: this.coverage }, map) : undefined;
    if (reused) {
      this.coverage = reused;
      this.coverageOf = map;
      this.version++;
      this.updateProblems();
      return Promise.resolve(true);
    }
    if (this.coverageRun?.map !== map) this.coverageRun = { map, done: this.computeCoverage(map) };
    return this.coverageRun.done;
  }

  private async computeCoverage(map: WorkspaceMap): Promise<boolean> {
    const started = Date.now();
    const files = this.files;
    const overtaken = () => this.map !== map || this.files !== files;
    const report = await coverageInSlices(map, files, { pause: () => new Promise((resolve) => setImmediate(resolve)), cancelled: overtaken });
    if (!report || overtaken()) return false;
    this.coverage = report;
    this.coverageOf = map;
    this.coverageFiles = files;
    this.version++;
    this.updateProblems();
    this.log.info(`coverage root=${this.root} files=${report.total} ratio=${report.ratio.toFixed(3)} warnings=${report.problems.length} ms=${Date.now() - started}`);
    return true;
  }

  /** Compiles parsed map files and puts the result in force when it has no errors. */
  private apply(parsed: ParsedMapFile[]): void {
    const compiled = parsed.length > 0 ? compileWorkspaceMap(this.root, parsed) : undefined;
    const problems = new Map<string, MapProblem[]>();
    const add = (problem: MapProblem) => {
      const list = problems.get(problem.file) ?? [];
      list.push(problem);
      problems.set(problem.file, list);
    };
    for (const p of parsed) problems.set(p.file, []);
    this.loadProblems.forEach(add);
    for (const p of parsed) p.problems.forEach(add);
    compiled?.problems.forEach(add);
    const hasErrors = [...problems.values()].some((list) => list.some((p) => p.severity === 'error'));

    this.parsed = parsed;
    this.textProblems = problems;
    this.version++;
    if (!compiled) {
      this.map = undefined;
      this.usingLastGood = false;
    } else if (!hasErrors) {
      this.map = compiled.map;
      this.usingLastGood = false;
    } else {
      this.usingLastGood = this.map !== undefined;
    }
    this.updateProblems();
    const errors = [...problems.values()].flat().filter((p) => p.severity === 'error').length;
    this.log.info(
      `map loaded root=${this.root} mapFiles=${parsed.length} features=${this.map?.features.length ?? 0} errors=${errors} usingLastGood=${this.usingLastGood}`,
    );
  }

  /** The problems to show: those of the text, plus the coverage warnings about the map in force. */
  private updateProblems(): void {
    const problems = new Map([...this.textProblems].map(([file, list]) => [file, [...list]]));
    const rootMap = this.map?.mapFiles[0];
    if (this.listingWarning && rootMap) {
      // Every pattern would "match no file": one warning that says why, instead of one false warning per pattern.
      const list = problems.get(rootMap) ?? [];
      list.unshift({ file: rootMap, range: FILE_START, severity: 'warning', code: 'no-files-listed', message: this.listingWarning });
      problems.set(rootMap, list);
    }
    // Coverage warnings (patterns that match no file) are about the text in force; with errors they would point at
    // the last good map's positions, so they wait until the text is valid again.
    else if (this.map && !this.usingLastGood && this.coverage && this.coverageOf) {
      const warnings = this.coverageOf === this.map ? this.coverage.problems : carryOverWarnings({ map: this.coverageOf, warnings: this.coverage.problems }, this.map);
      for (const warning of warnings) {
        const list = problems.get(warning.file) ?? [];
        list.push(warning);
        problems.set(warning.file, list);
      }
    }
    this.problems = problems;
  }

  /**
   * The files each pattern of the map in force accounts for: for a `paths` pattern the files it brings into its
   * feature (an `exclude` of the feature cancels them), for an `exclude` pattern the files it takes out, for an
   * `unmapped` pattern the files it matches. Computed on first use for each map in force, with the map's own index.
   */
  patternFiles(): Map<MapPattern, string[]> {
    const map = this.map;
    if (!map) return new Map();
    if (this.patternFilesCache?.map === map) return this.patternFilesCache.files;
    const index = indexOf(map);
    const files = new Map<MapPattern, string[]>();
    for (const file of this.files) {
      const split = splitPath(file);
      const matches = index.match(split);
      if (matches.length === 0) continue;
      const belongs = new Set(explainMatches(split, matches, map.features).features.map((f) => f.featureId));
      for (const match of matches) {
        const source = match.source;
        if (source.kind === 'path' && !belongs.has(map.features[match.feature].id)) continue;
        if (source.kind === 'exclude' && !matches.some((other) => other.feature === match.feature && other.source.kind === 'path')) continue;
        const list = files.get(source) ?? [];
        list.push(split.text);
        files.set(source, list);
      }
    }
    this.patternFilesCache = { map, files };
    return files;
  }

  /** Where the map stands, for the client. */
  status(): MapStatus {
    const errorCount = [...this.problems.values()].flat().filter((p) => p.severity === 'error').length;
    return {
      state: this.map ? 'ok' : this.problems.size > 0 ? 'invalid' : 'none',
      usingLastGood: this.usingLastGood,
      mapFileUris: [...this.problems.keys()].map(pathToUri),
      errorCount,
      workspaceFolderUri: this.uri,
    };
  }

  /** Why `relativePath` maps where it does, under the map in force. */
  explain(relativePath: string): PathExplanation | undefined {
    return this.map?.explain(relativePath);
  }
}
