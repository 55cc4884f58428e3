// The context cache for one endpoint: memory first, mirrored to one JSON file in the cache folder so a cold start
// (even offline) shows the last known context. Entries remember which request they came from and that request's
// ETag, so a group of stale entries can be revalidated with one conditional request.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { z } from 'zod';
import type { Logger, KnownFeature } from '../shared/contextModel';
import { featureContextSchema, featureListEntrySchema, type FeatureContext } from '../shared/contextProtocol';

/** What the cache knows about one feature id. */
export interface CachedFeature {
  id: string;
  /** Absent: the endpoint has no data for this id (remembered so it is not asked again within the TTL). */
  context?: FeatureContext;
  /** Epoch ms of the last answer (200 or 304) from the endpoint covering this id. */
  fetchedAt: number;
  /** The ids of the request this entry came from, sorted and comma-joined; the key of its ETag. */
  group?: string;
}

interface StoredFeature extends CachedFeature {
  /** Order of last use (a counter, not a time: lookups within one millisecond still differ). */
  lastUsed: number;
  bytes: number;
}

const diskFileSchema = z.object({
  format: z.literal(1),
  endpoint: z.string(),
  features: z.array(
    z.object({
      id: z.string(),
      context: featureContextSchema.optional(),
      fetchedAt: z.number(),
      lastUsed: z.number(),
      group: z.string().optional(),
    }),
  ),
  etags: z.record(z.string(), z.string()),
  featureList: z.object({ features: z.array(featureListEntrySchema), fetchedAt: z.number() }).optional(),
});

type DiskFile = z.infer<typeof diskFileSchema>;

export interface ContextCacheOptions {
  /** The endpoint's base URL; part of the key, so two endpoints never share entries. */
  endpoint: string;
  /** Folder for the disk copy; absent: memory only. */
  dir?: string;
  /** Bound on the serialized size of all entries; least recently used go first. */
  maxBytes: number;
  log: Logger;
  now: () => number;
  /** Delay before changes are written, so a burst of answers costs one write. */
  saveDelayMs?: number;
}

export class ContextCache {
  private readonly entries = new Map<string, StoredFeature>();
  private readonly etags = new Map<string, string>();
  private featureList: { features: KnownFeature[]; fetchedAt: number } | undefined;
  private totalBytes = 0;
  private useCounter = 0;
  private loaded: Promise<void> | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private saving: Promise<void> = Promise.resolve();
  readonly file: string | undefined;

  constructor(private readonly options: ContextCacheOptions) {
    if (options.dir) {
      const digest = createHash('sha256').update(options.endpoint).digest('hex').slice(0, 16);
      this.file = path.join(options.dir, 'context-cache', `${digest}.json`);
    }
  }

  /** Reads the disk copy once; a missing file is an empty cache, a damaged one is logged and ignored. */
  load(): Promise<void> {
    this.loaded ??= this.readDisk();
    return this.loaded;
  }

  /** The entry for `id`, marking it recently used. */
  get(id: string): CachedFeature | undefined {
    const entry = this.entries.get(id);
    if (entry) entry.lastUsed = ++this.useCounter;
    return entry;
  }

  /** Whether `id` is cached, without marking it used. */
  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** Every cached id. */
  ids(): string[] {
    return [...this.entries.keys()];
  }

  /** The ids and ETag of the request `id` came from, when all of them are still cached. */
  validator(id: string): { ids: string[]; etag: string } | undefined {
    const group = this.entries.get(id)?.group;
    if (group === undefined) return undefined;
    const etag = this.etags.get(group);
    const ids = group.split(',');
    if (etag === undefined || ids.some((member) => this.entries.get(member)?.group !== group)) return undefined;
    return { ids, etag };
  }

  /** Records a 200 answer for `ids`: present features are stored, absent ones remembered as having no data. */
  storeAnswer(ids: readonly string[], features: ReadonlyMap<string, FeatureContext>, etag: string | undefined, fetchedAt: number): void {
    const group = [...ids].sort().join(',');
    if (etag !== undefined) this.etags.set(group, etag);
    for (const id of ids) {
      const context = features.get(id);
      const bytes = id.length + 64 + (context ? JSON.stringify(context).length : 0);
      this.put({ id, context, fetchedAt, group: etag !== undefined ? group : undefined, lastUsed: ++this.useCounter, bytes });
    }
    this.evict();
    this.scheduleSave();
  }

