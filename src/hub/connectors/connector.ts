/**
 * # Writing a connector
 *
 * A connector brings one vendor's data into the hub. It knows the vendor's API and nothing of the database; the sync
 * loop (`../syncLoop.ts`) knows the database and nothing of any vendor. One file per connector in this folder, the
 * vendor's reference page named at its top, and one line in `registry.ts`.
 *
 * ## What a connector is
 * A {@link ConnectorDefinition} has a `kind` (the `kind:` users write in the hub config), a zod `options` schema for
 * the keys of its config entry (validated by `customer-lens hub check` with file:line:col positions, like the rest of
 * the config), a default request budget, and `create()`, which returns the {@link Stream}s of one configured source.
 *
 * ## Streams, pages and cursors
 * A stream (tickets, organizations, subscriptions, daily event counts) yields {@link StreamPage}s. A page holds
 * records (the vendor-neutral shapes of `../records.ts`: ticket, problem, account, usage, quote) and the cursor
 * that is true once those records are stored. The sync loop writes the records and the cursor in one transaction,
 * so a crash (even kill -9) replays at most the page that was in flight, and upserts by (source, stream, record id)
 * make the replay harmless. Rules that follow:
 * - `read(cursor)` starts where `cursor` says (undefined: from the beginning) and must be able to start from any
 *   cursor it ever yielded. That is what makes a long sync resumable across restarts: yield a cursor per page.
 * - A cursor is small JSON (an `updated_since` timestamp, a vendor's cursor token, a page URL, an ETag). Prefer
 *   "the newest updated_at committed" over page numbers: items updated during the sync move, timestamps do not.
 * - Records carry the vendor's own id, so a record sent twice replaces itself. `deleted` lists ids the vendor
 *   reports as deleted.
 * - Send `raw` (the vendor's item as received) alongside a record when you have it; it is stored masked, so a later
 *   rule change can recompute without a resync.
 * - `warnings` are per-item problems (a row that does not parse, an item missing a field): say where (file:line:col,
 *   URL, field) and skip the item; never fail the whole sync for one bad item.
 * - Throw for failures of the whole stream (401, 5xx after retries): the sync loop records the error, keeps every
 *   page committed so far, backs off, and the other sources carry on.
 * - Personal data is masked by the sync loop before anything is stored; a connector need not (and cannot forget to).
 *
 * ## Politeness: use `context.http`
 * {@link ConnectorContext.http} (`connectorHttp.ts`, on undici) is the only way a connector reaches the network,
 * including through a vendor's SDK (give the SDK an HTTP client that calls `context.http`, as `stripe.ts` does). It
 * spends the source's request budget (config `budget:`, default {@link ConnectorDefinition.defaultBudget}: set it to
 * the vendor's documented limit), honours `429`/`503` and rate-limited `403` with `Retry-After` or
 * `X-RateLimit-Reset`, backs off on network errors and 5xx, makes conditional requests (`etag` in → `notModified`
 * out), follows `Link: rel="next"`, caps response sizes and times out. A wait longer than the sync may take throws
 * {@link RateLimitedError}: the loop then stops the source, keeps what was committed, and schedules the next run
 * for when the vendor said to come back. `get` is for reads; `query` POSTs only read-only queries (GraphQL, a search,
 * a SQL query) that are safe to repeat, since it retries them like a GET. A connector never writes to a vendor.
 *
 * ## Accounts across sources
 * Tickets and quotes refer to an account with an {@link AccountRef} (`key`, `domain`, `externalIds`); account
 * records give `domain`, `externalIds`, and `arr`/`currency` when the source knows revenue. The hub joins accounts
 * of every source by domain first, then by a configured external id (`accounts.externalIds` in the config), then by
 * key or name; ARR comes from one source of truth per account (`accounts.revenue`, else the first source in config
 * order that gives one). `hub status` lists references it could not join. A connector only fills in what the vendor
 * says; it never joins.
 *
 * ## Secrets
 * A credential is configured as `{ env: NAME }` and read with {@link ConnectorContext.secret}; it never comes from
 * the config file itself and never appears in a message or a log line.
 *
 * ## Testing
 * Test against a local fake of the vendor's API on 127.0.0.1 built from its reference docs (pagination as the vendor
 * does it, its example payloads, 401/403, 429 with Retry-After, 5xx, a page that fails mid-sync), with `baseUrl`
 * pointed at it; see `test/unit/hubGithubIssues.test.ts` and `test/unit/support/fakeGithub.ts`.
 */
