// The two engines the hub runs on, for tests that must pass on both: PGlite in a temporary folder (copied from a
// template made once, since PGlite's initdb takes seconds) and a real PostgreSQL server (test/harness/postgres.ts).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openDatabase, type HubDatabase } from '../../../src/hub/database';
import { migrate } from '../../../src/hub/migrations';
import { sharedPostgres } from '../../harness/postgres';

export interface Engine {
  name: 'PGlite' | 'PostgreSQL';
  /** A `--database` value for a fresh, empty, migrated database. */
  fresh(): Promise<string>;
}

let template: Promise<string> | undefined;
const scratch: string[] = [];
process.once('exit', () => {
  for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
});

/** A new temporary folder, removed when the test process exits. */
export function tempDir(prefix = 'customer-lens-hub-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  scratch.push(dir);
  return dir;
}

function pgliteTemplate(): Promise<string> {
  template ??= (async () => {
    const dir = tempDir('customer-lens-pglite-template-');
    const db = await openDatabase(dir, dir);
    await migrate(db);
    await db.close();
    return dir;
  })();
  return template;
}

export const engines: Engine[] = [
  {
    name: 'PGlite',
    async fresh() {
      const dir = path.join(tempDir(), 'db');
      fs.cpSync(await pgliteTemplate(), dir, { recursive: true });
      return dir;
    },
  },
  {
    name: 'PostgreSQL',
    async fresh() {
      const server = await sharedPostgres();
      return server.createDatabase();
    },
  },
];

/** Opens (and migrates) a database a test made with `engine.fresh()`. */
export async function openTestDatabase(location: string): Promise<HubDatabase> {
  const db = await openDatabase(location, location);
  await migrate(db);
  return db;
}
