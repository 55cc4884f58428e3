// `hub serve`'s heartbeat: every tick, each source that is due is offered to syncSource (which takes the shared
// lease, so across replicas exactly one runs it), and the documents are recomputed when they fell behind. A failing
// source backs off on its own; the others carry on and the last good documents keep being served.
import type { HubConfig } from './hubConfig';
import type { HubMetrics } from './metrics';
import { recomputeDocuments } from './documents';
import { syncSource, type SyncEnvironment, type SyncOutcome } from './syncLoop';

export interface SchedulerOptions {
  env: SyncEnvironment;
  config: HubConfig;
  metrics: HubMetrics;
  /** Default 1000 ms. */
  tickMs?: number;
  /** After documents changed (the server reloads its cache). */
  onDocuments?: () => void;
  onSync?: (outcome: SyncOutcome) => void;
}

export class SyncScheduler {
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private recomputing: Promise<void> | undefined;
  private readonly stop = new AbortController();

  constructor(private readonly options: SchedulerOptions) {}

  start(): void {
    const tick = () => {
      this.tick();
      if (!this.stop.signal.aborted) this.timer = setTimeout(tick, this.options.tickMs ?? 1000);
    };
    tick();
  }

  private log(line: string): void {
    this.options.env.log?.(line);
  }

  private tick(): void {
    const env: SyncEnvironment = { ...this.options.env, signal: this.stop.signal };
    for (const source of this.options.config.sources) {
      if (this.running.has(source.id)) continue;
      const run = syncSource(source, env)
        .then((outcome) => {
          if (outcome.status === 'skipped') return;
          const { metrics } = this.options;
          metrics.inc('customer_lens_hub_syncs_total', { source: source.id, outcome: outcome.status });
          metrics.inc('customer_lens_hub_records_synced_total', { source: source.id }, outcome.records);
          if (outcome.status === 'failed') metrics.inc('customer_lens_hub_sync_errors_total', { source: source.id });
          this.options.onSync?.(outcome);
        })
        .catch((error: unknown) => this.log(`sync source=${source.id} error="${error instanceof Error ? error.message : String(error)}"`))
        .finally(() => this.running.delete(source.id));
      this.running.set(source.id, run);
    }
    this.recomputeIfBehind();
  }

  /** Recomputes when records or rules moved (a no-op read otherwise); one at a time in this process. */
  recomputeIfBehind(): Promise<void> {
    this.recomputing ??= recomputeDocuments(this.options.env.db, this.options.config, (this.options.env.now ?? Date.now)())
      .then((result) => {
        if (!result.recomputed) return;
        this.options.metrics.inc('customer_lens_hub_recomputes_total');
        this.log(`recompute features=${result.features} changed=${result.changedDocuments} ms=${result.ms}`);
        if (result.changedDocuments > 0) this.options.onDocuments?.();
      })
      .catch((error: unknown) => this.log(`recompute error="${error instanceof Error ? error.message : String(error)}"`))
      .finally(() => (this.recomputing = undefined));
    return this.recomputing;
  }

  /** Stops ticking and lets running syncs stop at their next page (what they committed stays). */
  async close(): Promise<void> {
    this.stop.abort(new Error('the hub is stopping'));
    if (this.timer) clearTimeout(this.timer);
    await Promise.allSettled([...this.running.values(), this.recomputing]);
  }
}
