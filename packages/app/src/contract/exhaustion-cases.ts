import type { LifetimeStats } from '@lifetimes/core';
import { eventually } from '@lifetimes/core/contract';
import { withResolvers } from '@lifetimes/databases';
import { sql } from 'kysely';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { type CallResult, call, getJson } from './http-call.js';

const ACQUIRE_TIMEOUT_MS = 300;

function expectServiceUnavailable(response: CallResult): void {
  expect(response.status, JSON.stringify(response.body)).toBe(503);
  expect(response.body).toEqual({ error: expect.stringMatching(/^Timed out after 300 ms/) });
  expect(Number(response.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  // Given up at the acquire timeout: not at once, and never a hang.
  expect(response.ms).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 20);
  expect(response.ms).toBeLessThan(3000);
}

/** One connection, held: the next request waits the acquire timeout, then gets a 503. */
export function exhaustionCases(ctx: AppContext): void {
  const { spec } = ctx;

  it('with its only connection held, a request gets 503 and Retry-After, and the app recovers', async () => {
    const { base, strategy } = await ctx.serve({
      maxConnections: 1,
      acquireTimeoutMs: ACQUIRE_TIMEOUT_MS,
    });
    const released = withResolvers();
    const held = withResolvers();
    // A transaction pins one connection in every strategy, from BEGIN to its end.
    const holder = strategy.scope(() =>
      strategy.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        held.resolve();
        await released.promise;
      }),
    );
    await held.promise;
    try {
      expectServiceUnavailable(await call(base, 'GET', '/db'));
    } finally {
      released.resolve();
      await holder;
    }
    expect((await call(base, 'GET', '/db')).status).toBe(200);
    expect((await getJson<LifetimeStats>(base, '/stats')).timeouts).toBeGreaterThanOrEqual(1);
  });

  const holds = spec.connectionPer === 'scope';
  it(`/slow ${holds ? 'holds the only connection through its wait: the next request gets 503' : 'gives its connection back during the wait: the next request is served'}`, async () => {
    const { base } = await ctx.serve({ maxConnections: 1, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS });
    const slow = call(base, 'GET', '/slow?ms=1500');
    await eventually('/slow ran its first query', async () => {
      const stats = await getJson<LifetimeStats>(base, '/stats');
      return stats.queries >= 1 && stats.active === (holds ? 1 : 0);
    });
    const next = await call(base, 'GET', '/db');
    if (holds) expectServiceUnavailable(next);
    else expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect((await slow).status).toBe(200);
  });
}
