// Numbered migrations, applied in order at start, each once, in a transaction that holds an advisory lock so that
// replicas starting together do not race. Migrations only ever add: a newer hub never destroys an older one's data.
import type { HubDatabase } from './database';
import { migration0001 } from './migrations/0001_initial';

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every migration, oldest first. A new one is a new file under migrations/ and a line here. */
export const migrations: readonly Migration[] = [migration0001];

/** A fixed key for pg_advisory_xact_lock: "cl-hub" as a number. */
const MIGRATION_LOCK = 0x636c6875;

/** Applies the migrations this database has not seen yet; returns their versions. */
export async function migrate(db: HubDatabase): Promise<number[]> {
  return db.transaction(async (tx) => {
    await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await tx.query('create table if not exists hub_migrations (version integer primary key, name text not null, applied_at float8 not null)');
    const done = new Set((await tx.query<{ version: number }>('select version from hub_migrations')).map((r) => r.version));
    const newest = Math.max(0, ...done);
    const latest = migrations[migrations.length - 1]?.version ?? 0;
    if (newest > latest) {
      throw new Error(`the database was migrated by a newer hub (schema ${newest}, this hub knows ${latest}); upgrade this hub`);
    }
    const applied: number[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await tx.exec(migration.sql);
      await tx.query('insert into hub_migrations (version, name, applied_at) values ($1, $2, $3)', [migration.version, migration.name, Date.now()]);
      applied.push(migration.version);
    }
    return applied;
  });
}
