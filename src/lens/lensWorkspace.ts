// A workspace folder loaded without an editor: its file list, its map (every map file at and below the root) and its
// context source (the endpoint when one is given, else the map's context files), with the editor's cache rules and
// its disk cache. The CLI's `context` opens one for a single answer; `customer-lens mcp` keeps one warm and rereads
// the map when its files change.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  contextFilesInUse,
  createContextService,
  DEFAULT_REQUEST_TIMEOUT_MS,
  DEFAULT_TTL_MINUTES,
  MAX_RESPONSE_BYTES,
  type ContextServiceDeps,
} from '../context/contextService';
import { MAP_FILE_NAMES } from '../map/mapFile';
import { listWorkspaceFiles } from '../map/workspaceFiles';
import { loadWorkspaceMap } from '../map/workspaceMap';
import { computeCoverage } from '../map/coverage';
import type { ContextLookup, ContextService, ContextServiceOptions, Logger } from '../shared/contextModel';
import type { MapProblem, WorkspaceMap } from '../shared/mapModel';
import type { LensFolder, LookupOptions } from './lensFolder';

/** How a headless workspace finds its context and keeps its map. */
export interface LensWorkspaceOptions {
  /** The workspace root (absolute). */
  root: string;
  /** A protocol v1 endpoint; absent: the map's context files. */
  endpoint?: string;
  /** Bearer token for the endpoint (sent only to its origin, only over https or to this machine). */
  token?: string;
  /** Folder of the disk cache; absent: memory only. */
  cacheDir?: string;
  ttlMs?: number;
  requestTimeoutMs?: number;
  log: Logger;
  /**
   * `once`: one answer, then the process ends: stale context is refreshed before answering (no one would see a later
   * refresh). `serve`: a long-lived process: stale context answers at once and refreshes in the background, and the
   * map is reread when its files change.
   */
  mode: 'once' | 'serve';
  /** Seams for tests. */
  serviceDeps?: ContextServiceDeps;
}

/** Why a workspace cannot answer at all; the message says what to do. */
export class LensError extends Error {
  constructor(
    readonly code: 'no-map' | 'map-errors' | 'not-a-folder',
    message: string,
  ) {
    super(message);
  }
}

/** `file:line:col: message` for the first problem, the file relative to the root. */
function firstProblem(root: string, problems: readonly MapProblem[]): string {
  const problem = problems[0];
  if (!problem) return '';
  const file = path.relative(root, problem.file) || path.basename(problem.file);
  return `${file}:${problem.range.start.line}:${problem.range.start.column}: ${problem.message}`;
}