  /** Records a 304 for a group: its entries are fresh again. */
  storeNotModified(ids: readonly string[], fetchedAt: number): void {
    for (const id of ids) {
      const entry = this.entries.get(id);
      if (entry) entry.fetchedAt = fetchedAt;
    }
    this.scheduleSave();
  }

  /** The last `/v1/features` answer. */
  getFeatureList(): { features: KnownFeature[]; fetchedAt: number } | undefined {
    return this.featureList;
  }

  setFeatureList(features: KnownFeature[], fetchedAt: number): void {
    this.featureList = { features, fetchedAt };
    this.scheduleSave();
  }

  /** Writes pending changes now. */
  async flush(): Promise<void> {
    if (this.saveTimer) {
      clearTimeout(this.saveTimer);
      this.saveTimer = undefined;
      this.saving = this.saving.then(() => this.writeDisk());
    }
    await this.saving;
  }

  private put(entry: StoredFeature): void {
    const previous = this.entries.get(entry.id);
    if (previous) this.totalBytes -= previous.bytes;
    this.entries.set(entry.id, entry);
    this.totalBytes += entry.bytes;
  }

  private evict(): void {
    if (this.totalBytes <= this.options.maxBytes) return;
    const byAge = [...this.entries.values()].sort((a, b) => a.lastUsed - b.lastUsed);
    let evicted = 0;
    for (const entry of byAge) {
      if (this.totalBytes <= this.options.maxBytes) break;
      this.entries.delete(entry.id);
      this.totalBytes -= entry.bytes;
      evicted++;
    }
    const live = new Set([...this.entries.values()].map((e) => e.group));
    for (const group of this.etags.keys()) if (!live.has(group)) this.etags.delete(group);
    this.options.log.info(`cache evicted count=${evicted} bytes=${this.totalBytes} maxBytes=${this.options.maxBytes}`);
  }

  private scheduleSave(): void {
    if (!this.file || this.saveTimer) return;
    this.saveTimer = setTimeout(() => {
      this.saveTimer = undefined;
      this.saving = this.saving.then(() => this.writeDisk());
    }, this.options.saveDelayMs ?? 200);
    this.saveTimer.unref();
  }

  private async readDisk(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.options.log.warn(`cache unreadable file=${this.file} error=${(error as Error).message}; starting empty`);
      }
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.options.log.warn(`cache damaged file=${this.file} error=${(error as Error).message}; starting empty`);
      return;
    }
    const parsed = diskFileSchema.safeParse(json);
    if (!parsed.success || parsed.data.endpoint !== this.options.endpoint) {
      this.options.log.warn(`cache ignored file=${this.file} reason=${parsed.success ? 'another endpoint' : (parsed.error.issues[0]?.message ?? 'invalid')}`);
      return;
    }
    for (const feature of parsed.data.features) {
      // Entries answered since the service started are newer than the disk copy.
      if (this.entries.has(feature.id)) continue;
      const bytes = feature.id.length + 64 + (feature.context ? JSON.stringify(feature.context).length : 0);
      this.put({ ...feature, bytes });
      this.useCounter = Math.max(this.useCounter, feature.lastUsed);
    }
    for (const [group, etag] of Object.entries(parsed.data.etags)) if (!this.etags.has(group)) this.etags.set(group, etag);
    this.featureList ??= parsed.data.featureList;
    this.evict();
    this.options.log.info(`cache loaded file=${this.file} features=${this.entries.size}`);
  }

  private async writeDisk(): Promise<void> {
    if (!this.file) return;
    const live = new Set([...this.entries.values()].map((e) => e.group));
    const data: DiskFile = {
      format: 1,
      endpoint: this.options.endpoint,
      features: [...this.entries.values()].map(({ id, context, fetchedAt, lastUsed, group }) => ({ id, context, fetchedAt, lastUsed, group })),
      etags: Object.fromEntries([...this.etags].filter(([group]) => live.has(group))),
      featureList: this.featureList,
    };
    const temporary = `${this.file}.${process.pid}.tmp`;
    try {
      await fs.mkdir(path.dirname(this.file), { recursive: true });
      await fs.writeFile(temporary, JSON.stringify(data));
      // A rename is atomic: another window reading the cache sees the old file or the new one, never half of one.
      await fs.rename(temporary, this.file);
    } catch (error) {
      this.options.log.warn(`cache not saved file=${this.file} error=${(error as Error).message}`);
    }
  }
}
