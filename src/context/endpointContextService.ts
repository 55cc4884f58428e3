// Context from a protocol v1 endpoint: batched, coalesced requests behind a disk-backed cache that answers at once
// and revalidates in the background. Only feature ids leave the machine.
import type { ContextLookup, ContextService, ContextServiceOptions, Freshness, KnownFeature } from '../shared/contextModel';
import {
  MAX_IDS_PER_REQUEST,
  parseContextResponse,
  parseErrorMessage,
  parseFeatureListResponse,
  type FeatureContext,
} from '../shared/contextProtocol';
import { displayText } from '../shared/safeText';
import { Batcher } from './batcher';
import { ContextCache, type CachedFeature } from './contextCache';
import type { ContextServiceDeps } from './contextService';
import { displayBase, endpointUrl } from './endpoint';
import { HttpClient, HttpError, displayUrl, type BearerAuth, type HttpResponse } from './httpClient';
import { Emitter, uniqueIds, type Listener } from './serviceSupport';

const DEFAULT_MAX_CACHE_BYTES = 20 * 1024 * 1024;
const MAX_WARNINGS_LOGGED = 20;
/** After a failed request, lookups wait this long before asking the endpoint again; doubling up to MAX_QUIET_MS. */
const QUIET_AFTER_FAILURE_MS = 15_000;
const MAX_QUIET_MS = 5 * 60_000;
/**
 * A cached entry is revalidated at most this often, whatever the TTL: with `cacheTtlMinutes: 0` every keystroke asks
 * for a CodeLens, and each would otherwise cost a request.
 */
export const MIN_REVALIDATE_INTERVAL_MS = 5_000;

/** Resolves true when `work` settles within the budget, false when the budget ran out or the signal fired first. */
function within(work: Promise<unknown>, budgetMs: number | undefined, signal: AbortSignal | undefined): Promise<boolean> {
  if (budgetMs === undefined && signal === undefined) return work.then(() => true);
  return new Promise((resolve) => {
    const timer = budgetMs === undefined ? undefined : setTimeout(() => finish(false), Math.max(0, budgetMs));
    const onAbort = () => finish(false);
    function finish(completed: boolean) {
      if (timer) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(completed);
    }
    if (signal?.aborted) return finish(false);
    signal?.addEventListener('abort', onAbort, { once: true });
    void work.then(() => finish(true));
  });
}

interface Failure {
  state: 'offline' | 'error';
  message: string;
  at: number;
}

/** Context from a protocol v1 endpoint. */
export class EndpointContextService implements ContextService {
  private readonly http: HttpClient;
  private readonly cache: ContextCache;
  private readonly batcher: Batcher;
  private readonly changes: Emitter;
  private readonly auth: BearerAuth | undefined;
  private readonly abort = new AbortController();
  private readonly now: () => number;
  private readonly origin: string;
  private failure: Failure | undefined;
  private quietUntil = 0;
  private quietMs = 0;
  private lastLoggedFailure = '';
  private featureListLoad: Promise<KnownFeature[]> | undefined;
  /** The ids the workspace's maps name: uncached ones travel with any lookup of an uncached id. */
  private known: string[] = [];
  private disposing: Promise<void> | undefined;

  constructor(
    private readonly base: URL,
    private readonly options: ContextServiceOptions,
    deps: ContextServiceDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.origin = base.origin;
    this.changes = new Emitter(options.log);
    this.http = new HttpClient({
      requestTimeoutMs: options.requestTimeoutMs,
      maxResponseBytes: options.maxResponseBytes,
      log: options.log,
      dispatcher: deps.dispatcher,
      maxRetries: deps.maxRetries,
      retryBaseDelayMs: deps.retryBaseDelayMs,
      random: deps.random,
    });
    this.cache = new ContextCache({
      endpoint: displayBase(base),
      dir: options.cacheDir,
      maxBytes: options.maxCacheBytes ?? DEFAULT_MAX_CACHE_BYTES,
      log: options.log,
      now: this.now,
    });
    this.batcher = new Batcher((ids) => this.fetchBatch(ids), {
      windowMs: deps.batchWindowMs ?? 15,
      maxBatchSize: MAX_IDS_PER_REQUEST,
      maxConcurrent: deps.maxConcurrentRequests ?? 4,
    });
    this.auth = options.token ? { token: options.token, origin: base.origin } : undefined;
    options.log.info(`context source endpoint=${displayBase(base)} cache=${this.cache.file ?? 'memory'} ttlMs=${options.ttlMs} token=${this.auth ? 'set' : 'none'}`);
  }