/** A map file's identity on disk: a change of either means it was edited. */
function stamp(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}:${stat.size}`;
  } catch {
    return 'missing';
  }
}

/** How often a serving workspace lists its files again (new nested map files, new files in a feature). */
const FILE_LIST_INTERVAL_MS = 30_000;

export class LensWorkspace implements LensFolder {
  readonly root: string;
  private currentMap: WorkspaceMap | undefined;
  private files: string[] = [];
  private filesByFeature: Map<string, string[]> | undefined;
  private stamps = new Map<string, string>();
  private note: string | undefined;
  private issue: { code: LensError['code']; message: string } | undefined;
  private service: { contextFiles: string; service: ContextService } | undefined;
  private listedAt = 0;
  private listing: Promise<void> | undefined;
  private reloading: Promise<void> | undefined;
  private readonly ttlMs: number;
  private readonly requestTimeoutMs: number;

  private constructor(private readonly options: LensWorkspaceOptions) {
    this.root = path.resolve(options.root);
    this.ttlMs = options.ttlMs ?? DEFAULT_TTL_MINUTES * 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  /** Lists the files and loads the map. Throws a LensError when there is no map, or only one with errors. */
  static async open(options: LensWorkspaceOptions): Promise<LensWorkspace> {
    const workspace = new LensWorkspace(options);
    let stat: fs.Stats | undefined;
    try {
      stat = fs.statSync(workspace.root);
    } catch {
      // Reported just below.
    }
    if (!stat?.isDirectory()) throw new LensError('not-a-folder', `${workspace.root} is not a folder; pass the folder that holds the map file (--root)`);
    await workspace.listFiles();
    await workspace.loadMap();
    if (!workspace.currentMap) throw new LensError(workspace.issue?.code ?? 'no-map', workspace.issue?.message ?? `no map in ${workspace.root}`);
    return workspace;
  }

  get map(): WorkspaceMap | undefined {
    return this.currentMap;
  }

  /** Why there is no map in force (it was deleted, or never had a valid state while serving). */
  get mapIssue(): string | undefined {
    return this.currentMap ? undefined : this.issue?.message;
  }

  /** Set when the map files have errors and the last good map answers instead. */
  get mapNote(): string | undefined {
    return this.note;
  }

  /** How long a cold lookup may take before the answer goes out: the whole fetch with its retries, within reason. */
  get waitMs(): number {
    return this.requestTimeoutMs * 2;
  }

  filesOf(featureId: string): readonly string[] | undefined {
    const map = this.currentMap;
    if (!map || this.files.length === 0) return undefined;
    this.filesByFeature ??= computeCoverage(map, this.files).filesByFeature;
    return this.filesByFeature.get(featureId) ?? [];
  }

  /**
   * For a serving workspace: rereads the map when one of its files changed on disk (a `git pull`, an edit), and lists
   * the files again now and then in the background. Cheap when nothing changed (a stat per map file).
   */
  async sync(): Promise<void> {
    if (Date.now() - this.listedAt > FILE_LIST_INTERVAL_MS && !this.listing) {
      this.listing = this.listFiles()
        .then(() => this.loadMap())
        .catch((error: unknown) => this.options.log.warn(`workspace refresh failed root=${this.root} error=${error instanceof Error ? error.message : String(error)}`))
        .finally(() => (this.listing = undefined));
    }
    const changed = [...this.stamps.entries()].some(([file, seen]) => stamp(file) !== seen);
    if (changed) {
      this.reloading ??= this.loadMap().finally(() => (this.reloading = undefined));
      await this.reloading;
    }
  }

  async lookup(ids: readonly string[], options: LookupOptions = {}): Promise<ContextLookup> {
    const service = this.serviceForMap();
    const answer = await service.get(ids, options);
    // A caller with a budget (or one that already waited) wants what is known now.
    if (this.options.mode === 'serve' || options.budgetMs !== undefined || answer.freshness.state !== 'stale' || ids.length === 0) return answer;
    // A one-off answer waits for the refresh that `get` started, so it does not print what it knows is old.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, this.waitMs);
      const unsubscribe = service.onDidChange(finish);
      function finish() {
        clearTimeout(timer);
        unsubscribe();
        resolve();
      }
    });
    return service.get(ids, { budgetMs: 0 });
  }

  async dispose(): Promise<void> {
    const service = this.service?.service;
    this.service = undefined;
    await service?.dispose();
  }

  private async listFiles(): Promise<void> {
    this.files = await listWorkspaceFiles(this.root, {
      onSkipped: (folder, reason) => this.options.log.warn(`skipped folder ${folder}: ${reason}`),
    });
    this.filesByFeature = undefined;
    this.listedAt = Date.now();
  }

  private async loadMap(): Promise<void> {
    const candidates = new Set(MAP_FILE_NAMES.map((name) => path.join(this.root, name)));
    const loaded = await loadWorkspaceMap(this.root, { files: this.files });
    for (const parsed of loaded.parsed) candidates.add(parsed.file);
    this.stamps = new Map([...candidates].map((file) => [file, stamp(file)]));
    const errors = loaded.problems.filter((p) => p.severity === 'error');
    this.filesByFeature = undefined;
    if (loaded.parsed.length === 0 && loaded.problems.length === 0) {
      this.currentMap = undefined;
      this.note = undefined;
      this.issue = { code: 'no-map', message: `no map file (${MAP_FILE_NAMES.join(', ')}) in ${this.root} or below; run "customer-lens init" there to create one, or pass --root` };
      this.options.log.warn(`no map root=${this.root}`);
      return;
    }
    const count = `${errors.length} error${errors.length === 1 ? '' : 's'}`;
    if (errors.length === 0 && loaded.map) {
      this.currentMap = loaded.map;
      this.note = undefined;
      this.issue = undefined;
    } else if (this.currentMap) {
      this.note = `the map has ${count} (${firstProblem(this.root, errors)}); answering from the last good map until they are fixed (see "customer-lens check")`;
    } else {
      this.issue = { code: 'map-errors', message: `the map has ${count}; fix ${errors.length === 1 ? 'it' : 'them'} first (see "customer-lens check"): ${firstProblem(this.root, errors)}` };
    }
    this.options.log.info(`map loaded root=${this.root} mapFiles=${loaded.parsed.length} features=${this.currentMap?.features.length ?? 0} errors=${errors.length}`);
  }

  /** The context service for the map in force, created again when its context files change. */
  private serviceForMap(): ContextService {
    const contextFiles = contextFilesInUse(this.options.endpoint, this.currentMap?.contextFiles ?? []);
    const key = JSON.stringify(contextFiles);
    if (this.service?.contextFiles === key) return this.service.service;
    void this.service?.service.dispose();
    const serviceOptions: ContextServiceOptions = {
      endpoint: this.options.endpoint,
      token: this.options.token,
      contextFiles,
      cacheDir: this.options.cacheDir,
      ttlMs: this.ttlMs,
      requestTimeoutMs: this.requestTimeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      log: this.options.log,
    };
    // Context files are checked on access (a stat) rather than watched: a watcher would keep a one-off command alive.
    const service = createContextService(serviceOptions, { watchFiles: false, ...this.options.serviceDeps });
    this.service = { contextFiles: key, service };
    return service;
  }
}
