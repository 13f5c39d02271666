import { withResolvers } from '@lifetimes/databases';
import { expect } from 'vitest';
import { inTransaction, whichConnection } from '../which-connection.js';
import { contractCase, sleep } from './case.js';
import type { ContractContext } from './contract-context.js';
import { closedInTransaction } from './event-checks.js';
import { eventually } from './eventually.js';
import { httpGet } from './http-probe.js';

class Rollback extends Error {}

/** Transactions commit, roll back, pin one connection, and never leak into the next user. */
export function transactionCases(ctx: ContractContext): void {
  contractCase(ctx, 'transaction-commit', 'a committed transaction is durable', async (subject) => {
    await subject.strategy.scope(async () => {
      await subject.db.transaction().execute(async (trx) => {
        await trx.insertInto('probe').values({ tag: 'committed', n: 1 }).execute();
      });
      await subject.strategy.commit();
    });
    // Seen from outside the strategy: it reached the database, not a cache.
    expect(await ctx.adminQuery('select tag from probe')).toEqual([{ tag: 'committed' }]);
    const seen = await subject.strategy.scope(() =>
      subject.db.selectFrom('probe').select('tag').execute(),
    );
    expect(seen).toEqual([{ tag: 'committed' }]);
  });

  contractCase(
    ctx,
    'transaction-rollback',
    'a throw inside a transaction rolls it back',
    async (subject) => {
      await subject.strategy.scope(async () => {
        await expect(
          subject.db.transaction().execute(async (trx) => {
            await trx.insertInto('probe').values({ tag: 'doomed', n: 1 }).execute();
            throw new Error('changed my mind');
          }),
        ).rejects.toThrow('changed my mind');
        await subject.strategy.commit();
      });
      expect(await ctx.adminQuery('select tag from probe')).toEqual([]);
      expect(subject.strategy.stats().rollbacks).toBeGreaterThanOrEqual(1);
    },
  );

  contractCase(
    ctx,
    'transaction-pins',
    'a transaction runs on one connection from BEGIN to the end',
    async (subject) => {
      const [outside, first, second] = await subject.strategy.scope(async () => {
        const before = await whichConnection(subject.db, ctx.dialect);
        return subject.db.transaction().execute(async (trx) => {
          const a = await whichConnection(trx, ctx.dialect);
          await sleep(20);
          const b = await whichConnection(trx, ctx.dialect);
          return [before, a, b];
        });
      });
      expect(second).toBe(first);
      if (ctx.spec.connectionPer === 'query') expect(first).not.toBe(outside);
      if (ctx.spec.connectionPer === 'scope') expect(first).toBe(outside);
      // Every statement between begin and its end ran on the begin's connection.
      const begin = subject.events.findIndex((e) => e.type === 'begin');
      const end = subject.events.findIndex(
        (e, i) => i > begin && (e.type === 'commit' || e.type === 'rollback'),
      );
      const inside = subject.events
        .slice(begin, end + 1)
        .filter((e) => e.type === 'query' || e.type === 'begin');
      expect(new Set(inside.map((e) => e.connectionId)).size).toBe(1);
    },
  );

  contractCase(
    ctx,
    'never-dirty',
    'a connection is never closed or handed on inside a transaction',
    async (subject) => {
      const served = await ctx.serve(subject, (app) => {
        app.get('/throw-in-trx/:i', async (req) => {
          await subject.db.transaction().execute(async (trx) => {
            await trx
              .insertInto('probe')
              .values({ tag: `t-${req.params.i}`, n: 1 })
              .execute();
            throw new Error('fails mid-transaction');
          });
        });
        app.get('/abort-in-trx/:i', async (req, res) => {
          await subject.db.transaction().execute(async (trx) => {
            await trx
              .insertInto('probe')
              .values({ tag: `a-${req.params.i}`, n: 1 })
              .execute();
            await sleep(150);
          });
          res.json({ finished: true });
        });
        app.get('/check', async (_req, res) => {
          res.json({ dirty: await inTransaction(subject.db, ctx.dialect) });
        });
      });
      await Promise.all([
        ...Array.from({ length: 5 }, (_, i) => httpGet(`${served.base}/throw-in-trx/${i}`)),
        ...Array.from({ length: 5 }, (_, i) => httpGet(`${served.base}/abort-in-trx/${i}`, 50)),
      ]);
      await eventually('nothing held', () => subject.strategy.stats().active === 0);
      for (let i = 0; i < 20; i++) {
        const response = await httpGet(`${served.base}/check`);
        expect(JSON.parse(response.body)).toEqual({ dirty: false });
      }
      expect(closedInTransaction(subject.events)).toEqual([]);
    },
  );

  contractCase(
    ctx,
    'concurrent-in-scope',
    "two concurrent queries of one scope never run inside each other's transaction",
    async (subject) => {
      const { db, strategy } = subject;
      await strategy.scope(async () => {
        const inside = withResolvers();
        const unit = db
          .transaction()
          .execute(async (trx) => {
            await trx.insertInto('probe').values({ tag: 'rolled-back', n: 1 }).execute();
            inside.resolve();
            await sleep(100);
            throw new Rollback();
          })
          .catch((error: unknown) => {
            if (!(error instanceof Rollback)) throw error;
          });
        // Issued through db, not trx, while the transaction is open: it must
        // wait for it (or run elsewhere), never join it.
        await inside.promise;
        const beside = db.insertInto('probe').values({ tag: 'beside', n: 2 }).execute();
        await Promise.all([unit, beside]);
        await strategy.commit();
      });
      // Had the second insert run inside the transaction, the rollback
      // would have taken it along.
      expect(await ctx.adminQuery('select tag from probe')).toEqual([{ tag: 'beside' }]);
    },
  );

  contractCase(
    ctx,
    'failed-request-outcome',
    'a failed request keeps what the strategy promises, read once its scope is gone',
    async (subject) => {
      const served = await ctx.serve(subject, (app) => {
        app.get('/fail', async () => {
          await subject.db.insertInto('probe').values({ tag: 'half', n: 1 }).execute();
          throw new Error('failed after a write');
        });
      });
      expect((await httpGet(`${served.base}/fail`)).status).toBe(500);
      // The response goes out before teardown runs: read the table only
      // once teardown has rolled back (or wrongly committed).
      await ctx.scopesEnded(subject);
      const rows = await ctx.adminQuery('select tag from probe');
      if (ctx.spec.unitOfWork) expect(rows).toEqual([]);
      else expect(rows).toEqual([{ tag: 'half' }]);
    },
  );
}