  async get(ids: readonly string[], options: { budgetMs?: number; signal?: AbortSignal } = {}): Promise<ContextLookup> {
    await this.cache.load();
    const wanted = uniqueIds(ids, this.options.log);
    const stale: string[] = [];
    const missing: string[] = [];
    for (const id of wanted) {
      const entry = this.cache.get(id);
      if (!entry) missing.push(id);
      else if (this.dueForRevalidation(entry)) stale.push(id);
    }
    // After a failure the endpoint is left alone for a while: hovers must not hammer a server that is down.
    const quiet = this.now() < this.quietUntil;
    if (stale.length > 0 && !quiet) this.revalidate(stale);
    if (missing.length > 0 && !quiet) {
      // The map's other uncached ids come along: the next file opened finds its context cached.
      this.loadUncachedKnown();
      const loads = Promise.allSettled(missing.map((id) => this.batcher.load(id)));
      const completed = await within(loads, options.budgetMs, options.signal);
      if (!completed) {
        // The caller moved on; tell it when the answer is there so it can redraw.
        void loads.then(() => this.changes.fire(missing));
      }
    }
    return this.answer(wanted);
  }

  prefetch(ids: readonly string[]): void {
    this.known = uniqueIds(ids, this.options.log);
    void this.cache.load().then(() => {
      if (this.now() >= this.quietUntil) this.loadUncachedKnown();
    });
  }

  async listFeatures(): Promise<KnownFeature[]> {
    await this.cache.load();
    const cached = this.cache.getFeatureList();
    if (cached && this.now() - cached.fetchedAt <= this.options.ttlMs) return cached.features;
    if (this.now() < this.quietUntil) return cached?.features ?? [];
    const load = (this.featureListLoad ??= this.fetchFeatureList().finally(() => (this.featureListLoad = undefined)));
    if (cached) {
      void load;
      return cached.features;
    }
    return load;
  }

  async refresh(): Promise<void> {
    // Refresh is the user asking at once: the quiet period after a failure does not apply to it, nor to the lookups
    // of the views it redraws (features that never arrived are asked for again).
    this.quietUntil = 0;
    await this.cache.load();
    const ids = this.cache.ids();
    const work: Promise<void>[] = [];
    for (let i = 0; i < ids.length; i += MAX_IDS_PER_REQUEST) {
      work.push(...this.batcher.runExclusive(ids.slice(i, i + MAX_IDS_PER_REQUEST), (chunk) => this.fetchBatch(chunk, { conditional: false, notify: 'none' })));
    }
    const list = this.cache.getFeatureList() ? this.fetchFeatureList() : Promise.resolve([]);
    await Promise.allSettled([...work, list]);
    this.changes.fire(ids);
  }

  onDidChange(listener: Listener): () => void {
    return this.changes.on(listener);
  }

  dispose(): Promise<void> {
    this.disposing ??= (async () => {
      this.abort.abort(new Error('the context service was disposed'));
      this.batcher.dispose();
      await this.cache.flush();
      await this.http.close();
    })();
    return this.disposing;
  }

  private isStale(entry: CachedFeature): boolean {
    return this.now() - entry.fetchedAt > this.options.ttlMs;
  }

  private dueForRevalidation(entry: CachedFeature): boolean {
    return this.now() - entry.fetchedAt > Math.max(this.options.ttlMs, MIN_REVALIDATE_INTERVAL_MS);
  }

  /** Queues every known id that is neither cached nor on its way; the batcher sends them together. */
  private loadUncachedKnown(): void {
    for (const id of this.known) {
      if (this.cache.has(id) || this.batcher.isBusy(id)) continue;
      // Whoever looks the id up later waits on the same request; a failure is recorded by the fetch itself.
      this.batcher.load(id).catch(() => undefined);
    }
  }

  private answer(ids: readonly string[]): ContextLookup {
    const features: Record<string, FeatureContext> = {};
    let fetchedAt: number | undefined;
    let stale = false;
    for (const id of ids) {
      const entry = this.cache.get(id);
      if (!entry) continue;
      if (entry.context) features[id] = entry.context;
      fetchedAt = fetchedAt === undefined ? entry.fetchedAt : Math.min(fetchedAt, entry.fetchedAt);
      stale ||= this.isStale(entry);
    }
    const freshness: Freshness = { state: stale ? 'stale' : 'synced', source: 'endpoint', origin: this.origin };
    if (fetchedAt !== undefined) freshness.fetchedAt = fetchedAt;
    if (this.failure) {
      freshness.state = this.failure.state;
      freshness.error = this.failure.message;
    }
    return { features, freshness };
  }

