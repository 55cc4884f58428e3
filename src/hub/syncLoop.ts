// Runs connectors and stores what they yield. Knows the database and nothing of any vendor. Each page is written
// with its cursor in one transaction, under a lease that fences out other replicas: a sync runs once at a time
// across every hub sharing the database, and a crash replays at most the page that was in flight.
import type { Dispatcher } from 'undici';
import { ConnectorHttp } from './connectors/connectorHttp';
import { RateLimitedError, type ConnectorContext, type Cursor, type StreamPage } from './connectors/connector';
import { connectorFor } from './connectors/registry';
import type { HubDatabase, Sql } from './database';
import type { HubConfig, SourceConfig } from './hubConfig';
import { maskDeep } from './masking';
import { hubRecordSchema } from './records';

export interface SyncEnvironment {
  db: HubDatabase;
  config: HubConfig;
  /** This process's name among replicas (host:pid:random). */
  owner: string;
  now?: () => number;
  env?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
  signal?: AbortSignal;
  /** How long a lease lasts without a page being committed. Default 2 minutes. */
  leaseMs?: number;
  /** Tests: a dispatcher, faster backoff, a shorter wait limit. */
  http?: { dispatcher?: Dispatcher; retryBaseDelayMs?: number; maxWaitMs?: number; requestTimeoutMs?: number };
  /** Called after each committed page (metrics; tests). */
  onPage?: (sourceId: string, stream: string, records: number) => void;
}

export type SyncOutcome =
  | { status: 'ok'; sourceId: string; records: number; pages: number; requests: number; warnings: string[]; changed: boolean }
  | { status: 'failed'; sourceId: string; records: number; pages: number; requests: number; warnings: string[]; changed: boolean; error: string; retryAt: number }
  | { status: 'skipped'; sourceId: string; reason: 'busy' | 'not-due' };

/** Thrown inside a page transaction when another replica took the lease over (this one stalled past it). */
class LeaseLostError extends Error {}

const MAX_WARNINGS_KEPT = 50;

/** Creates the status rows of configured sources. */
export async function registerSources(db: Sql, config: HubConfig): Promise<void> {
  for (const source of config.sources) {
    await db.query('insert into hub_sources (id, kind) values ($1, $2) on conflict (id) do update set kind = excluded.kind', [source.id, source.kind]);
  }
}

/** Backoff after `failures` failed syncs in a row: 30 s doubling, at most an hour (or the source's interval if longer). */
export function failureBackoffMs(failures: number, everySeconds: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, failures - 1), Math.max(3_600_000, everySeconds * 1000));
}

/**
 * One sync of one source: takes the lease (unless another replica holds it, or the source is not due and `force` is
 * false), reads every stream from its stored cursor, commits page by page, and records the outcome.
 * `options` replaces the source's configured options (`hub import` passes another file).
 */
export async function syncSource(source: SourceConfig, env: SyncEnvironment, run: { force?: boolean; options?: unknown } = {}): Promise<SyncOutcome> {
  const { db, owner } = env;
  const now = env.now ?? Date.now;
  const leaseMs = env.leaseMs ?? 120_000;
  const connector = connectorFor(source.kind);
  if (!connector) throw new Error(`source "${source.id}": unknown kind "${source.kind}"`);

  const started = now();
  if (run.force !== true) {
    // Most ticks find nothing due: answer that without taking a lock (a connection of its own on a server).
    const [due] = await db.query<{ next_run_at: number }>('select next_run_at from hub_sources where id = $1', [source.id]);
    if (due && due.next_run_at > started) return { status: 'skipped', sourceId: source.id, reason: 'not-due' };
  }
  // Who syncs a source is decided by a lock that dies with its process (so a killed sync is taken over at once);
  // the lease columns then name the owner, and every page commit checks it still does (fencing).
  const release = await db.tryLock(`customer-lens-hub:source:${source.id}`);
  if (!release) return { status: 'skipped', sourceId: source.id, reason: 'busy' };
  try {
    const acquired = await db.query(
      `update hub_sources set lease_owner = $2, lease_until = $3, last_attempt_at = $4
         where id = $1 and ($5 or next_run_at <= $4)
       returning id`,
      [source.id, owner, started + leaseMs, started, run.force === true],
    );
    if (acquired.length === 0) return { status: 'skipped', sourceId: source.id, reason: 'not-due' };
    return await runSync(source, env, run, connector, started);
  } finally {
    await release();
  }
}

