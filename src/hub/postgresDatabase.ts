// A PostgreSQL server through `pg`'s pool. Several hub replicas may share one database: every write the hub makes is
// an upsert or a fenced update, so they cooperate without a coordinator.
import type { Client, Pool, PoolClient } from 'pg';
import type { HubDatabase, Sql } from './database';

/** `postgres://user:secret@host/db` → `postgres://user@host/db`: a location safe to print. */
export function describeDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return 'postgres://…';
  }
}

function wrap(target: Pool | PoolClient): Sql {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await target.query(text, params as unknown[]);
      return result.rows as Row[];
    },
    async exec(script: string) {
      // Without parameters pg uses the simple query protocol, which accepts several statements.
      await target.query(script);
    },
  };
}

export async function openPostgres(url: string): Promise<HubDatabase> {
  const pg = await import('pg');
  const PoolClass = (pg.default?.Pool ?? pg.Pool) as typeof Pool;
  const ClientClass = (pg.default?.Client ?? pg.Client) as typeof Client;
  const location = describeDatabaseUrl(url);
  const pool = new PoolClass({ connectionString: url, max: 8, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000 });
  // An idle client that loses its server emits here; without a listener that would end the process.
  pool.on('error', () => undefined);
  try {
    await pool.query('select 1');
  } catch (error) {
    await pool.end().catch(() => undefined);
    throw new Error(`cannot connect to ${location}: ${error instanceof Error ? error.message : String(error)}; check --database and that the server is running`);
  }
  const sql = wrap(pool);
  return {
    engine: 'postgres',
    location,
    query: sql.query,
    exec: sql.exec,
    async tryLock(key) {
      // A connection of its own, outside the pool: a lock held for a whole sync must not take a pooled connection
      // that the sync's own page transactions need.
      const client = new ClientClass({ connectionString: url, connectionTimeoutMillis: 10_000 });
      client.on('error', () => undefined);
      await client.connect();
      try {
        const [row] = (await client.query('select pg_try_advisory_lock(hashtext($1)) as locked', [key])).rows as Array<{ locked: boolean }>;
        if (!row?.locked) {
          await client.end();
          return undefined;
        }
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      // Closing the connection releases its locks.
      return () => client.end().catch(() => undefined);
    },
    async transaction(fn) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await fn(wrap(client));
        await client.query('commit');
        return result;
      } catch (error) {
        await client.query('rollback').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