  /**
   * Refreshes stale ids in the background: a group that came from one request is revalidated as one conditional
   * request; the others travel together. Listeners hear about every id refreshed (its freshness changed).
   */
  private revalidate(ids: readonly string[]): void {
    const handled = new Set<string>();
    const loose: string[] = [];
    for (const id of ids) {
      if (handled.has(id) || this.batcher.isBusy(id)) continue;
      const validator = this.cache.validator(id);
      if (validator && validator.ids.length <= MAX_IDS_PER_REQUEST) {
        for (const member of validator.ids) handled.add(member);
        void Promise.allSettled(this.batcher.runExclusive(validator.ids, (free) => this.fetchBatch(free, { notify: 'all' })));
      } else {
        handled.add(id);
        loose.push(id);
      }
    }
    for (let i = 0; i < loose.length; i += MAX_IDS_PER_REQUEST) {
      void Promise.allSettled(this.batcher.runExclusive(loose.slice(i, i + MAX_IDS_PER_REQUEST), (free) => this.fetchBatch(free, { notify: 'all' })));
    }
  }

  /**
   * One `/v1/context` request for `ids` (sorted), conditional when they are exactly one cached group. Listeners hear
   * about cached ids whose context changed (`notify: 'changed'`, the default), about every id (`'all'`, for background
   * revalidations: their freshness changed too), or nothing (`'none'`: the caller tells them).
   */
  private async fetchBatch(ids: string[], options: { conditional?: boolean; notify?: 'changed' | 'all' | 'none' } = {}): Promise<void> {
    const notify = options.notify ?? 'changed';
    const url = endpointUrl(this.base, '/v1/context', ids);
    const validator = options.conditional === false ? undefined : this.cache.validator(ids[0]!);
    const conditional = validator !== undefined && validator.ids.length === ids.length && validator.ids.every((id, i) => id === ids[i]);
    const headers: Record<string, string> = conditional ? { 'if-none-match': validator.etag } : {};
    let response: HttpResponse;
    try {
      response = await this.http.get(url, { headers, auth: this.auth, signal: this.abort.signal });
    } catch (error) {
      if (error instanceof HttpError && error.kind === 'aborted') throw error;
      if (error instanceof HttpError && error.kind === 'too-large' && ids.length > 1) {
        // The map's ids travel together, so one answer may carry many large features: ask for each half instead, so
        // that only a feature too large on its own is refused. Whatever half arrives is cached either way.
        const middle = Math.ceil(ids.length / 2);
        const halves = await Promise.allSettled([this.fetchBatch(ids.slice(0, middle), options), this.fetchBatch(ids.slice(middle), options)]);
        const failed = halves.find((half): half is PromiseRejectedResult => half.status === 'rejected');
        if (failed) throw failed.reason;
        return;
      }
      const state = error instanceof HttpError && (error.kind === 'network' || error.kind === 'timeout') ? 'offline' : 'error';
      throw this.fail(state, error instanceof Error ? error.message : String(error), ids);
    }
    const shown = displayUrl(url);
    if (response.status === 304 && conditional) {
      this.cache.storeNotModified(ids, this.now());
      this.succeed(ids);
      if (notify === 'all') this.changes.fire(ids);
      return;
    }
    if (response.status !== 200) throw this.fail('error', this.statusMessage(response), ids);
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch (error) {
      throw this.fail('error', `${shown} did not send JSON (${error instanceof Error ? error.message : String(error)}); check the endpoint with \`customer-lens probe\``, ids);
    }
    const parsed = parseContextResponse(json, shown);
    if (!parsed.ok) throw this.fail('error', `${parsed.error}; check the endpoint with \`customer-lens probe\``, ids);
    this.logWarnings(parsed.warnings);
    const requested = new Set(ids);
    const answered = new Map<string, FeatureContext>();
    for (const feature of parsed.value.features) if (requested.has(feature.id)) answered.set(feature.id, feature);
    const extra = parsed.value.features.length - answered.size;
    if (extra > 0) this.options.log.warn(`context response ignored url=${shown} unrequestedFeatures=${extra}`);
    const changed = ids.filter((id) => {
      const previous = this.cache.get(id);
      return previous !== undefined && JSON.stringify(previous.context) !== JSON.stringify(answered.get(id));
    });
    this.cache.storeAnswer(ids, answered, response.headers.etag, this.now());
    this.succeed(ids);
    if (notify !== 'none') this.changes.fire(notify === 'all' ? ids : changed);
  }

