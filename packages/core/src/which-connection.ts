import { type RawBuilder, sql } from 'kysely';
import type { DialectName } from './database-url.js';
import {
  SQLITE_CONNECTION_ID_FUNCTION,
  SQLITE_IN_TRANSACTION_FUNCTION,
} from './sqlite/sqlite-connection.js';

/** Anything a raw query can run on: a Kysely handle or a transaction, of any schema. */
type Executor = Parameters<RawBuilder<unknown>['execute']>[0];

/**
 * Asks the database which physical connection ran this query: PostgreSQL's
 * backend pid, or on SQLite the id of the handle (a function each handle
 * registers). It is the database's own answer, not the strategy's bookkeeping,
 * which is what makes it evidence.
 */
export async function whichConnection(db: Executor, dialect: DialectName): Promise<string> {
  const query =
    dialect === 'postgres'
      ? sql<{ id: number }>`select pg_backend_pid() as id`
      : sql<{ id: string }>`select ${sql.raw(SQLITE_CONNECTION_ID_FUNCTION)}() as id`;
  const { rows } = await query.execute(db);
  const id = rows[0]?.id;
  if (id === undefined) throw new Error('The database did not say which connection ran the query.');
  return String(id);
}

/**
 * Asks the database whether the connection running this query is inside a
 * transaction that has written: PostgreSQL's `txid_current_if_assigned()`,
 * or SQLite's handle state. True on a fresh scope's first query means a
 * previous user returned the connection dirty.
 */
export async function inTransaction(db: Executor, dialect: DialectName): Promise<boolean> {
  const query =
    dialect === 'postgres'
      ? sql<{ dirty: boolean }>`select txid_current_if_assigned() is not null as dirty`
      : sql<{ dirty: number }>`select ${sql.raw(SQLITE_IN_TRANSACTION_FUNCTION)}() as dirty`;
  const { rows } = await query.execute(db);
  return Boolean(rows[0]?.dirty);
}
