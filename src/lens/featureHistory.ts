// A folder's git history kept warm for the features of its map, read off the request path: `peek` never waits (a
// hover or a sidebar answer takes what is known, or "reading"), a read runs in the background when HEAD or the map
// changed, and `onDidRead` tells the owner to refresh what it showed. One git log per folder, bounded by a period and
// a commit cap; the map assigns the commits to features in slices that yield to other work.
import { readHistory, headCommit, type GitHistory } from '../git/gitLog';
import type { ChangeMarker, FeatureHistoryInfo } from '../shared/changeHistory';
import type { FeatureContext } from '../shared/contextProtocol';
import type { WorkspaceMap } from '../shared/mapModel';
import { beforeAfter, comparableSeries, latestOutcomes } from './beforeAfter';
import { assignChanges, featureMarkers, type FeatureChanges } from './featureChanges';

const DAY = 86_400_000;

/** How much history to read. */
export interface HistoryLimits {
  /** Days back from now (default 180: two quarters of trend lines). */
  periodDays: number;
  /** Most commits read (default 5000): a very busy repository reads its most recent ones. */
  maxCommits: number;
  /** How often HEAD is checked again, at most (default 30 s): a commit or a pull shows up within that. */
  recheckMs: number;
}

export const DEFAULT_HISTORY_LIMITS: HistoryLimits = { periodDays: 180, maxCommits: 5000, recheckMs: 30_000 };

/** A history read and its commits assigned to one map's features. */
export interface HistorySnapshot {
  history: GitHistory;
  map: WorkspaceMap;
  changes: FeatureChanges;
  /** When it was read (epoch ms) and how long the read and the assignment took. */
  readAt: number;
  readMs: number;
  assignMs: number;
}

/** What a peek sees. */
export type HistoryState =
  | { state: 'ready'; snapshot: HistorySnapshot }
  | { state: 'reading'; snapshot?: HistorySnapshot }
  | { state: 'unavailable'; reason: string };

/** Seams for tests and the benchmark. */
export interface HistoryDeps {
  readHistory?: typeof readHistory;
  headCommit?: typeof headCommit;
  now?: () => number;
  /** Lets other work run between slices of the assignment (default: `setImmediate`). */
  pause?: () => Promise<void>;
  log?: { info(message: string): void; warn(message: string): void };
}

/** One folder's history for one map at a time. */
export class FolderHistory {
  private snapshot: HistorySnapshot | undefined;
  private unavailable: string | undefined;
  private reading: Promise<void> | undefined;
  private checkedAt = 0;
  private disposed = false;
  private readonly listeners = new Set<() => void>();

  constructor(
    readonly root: string,
    private readonly limits: HistoryLimits = DEFAULT_HISTORY_LIMITS,
    private readonly deps: HistoryDeps = {},
  ) {}

  /** What is known now, for `map`; starts a read in the background when it is missing or may be out of date. Never waits. */
  peek(map: WorkspaceMap): HistoryState {
    const now = this.now();
    const current = this.snapshot?.map === map ? this.snapshot : undefined;
    const due = now - this.checkedAt >= this.limits.recheckMs;
    if (!this.reading && (due || (!current && !this.unavailable))) {
      this.startRead(map);
    }
    if (this.unavailable && !this.reading) return { state: 'unavailable', reason: this.unavailable };
    if (current) return { state: 'ready', snapshot: current };
    return { state: 'reading', ...(this.snapshot ? { snapshot: this.snapshot } : {}) };
  }

  /** Reads (or rereads) and resolves when the history for `map` is known: for the CLI, tests and benchmarks. */
  async read(map: WorkspaceMap): Promise<HistoryState> {
    this.peek(map);
    while (this.reading) await this.reading;
    if (this.snapshot?.map !== map) {
      this.startRead(map);
      while (this.reading) await this.reading;
    }
    return this.peek(map);
  }

  /** Makes the next `peek` check HEAD again at once (an explicit refresh; a repository just created). */
  invalidate(): void {
    this.checkedAt = 0;
  }

