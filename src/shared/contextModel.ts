/**
 * How the rest of Customer Lens asks for customer context, whatever its source (an endpoint or the map's context
 * file) and however fresh it is. Implemented in `src/context/`; used by the language server.
 */
import type { FeatureContext } from './contextProtocol';

/**
 * Where context comes from and how fresh it is, as the status bar, the hover footer and the sidebar banner show it.
 * - `synced`: fetched from the endpoint within the TTL, or read from the context file.
 * - `stale`: cached data past its TTL; a refresh is under way or failed quietly.
 * - `offline`: the endpoint cannot be reached; cached data (if any) is shown with its age.
 * - `error`: the endpoint answered with an error or invalid data; `error` says what.
 * - `none`: no endpoint and no context file: nothing to show.
 */
export type SyncState = 'synced' | 'stale' | 'offline' | 'error' | 'none';

/** Freshness of the context behind an answer. */
export interface Freshness {
  state: SyncState;
  /** `endpoint` when an endpoint is configured, `file` for the map's context file, `none` otherwise. */
  source: 'endpoint' | 'file' | 'none';
  /** Epoch milliseconds when the oldest data in the answer was fetched from the endpoint or read from the file. */
  fetchedAt?: number;
  /** One sentence for the user when `state` is `offline` or `error`, naming the URL or file and what to do. */
  error?: string;
  /** The endpoint's origin (never a token), or the context file's path. */
  origin?: string;
}

/** The answer to a context lookup: the features that have data (ids with no data are absent) and their freshness. */
export interface ContextLookup {
  features: Record<string, FeatureContext>;
  freshness: Freshness;
}

/** A feature id and name as listed by `GET /v1/features` or a context file. */
export interface KnownFeature {
  id: string;
  name?: string;
  updatedAt?: string;
}

/** A sink for log lines; lines carry `key=value` context. Never given a token. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** Settings a context service is created with. Changing any of them means creating a new service. */
export interface ContextServiceOptions {
  /** Base URL of a protocol v1 endpoint, e.g. `https://context.example.com/api`. Absent: use the context files. */
  endpoint?: string;
  /** Bearer token for the endpoint; sent only over https (or http to loopback) and only to the endpoint's origin. */
  token?: string;
  /** Absolute paths of context files (JSON or YAML, same shape as `/v1/context`), used when no endpoint is set. */
  contextFiles: readonly string[];
  /** Folder for the disk cache (the extension's storage folder); absent: memory only. */
  cacheDir?: string;
  /** Entries older than this are refreshed in the background (stale-while-revalidate). */
  ttlMs: number;
  /** How long one HTTP request may take, from connecting to the last byte. */
  requestTimeoutMs: number;
  /** Responses larger than this fail with an error naming the endpoint (the setting's default is 5 MB). */
  maxResponseBytes: number;
  /** Upper bound of the disk and memory cache per endpoint; least recently used features go first. Default 20 MB. */
  maxCacheBytes?: number;
  log: Logger;
}

/** Customer context for feature ids, from the endpoint (cached) or the context files. */
export interface ContextService {
  /**
   * Context for these feature ids. Cached entries answer at once (stale ones trigger a background refresh); ids not
   * cached are fetched, batched and coalesced with other callers. When `budgetMs` is given, the answer comes after at
   * most that long with whatever is known by then. Never rejects for endpoint problems: they show in `freshness`.
   * `get([])` answers at once with the service's current freshness (for a status bar).
   */
  get(ids: readonly string[], options?: { budgetMs?: number; signal?: AbortSignal }): Promise<ContextLookup>;
  /**
   * The feature ids the workspace's maps name (replacing those given before). An endpoint fetches the ones it has
   * not cached at once, together (at most 50 ids a request), and a later lookup of an uncached id brings the other
   * uncached ones along: one request serves every file opened afterwards, however they trickle in. Context files
   * ignore it.
   */
  prefetch(ids: readonly string[]): void;
  /** Features the source knows about (`GET /v1/features`, or the context files' ids). */
  listFeatures(): Promise<KnownFeature[]>;
  /**
   * Refetches every cached feature without revalidation (and rereads the context files). Entries are replaced when
   * the endpoint answers and kept when it cannot be reached, so a refresh while offline loses nothing.
   */
  refresh(): Promise<void>;
  /**
   * Called with the feature ids whose context or freshness changed (fetched after a budget ran out, refreshed in the
   * background, refresh failed, file reloaded). Returns an unsubscribe.
   */
  onDidChange(listener: (featureIds: readonly string[]) => void): () => void;
  /** Stops timers, watchers and the HTTP agent. */
  dispose(): Promise<void>;
}
