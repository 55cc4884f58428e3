// Derived documents: the computation's output stored per feature with its ETag, the cache every replica serves from.
// A recompute happens when records changed, the rules (config) changed, or the day turned; one at a time across
// replicas (an advisory lock), so the newest data always lands last.
import { createHash } from 'node:crypto';
import { PROTOCOL_VERSION } from '../shared/contextProtocol';
import { AccountDirectory, type SourcedAccount, type UnmatchedReport } from './accounts';
import { computeFeatures, type Sourced } from './computation';
import type { HubDatabase, Sql } from './database';
import type { HubConfig } from './hubConfig';
import type { AccountRecord, ProblemRecord, QuoteRecord, TicketRecord, UsageRecord } from './records';

/** Bump when a computation rule changes, so every hub recomputes once after an upgrade. */
export const COMPUTATION_VERSION = 2;

const DOCS_LOCK = 0x636c6864;

/** A 27-character strong ETag of exactly these bytes: equal bodies revalidate alike on every replica. */
export function etagOf(body: string): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/** The end of the period figures are computed for: `asOf` from the config, else the end of today (UTC). */
export function computationTime(config: HubConfig, now: number): number {
  if (config.asOf !== undefined) return config.asOf;
  const day = new Date(now).toISOString().slice(0, 10);
  return Date.parse(`${day}T23:59:59.999Z`);
}

/** Everything that changes the documents besides the records: when it differs from the stored one, recompute. */
export function rulesKey(config: HubConfig, now: number): string {
  const rules = {
    v: COMPUTATION_VERSION,
    at: computationTime(config, now),
    period: config.period,
    features: config.features,
    sources: config.sources.map((s) => [s.id, s.name]),
    quotes: config.quotesPerFeature,
    problems: config.problemsPerFeature,
    externalIds: config.externalIds,
    revenue: config.revenueSource ?? null,
  };
  return createHash('sha256').update(JSON.stringify(rules)).digest('hex');
}

export interface RecomputeResult {
  recomputed: boolean;
  features: number;
  changedDocuments: number;
  ms: number;
}

/** Recomputes the documents when they are out of date (or always, with `force`). */
export async function recomputeDocuments(db: HubDatabase, config: HubConfig, now: number, force = false): Promise<RecomputeResult> {
  const started = Date.now();
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [DOCS_LOCK]);
    const rules = rulesKey(config, now);
    const [meta] = await tx.query<{ data_version: number; docs_data_version: number; docs_rules: string | null }>(
      'select data_version, docs_data_version, docs_rules from hub_meta where id = 1',
    );
    if (!force && meta && meta.docs_data_version === meta.data_version && meta.docs_rules === rules) {
      return { recomputed: false, features: config.features.length, changedDocuments: 0, ms: Date.now() - started };
    }
    const { features, report } = await compute(tx, config, now);
    const bodies = features.map((feature) => ({ feature_id: feature.id, name: feature.name ?? null, updated_at: feature.updatedAt ?? null, body: JSON.stringify(feature) }));
    const changed = await tx.query(
      `insert into hub_documents (feature_id, name, updated_at, body, etag)
       select r.feature_id, r.name, r.updated_at, r.body, r.etag from jsonb_to_recordset($1::jsonb) as r(feature_id text, name text, updated_at text, body text, etag text)
       on conflict (feature_id) do update set name = excluded.name, updated_at = excluded.updated_at, body = excluded.body, etag = excluded.etag
         where hub_documents.body is distinct from excluded.body
       returning 1 as one`,
      [JSON.stringify(bodies.map((b) => ({ ...b, etag: etagOf(b.body) })))],
    );
    const removed = await tx.query('delete from hub_documents where not (feature_id = any($1::text[])) returning 1 as one', [features.map((f) => f.id)]);
    const changedDocuments = changed.length + removed.length;
    await tx.query(
      `update hub_meta set docs_data_version = $1, docs_rules = $2, docs_computed_at = $3, accounts_report = $4::jsonb,
         docs_version = docs_version + (case when $5 then 1 else 0 end) where id = 1`,
      [meta?.data_version ?? 0, rules, now, JSON.stringify(report), changedDocuments > 0],
    );
    return { recomputed: true, features: features.length, changedDocuments, ms: Date.now() - started };
  });
}