  /** Called after each read that changed what is known. */
  onDidRead(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  dispose(): void {
    this.disposed = true;
    this.listeners.clear();
  }

  private now(): number {
    return this.deps.now?.() ?? Date.now();
  }

  private startRead(map: WorkspaceMap): void {
    this.checkedAt = this.now();
    this.reading = this.readFor(map)
      .catch((error: unknown) => {
        const reason = error instanceof Error ? error.message : String(error);
        if (reason === this.unavailable) return;
        this.unavailable = reason;
        this.deps.log?.warn(`git history unavailable root=${this.root} reason=${reason}`);
        this.notify();
      })
      .finally(() => (this.reading = undefined));
  }

  private async readFor(map: WorkspaceMap): Promise<void> {
    const head = await (this.deps.headCommit ?? headCommit)(this.root);
    if (head === undefined) throw new Error(`${this.root} is not in a git repository with commits`);
    if (this.snapshot && this.snapshot.history.head === head && this.snapshot.map === map) return;
    const started = this.now();
    const since = started - this.limits.periodDays * DAY;
    const pause = this.deps.pause ?? (() => new Promise<void>((resolve) => setImmediate(resolve)));
    const history =
      this.snapshot && this.snapshot.history.head === head
        ? this.snapshot.history
        : await (this.deps.readHistory ?? readHistory)(this.root, { since, maxCommits: this.limits.maxCommits, timeoutMs: 60_000, pause });
    const read = this.now();
    const changes = await assignChanges(map, history, { pause, cancelled: () => this.disposed });
    if (!changes || this.disposed) return;
    const done = this.now();
    this.snapshot = { history, map, changes, readAt: done, readMs: read - started, assignMs: done - read };
    this.unavailable = undefined;
    this.deps.log?.info(
      `git history read root=${this.root} commits=${history.commits.length} tags=${history.tags.length} truncated=${history.truncated} readMs=${read - started} assignMs=${done - read}`,
    );
    this.notify();
  }

  private notify(): void {
    for (const listener of this.listeners) listener();
  }
}

/** A feature's history as the surfaces show it: markers, and the before/after of its latest measurable change. */
export function featureHistoryInfo(state: HistoryState, featureId: string, context: FeatureContext | undefined): FeatureHistoryInfo {
  if (state.state === 'unavailable') return { state: 'unavailable', reason: state.reason, changes: [] };
  const snapshot = state.snapshot;
  if (!snapshot) return { state: 'reading', changes: [] };
  const changes = featureMarkers(snapshot.changes, snapshot.history, featureId);
  const info: FeatureHistoryInfo = { state: state.state === 'ready' ? 'ready' : 'reading', changes, since: snapshot.history.since, truncated: snapshot.history.truncated };
  const outcomes = latestOutcomes(changes, comparableSeries(context));
  if (outcomes.measured) info.measured = outcomes.measured;
  if (outcomes.pending) info.pending = outcomes.pending;
  return info;
}

/** A feature someone changed lately: their latest commit to it, and what its series did since. */
export interface RecentChange {
  featureId: string;
  /** Their latest commit to the feature (with `sameDay` folding others of that day). */
  change: ChangeMarker;
  /** How many of their commits touched the feature in the period. */
  commits: number;
}

/**
 * The features `email` changed since `since` (epoch ms), the most recently changed first, from a snapshot. E-mail
 * addresses compare without case, as git hosts do.
 */
export function recentChangesBy(snapshot: HistorySnapshot, email: string, since: number): RecentChange[] {
  const wanted = email.trim().toLowerCase();
  if (wanted === '') return [];
  const result: RecentChange[] = [];
  for (const [featureId, commits] of snapshot.changes.commits) {
    const mine = commits.filter(({ commit }) => commit.authorEmail.toLowerCase() === wanted && commit.date >= since);
    const latest = mine[0];
    if (!latest) continue;
    const markers = featureMarkers({ commits: new Map([[featureId, mine]]), tags: new Map() }, snapshot.history, featureId, 1);
    result.push({ featureId, change: markers[0]!, commits: mine.length });
  }
  return result.sort((a, b) => b.change.date - a.change.date || a.featureId.localeCompare(b.featureId));
}

/** The before/after of a recent change, from the feature's context. */
export function recentOutcome(change: RecentChange, context: FeatureContext | undefined) {
  return beforeAfter(change.change, comparableSeries(context));
}
