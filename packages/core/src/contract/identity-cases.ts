import { expect } from 'vitest';
import { whichConnection } from '../which-connection.js';
import { contractCase, sleep } from './case.js';
import type { ContractContext } from './contract-context.js';
import { sharedHolds } from './event-checks.js';
import { eventually } from './eventually.js';
import { httpGet } from './http-probe.js';

class Rollback extends Error {}

/** Which connection runs which query, and that nothing is opened before it is needed. */
export function identityCases(ctx: ContractContext): void {
  const { spec } = ctx;

  contractCase(
    ctx,
    'which-connection',
    'the database confirms which connection ran each query',
    async (subject) => {
      const asked = await subject.strategy.scope(async () => [
        await whichConnection(subject.db, ctx.dialect),
        await whichConnection(subject.db, ctx.dialect),
      ]);
      const ran = subject.events.filter((e) => e.type === 'query').map((e) => e.connectionId);
      expect(ran).toHaveLength(2);
      const [first, second] = asked;
      if (spec.connectionPer === 'scope') {
        expect(second).toBe(first);
        expect(ran[1]).toBe(ran[0]);
      }
      if (spec.connectionPer === 'query') {
        expect(second).not.toBe(first);
        expect(ran[1]).not.toBe(ran[0]);
      }
      if (spec.connectionPer === 'shared' && ctx.dialect === 'sqlite') {
        expect(second).toBe(first);
      }
      // The strategy's bookkeeping and the database agree: one id, one backend.
      expect(new Set(asked).size).toBe(new Set(ran).size);
    },
  );

  contractCase(
    ctx,
    'lazy',
    'a scope that never queries opens and acquires nothing',
    async (subject) => {
      await subject.strategy.scope(() => sleep(5));
      const served = await ctx.serve(subject, (app) => {
        app.get('/health', (_req, res) => {
          res.json({ ok: true });
        });
      });
      for (let i = 0; i < 5; i++) expect((await httpGet(`${served.base}/health`)).status).toBe(200);
      await eventually('scopes ended', () => subject.strategy.stats().scopesOpen === 0);
      const stats = subject.strategy.stats();
      expect(stats.scopesStarted).toBe(6);
      expect(stats.opened).toBe(0);
      expect(stats.acquires).toBe(0);
      expect(await ctx.backends(subject)).toBe(0);
    },
  );

  contractCase(
    ctx,
    'isolation',
    '100 concurrent requests each see only their own connection and transaction',
    async (subject) => {
      const { db, strategy } = subject;
      const served = await ctx.serve(subject, (app) => {
        app.get('/iso/:i', async (req, res) => {
          const i = Number(req.params.i);
          const before = await whichConnection(db, ctx.dialect);
          await sleep(i % 7);
          let inside: string[] = [];
          try {
            await db.transaction().execute(async (trx) => {
              const a = await whichConnection(trx, ctx.dialect);
              await trx
                .insertInto('probe')
                .values({ tag: `iso-${i}`, n: i })
                .execute();
              await sleep(i % 3);
              const b = await whichConnection(trx, ctx.dialect);
              inside = [a, b];
              if (i % 2 === 1) throw new Rollback();
            });
          } catch (error) {
            if (!(error instanceof Rollback)) throw error;
          }
          await strategy.commit();
          const after = await whichConnection(db, ctx.dialect);
          res.json({ before, inside, after });
        });
      });
      const responses = await Promise.all(
        Array.from({ length: 100 }, (_, i) => httpGet(`${served.base}/iso/${i}`)),
      );
      for (const response of responses) {
        expect(response.status, response.body).toBe(200);
        const { before, inside, after } = JSON.parse(response.body) as {
          before: string;
          inside: string[];
          after: string;
        };
        // A transaction is one connection, from BEGIN to the end.
        expect(inside[1]).toBe(inside[0]);
        if (spec.connectionPer === 'scope') {
          expect([inside[0], after]).toEqual([before, before]);
        }
      }
      await eventually('all scopes ended', () => strategy.stats().scopesOpen === 0);
      // No connection was held by two requests at once.
      expect(sharedHolds(subject.events)).toEqual([]);
      // Had any query run inside another request's transaction, a rolled-back
      // request would have taken a committed row with it, or the reverse.
      const rows = await ctx.adminQuery<{ tag: string }>('select tag from probe order by n');
      const evens = Array.from({ length: 50 }, (_, k) => `iso-${k * 2}`);
      expect(rows.map((row) => row.tag)).toEqual(evens);
    },
    { timeoutMs: 60_000 },
  );
}
