import type { LifetimeStats } from '@lifetimes/core';
import { eventually } from '@lifetimes/core/contract';
import { ACCOUNTS, OPENING_BALANCE } from '@lifetimes/schema';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { call, getJson } from './http-call.js';
import { startEntry } from './start-entry.js';

const SLOW_MS = 1000;
const EXIT_PROMISE_MS = 10_000;

/** SIGTERM: stop accepting, finish in-flight requests, close every connection, exit 0 within 10 s. */
export function shutdownCases(ctx: AppContext): void {
  const { spec, dialect } = ctx;

  it('the real entry seeds an empty database, and on SIGTERM finishes in-flight requests, closes everything and exits 0', async () => {
    const { child, base, backendCount } = await startEntry(ctx, {}, 30_000);
    try {
      expect(await getJson(base, '/accounts/total')).toEqual({
        total: ACCOUNTS * OPENING_BALANCE,
        count: ACCOUNTS,
      });

      const fast = await Promise.all(
        ['/db', '/queries?queries=5', '/updates?queries=3', '/whoami', '/health']
          .flatMap((path) => Array.from({ length: 9 }, () => path))
          .map((path) => call(base, 'GET', path)),
      );
      expect(fast.map((response) => response.status)).toEqual(fast.map(() => 200));
      const slow = Array.from({ length: 5 }, () => call(base, 'GET', `/slow?ms=${SLOW_MS}`));
      await eventually('the five slow requests are in flight', async () => {
        const stats = await getJson<LifetimeStats>(base, '/stats');
        return stats.scopesOpen >= 6;
      });
      if (dialect === 'postgres' && spec.connectionPer !== 'query') {
        // The filter below must see the app's connections, or its final 0 proves nothing.
        // A slow request's scope is open before its first query has connected, so the
        // server may not list its backend yet: wait for it, while the requests still wait.
        await eventually(
          "the server lists the app's backends",
          async () => (await backendCount()) > 0,
          SLOW_MS,
        );
      }

      const signalled = performance.now();
      child.process.kill('SIGTERM');
      await eventually('the server refuses new connections', async () => {
        const refused = await call(base, 'GET', '/health').then(
          () => false,
          (error: NodeJS.ErrnoException) => error.code === 'ECONNREFUSED',
        );
        return refused;
      });
      const finished = await Promise.all(slow);
      expect(finished.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
      for (const { body } of finished) expect(body).toMatchObject({ waitedMs: SLOW_MS });

      const code = await child.exited();
      const took = performance.now() - signalled;
      expect(code, child.output).toBe(0);
      expect(took).toBeLessThan(EXIT_PROMISE_MS);
      const summary = /stopped cleanly: (\d+) connections opened, (\d+) closed, 0 scopes open/.exec(
        child.output,
      );
      expect(summary, child.output).not.toBeNull();
      expect(Number(summary?.[1])).toBeGreaterThan(0);
      expect(summary?.[2]).toBe(summary?.[1]);
      if (dialect === 'postgres') {
        await eventually('no backend of the app is left', async () => {
          return (await backendCount()) === 0;
        });
      }
    } finally {
      if (child.running) child.process.kill('SIGKILL');
    }
  }, 60_000);
}
