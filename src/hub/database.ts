// The hub's one view of a database: parameterised SQL, transactions, close. Two engines sit behind it, PGlite
// (embedded, a folder beside the config) and a PostgreSQL server (`postgres://…`), and every statement the hub runs
// is written once for both. The engine libraries are loaded only when a database is opened, so nothing else pays
// for them.
// (The adapters import this file for its types only.)
import * as path from 'node:path';
import { openPglite } from './pgliteDatabase';
import { openPostgres } from './postgresDatabase';

/** Something that runs SQL: the database itself, or one transaction. Rows come back as plain objects. */
export interface Sql {
  query<Row = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<Row[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(script: string): Promise<void>;
}

export interface HubDatabase extends Sql {
  readonly engine: 'pglite' | 'postgres';
  /** Where the data lives, for messages: a folder, or a URL without its password. */
  readonly location: string;
  /**
   * Takes a lock that lives exactly as long as this process holds it: on a server a session advisory lock on a
   * connection of its own (a killed process's connection closes, and its locks go with it); on the embedded engine
   * the folder lock already makes this process the only one. Returns the release, or undefined when another process
   * holds it.
   */
  tryLock(key: string): Promise<(() => Promise<void>) | undefined>;
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** True when `--database` names a PostgreSQL server rather than an embedded database folder. */
export function isServerUrl(value: string): boolean {
  return /^postgres(ql)?:\/\//i.test(value);
}

/**
 * Opens the database a `--database` value names: a `postgres://` URL, or a folder for the embedded engine (created
 * when missing). `defaultDir` is used when `value` is undefined.
 */
export async function openDatabase(value: string | undefined, defaultDir: string): Promise<HubDatabase> {
  if (value !== undefined && isServerUrl(value)) {
    return openPostgres(value);
  }
  const dir = value === undefined ? defaultDir : path.resolve(value.replace(/^pglite:/, ''));
  return openPglite(dir);
}
