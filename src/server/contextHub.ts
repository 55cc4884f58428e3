// One context service per distinct source (endpoint + token, or a folder's context files), shared by the workspace
// folders that use it, recreated when its settings change (endpoint, token, TTL, timeout, context files) and told
// apart so a token only ever reaches its own endpoint.
import { contextFilesInUse, createContextService, MAX_RESPONSE_BYTES } from '../context/contextService';
import type { ContextLookup, ContextService, ContextServiceOptions, KnownFeature, Logger } from '../shared/contextModel';
import type { WorkspaceMap } from '../shared/mapModel';
import type { ResourceSettings, TokenStore } from './settings';

/** What a folder needs from the hub: its uri and the context files its map names. */
export interface ContextConsumer {
  uri: string;
  contextFiles: readonly string[];
  /** The feature ids of the folder's map, given when the map (or the settings) changed: they are fetched ahead. */
  featureIds?: readonly string[];
}

/** The consumer for a folder's map: the context files it names and its feature ids, fetched ahead. */
export function contextConsumer(uri: string, map: WorkspaceMap): ContextConsumer {
  return { uri, contextFiles: map.contextFiles, featureIds: map.features.map((feature) => feature.id) };
}

interface Entry {
  key: string;
  service: ContextService;
  users: Set<string>;
  unsubscribe: () => void;
}

export interface ContextHubOptions {
  cacheDir?: string;
  tokens: TokenStore;
  log: Logger;
  /** Called with the folders whose context changed and the feature ids (empty: possibly all). */
  onDidChange: (folderUris: readonly string[], featureIds: readonly string[]) => void;
  create?: (options: ContextServiceOptions) => ContextService;
}

export class ContextHub {
  private readonly entries = new Map<string, Entry>();
  private readonly byFolder = new Map<string, Entry>();
  /** Each folder's map feature ids, as last given. */
  private readonly featureIds = new Map<string, string>();
  private readonly create: (options: ContextServiceOptions) => ContextService;

  constructor(private readonly options: ContextHubOptions) {
    this.create = options.create ?? ((o) => createContextService(o));
  }

  /** The service for a folder under these settings, created or switched when they changed. */
  serviceFor(folder: ContextConsumer, settings: ResourceSettings): ContextService {
    const serviceOptions = this.optionsFor(folder, settings);
    const key = keyOf(serviceOptions);
    const current = this.byFolder.get(folder.uri);
    const idsChanged = folder.featureIds !== undefined && this.featureIds.get(folder.uri) !== folder.featureIds.join(',');
    if (folder.featureIds !== undefined) this.featureIds.set(folder.uri, folder.featureIds.join(','));
    if (current?.key === key) {
      if (idsChanged) this.prefetch(current);
      return current.service;
    }
    if (current) this.release(folder.uri, current);
    let entry = this.entries.get(key);
    if (!entry) {
      const service = this.create(serviceOptions);
      const created: Entry = { key, service, users: new Set(), unsubscribe: () => undefined };
      created.unsubscribe = service.onDidChange((ids) => this.options.onDidChange([...created.users], ids));
      this.entries.set(key, created);
      entry = created;
    }
    entry.users.add(folder.uri);
    this.byFolder.set(folder.uri, entry);
    this.prefetch(entry);
    return entry.service;
  }

  /** Tells a service the feature ids of every folder using it. */
  private prefetch(entry: Entry): void {
    const ids = new Set<string>();
    for (const uri of entry.users) for (const id of this.featureIds.get(uri)?.split(',') ?? []) if (id) ids.add(id);
    entry.service.prefetch([...ids]);
  }

  lookup(
    folder: ContextConsumer,
    settings: ResourceSettings,
    ids: readonly string[],
    options: { budgetMs?: number; signal?: AbortSignal } = {},
  ): Promise<ContextLookup> {
    return this.serviceFor(folder, settings).get(ids, options);
  }

  listFeatures(folder: ContextConsumer, settings: ResourceSettings): Promise<KnownFeature[]> {
    return this.serviceFor(folder, settings).listFeatures();
  }

  /** Refetches everything every service has cached. */
  async refresh(): Promise<void> {
    await Promise.allSettled([...this.entries.values()].map((entry) => entry.service.refresh()));
  }

  /** Forgets a folder that left the workspace. */
  removeFolder(folderUri: string): void {
    const entry = this.byFolder.get(folderUri);
    this.featureIds.delete(folderUri);
    if (entry) this.release(folderUri, entry);
  }

  async dispose(): Promise<void> {
    const all = [...this.entries.values()];
    this.entries.clear();
    this.byFolder.clear();
    await Promise.allSettled(all.map((entry) => (entry.unsubscribe(), entry.service.dispose())));
  }

  private release(folderUri: string, entry: Entry): void {
    entry.users.delete(folderUri);
    this.byFolder.delete(folderUri);
    if (entry.users.size > 0) return;
    this.entries.delete(entry.key);
    entry.unsubscribe();
    entry.service.dispose().catch((error: unknown) => {
      this.options.log.warn(`context service dispose failed error=${error instanceof Error ? error.message : String(error)}`);
    });
  }

  private optionsFor(folder: ContextConsumer, settings: ResourceSettings): ContextServiceOptions {
    const endpoint = settings.endpoint;
    return {
      endpoint,
      token: this.options.tokens.tokenFor(endpoint),
      contextFiles: contextFilesInUse(endpoint, folder.contextFiles),
      cacheDir: this.options.cacheDir,
      ttlMs: settings.ttlMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      maxResponseBytes: MAX_RESPONSE_BYTES,
      log: this.options.log,
    };
  }
}

/** Identity of a service's settings. Kept in memory only: it holds the token. */
function keyOf(options: ContextServiceOptions): string {
  return JSON.stringify([options.endpoint ?? '', options.token ?? '', options.contextFiles, options.cacheDir ?? '', options.ttlMs, options.requestTimeoutMs]);
}