  private async fetchFeatureList(): Promise<KnownFeature[]> {
    const url = endpointUrl(this.base, '/v1/features');
    const shown = displayUrl(url);
    const fallback = this.cache.getFeatureList()?.features ?? [];
    let response: HttpResponse;
    try {
      response = await this.http.get(url, { auth: this.auth, signal: this.abort.signal });
    } catch (error) {
      if (error instanceof HttpError && error.kind !== 'aborted') {
        this.fail(error.kind === 'network' || error.kind === 'timeout' ? 'offline' : 'error', error.message, []);
      }
      return fallback;
    }
    if (response.status !== 200) {
      this.fail('error', this.statusMessage(response), []);
      return fallback;
    }
    let json: unknown;
    try {
      json = JSON.parse(response.body.toString('utf8'));
    } catch {
      this.fail('error', `${shown} did not send JSON; check the endpoint with \`customer-lens probe\``, []);
      return fallback;
    }
    const parsed = parseFeatureListResponse(json, shown);
    if (!parsed.ok) {
      this.fail('error', parsed.error, []);
      return fallback;
    }
    this.logWarnings(parsed.warnings);
    this.cache.setFeatureList(parsed.value.features, this.now());
    this.succeed([]);
    return parsed.value.features;
  }

  private statusMessage(response: HttpResponse): string {
    let detail = '';
    try {
      detail = parseErrorMessage(JSON.parse(response.body.toString('utf8')))?.slice(0, 200) ?? '';
    } catch {
      // Not JSON: the status alone says enough.
    }
    const said = `${response.url} answered ${response.status}${detail ? `: ${detail}` : ''}`;
    if (response.status === 401 || response.status === 403) {
      if (response.tokenWithheld) return `${said}; the token was not sent because the endpoint is plain http on another machine: use https`;
      return `${said}; ${this.auth ? 'check the token (Customer Lens: Set Token)' : 'the endpoint needs a token: run Customer Lens: Set Token'}`;
    }
    if (response.status === 404) return `${said}; check customerLens.endpoint (requests go to <endpoint>/v1/context)`;
    return `${said}; check the endpoint's logs`;
  }

  private logWarnings(warnings: string[]): void {
    for (const warning of warnings.slice(0, MAX_WARNINGS_LOGGED)) this.options.log.warn(`context item dropped ${warning}`);
    if (warnings.length > MAX_WARNINGS_LOGGED) this.options.log.warn(`context items dropped: ${warnings.length - MAX_WARNINGS_LOGGED} more warnings not shown`);
  }

  private succeed(ids: readonly string[]): void {
    this.quietMs = 0;
    this.quietUntil = 0;
    if (!this.failure) return;
    this.options.log.info(`context endpoint reachable again endpoint=${displayBase(this.base)}`);
    this.failure = undefined;
    this.lastLoggedFailure = '';
    this.changes.fire(this.cache.ids().filter((id) => !ids.includes(id)));
  }

  /** Records a failure (logged once per distinct message) and returns the error for the batch's waiters. */
  private fail(state: Failure['state'], reason: string, ids: readonly string[]): Error {
    // Messages quote what the endpoint said; they are shown in hovers, the status bar and the sidebar.
    const message = displayText(reason, 1000);
    const previous = this.failure;
    this.failure = { state, message, at: this.now() };
    this.quietMs = Math.min(Math.max(QUIET_AFTER_FAILURE_MS, this.quietMs * 2), MAX_QUIET_MS);
    this.quietUntil = this.now() + this.quietMs;
    if (message !== this.lastLoggedFailure) {
      this.lastLoggedFailure = message;
      this.options.log.error(`context ${state} ${message}`);
    }
    if (!previous || previous.state !== state || previous.message !== message) {
      // Cached context is still shown, but its banner changes.
      this.changes.fire(ids.filter((id) => this.cache.get(id) !== undefined));
    }
    return new Error(message);
  }
}
