import { join } from 'node:path';
import { createScratchDatabase, createTempDir, type PostgresServer } from '@lifetimes/databases';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { Driver } from '../bench-options.js';

/**
 * The database one app under test runs on, read straight from the database
 * and never through the app: a ledger checked through the app would trust
 * the very thing it checks.
 */
export interface FaultDatabase {
  readonly driver: Driver;
  /** The app's DATABASE_URL. */
  readonly url: string;
  /** PostgreSQL: the database's name, to tell its backends from others'. */
  readonly name: string | undefined;
  /** SQLite: the database file. */
  readonly file: string | undefined;
  /** Every account's balance, by id. */
  balances(): Promise<Map<number, number>>;
  /** SQLite's `PRAGMA integrity_check`: "ok", or what it found. */
  integrityCheck(): Promise<string>;
  /** Drops the database or deletes its files. */
  remove(): Promise<void>;
}

export async function createFaultDatabase(
  driver: Driver,
  server: PostgresServer | undefined,
): Promise<FaultDatabase> {
  if (driver === 'postgres') {
    if (!server) throw new Error('A PostgreSQL scenario ran without a PostgreSQL server.');
    const scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_faults');
    return {
      driver,
      url: scratch.url,
      name: scratch.name,
      file: undefined,
      balances: () => pgBalances(scratch.url),
      integrityCheck: async () => {
        throw new Error('PRAGMA integrity_check is SQLite only.');
      },
      remove: () => scratch.drop(),
    };
  }
  const dir = await createTempDir('lifetimes-faults');
  const file = join(dir.path, 'app.db');
  return {
    driver,
    url: dir.sqliteUrl('app.db'),
    name: undefined,
    file,
    balances: async () => readSqlite(file, (db) => readSqliteBalances(db)),
    integrityCheck: async () =>
      readSqlite(file, (db) =>
        (db.pragma('integrity_check') as { integrity_check: string }[])
          .map((row) => row.integrity_check)
          .join('; '),
      ),
    remove: () => dir.remove(),
  };
}

async function pgBalances(url: string): Promise<Map<number, number>> {
  const client = new pg.Client({ connectionString: url, application_name: 'lifetimes-faults' });
  client.on('error', () => {});
  await client.connect();
  try {
    const { rows } = await client.query<{ id: number; balance: number }>(
      'select id, balance from account order by id',
    );
    return new Map(rows.map((row) => [row.id, Number(row.balance)]));
  } finally {
    await client.end();
  }
}

function readSqliteBalances(db: Database.Database): Map<number, number> {
  const rows = db.prepare('select id, balance from account order by id').all() as {
    id: number;
    balance: number;
  }[];
  return new Map(rows.map((row) => [row.id, row.balance]));
}

/**
 * A read-only handle for one read: in WAL mode it reads beside a running app
 * without blocking it, and after a crash it sees what the WAL committed.
 */
export function readSqlite<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}
