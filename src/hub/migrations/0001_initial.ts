// The first schema. Times are epoch milliseconds in float8 columns: the same type, and the same JavaScript number, on
// both engines, and every "now" comes from the hub's clock rather than the server's.
export const migration0001 = {
  version: 1,
  name: 'initial',
  sql: `
create table if not exists hub_sources (
  id text primary key,
  kind text not null,
  items integer not null default 0,
  last_attempt_at float8,
  last_success_at float8,
  last_error text,
  last_warnings jsonb,
  failures integer not null default 0,
  next_run_at float8 not null default 0,
  lease_owner text,
  lease_until float8
);

create table if not exists hub_cursors (
  source_id text not null,
  stream text not null,
  cursor jsonb not null,
  updated_at float8 not null,
  primary key (source_id, stream)
);

create table if not exists hub_records (
  source_id text not null,
  stream text not null,
  vendor_id text not null,
  kind text not null,
  body jsonb not null,
  raw jsonb,
  synced_at float8 not null,
  primary key (source_id, stream, vendor_id)
);
create index if not exists hub_records_kind on hub_records (kind);

create table if not exists hub_documents (
  feature_id text primary key,
  name text,
  updated_at text,
  body text not null,
  etag text not null
);

create table if not exists hub_meta (
  id integer primary key check (id = 1),
  data_version integer not null default 0,
  docs_version integer not null default 0,
  docs_data_version integer not null default -1,
  docs_rules text,
  docs_computed_at float8,
  accounts_report jsonb
);
insert into hub_meta (id) values (1) on conflict (id) do nothing;

create table if not exists hub_sync_runs (
  source_id text not null,
  owner text not null,
  started_at float8 not null,
  finished_at float8,
  outcome text,
  items integer not null default 0,
  requests integer not null default 0,
  error text
);
create index if not exists hub_sync_runs_source on hub_sync_runs (source_id, started_at);
`,
};
