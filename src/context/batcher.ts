// Turns many single-id lookups into few requests: ids asked for within a short window travel together (at most
// `maxBatchSize` per request), and an id already queued or in flight joins that request instead of starting another.

export interface BatcherOptions {
  /** How long the first queued id waits for company. */
  windowMs: number;
  /** Most ids per request. */
  maxBatchSize: number;
  /** Most requests at once; further batches wait for a slot (their ids count as in flight meanwhile). */
  maxConcurrent: number;
}

interface Waiter {
  promise: Promise<void>;
  resolve: () => void;
  reject: (error: unknown) => void;
}

function waiter(): Waiter {
  let resolve!: () => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // Callers may stop listening (a hover's budget ran out); the outcome is still recorded by the fetch itself.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** Batches and coalesces loads of string ids; results travel through the caller's store, not through the promises. */
export class Batcher {
  private readonly queued = new Map<string, Waiter>();
  private readonly inflight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private running = 0;
  private readonly slots: (() => void)[] = [];
  private disposed = false;

  constructor(
    private readonly fetchBatch: (ids: string[]) => Promise<void>,
    private readonly options: BatcherOptions,
  ) {}

  /** Settles when a request carrying `id` has completed (rejects with that request's error). */
  load(id: string): Promise<void> {
    const existing = this.inflight.get(id) ?? this.queued.get(id)?.promise;
    if (existing) return existing;
    if (this.disposed) return Promise.reject(new Error('the context service was disposed'));
    const entry = waiter();
    this.queued.set(id, entry);
    if (this.queued.size >= this.options.maxBatchSize) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    return entry.promise;
  }

  /**
   * Runs `run` for the ids of `ids` that are neither queued nor in flight, holding them in flight meanwhile (used for
   * revalidating a group of ids as one conditional request). Ids already busy are not requested again.
   * Returns the promises of every id in `ids`.
   */
  runExclusive(ids: readonly string[], run: (ids: string[]) => Promise<void>): Promise<void>[] {
    const free = ids.filter((id) => !this.inflight.has(id) && !this.queued.has(id));
    const busy = ids.filter((id) => !free.includes(id)).map((id) => this.inflight.get(id) ?? this.queued.get(id)!.promise);
    if (free.length === 0) return busy;
    return [...busy, ...this.start(free, run)];
  }

  /** True while a request for `id` is queued or running. */
  isBusy(id: string): boolean {
    return this.inflight.has(id) || this.queued.has(id);
  }

  /** Rejects queued ids; running requests finish on their own. */
  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const error = new Error('the context service was disposed');
    for (const entry of this.queued.values()) entry.reject(error);
    this.queued.clear();
    for (const release of this.slots.splice(0)) release();
  }

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const batch = [...this.queued.entries()];
    this.queued.clear();
    for (let i = 0; i < batch.length; i += this.options.maxBatchSize) {
      const chunk = batch.slice(i, i + this.options.maxBatchSize);
      const ids = chunk.map(([id]) => id);
      const [done] = this.start(ids, (free) => this.fetchBatch(free), true);
      for (const [, entry] of chunk) done!.then(entry.resolve, entry.reject);
    }
  }

  /** Holds `ids` in flight while `run` waits for a slot and runs. One shared promise when `shared`, else one per id. */
  private start(ids: string[], run: (ids: string[]) => Promise<void>, shared = false): Promise<void>[] {
    const done = (async () => {
      await this.acquire();
      try {
        if (this.disposed) throw new Error('the context service was disposed');
        await run([...ids].sort());
      } finally {
        this.release();
      }
    })();
    const tracked = done.finally(() => {
      for (const id of ids) if (this.inflight.get(id) === tracked) this.inflight.delete(id);
    });
    tracked.catch(() => undefined);
    for (const id of ids) this.inflight.set(id, tracked);
    return shared ? [tracked] : ids.map(() => tracked);
  }

  private acquire(): Promise<void> {
    if (this.running < this.options.maxConcurrent) {
      this.running++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slots.push(() => {
      this.running++;
      resolve();
    }));
  }

  private release(): void {
    this.running--;
    this.slots.shift()?.();
  }
}