async function compute(tx: Sql, config: HubConfig, now: number) {
  const sources = new Map(config.sources.map((s) => [s.id, s]));
  const rows = await tx.query<{ source_id: string; kind: string; body: unknown }>(
    'select source_id, kind, body from hub_records where source_id = any($1::text[]) order by source_id, stream, vendor_id',
    [[...sources.keys()]],
  );
  const tickets: Sourced<TicketRecord>[] = [];
  const problems: Sourced<ProblemRecord>[] = [];
  const quotes: Sourced<QuoteRecord>[] = [];
  const usage: Sourced<UsageRecord>[] = [];
  const accounts: SourcedAccount[] = [];
  for (const row of rows) {
    const body = (typeof row.body === 'string' ? JSON.parse(row.body) : row.body) as never;
    const sourceName = sources.get(row.source_id)!.name;
    const entry = { sourceId: row.source_id, sourceName, record: body };
    if (row.kind === 'ticket') tickets.push(entry);
    else if (row.kind === 'problem') problems.push(entry);
    else if (row.kind === 'quote') quotes.push(entry);
    else if (row.kind === 'usage') usage.push(entry);
    else if (row.kind === 'account') accounts.push({ sourceId: row.source_id, record: body as AccountRecord });
  }
  const directory = new AccountDirectory(accounts, {
    sourceOrder: config.sources.map((s) => s.id),
    externalIds: config.externalIds,
    ...(config.revenueSource ? { revenueSource: config.revenueSource } : {}),
  });
  const features = computeFeatures({
    features: config.features,
    tickets,
    problems,
    quotes,
    usage,
    accounts: directory,
    now: computationTime(config, now),
    periodDays: config.periodDays,
    period: config.period,
    quotesPerFeature: config.quotesPerFeature,
    problemsPerFeature: config.problemsPerFeature,
  });
  const report: UnmatchedReport = directory.report();
  return { features, report };
}

/** One stored feature document. */
export interface StoredDocument {
  id: string;
  name?: string;
  updatedAt?: string;
  /** The feature's JSON, exactly as served inside `/v1/context`. */
  body: string;
  /** The ETag of `body`, computed once when the document was stored. */
  etag: string;
}

/** The documents a replica serves from memory, reloaded when another replica (or this one) recomputed them. */
export class DocumentCache {
  private version = -1;
  private documents = new Map<string, StoredDocument>();
  private featureList: { body: string; etag: string } = { body: '', etag: '' };
  loadedAt = 0;

  constructor(private readonly db: Sql) {}

  /** Checks the stored version and reloads when it moved; returns true when it did. */
  async refresh(): Promise<boolean> {
    const [meta] = await this.db.query<{ docs_version: number }>('select docs_version from hub_meta where id = 1');
    this.loadedAt = Date.now();
    if (!meta || meta.docs_version === this.version) return false;
    const rows = await this.db.query<{ feature_id: string; name: string | null; updated_at: string | null; body: string; etag: string }>(
      'select feature_id, name, updated_at, body, etag from hub_documents order by feature_id',
    );
    const documents = new Map<string, StoredDocument>();
    for (const row of rows) {
      documents.set(row.feature_id, { id: row.feature_id, ...(row.name ? { name: row.name } : {}), ...(row.updated_at ? { updatedAt: row.updated_at } : {}), body: row.body, etag: row.etag });
    }
    const list = JSON.stringify({
      version: PROTOCOL_VERSION,
      features: [...documents.values()].map((d) => ({ id: d.id, ...(d.name ? { name: d.name } : {}), ...(d.updatedAt ? { updatedAt: d.updatedAt } : {}) })),
    });
    this.documents = documents;
    this.featureList = { body: list, etag: etagOf(list) };
    this.version = meta.docs_version;
    return true;
  }

  get size(): number {
    return this.documents.size;
  }

  get revision(): number {
    return this.version;
  }

  /**
   * The `/v1/context` body for these ids (in the order asked, unknown ids left out) and its ETag. The ETag is a hash
   * of the documents' own ETags (which identify their bytes), so it is as strong as a hash of the body, the same on
   * every replica, and costs a hash of a few hundred bytes instead of the whole answer.
   */
  context(ids: readonly string[]): { body: string; etag: string } {
    const parts: string[] = [];
    const tags: string[] = [];
    for (const id of ids) {
      const doc = this.documents.get(id);
      if (doc) {
        parts.push(doc.body);
        tags.push(doc.etag);
      }
    }
    const body = `{"version":${PROTOCOL_VERSION},"features":[${parts.join(',')}]}`;
    return { body, etag: etagOf(`v${PROTOCOL_VERSION}:${tags.join(',')}`) };
  }

  features(): { body: string; etag: string } {
    return this.featureList;
  }
}
