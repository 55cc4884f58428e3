// `customer-lens hub serve|sync|import|check|status`: the hub bundle's entry point (dist/hub/hub.js). The CLI loads
// it only when `hub` is run, so the database engines never load for the map commands, and never enter the extension.
import { randomBytes } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { isLoopbackHost } from '../context/httpClient';
import { openDatabase, isServerUrl, type HubDatabase } from './database';
import { DocumentCache, recomputeDocuments } from './documents';
import { clientTokens, formatConfigProblem, loadHubConfig, type HubConfig } from './hubConfig';
import { startHubServer } from './hubServer';
import { HubMetrics } from './metrics';
import { migrate } from './migrations';
import { SyncScheduler } from './scheduler';
import { registerSources, syncSource, type SyncOutcome } from './syncLoop';

/** Where the hub writes; the CLI passes the process streams, tests their own. */
export interface HubIo {
  out: (text: string) => void;
  err: (text: string) => void;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Resolves to stop `serve` (default: SIGINT or SIGTERM). */
  stopSignal?: Promise<string>;
}

/** Thrown for a mistake in how a command was called: printed with the usage, exit code 2. */
export class HubUsageError extends Error {}

export const hubUsage = `Usage: customer-lens hub <command> --config FILE [options]

Commands:
  serve   [--port 7420] [--host 127.0.0.1] [--database URL]   sync on schedule and serve protocol v1
  sync    [--source ID] [--database URL]                      one sync pass, then exit (cron, CI)
  import  --source ID FILE.csv [--database URL]               load a CSV export into a csv-* source
  check                                                       validate the config (file:line:col errors)
  status  [--json] [--database URL]                           per source: last good sync, cursor, items, errors, next run

--database defaults to an embedded PostgreSQL (PGlite) in .customer-lens-hub/ beside the config; give
postgres://user@host/db for a PostgreSQL server (several replicas may share one). Client tokens come from the
environment variable the config names (tokens: { env: NAME }); without tokens, serve binds loopback only.`;

const DEFAULT_PORT = 7420;

function shown(file: string, cwd: string): string {
  const relative = path.relative(cwd, file);
  return relative === '' || relative.startsWith('..') ? file : relative;
}

function ago(ms: number | null | undefined, now: number): string {
  if (!ms) return 'never';
  const s = Math.round((now - ms) / 1000);
  const text = Math.abs(s) < 120 ? `${Math.abs(s)} s` : Math.abs(s) < 7200 ? `${Math.round(Math.abs(s) / 60)} min` : `${Math.round(Math.abs(s) / 3600)} h`;
  return s >= 0 ? `${text} ago` : `in ${text}`;
}

function readConfig(file: string | undefined, io: HubIo): HubConfig | number {
  if (file === undefined) throw new HubUsageError('--config FILE is required');
  const outcome = loadHubConfig(path.resolve(io.cwd, file));
  if (!outcome.ok) {
    for (const problem of outcome.problems) io.err(formatConfigProblem(problem, io.cwd));
    io.err(`${outcome.problems.length} ${outcome.problems.length === 1 ? 'error' : 'errors'} in ${shown(path.resolve(io.cwd, file), io.cwd)}; fix ${outcome.problems.length === 1 ? 'it' : 'them'} and run again`);
    return 1;
  }
  for (const warning of outcome.warnings) io.err(`${formatConfigProblem(warning, io.cwd)} (warning)`);
  return outcome.config;
}

