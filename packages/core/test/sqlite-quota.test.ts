import { createTempDir, type TempDir } from '@lifetimes/databases';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createPool,
  openConnection,
  type PhysicalConnection,
  UNOBSERVED,
} from '../src/authoring.js';
import { parseDatabaseUrl } from '../src/index.js';

/** Inserts 4 KiB rows until the database refuses one; the error, or undefined after 200 rows. */
async function fill(connection: PhysicalConnection): Promise<unknown> {
  await connection.executeQuery(CompiledQuery.raw('create table if not exists t (x blob)'));
  for (let i = 0; i < 200; i++) {
    try {
      await connection.executeQuery(CompiledQuery.raw('insert into t values (zeroblob(4096))'));
    } catch (error) {
      return error;
    }
  }
  return undefined;
}

describe('a SQLite URL with max_page_count', () => {
  let dir: TempDir;
  beforeEach(async () => {
    dir = await createTempDir('lifetimes-quota');
  });
  afterEach(() => dir.remove());
  const url = (query: string) => parseDatabaseUrl(`${dir.sqliteUrl('q.db')}${query}`);

  it('makes every opened connection refuse to grow the file past the quota', async () => {
    const connection = await openConnection(url('?max_page_count=40'), UNOBSERVED);
    const error = await fill(connection);
    await connection.close();
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
  });

  it('holds for pooled connections too', async () => {
    const pool = createPool(url('?max_page_count=40'), UNOBSERVED, { max: 1 });
    const connection = await pool.acquire();
    const error = await fill(connection);
    await pool.release(connection);
    await pool.close();
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
  });

  it('leaves a URL without it unbounded', async () => {
    const connection = await openConnection(url(''), UNOBSERVED);
    expect(await fill(connection)).toBeUndefined();
    await connection.close();
  });
});