import type { z } from 'zod';
import type { HubRecord } from '../records';
import type { ConnectorHttp } from './connectorHttp';

export type { AccountRef } from '../records';

/** JSON a cursor may hold. */
export type Cursor = { [key: string]: CursorValue };
export type CursorValue = string | number | boolean | null | undefined | Cursor | CursorValue[];

/** One page of a stream: records and the cursor that is true once they are stored. */
export interface StreamPage {
  records: Array<{ record: HubRecord; raw?: unknown }>;
  /** Ids (as in `record.id`) the vendor reports deleted since the last cursor. */
  deleted?: string[];
  cursor: Cursor;
  /** Items skipped, each saying where and why (file:line:col, URL, field). */
  warnings?: string[];
}

/** A sequence of pages from one kind of vendor object. */
export interface Stream {
  /** Stable name, part of the stored records' key, e.g. `issues`, `tickets`, `organizations`. */
  name: string;
  /** Pages from `cursor` on (undefined: from the start). Ends when the stream is caught up. */
  read(cursor: Cursor | undefined): AsyncIterable<StreamPage>;
}

/** Requests a source may make: `requests` per `perSeconds`. */
export interface RequestBudget {
  requests: number;
  perSeconds: number;
}

/** What a connector gets from the hub for one sync of one source. */
export interface ConnectorContext {
  /** The source's id in the config. */
  sourceId: string;
  /** The folder of the config file: relative paths in options are relative to it. */
  configDir: string;
  /** The politeness-aware HTTP client of this source. */
  http: ConnectorHttp;
  /** Reads an `{ env: NAME }` credential; undefined when the variable is unset or empty. */
  secret(ref: { env: string } | undefined): string | undefined;
  /**
   * The features of the config (and its maps): their tags and analytics `events`. An analytics connector reads the
   * events listed here; most connectors need nothing of it.
   */
  features: ReadonlyArray<{ id: string; tags: readonly string[]; events: readonly string[] }>;
  /** The trend period in days: figures compare the last `periodDays` with the ones before, so history reaches back twice that. */
  periodDays: number;
  /** The config's `asOf` (epoch ms) when figures are computed as of a fixed day rather than today. */
  asOf?: number;
  /** Aborted when the hub stops: stop between pages. */
  signal: AbortSignal;
  log(line: string): void;
  now(): number;
}

/** A vendor the hub can sync from. `Options` is the config entry of a source of this kind, parsed. */
export interface ConnectorDefinition<Options = unknown> {
  /** The `kind:` of the config entry, e.g. `github-issues`. */
  kind: string;
  /** One line for `hub check` and the README. */
  description: string;
  /** The keys of a config entry besides `id`, `kind`, `name`, `every` and `budget`, with their defaults. */
  options: z.ZodType<Options>;
  /** The vendor's documented rate limit, used when the config gives no `budget`. */
  defaultBudget: RequestBudget;
  /** How often `hub serve` syncs a source of this kind unless the config says `every:`. */
  defaultEverySeconds: number;
  /** The streams of one source. */
  create(options: Options, context: ConnectorContext): Stream[];
}

/** Thrown when the vendor asks to wait longer than the sync may: the sync loop reschedules the source for `until`. */
export class RateLimitedError extends Error {
  constructor(
    message: string,
    /** Epoch ms when the vendor said to come back. */
    readonly until: number,
  ) {
    super(message);
    this.name = 'RateLimitedError';
  }
}

/** A failure of a whole stream that retrying now will not fix (401, 403 without rate limit, 404): the message says what to do. */
export class ConnectorError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ConnectorError';
  }
}
