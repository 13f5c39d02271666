import { createServer, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { createTempDir, type TempDir } from '@lifetimes/databases';
import { CompiledQuery } from 'kysely';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createPool, type PhysicalConnection, UNOBSERVED } from '../src/authoring.js';
import { parseDatabaseUrl } from '../src/index.js';
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

  it('checks out and in at once only what needs no wait, no open and no clean-up', async () => {
    const opened: string[] = [];
    const observer = {
      ...UNOBSERVED,
      onOpen: (connection: PhysicalConnection) => opened.push(connection.id),
    };
    const pool = createPool(parseDatabaseUrl(dir.sqliteUrl('try.db')), observer, { max: 1 });
    try {
      // Nothing idle: opening is acquire()'s work, so tryAcquire opens nothing.
      expect(pool.tryAcquire()).toBeUndefined();
      expect(opened).toEqual([]);

      const first = await pool.acquire();
      expect(pool.tryAcquire()).toBeUndefined();
      expect(pool.tryRelease(first)).toBe(true);
      expect(pool.leased).toBe(0);
      const again = pool.tryAcquire();
      expect(again?.id).toBe(first.id);
      expect(pool.leased).toBe(1);
      expect(opened).toHaveLength(1);

      // A handle inside a transaction needs a rollback: tryRelease leaves it
      // leased, and release() cleans it before anyone borrows it.
      await first.begin();
      expect(pool.tryRelease(first)).toBe(false);
      expect(pool.leased).toBe(1);
      await pool.release(first);
      expect(pool.leased).toBe(0);
      expect(pool.tryAcquire()?.inTransaction).toBe(false);

      // Closed: nothing goes out, and what comes back goes through release(), which closes it.
      await pool.close();
      expect(pool.tryAcquire()).toBeUndefined();
      expect(pool.tryRelease(first)).toBe(false);
      await pool.release(first);
      expect(first.isClosed).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it('closes a handle once it has been idle for idleTimeoutMs since its last release, oldest first', async () => {
    const closedAt = new Map<string, number>();
    const observer = {
      ...UNOBSERVED,
      onClose: (connection: PhysicalConnection) => closedAt.set(connection.id, performance.now()),
    };
    const idleTimeoutMs = 100;
    const pool = createPool(parseDatabaseUrl(dir.sqliteUrl('idle.db')), observer, {
      max: 2,
      idleTimeoutMs,
    });
    try {
      const first = await pool.acquire();
      const second = await pool.acquire();
      // Read before each release: the pool stamps the handle's idle start
      // inside release(), so this is a lower bound of it. A reading after
      // release() returned would be later than the stamp, and a close right
      // on time would look early by the gap.
      const firstBack = performance.now();
      await pool.release(first);
      await pool.release(second);
      // The most recently returned handle goes out first, and its idle time starts over.
      const again = await pool.acquire();
      expect(again.id).toBe(second.id);
      await sleep(60);
      const secondBack = performance.now();
      await pool.release(again);

      await vi.waitFor(() => expect(closedAt.size).toBe(2), { timeout: 5000 });
      const firstClosed = closedAt.get(first.id) ?? Number.NaN;
      const secondClosed = closedAt.get(second.id) ?? Number.NaN;
      expect(firstClosed - firstBack).toBeGreaterThanOrEqual(idleTimeoutMs);
      expect(secondClosed - secondBack).toBeGreaterThanOrEqual(idleTimeoutMs);
      expect(firstClosed).toBeLessThan(secondClosed);
    } finally {
      await pool.close();
    }
  });

  it('closes every expired handle even when closing one throws, and reports that error', async () => {
    const closed: string[] = [];
    const errors: { id: string; message: string }[] = [];
    const observer = {
      ...UNOBSERVED,
      onClose: (connection: PhysicalConnection) => {
        closed.push(connection.id);
        if (closed.length === 1) throw new Error('observer failed on close');
      },
      onError: (connection: PhysicalConnection, error: Error) =>
        errors.push({ id: connection.id, message: error.message }),
    };
    const pool = createPool(parseDatabaseUrl(dir.sqliteUrl('expire.db')), observer, {
      max: 2,
      idleTimeoutMs: 20,
    });
    try {
      const first = await pool.acquire();
      const second = await pool.acquire();
      await pool.release(first);
      await pool.release(second);
      // Both expire on the same timer: the throw on the first must not leave
      // the second open, nor escape as an unhandled rejection.
      await vi.waitFor(() => expect(closed).toHaveLength(2), { timeout: 5000 });
      expect(errors).toEqual([{ id: closed[0], message: 'observer failed on close' }]);
    } finally {
      await pool.close();
    }
  });
});

describe('a pool on postgres', () => {
  it('answers a connection slower to open than the acquire timeout as an acquire timeout, and counts it', async () => {
    // Accepts and never answers: a server too busy or too far to take the
    // connection. No database is involved: the connection never gets one.
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => sockets.add(socket));
    await new Promise<void>((listening) => silent.listen(0, '127.0.0.1', listening));
    const address = silent.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    let timeouts = 0;
    const observer = { ...UNOBSERVED, onTimeout: () => void timeouts++ };
    const url = `postgres://postgres@127.0.0.1:${port}/silent`;
    const pool = createPool(parseDatabaseUrl(url), observer, { max: 1, acquireTimeoutMs: 200 });
    try {
      await expect(pool.acquire()).rejects.toMatchObject({
        code: 'ACQUIRE_TIMEOUT',
        status: 503,
        message: expect.stringContaining('Opening a new connection took longer'),
      });
      expect(timeouts).toBe(1);
    } finally {
      await pool.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((closed) => silent.close(closed));
    }
  });
});
