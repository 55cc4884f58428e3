// The embedded engine: PostgreSQL compiled to WebAssembly (PGlite), storing its data in a folder. One process at a
// time may open a folder (PGlite has no locking of its own), so a lock file names the process that holds it.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PGlite as PGliteType, Transaction } from '@electric-sql/pglite';
import type { HubDatabase, Sql } from './database';

const LOCK_FILE = 'hub.lock';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the folder's lock, or explains who holds it. A lock left by a killed process is taken over. */
function takeLock(dir: string): () => void {
  const lockPath = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && processAlive(holder)) {
        throw new Error(
          `the embedded database ${dir} is in use by another hub process (pid ${holder}); stop it first, or run several hubs on one PostgreSQL server (--database postgres://…)`,
        );
      }
      fs.rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`cannot lock the embedded database ${dir}; remove ${lockPath} if no hub is running`);
}

function wrap(target: PGliteType | Transaction): Sql {
  return {
    async query<Row>(text: string, params: readonly unknown[] = []) {
      const result = await target.query<Row>(text, params as unknown[]);
      return result.rows;
    },
    async exec(script: string) {
      await target.exec(script);
    },
  };
}

export async function openPglite(dir: string): Promise<HubDatabase> {
  const dataDir = path.join(dir, 'pgdata');
  fs.mkdirSync(dir, { recursive: true });
  const release = takeLock(dir);
  let db: PGliteType;
  try {
    const { PGlite } = await import('@electric-sql/pglite');
    db = (await PGlite.create(dataDir)) as unknown as PGliteType;
  } catch (error) {
    release();
    throw new Error(`cannot open the embedded database in ${dir}: ${error instanceof Error ? error.message : String(error)}`);
  }
  const sql = wrap(db);
  let closed = false;
  return {
    engine: 'pglite',
    location: dir,
    query: sql.query,
    exec: sql.exec,
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    // One process per folder (the lock file), and within it the scheduler never runs a source twice at once.
    tryLock: async () => async () => undefined,
    async close() {
      if (closed) return;
      closed = true;
      try {
        await db.close();
      } finally {
        release();
      }
    },
  };
}
