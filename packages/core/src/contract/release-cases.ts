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
  contractCase(ctx, 'release-on-finish', 'a finished request releases exactly once', async () => {
    const subject = ctx.create();
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
  });

  contractCase(
    ctx,
    'release-on-error',
    'an error thrown by an async handler still releases',
    async () => {
      const subject = ctx.create();
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

  contractCase(ctx, 'release-on-abort', 'a client abort mid-request releases at once', async () => {
    const subject = ctx.create();
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
  });
}
