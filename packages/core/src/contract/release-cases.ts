import { withResolvers } from '@lifetimes/databases';
import { expect } from 'vitest';
import { ScopeClosedError } from '../errors.js';
import { whichConnection } from '../which-connection.js';
import { contractCase, sleep } from './case.js';
import type { ContractContext, Subject } from './contract-context.js';
import { acquireReleaseCounts } from './event-checks.js';
import { eventually } from './eventually.js';
import { httpGet } from './http-probe.js';

/**
 * Waits until the subject holds nothing, then checks every scope released
 * exactly what it acquired, and that the server agrees: no backend of this
 * strategy is left, at once for unpooled strategies, after close() for pools.
 */
async function expectAllReleased(ctx: ContractContext, subject: Subject): Promise<void> {
  const { strategy } = subject;
  await eventually('nothing held and no scope open', () => {
    const stats = strategy.stats();
    return stats.active === 0 && stats.scopesOpen === 0;
  });
  for (const [scopeId, counts] of acquireReleaseCounts(subject.events)) {
    expect(counts.releases, `scope ${scopeId}`).toBe(counts.acquires);
  }
  if (!ctx.spec.pools) {
    await eventually(
      'no backend left on the server',
      async () => (await ctx.backends(subject)) === 0,
    );
  }
  await strategy.close();
  const stats = strategy.stats();
  expect(stats.closed).toBe(stats.opened);
  expect(await ctx.backends(subject)).toBe(0);
}

/** Every way a request can end releases its connection exactly once. */
export function releaseCases(ctx: ContractContext): void {
  contractCase(
    ctx,
    'release-on-finish',
    'a finished request releases exactly once',
    async (subject) => {
      const served = await ctx.serve(subject, (app) => {
        app.get('/ok', async (_req, res) => {
          const a = await whichConnection(subject.db, ctx.dialect);
          const b = await whichConnection(subject.db, ctx.dialect);
          res.json({ a, b });
        });
      });
      for (let i = 0; i < 10; i++) expect((await httpGet(`${served.base}/ok`)).status).toBe(200);
      expect(subject.strategy.stats().acquires).toBeGreaterThan(0);
      await expectAllReleased(ctx, subject);
    },
  );

  contractCase(
    ctx,
    'release-on-error',
    'an error thrown by an async handler still releases',
    async (subject) => {
      const served = await ctx.serve(subject, (app) => {
        app.get('/boom', async () => {
          await whichConnection(subject.db, ctx.dialect);
          throw new Error('boom after a query');
        });
      });
      for (let i = 0; i < 10; i++) {
        const response = await httpGet(`${served.base}/boom`);
        expect(response.status).toBe(500);
        expect(response.body).toContain('boom after a query');
      }
      await expectAllReleased(ctx, subject);
    },
  );

  contractCase(
    ctx,
    'release-on-abort',
    'a client abort mid-request releases at once',
    async (subject) => {
      const late: unknown[] = [];
      const served = await ctx.serve(subject, (app) => {
        app.get('/hold', async (_req, res) => {
          await whichConnection(subject.db, ctx.dialect);
          await sleep(400);
          try {
            late.push(await whichConnection(subject.db, ctx.dialect));
          } catch (error) {
            late.push(error);
          }
          res.json({ done: true });
        });
      });
      const aborted = await Promise.all(
        Array.from({ length: 5 }, () => httpGet(`${served.base}/hold`, 100)),
      );
      expect(aborted.every((response) => response.status === 0)).toBe(true);
      // Teardown must not wait for the handler: the connection goes back while
      // the handler is still asleep.
      await eventually(
        'released while handlers still sleep',
        () => subject.strategy.stats().active === 0,
        300,
      );
      await eventually('handlers woke up', () => late.length === 5, 5000);
      for (const outcome of late) {
        if (ctx.spec.requiresScope) expect(outcome).toBeInstanceOf(ScopeClosedError);
        else expect(typeof outcome).toBe('string');
      }
      await expectAllReleased(ctx, subject);
    },
  );

  contractCase(
    ctx,
    'teardown-gives-up',
    "work that outlives teardown's wait never shares its connection with the next borrower",
    async (subject) => {
      const { db, strategy } = subject;
      const resumed = withResolvers();
      let outlived: Promise<unknown> = Promise.resolve();
      // The scope ends while its transaction still holds the connection:
      // work the request started and did not await, or a query that hangs.
      const first = await strategy.scope(async () => {
        let ran = '';
        const started = new Promise<void>((resolve) => {
          outlived = db.transaction().execute(async (trx) => {
            ran = await whichConnection(trx, ctx.dialect);
            await trx.insertInto('probe').values({ tag: 'outlived-1', n: 1 }).execute();
            resolve();
            await resumed.promise;
            await trx.insertInto('probe').values({ tag: 'outlived-2', n: 2 }).execute();
          });
        });
        await Promise.race([started, outlived]);
        return ran;
      });
      const next = await strategy
        .scope(() => whichConnection(db, ctx.dialect))
        .catch((error: unknown) => error);
      resumed.resolve();
      const outcome = await outlived.then(
        () => 'committed',
        (error: unknown) => error,
      );
      // A shared single SQLite handle may make the next borrower wait it out
      // and time out: that is still never meeting the other request's work.
      if (ctx.spec.connectionPer === 'scope') expect(typeof next, String(next)).toBe('string');
      expect(next).not.toBe(first);
      if (ctx.spec.connectionPer === 'scope') {
        // Teardown could not wait: the connection was closed under the work,
        // which fails, its transaction rolled back by the database.
        expect(outcome).toBeInstanceOf(Error);
        expect(await ctx.adminQuery("select tag from probe where tag like 'outlived-%'")).toEqual(
          [],
        );
        const reported = subject.events.find(
          (e) => e.type === 'error' && e.connectionId && e.detail?.includes('teardown'),
        );
        expect(reported, 'an error event names the abandoned connection').toBeDefined();
        expect(
          subject.events.some(
            (e) => e.type === 'close' && e.connectionId === reported?.connectionId,
          ),
        ).toBe(true);
      } else {
        // Its own connection carries the transaction to the end.
        expect(outcome).toBe('committed');
      }
      await ctx.scopesEnded(subject);
    },
    // Teardown waits for the query in flight at most the acquire timeout.
    { options: { acquireTimeoutMs: 300, maxConnections: 2 }, timeoutMs: 15_000 },
  );
}
