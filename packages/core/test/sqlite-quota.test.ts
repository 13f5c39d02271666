import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { createPool, openConnection, parseDatabaseUrl } from '../src/index.js';
import type { ConnectionObserver, PhysicalConnection } from '../src/physical-connection.js';

const ignore: ConnectionObserver = {
  onOpen() {},
  onQuery() {},
  onTransaction() {},
  onError() {},
  onClose() {},
  onWait() {},
  onTimeout() {},
};

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
  const dirs: string[] = [];
  const url = (query: string) => {
    const dir = mkdtempSync(join(tmpdir(), 'lifetimes-quota-'));
    dirs.push(dir);
    return parseDatabaseUrl(`sqlite:${join(dir, 'q.db')}${query}`);
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('makes every opened connection refuse to grow the file past the quota', async () => {
    const connection = await openConnection(url('?max_page_count=40'), ignore);
    const error = await fill(connection);
    await connection.close();
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
  });

  it('holds for pooled connections too', async () => {
    const pool = createPool(url('?max_page_count=40'), ignore, { max: 1 });
    const connection = await pool.acquire();
    const error = await fill(connection);
    await pool.release(connection);
    await pool.close();
    expect((error as { code?: string }).code).toBe('SQLITE_FULL');
  });

  it('leaves a URL without it unbounded', async () => {
    const connection = await openConnection(url(''), ignore);
    expect(await fill(connection)).toBeUndefined();
    await connection.close();
  });
});
