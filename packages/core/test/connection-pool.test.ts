import { createTempDir, type TempDir } from '@lifetimes/databases';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPool, type PhysicalConnection, parseDatabaseUrl, UNOBSERVED } from '../src/index.js';
import { SQLITE_IN_TRANSACTION_FUNCTION } from '../src/sqlite/sqlite-connection.js';

async function rows(connection: PhysicalConnection, sql: string): Promise<unknown[]> {
  return (await connection.executeQuery(CompiledQuery.raw(sql))).rows;
}

// The release path is shared by both pools (cleanForReuse); SQLite shows it
// without a server. The contract suite covers PostgreSQL's pool through
// every strategy that pools.
describe('a pool on sqlite', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await createTempDir('lifetimes-pool');
  });
  afterEach(() => dir.remove());

  it('rolls back a connection released inside a transaction before anyone borrows it again', async () => {
    const pool = createPool(parseDatabaseUrl(dir.sqliteUrl('pool.db')), UNOBSERVED, { max: 1 });
    try {
      const first = await pool.acquire();
      await rows(first, 'create table t (x integer)');
      await first.begin();
      await rows(first, 'insert into t values (1)');
      await pool.release(first);

      // One connection in the pool: the next borrower gets the same one.
      const next = await pool.acquire();
      expect(next.id).toBe(first.id);
      expect(next.inTransaction).toBe(false);
      expect(await rows(next, `select ${SQLITE_IN_TRANSACTION_FUNCTION}() as dirty`)).toEqual([
        { dirty: 0 },
      ]);
      expect(await rows(next, 'select count(*) as n from t')).toEqual([{ n: 0 }]);
      await pool.release(next);
    } finally {
      await pool.close();
    }
  });
});
