import { createHook } from 'node:async_hooks';
import {
  createScratchDatabase,
  type PostgresServer,
  type ScratchDatabase,
  startPostgres,
} from '@lifetimes/databases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, type PhysicalConnection, UNOBSERVED } from '../src/authoring.js';
import { parseDatabaseUrl } from '../src/index.js';

/** How many timers `call` sets while it runs, synchronously: pg.Pool sets its acquire timer inside connect(). */
function timersSetBy<T>(call: () => T): { result: T; timers: number } {
  let timers = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'Timeout') timers++;
    },
  }).enable();
  try {
    return { result: call(), timers };
  } finally {
    hook.disable();
  }
}

describe('a pool on postgres, checking a connection out', () => {
  let server: PostgresServer;
  let scratch: ScratchDatabase;
  beforeAll(async () => {
    server = await startPostgres();
    scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_pg_pool');
  });
  afterAll(async () => {
    await scratch?.drop();
    await server?.stop();
  });

  const newPool = (max: number) =>
    createPool(parseDatabaseUrl(scratch.url), UNOBSERVED, { max, acquireTimeoutMs: 300 });

  it('hands an idle connection out without setting a timer, and bounds a call that must wait with one', async () => {
    const pool = newPool(2);
    try {
      const warm = [await pool.acquire(), await pool.acquire()];
      for (const connection of warm) await pool.release(connection);

      // Two idle connections: each call is served on the next tick, and no
      // timer is needed to bound it.
      const first = timersSetBy(() => pool.acquire());
      const second = timersSetBy(() => pool.acquire());
      expect([first.timers, second.timers]).toEqual([0, 0]);
      const held = [await first.result, await second.result];

      // None idle and no room: this call waits in pg.Pool's queue, and its
      // timer answers it when nothing comes back in time.
      const waiting = timersSetBy(() => pool.acquire());
      expect(waiting.timers).toBe(1);
      await expect(waiting.result).rejects.toMatchObject({
        code: 'ACQUIRE_TIMEOUT',
        message: expect.stringContaining('Every connection is busy'),
      });
      for (const connection of held) await pool.release(connection);
    } finally {
      await pool.close();
    }
  });

  it('times out the second of two calls in one tick for one idle connection, instead of leaving it waiting without a bound', async () => {
    const pool = newPool(1);
    try {
      await pool.release(await pool.acquire());
      // Both calls see the one idle connection; only the first gets it.
      const first = pool.acquire();
      const second = pool.acquire();
      const outcome = second.then(
        () => 'served',
        (error: { code?: string }) => error.code,
      );
      const connection: PhysicalConnection = await first;
      expect(await outcome).toBe('ACQUIRE_TIMEOUT');
      await pool.release(connection);
      // The timeout did not cost the pool its connection.
      await pool.release(await pool.acquire());
    } finally {
      await pool.close();
    }
    // Many times the acquire timeout: a call left without its bound fails here.
  }, 5000);
});
