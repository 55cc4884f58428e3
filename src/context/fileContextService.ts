// Context from the map's context files, the embedded default when no endpoint is configured.
import type { ContextLookup, ContextService, ContextServiceOptions, Freshness, KnownFeature } from '../shared/contextModel';
import type { FeatureContext } from '../shared/contextProtocol';
import { ContextFile } from './contextFile';
import type { ContextServiceDeps } from './contextService';
import { Emitter, uniqueIds, type Listener } from './serviceSupport';

/** Context from the map's context files (or nothing at all). */
export class FileContextService implements ContextService {
  private readonly files: ContextFile[];
  private readonly started: Promise<void>;
  private readonly changes: Emitter;

  constructor(
    private readonly options: ContextServiceOptions,
    deps: ContextServiceDeps,
    private readonly configError?: string,
  ) {
    this.changes = new Emitter(options.log);
    this.files = options.contextFiles.map(
      // The map resolved these paths and checked they lie inside the workspace; a link appearing later is refused.
      (file) => new ContextFile(file, { log: options.log, watch: deps.watchFiles, now: deps.now, realPathOnly: true, onChange: (ids) => this.changes.fire(ids) }),
    );
    this.started = Promise.all(this.files.map((f) => f.start())).then(() => undefined);
    if (!configError) options.log.info(`context source ${this.files.length > 0 ? `files=${options.contextFiles.join(',')}` : 'none'}`);
  }

  async get(ids: readonly string[]): Promise<ContextLookup> {
    await this.ready();
    const features: Record<string, FeatureContext> = {};
    for (const id of uniqueIds(ids, this.options.log)) {
      const found = this.lookup(id);
      if (found) features[id] = found;
    }
    return { features, freshness: this.freshness() };
  }

  prefetch(): void {
    // Context files are read whole: nothing to fetch ahead.
  }

  async listFeatures(): Promise<KnownFeature[]> {
    await this.ready();
    const seen = new Map<string, KnownFeature>();
    for (const file of this.files) {
      for (const feature of file.current.features.values()) {
        if (!seen.has(feature.id)) seen.set(feature.id, { id: feature.id, name: feature.name, updatedAt: feature.updatedAt });
      }
    }
    return [...seen.values()];
  }

  async refresh(): Promise<void> {
    await this.started;
    await Promise.all(this.files.map((f) => f.reload(false)));
    this.changes.fire(this.files.flatMap((f) => [...f.current.features.keys()]));
  }

  onDidChange(listener: Listener): () => void {
    return this.changes.on(listener);
  }

  async dispose(): Promise<void> {
    for (const file of this.files) file.dispose();
  }

  private async ready(): Promise<void> {
    await this.started;
    // Without a watcher, notice edits on access instead.
    await Promise.all(this.files.filter((f) => !f.watching).map((f) => f.check()));
  }

  /** The first file that has the id wins, in the order the map lists them. */
  private lookup(id: string): FeatureContext | undefined {
    for (const file of this.files) {
      const found = file.current.features.get(id);
      if (found) return found;
    }
    return undefined;
  }

  private freshness(): Freshness {
    if (this.files.length === 0) {
      return this.configError ? { state: 'error', source: 'none', error: this.configError } : { state: 'none', source: 'none' };
    }
    const loaded = this.files.map((f) => f.current.loadedAt).filter((t): t is number => t !== undefined);
    const broken = this.files.find((f) => f.current.error !== undefined);
    const freshness: Freshness = { state: 'synced', source: 'file', origin: (broken ?? this.files[0]!).file };
    if (loaded.length > 0) freshness.fetchedAt = Math.min(...loaded);
    const error = this.configError ?? broken?.current.error;
    if (error) {
      freshness.state = 'error';
      freshness.error = error;
    }
    return freshness;
  }
}
