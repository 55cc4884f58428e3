// A PostgreSQL server through `pg`'s pool. Several hub replicas may share one database: every write the hub makes is
// an upsert or a fenced update, so they cooperate without a coordinator.
import type { Pool, PoolClient } from 'pg';
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
      const client = await pool.connect();
      try {
        const [row] = (await client.query('select pg_try_advisory_lock(hashtext($1)) as locked', [key])).rows as Array<{ locked: boolean }>;
        if (!row?.locked) {
          client.release();
          return undefined;
        }
      } catch (error) {
        client.release();
        throw error;
      }
      return async () => {
        try {
          await client.query('select pg_advisory_unlock(hashtext($1))', [key]);
          client.release();
        } catch (error) {
          // A broken connection takes its locks with it; do not put it back in the pool.
          client.release(error instanceof Error ? error : true);
        }
      };
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
