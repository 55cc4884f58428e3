// The map of one workspace folder as the server holds it: the parsed map files (unsaved editor text wins over the
// disk), the map in force (the last good one while the current text has errors), the folder's file list and the
// coverage of that list. Reloaded on map-file changes and on edits of an open map document.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseMapFile, MAP_FILE_NAMES, type ParsedMapFile } from '../map/mapFile';
import { compileWorkspaceMap, loadWorkspaceMap } from '../map/workspaceMap';
import { listWorkspaceFiles } from '../map/workspaceFiles';
import { explainMatches, indexOf, splitPath } from '../map/matcher';
import { computeCoverage } from '../map/coverage';
import type { Logger } from '../shared/contextModel';
import type { CoverageReport, MapPattern, MapProblem, PathExplanation, WorkspaceMap } from '../shared/mapModel';
import type { MapStatus } from '../shared/lspProtocol';
import { pathToUri } from './uris';

/** Text of open documents by absolute path: unsaved map edits take effect before they are saved. */
export type OpenText = (absPath: string) => string | undefined;

/** Whether a file name is one of the map file names. */
export function isMapFileName(file: string): boolean {
  return MAP_FILE_NAMES.includes(path.basename(file));
}

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
  coverage: CoverageReport | undefined;
  /** Bumped on every reload, so callers can tell whether what they computed is still current. */
  version = 0;
  private fileListLoaded = false;
  private generation = 0;
  private patternFilesCache: { version: number; files: Map<MapPattern, string[]> } | undefined;

  readonly uri: string;

  constructor(
    readonly root: string,
    private readonly log: Logger,
    private readonly listFiles: (root: string) => Promise<string[]> = listWorkspaceFiles,
  ) {
    this.uri = pathToUri(root);
  }

  /** The path of `absPath` relative to the folder, `/`-separated; undefined when it lies outside. */
  relative(absPath: string): string | undefined {
    const rel = path.relative(this.root, absPath);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    return rel.split(path.sep).join('/');
  }

  /** Rereads the file list (git ls-files or a walk), then the maps. */
  async reloadFiles(openText: OpenText): Promise<void> {
    const started = Date.now();
    try {
      this.files = await this.listFiles(this.root);
      this.fileListLoaded = true;
    } catch (error) {
      this.log.error(`listing files failed root=${this.root} error=${error instanceof Error ? error.message : String(error)}`);
    }
    this.log.info(`workspace files root=${this.root} count=${this.files.length} ms=${Date.now() - started}`);
    await this.reloadMaps(openText);
  }

  /**
   * Rereads every map file and recompiles the map; an open map document's text replaces what is on disk. When the
   * result has errors, the last good map stays in force. Overlapping reloads are fine: only the last one applies.
   */
  async reloadMaps(openText: OpenText): Promise<void> {
    if (!this.fileListLoaded) return;
    const generation = ++this.generation;
    const loaded = await loadWorkspaceMap(this.root, { files: this.files });
    if (generation !== this.generation) return;

    const fileExists = (p: string) => openText(p) !== undefined || fs.existsSync(p);
    const parsed = loaded.parsed.map((p) => {
      const text = openText(p.file);
      return text === undefined ? p : parseMapFile(p.file, text, { fileExists });
    });
    const parsedFiles = new Set(parsed.map((p) => p.file));
    const compiled = parsed.length > 0 ? compileWorkspaceMap(this.root, parsed) : undefined;
    // loadWorkspaceMap's problems for files it could not parse (unreadable, binary, too large, a second map file in
    // one folder) stay; parse and compile problems are recomputed from the editor's text.
    const problems = new Map<string, MapProblem[]>();
    const add = (problem: MapProblem) => {
      const list = problems.get(problem.file) ?? [];
      list.push(problem);
      problems.set(problem.file, list);
    };
    for (const file of parsedFiles) problems.set(file, []);
    for (const problem of loaded.problems) if (!parsedFiles.has(problem.file)) add(problem);
    for (const p of parsed) p.problems.forEach(add);
    compiled?.problems.forEach(add);
    const hasErrors = [...problems.values()].some((list) => list.some((p) => p.severity === 'error'));

    this.parsed = parsed;
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
    this.coverage = this.map ? computeCoverage(this.map, this.files) : undefined;
    // Coverage warnings (patterns that match no file) are about the text in force; with errors they would point at
    // the last good map's positions, so they wait until the text is valid again.
    if (this.map && !this.usingLastGood && this.coverage) this.coverage.problems.forEach(add);
    this.problems = problems;
    const errors = [...problems.values()].flat().filter((p) => p.severity === 'error').length;
    this.log.info(
      `map loaded root=${this.root} mapFiles=${parsed.length} features=${this.map?.features.length ?? 0} errors=${errors} usingLastGood=${this.usingLastGood}`,
    );
  }

  /**
   * The files each pattern of the map in force accounts for: for a `paths` pattern the files it brings into its
   * feature (an `exclude` of the feature cancels them), for an `exclude` pattern the files it takes out, for an
   * `unmapped` pattern the files it matches. Computed on first use after each reload, with the map's own index.
   */
  patternFiles(): Map<MapPattern, string[]> {
    const map = this.map;
    if (!map) return new Map();
    if (this.patternFilesCache?.version === this.version) return this.patternFilesCache.files;
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
    this.patternFilesCache = { version: this.version, files };
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