async function runSync(source: SourceConfig, env: SyncEnvironment, run: { options?: unknown }, connector: NonNullable<ReturnType<typeof connectorFor>>, started: number): Promise<SyncOutcome> {
  const { db, owner } = env;
  const now = env.now ?? Date.now;
  const log = env.log ?? (() => undefined);
  const leaseMs = env.leaseMs ?? 120_000;
  await db.query('insert into hub_sync_runs (source_id, owner, started_at) values ($1, $2, $3)', [source.id, owner, started]);

  const abort = new AbortController();
  const onStop = () => abort.abort(env.signal?.reason);
  env.signal?.addEventListener('abort', onStop, { once: true });
  const http = new ConnectorHttp({
    sourceId: source.id,
    budget: source.budget,
    signal: abort.signal,
    now,
    log,
    ...(env.http?.dispatcher ? { dispatcher: env.http.dispatcher } : {}),
    ...(env.http?.retryBaseDelayMs !== undefined ? { retryBaseDelayMs: env.http.retryBaseDelayMs } : {}),
    ...(env.http?.maxWaitMs !== undefined ? { maxWaitMs: env.http.maxWaitMs } : {}),
    ...(env.http?.requestTimeoutMs !== undefined ? { requestTimeoutMs: env.http.requestTimeoutMs } : {}),
  });
  const processEnv = env.env ?? process.env;
  const context: ConnectorContext = {
    sourceId: source.id,
    configDir: env.config.dir,
    http,
    secret: (ref) => (ref ? processEnv[ref.env]?.trim() || undefined : undefined),
    features: env.config.features,
    periodDays: env.config.periodDays,
    ...(env.config.asOf !== undefined ? { asOf: env.config.asOf } : {}),
    signal: abort.signal,
    log: (line) => log(`source=${source.id} ${line}`),
    now,
  };

  let records = 0;
  let pages = 0;
  let changed = false;
  const warnings: string[] = [];
  try {
    const streams = connector.create(run.options ?? source.options, context);
    for (const stream of streams) {
      const [row] = await db.query<{ cursor: Cursor }>('select cursor from hub_cursors where source_id = $1 and stream = $2', [source.id, stream.name]);
      for await (const page of stream.read(row?.cursor)) {
        const wrote = await commitPage(db, env, source, stream.name, page, owner, now, leaseMs);
        changed ||= wrote;
        records += page.records.length;
        pages++;
        for (const warning of page.warnings ?? []) {
          warnings.push(warning);
          log(`source=${source.id} warning ${warning}`);
        }
        env.onPage?.(source.id, stream.name, page.records.length);
        if (abort.signal.aborted) break;
      }
      if (abort.signal.aborted) break;
    }
    if (abort.signal.aborted) throw new Error('stopped before the sync finished; it resumes from the last stored page');
    const finished = now();
    await db.query(
      `update hub_sources set last_success_at = $2, last_error = null, failures = 0, next_run_at = $3, last_warnings = $4::jsonb,
         items = (select count(*)::int from hub_records where source_id = $1), lease_owner = null, lease_until = null
       where id = $1 and lease_owner = $5`,
      [source.id, finished, finished + source.everySeconds * 1000, JSON.stringify(warnings.slice(0, MAX_WARNINGS_KEPT)), owner],
    );
    await finishRun(db, source.id, owner, started, finished, 'ok', records, http.requests, null);
    log(`sync source=${source.id} outcome=ok records=${records} pages=${pages} requests=${http.requests} warnings=${warnings.length} ms=${finished - started}`);
    return { status: 'ok', sourceId: source.id, records, pages, requests: http.requests, warnings, changed };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const finished = now();
    const [state] = await db.query<{ failures: number }>('select failures from hub_sources where id = $1', [source.id]);
    const failures = (state?.failures ?? 0) + 1;
    const retryAt = error instanceof RateLimitedError ? Math.max(error.until, finished + 1000) : finished + failureBackoffMs(failures, source.everySeconds);
    await db
      .query(
        `update hub_sources set last_error = $2, failures = $3, next_run_at = $4, last_warnings = $5::jsonb,
           items = (select count(*)::int from hub_records where source_id = $1), lease_owner = null, lease_until = null
         where id = $1 and lease_owner = $6`,
        [source.id, message, failures, retryAt, JSON.stringify(warnings.slice(0, MAX_WARNINGS_KEPT)), owner],
      )
      .catch((e: unknown) => log(`source=${source.id} cannot record the failure: ${e instanceof Error ? e.message : String(e)}`));
    await finishRun(db, source.id, owner, started, finished, error instanceof LeaseLostError ? 'lease-lost' : 'failed', records, http.requests, message).catch(() => undefined);
    log(`sync source=${source.id} outcome=failed records=${records} requests=${http.requests} retry_in_s=${Math.round((retryAt - finished) / 1000)} error="${message}"`);
    return { status: 'failed', sourceId: source.id, records, pages, requests: http.requests, warnings, changed, error: message, retryAt };
  } finally {
    env.signal?.removeEventListener('abort', onStop);
  }
}

