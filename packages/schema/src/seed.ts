import type { InsertResult, Kysely, Transaction } from 'kysely';
import type { Database } from './database.js';

/** TechEmpower's World size: ids and random numbers both run 1..10000. */
export const WORLD_ROWS = 10_000;
export const ACCOUNTS = 100;
export const OPENING_BALANCE = 1000;

/**
 * Rows per INSERT. Two parameters a row keeps a statement far below
 * SQLite's 32766 and PostgreSQL's 65535 bound parameters.
 */
const BATCH_ROWS = 1000;

/** Rows seed() inserted: zero for a table that already had rows. */
export interface SeedResult {
  readonly worlds: number;
  readonly accounts: number;
}

/**
 * Fills the World and account tables when they are empty, in one
 * transaction of batched multi-row inserts: 10000 single-row autocommits
 * would take seconds on PostgreSQL and far longer on per-query connections.
 * `on conflict do nothing` lets two processes seed one database at once.
 */
export function seed(db: Kysely<Database>): Promise<SeedResult> {
  return db.transaction().execute(async (trx) => {
    const worlds = (await isEmpty(trx, 'world'))
      ? await inBatches(
          Array.from({ length: WORLD_ROWS }, (_, i) => ({
            id: i + 1,
            randomNumber: randomWorldNumber(),
          })),
          (batch) =>
            trx
              .insertInto('world')
              .values(batch)
              .onConflict((oc) => oc.column('id').doNothing())
              .executeTakeFirst(),
        )
      : 0;
    const accounts = (await isEmpty(trx, 'account'))
      ? await inBatches(
          Array.from({ length: ACCOUNTS }, (_, i) => ({ id: i + 1, balance: OPENING_BALANCE })),
          (batch) =>
            trx
              .insertInto('account')
              .values(batch)
              .onConflict((oc) => oc.column('id').doNothing())
              .executeTakeFirst(),
        )
      : 0;
    return { worlds, accounts };
  });
}

/** A random number in 1..10000, as TechEmpower asks for ids and values. */
export function randomWorldNumber(): number {
  return 1 + Math.floor(Math.random() * WORLD_ROWS);
}

async function isEmpty(trx: Transaction<Database>, table: 'world' | 'account'): Promise<boolean> {
  const row = await trx.selectFrom(table).select('id').limit(1).executeTakeFirst();
  return row === undefined;
}

/** Runs `insert` on BATCH_ROWS rows at a time; returns how many rows were inserted. */
async function inBatches<R>(
  rows: readonly R[],
  insert: (batch: R[]) => Promise<InsertResult>,
): Promise<number> {
  let inserted = 0;
  for (let at = 0; at < rows.length; at += BATCH_ROWS) {
    const result = await insert(rows.slice(at, at + BATCH_ROWS));
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}