async function openHubDatabase(config: HubConfig, database: string | undefined, io: HubIo): Promise<HubDatabase> {
  const value = database ?? (io.env ?? process.env).CUSTOMER_LENS_HUB_DATABASE;
  const db = await openDatabase(value === undefined || isServerUrl(value) ? value : path.resolve(io.cwd, value), path.join(config.dir, '.customer-lens-hub'));
  try {
    await migrate(db);
    await registerSources(db, config);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}

function replicaName(): string {
  return `${os.hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
}

function describeOutcome(outcome: SyncOutcome): string {
  if (outcome.status === 'skipped') return `${outcome.sourceId}: skipped (${outcome.reason === 'busy' ? 'another hub process is syncing it right now' : 'not due'})`;
  const base = `${outcome.sourceId}: ${outcome.records} ${outcome.records === 1 ? 'record' : 'records'} in ${outcome.pages} ${outcome.pages === 1 ? 'page' : 'pages'}, ${outcome.requests} ${outcome.requests === 1 ? 'request' : 'requests'}`;
  const skipped = outcome.warnings.length > 0 ? `, ${outcome.warnings.length} skipped` : '';
  return outcome.status === 'ok' ? `${base}${skipped}` : `${base}${skipped}; FAILED: ${outcome.error}`;
}

/** Runs `customer-lens hub …` and returns the exit code. */
export async function runHub(argv: string[], io: HubIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    io.out(hubUsage);
    return command === undefined ? 2 : 0;
  }
  let values: Record<string, string | boolean | undefined>;
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        config: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        database: { type: 'string' },
        source: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new HubUsageError(error instanceof Error ? error.message : String(error));
  }
  if (values.help) {
    io.out(hubUsage);
    return 0;
  }
  const allowed: Record<string, string[]> = {
    serve: ['config', 'port', 'host', 'database'],
    sync: ['config', 'source', 'database'],
    import: ['config', 'source', 'database'],
    check: ['config'],
    status: ['config', 'json', 'database'],
  };
  const known = allowed[command];
  if (!known) throw new HubUsageError(`unknown hub command "${command}"; use serve, sync, import, check or status`);
  for (const [key, value] of Object.entries(values)) {
    if (value !== undefined && !known.includes(key)) throw new HubUsageError(`hub ${command} does not take --${key}`);
  }
  if (command !== 'import' && positionals.length > 0) throw new HubUsageError(`unexpected argument "${positionals[0]}"`);
  const config = readConfig(values.config as string | undefined, io);
  if (typeof config === 'number') return config;
  const database = values.database as string | undefined;

  switch (command) {
    case 'check':
      return check(config, io);
    case 'serve':
      return serve(config, io, database, values.host as string | undefined, values.port as string | undefined);
    case 'sync':
      return sync(config, io, database, values.source as string | undefined);
    case 'import':
      return importCsv(config, io, database, values.source as string | undefined, positionals);
    case 'status':
      return status(config, io, database, values.json === true);
  }
  return 2;
}

function check(config: HubConfig, io: HubIo): number {
  const env = io.env ?? process.env;
  for (const source of config.sources) {
    const token = (source.options as { token?: { env: string } }).token;
    if (token && !(env[token.env] ?? '').trim()) io.err(`${shown(config.file, io.cwd)}: source "${source.id}": ${token.env} is not set in this environment; set it before serve or sync (warning)`);
  }
  if (config.tokensEnv && clientTokens(config, env).length === 0) {
    io.err(`${shown(config.file, io.cwd)}: tokens: ${config.tokensEnv} is not set in this environment; serve will answer without a token and bind loopback only (warning)`);
  }
  io.out(
    `${shown(config.file, io.cwd)}: OK, ${config.sources.length} ${config.sources.length === 1 ? 'source' : 'sources'} (${config.sources.map((s) => `${s.id}: ${s.kind}`).join(', ') || 'none'}), ${config.features.length} ${config.features.length === 1 ? 'feature' : 'features'}`,
  );
  return 0;
}

async function serve(config: HubConfig, io: HubIo, database: string | undefined, hostArg: string | undefined, portArg: string | undefined): Promise<number> {
  const env = io.env ?? process.env;
  const port = portArg === undefined ? DEFAULT_PORT : Number(portArg);
  if (portArg !== undefined && (!/^\d+$/.test(portArg) || port > 65535)) throw new HubUsageError(`--port must be a number from 0 to 65535, got "${portArg}"`);
  const tokens = clientTokens(config, env);
  const host = hostArg ?? '127.0.0.1';
  if (tokens.length === 0 && !isLoopbackHost(host)) {
    io.err(
      `customer-lens hub serve: refusing to listen on ${host} without client tokens: anyone who can reach it could read customer data. Set ${config.tokensEnv ?? 'the variable named by "tokens: { env: … }" in the config'} to a comma-separated list of tokens, or serve on 127.0.0.1`,
    );
    return 1;
  }
  const log = (line: string) => io.out(line);
  const db = await openHubDatabase(config, database, io);
  const metrics = new HubMetrics();
  const cache = new DocumentCache(db);
  const owner = replicaName();
  const scheduler = new SyncScheduler({
    env: { db, config, owner, log, env },
    config,
    metrics,
    onDocuments: () => void cache.refresh().catch(() => undefined),
  });
  let server;
  try {
    await recomputeDocuments(db, config, Date.now());
    await cache.refresh();
    server = await startHubServer({ cache, db, metrics, tokens, host, port, sourceIds: config.sources.map((s) => s.id), log });
  } catch (error) {
    await db.close();
    throw error;
  }
  scheduler.start();
  io.out(`database ${db.engine} ${db.location}`);
  io.out(`Serving customer context protocol v1 from ${shown(config.file, io.cwd)} (${cache.size} ${cache.size === 1 ? 'feature' : 'features'}, ${config.sources.length} ${config.sources.length === 1 ? 'source' : 'sources'}) at ${server.url}`);
  io.out(`${tokens.length > 0 ? `${tokens.length} client ${tokens.length === 1 ? 'token' : 'tokens'} from ${config.tokensEnv}` : 'No client tokens: loopback only'}. Health: ${server.url}/healthz, metrics: ${server.url}/metrics. Stop with Ctrl+C.`);
  if (tokens.length > 0 && !isLoopbackHost(host)) io.err(`warning: listening on ${host} over plain http: tokens travel in clear text; put the hub behind https (a load balancer or reverse proxy)`);

  const stopSignal =
    io.stopSignal ??
    new Promise<string>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        resolve(signal);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
  const signal = await stopSignal;
  io.out(`Stopping (${signal})`);
  await server.close();
  await scheduler.close();
  await db.close();
  return 0;
}

async function sync(config: HubConfig, io: HubIo, database: string | undefined, only: string | undefined): Promise<number> {
  const sources = only === undefined ? config.sources : config.sources.filter((s) => s.id === only);
  if (only !== undefined && sources.length === 0) {
    io.err(`customer-lens hub sync: no source "${only}" in ${shown(config.file, io.cwd)}; the sources are ${config.sources.map((s) => s.id).join(', ') || 'none'}`);
    return 1;
  }
  const db = await openHubDatabase(config, database, io);
  const log = (line: string) => io.err(line);
  try {
    const owner = replicaName();
    // Sources run side by side: one slow or failing vendor does not hold up the others.
    const outcomes = await Promise.all(sources.map((source) => syncSource(source, { db, config, owner, log, env: io.env ?? process.env }, { force: true })));
    for (const outcome of outcomes) io.out(describeOutcome(outcome));
    const result = await recomputeDocuments(db, config, Date.now());
    io.out(`documents: ${result.features} ${result.features === 1 ? 'feature' : 'features'}${result.recomputed ? `, ${result.changedDocuments} changed` : ', up to date'}`);
    return outcomes.some((o) => o.status === 'failed') ? 1 : 0;
  } finally {
    await db.close();
  }
}

async function importCsv(config: HubConfig, io: HubIo, database: string | undefined, sourceId: string | undefined, positionals: string[]): Promise<number> {
  if (sourceId === undefined) throw new HubUsageError('--source ID is required: the csv-* source to load the file into');
  if (positionals.length !== 1) throw new HubUsageError(positionals.length === 0 ? 'the CSV file to import is required' : `unexpected argument "${positionals[1]}"`);
  const source = config.sources.find((s) => s.id === sourceId);
  if (!source) {
    io.err(`customer-lens hub import: no source "${sourceId}" in ${shown(config.file, io.cwd)}; the sources are ${config.sources.map((s) => s.id).join(', ') || 'none'}`);
    return 1;
  }
  if (!source.kind.startsWith('csv-')) {
    io.err(`customer-lens hub import: source "${sourceId}" is ${source.kind}, not a CSV source; import into a csv-tickets, csv-accounts or csv-usage source`);
    return 1;
  }
  const file = path.resolve(io.cwd, positionals[0]!);
  const db = await openHubDatabase(config, database, io);
  try {
    const outcome = await syncSource(source, { db, config, owner: replicaName(), log: () => undefined, env: io.env ?? process.env }, { force: true, options: { ...(source.options as object), file } });
    if (outcome.status === 'skipped') {
      io.err(`customer-lens hub import: another hub process is syncing "${sourceId}" right now; try again in a moment`);
      return 1;
    }
    for (const warning of outcome.warnings) io.err(warning);
    if (outcome.status === 'failed') {
      io.err(`customer-lens hub import: ${outcome.error}`);
      return 1;
    }
    const result = await recomputeDocuments(db, config, Date.now());
    io.out(
      outcome.records === 0 && outcome.warnings.length === 0
        ? `${shown(file, io.cwd)}: already imported into "${sourceId}"; nothing changed`
        : `${shown(file, io.cwd)}: ${outcome.records} ${outcome.records === 1 ? 'row' : 'rows'} imported into "${sourceId}"${outcome.warnings.length > 0 ? `, ${outcome.warnings.length} skipped (above)` : ''}; ${result.changedDocuments} ${result.changedDocuments === 1 ? 'feature' : 'features'} changed`,
    );
    return 0;
  } finally {
    await db.close();
  }
}

interface SourceStatus {
  id: string;
  kind: string;
  lastSuccessAt: string | null;
  lastAttemptAt: string | null;
  items: number;
  cursor: Record<string, unknown>;
  lastError: string | null;
  failures: number;
  warnings: string[];
  nextRunAt: string | null;
  syncingNow: boolean;
}

async function status(config: HubConfig, io: HubIo, database: string | undefined, json: boolean): Promise<number> {
  const db = await openHubDatabase(config, database, io);
  try {
    const now = Date.now();
    const rows = await db.query<{ id: string; kind: string; items: number; last_attempt_at: number | null; last_success_at: number | null; last_error: string | null; last_warnings: string[] | null; failures: number; next_run_at: number; lease_owner: string | null; lease_until: number | null }>(
      'select * from hub_sources where id = any($1::text[])',
      [config.sources.map((s) => s.id)],
    );
    const cursors = await db.query<{ source_id: string; stream: string; cursor: Record<string, unknown> }>('select source_id, stream, cursor from hub_cursors');
    const [meta] = await db.query<{ docs_computed_at: number | null; accounts_report: { references: Array<{ sourceId: string; key: string; count: number }>; singleSource: Array<{ sourceId: string; name: string }> } | null }>(
      'select docs_computed_at, accounts_report from hub_meta where id = 1',
    );
    const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);
    const sources: SourceStatus[] = config.sources.map((source) => {
      const row = rows.find((r) => r.id === source.id);
      return {
        id: source.id,
        kind: source.kind,
        lastSuccessAt: iso(row?.last_success_at),
        lastAttemptAt: iso(row?.last_attempt_at),
        items: row?.items ?? 0,
        cursor: Object.fromEntries(cursors.filter((c) => c.source_id === source.id).map((c) => [c.stream, c.cursor])),
        lastError: row?.last_error ?? null,
        failures: row?.failures ?? 0,
        warnings: row?.last_warnings ?? [],
        nextRunAt: iso(row?.next_run_at || null),
        syncingNow: Boolean(row?.lease_owner && (row.lease_until ?? 0) >= now),
      };
    });
    const unmatched = meta?.accounts_report ?? { references: [], singleSource: [] };
    if (json) {
      io.out(JSON.stringify({ database: { engine: db.engine, location: db.location }, documentsComputedAt: iso(meta?.docs_computed_at), sources, unmatchedAccounts: unmatched }, null, 2));
      return sources.some((s) => s.lastError) ? 1 : 0;
    }
    io.out(`Hub ${shown(config.file, io.cwd)} on ${db.engine} ${db.location}; documents computed ${ago(meta?.docs_computed_at, now)}`);
    for (const s of sources) {
      const cursor = JSON.stringify(s.cursor);
      io.out(`  ${s.id} (${s.kind})`);
      io.out(`    last good sync  ${s.lastSuccessAt ? `${s.lastSuccessAt} (${ago(Date.parse(s.lastSuccessAt), now)})` : 'never'}${s.syncingNow ? ', syncing now' : ''}`);
      io.out(`    items           ${s.items}`);
      io.out(`    cursor          ${cursor.length > 160 ? `${cursor.slice(0, 159)}…` : cursor}`);
      io.out(`    last error      ${s.lastError ? `${s.lastError} (${s.failures} in a row)` : 'none'}`);
      if (s.warnings.length > 0) io.out(`    skipped items   ${s.warnings.length}${s.warnings.length >= 50 ? '+' : ''}, first: ${s.warnings[0]}`);
      io.out(`    next run        ${s.nextRunAt ? `${s.nextRunAt} (${ago(Date.parse(s.nextRunAt), now)})` : 'at the next serve or sync'}`);
    }
    if (unmatched.references.length > 0) {
      io.out(`Unmatched accounts (tickets name an account no account source knows; fix the name, or add its domain):`);
      for (const r of unmatched.references.slice(0, 20)) io.out(`  ${r.sourceId}: "${r.key}" (${r.count} ${r.count === 1 ? 'item' : 'items'})`);
      if (unmatched.references.length > 20) io.out(`  … and ${unmatched.references.length - 20} more (--json lists all)`);
    }
    if (unmatched.singleSource.length > 0) {
      io.out(`Accounts found in only one account source (no shared domain or external id): ${unmatched.singleSource.length}`);
      for (const a of unmatched.singleSource.slice(0, 10)) io.out(`  ${a.sourceId}: ${a.name}`);
    }
    return sources.some((s) => s.lastError) ? 1 : 0;
  } finally {
    await db.close();
  }
}