async function finishRun(db: Sql, sourceId: string, owner: string, started: number, finished: number, outcome: string, items: number, requests: number, error: string | null) {
  await db.query(
    'update hub_sync_runs set finished_at = $4, outcome = $5, items = $6, requests = $7, error = $8 where source_id = $1 and owner = $2 and started_at = $3',
    [sourceId, owner, started, finished, outcome, items, requests, error],
  );
}

/** Writes one page's records and its cursor in one transaction, if this replica still holds the lease. */
async function commitPage(db: HubDatabase, env: SyncEnvironment, source: SourceConfig, stream: string, page: StreamPage, owner: string, now: () => number, leaseMs: number): Promise<boolean> {
  const rules = env.config.masking;
  // Parse what the connector produced (a boundary like any other), mask it, and keep the last of repeated ids.
  const rows = new Map<string, { vendor_id: string; kind: string; body: unknown; raw: unknown }>();
  for (const { record, raw } of page.records) {
    const parsed = hubRecordSchema.safeParse(record);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      (page.warnings ??= []).push(`source "${source.id}" ${stream} record "${String((record as { id?: unknown }).id)}": field "${issue?.path.join('.')}": ${issue?.message ?? 'invalid'}; record skipped`);
      continue;
    }
    const body = maskDeep(parsed.data, rules);
    rows.set(body.id, { vendor_id: body.id, kind: body.kind, body, raw: raw === undefined ? null : maskDeep(raw, rules) });
  }
  return db.transaction(async (tx) => {
    const at = now();
    const held = await tx.query('update hub_sources set lease_until = $3 where id = $1 and lease_owner = $2 returning id', [source.id, owner, at + leaseMs]);
    if (held.length === 0) throw new LeaseLostError(`source "${source.id}": another hub replica took this sync over; this one stops`);
    let changed = 0;
    if (rows.size > 0) {
      const written = await tx.query(
        `insert into hub_records (source_id, stream, vendor_id, kind, body, raw, synced_at)
         select $1, $2, r.vendor_id, r.kind, r.body, r.raw, $3 from jsonb_to_recordset($4::jsonb) as r(vendor_id text, kind text, body jsonb, raw jsonb)
         on conflict (source_id, stream, vendor_id) do update set kind = excluded.kind, body = excluded.body, raw = excluded.raw, synced_at = excluded.synced_at
           where hub_records.body is distinct from excluded.body
         returning 1 as one`,
        [source.id, stream, at, JSON.stringify([...rows.values()])],
      );
      changed += written.length;
    }
    if (page.deleted && page.deleted.length > 0) {
      const gone = await tx.query('delete from hub_records where source_id = $1 and stream = $2 and vendor_id = any($3::text[]) returning 1 as one', [source.id, stream, page.deleted]);
      changed += gone.length;
    }
    await tx.query(
      `insert into hub_cursors (source_id, stream, cursor, updated_at) values ($1, $2, $3::jsonb, $4)
       on conflict (source_id, stream) do update set cursor = excluded.cursor, updated_at = excluded.updated_at`,
      [source.id, stream, JSON.stringify(page.cursor), at],
    );
    if (changed > 0) await tx.query('update hub_meta set data_version = data_version + 1 where id = 1');
    return changed > 0;
  });
}
