import { eventually } from '@lifetimes/core/contract';
import { ACCOUNTS, OPENING_BALANCE } from '@lifetimes/schema';
import { expect, it } from 'vitest';
import type { FleetStats } from '../run-fleet.js';
import type { AppContext } from './app-context.js';
import { call, getJson } from './http-call.js';
import { startEntry } from './start-entry.js';

const WORKERS = 2;
const EXIT_PROMISE_MS = 10_000;

/** WORKERS=N: the same app in N processes on one port, one /stats for all, a dead worker replaced, SIGTERM for all. */
export function fleetCases(ctx: AppContext): void {
  const { spec, dialect } = ctx;

  it(`WORKERS=${WORKERS} serves the contract from ${WORKERS} processes on one port, sums /stats over them, replaces a killed worker and stops all on SIGTERM`, async () => {
    const { child, base, backendCount } = await startEntry(
      ctx,
      { WORKERS: String(WORKERS) },
      45_000,
      new RegExp(`fleet of ${WORKERS} workers listening`),
    );
    try {
      // Seeded once by the primary, not once per worker.
      expect(await getJson(base, '/accounts/total')).toEqual({
        total: ACCOUNTS * OPENING_BALANCE,
        count: ACCOUNTS,
      });
      const served = await Promise.all(
        Array.from({ length: 20 }, () => call(base, 'GET', '/whoami')),
      );
      expect(served.map((response) => response.status)).toEqual(served.map(() => 200));

      const stats = await getJson<FleetStats>(base, '/stats');
      const pids = stats.workers.map((worker) => worker.pid);
      expect(new Set(pids).size).toBe(WORKERS);
      expect(pids).not.toContain(child.process.pid);
      // Every connection goes to the next worker in turn: both served some.
      for (const worker of stats.workers) expect(worker.scopesStarted).toBeGreaterThan(0);
      for (const key of ['acquires', 'releases', 'queries', 'scopesStarted'] as const) {
        expect(stats[key]).toBe(stats.workers.reduce((sum, worker) => sum + worker[key], 0));
      }
      expect(stats.scopesStarted).toBeGreaterThanOrEqual(20);

      // A token signed by one worker is honoured by every other one.
      const credentials = { username: 'fleet-user', password: 'fleet-password' };
      expect((await call(base, 'POST', '/auth/register', { json: credentials })).status).toBe(201);
      const login = await call(base, 'POST', '/auth/login', { json: credentials });
      const { token } = login.body as { token: string };
      const authorised = await Promise.all(
        Array.from({ length: 2 * WORKERS }, () =>
          call(base, 'POST', '/posts', {
            json: { title: 'from a fleet', body: 'any worker' },
            headers: { authorization: `Bearer ${token}` },
          }),
        ),
      );
      expect(authorised.map((response) => response.status)).toEqual(authorised.map(() => 201));

      const [victim] = pids;
      // /stats asked for while the worker dies: the primary's question to
      // it can fail (the channel looked open a moment before), which must
      // cost the answer that worker's figures, never the primary. A request
      // handed to the dead worker is lost (see below): each gives up in time.
      const asking = Array.from({ length: 20 }, () =>
        call(base, 'GET', '/stats', { abortAfterMs: 3000 }),
      );
      process.kill(Number(victim), 'SIGKILL');
      await Promise.allSettled(asking);
      // Until the primary has seen the death it may still hand a new
      // connection to the dead worker, where it is lost: what a client of a
      // crashed worker meets, and not what this case is about.
      await eventually(
        'the primary saw the worker die',
        () => child.output.includes(`worker ${victim} exited`),
        10_000,
      );
      await eventually(
        'the primary replaced the killed worker',
        async () => {
          const after = await getJson<FleetStats>(base, '/stats');
          const now = after.workers.map((worker) => worker.pid);
          return now.length === WORKERS && !now.includes(Number(victim));
        },
        30_000,
      );
      const again = await Promise.all(Array.from({ length: 6 }, () => call(base, 'GET', '/db')));
      expect(again.map((response) => response.status)).toEqual(again.map(() => 200));

      // A process-wide pool stays open while idle: the final 0 below then
      // proves every worker closed its own.
      if (dialect === 'postgres' && spec.connectionPer === 'shared') {
        expect(await backendCount()).toBeGreaterThan(0);
      }
      const signalled = performance.now();
      child.process.kill('SIGTERM');
      const code = await child.exited();
      expect(code, child.output).toBe(0);
      expect(performance.now() - signalled).toBeLessThan(EXIT_PROMISE_MS);
      expect(child.output).toMatch(
        new RegExp(`fleet stopped cleanly: ${WORKERS} workers exited 0`),
      );
      expect(child.output.match(/stopped cleanly: \d+ connections opened/g)).toHaveLength(WORKERS);
      if (dialect === 'postgres') {
        await eventually(
          'no backend of the fleet is left',
          async () => (await backendCount()) === 0,
        );
      }
    } finally {
      if (child.running) child.process.kill('SIGKILL');
    }
  }, 90_000);
}
