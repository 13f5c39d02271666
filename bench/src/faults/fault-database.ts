import { type PostgresServer, queryOnce } from '@lifetimes/databases';
import Database from 'better-sqlite3';
import type { Driver } from '../shared/rows.js';
import { type ScratchPlace, scratchPlace } from '../shared/scratch-place.js';

/**
 * The database one app under test runs on, read straight from the database
 * and never through the app: a ledger checked through the app would trust
 * the very thing it checks.
 */
export interface FaultDatabase extends ScratchPlace {
  /** Every account's balance, by id. */
  balances(): Promise<Map<number, number>>;
  /** SQLite's `PRAGMA integrity_check`: "ok", or what it found. */
  integrityCheck(): Promise<string>;
}

export async function createFaultDatabase(
  driver: Driver,
  server: PostgresServer | undefined,
): Promise<FaultDatabase> {
  const place = await scratchPlace(driver, server?.adminUrl, 'faults');
  const { url, file } = place;
  return {
    ...place,
    balances: async () =>
      file === undefined ? pgBalances(url) : readSqlite(file, readSqliteBalances),
    integrityCheck: async () => {
      if (file === undefined) throw new Error('PRAGMA integrity_check is SQLite only.');
      return readSqlite(file, (db) =>
        (db.pragma('integrity_check') as { integrity_check: string }[])
          .map((row) => row.integrity_check)
          .join('; '),
      );
    },
  };
}

async function pgBalances(url: string): Promise<Map<number, number>> {
  const rows = await queryOnce<{ id: number; balance: number }>(
    url,
    'select id, balance from account order by id',
    [],
    'lifetimes-faults',
  );
  return new Map(rows.map((row) => [row.id, Number(row.balance)]));
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
