import { sql } from 'kysely';
import { expect } from 'vitest';
import { LifetimeError } from '../errors.js';
import { whichConnection } from '../which-connection.js';
import { contractCase, sleep } from './case.js';
import type { ContractContext } from './contract-context.js';
import { eventually } from './eventually.js';

/** What the drivers throw at a strategy: SQLite lock contention, PostgreSQL backends dying. */
export function failureCases(ctx: ContractContext): void {
  if (ctx.dialect === 'sqlite') {
    contractCase(
      ctx,
      'sqlite-writers',
      'concurrent writers on separate connections never hit SQLITE_BUSY',
      async (subject) => {
        const writers = Array.from({ length: 30 }, (_, i) =>
          subject.strategy.scope(async () => {
            if (i % 2 === 0) {
              // Holds the write lock across an await: the case that deadlocks
              // a synchronous driver without the writer gate.
              await subject.db.transaction().execute(async (trx) => {
                await trx.selectFrom('probe').select('tag').execute();
                await sleep(3);
                await trx
                  .insertInto('probe')
                  .values({ tag: `w-${i}`, n: i })
                  .execute();
              });
            } else {
              await subject.db
                .insertInto('probe')
                .values({ tag: `w-${i}`, n: i })
                .execute();
            }
            await subject.strategy.commit();
          }),
        );
        const outcomes = await Promise.allSettled(writers);
        expect(outcomes.filter((o) => o.status === 'rejected')).toEqual([]);
        expect(await ctx.adminQuery('select count(*) as n from probe')).toEqual([{ n: 30 }]);
      },
      { timeoutMs: 30_000 },
    );
    return;
  }

  contractCase(
    ctx,
    'pg-terminate',
    'a killed backend never crashes the process and is never reused',
    async (subject) => {
      const { db, strategy } = subject;
      // 1. Killed mid-query: the query fails, nothing else does.
      const running = strategy.scope(() => sql`select pg_sleep(5)`.execute(db));
      // Handled from the start: the query can fail before terminate() returns.
      const failed = expect(running).rejects.toThrow();
      let victim = '';
      await eventually('the sleeping query is on the server', async () => {
        const sleeping = (await ctx.sessions(subject)).find(
          (session) => session.state === 'active' && session.query.includes('pg_sleep'),
        );
        victim = String(sleeping?.pid ?? '');
        return victim !== '';
      });
      await ctx.terminate(victim);
      await failed;
      const next = await strategy.scope(() => whichConnection(db, ctx.dialect));
      expect(next).not.toBe(victim);

      // 2. Killed while idle (in a pool, or held by an open scope).
      const idleVictims: string[] = [];
      await strategy
        .scope(async () => {
          idleVictims.push(await whichConnection(db, ctx.dialect));
          await ctx.killBackends(subject);
          // Same scope, next query: on a new connection, or a clean failure.
          const again = await whichConnection(db, ctx.dialect).catch((error: Error) => error);
          if (typeof again === 'string') expect(again).not.toBe(idleVictims[0]);
          else expect(again).toBeInstanceOf(Error);
        })
        .catch(() => {});
      await sleep(20);
      const after = await strategy.scope(() => whichConnection(db, ctx.dialect));
      expect(idleVictims).not.toContain(after);
      await eventually('nothing held', () => strategy.stats().active === 0);
    },
    { timeoutMs: 30_000 },
  );

  contractCase(
    ctx,
    'release-broken',
    'a connection released broken is closed at once, never kept idle',
    async (subject) => {
      const { db, strategy } = subject;
      // SQLSTATE 08006 (connection failure) on a socket that stays open: the
      // connection is broken for the strategy while pg and pg.Pool still
      // think it usable, so only the release path keeps it from the next
      // borrower.
      const failure = sql`do $$ begin raise exception 'simulated connection failure' using errcode = '08006'; end $$`;
      await expect(strategy.scope(() => failure.execute(db))).rejects.toThrow(
        'simulated connection failure',
      );
      const broken = subject.events.find((e) => e.type === 'error' && e.connectionId);
      expect(broken?.connectionId).toBeDefined();
      await eventually(
        'the broken connection closed',
        () =>
          subject.events.some((e) => e.type === 'close' && e.connectionId === broken?.connectionId),
        2000,
      );
      await eventually('no backend left', async () => (await ctx.backends(subject)) === 0, 2000);
    },
  );

  contractCase(
    ctx,
    'broken-reconnects',
    'after a connection dies mid-scope, later queries run on a new one or fail typed',
    async (subject) => {
      const { db, strategy } = subject;
      const [first, third] = await strategy.scope(async () => {
        const first = await whichConnection(db, ctx.dialect);
        await ctx.killBackends(subject);
        // The query that meets the dead connection may fail with it ...
        await whichConnection(db, ctx.dialect).catch(() => undefined);
        // ... but the one after it must not meet it again.
        const third = await whichConnection(db, ctx.dialect).catch((error: unknown) => error);
        return [first, third];
      });
      if (ctx.spec.unitOfWork) {
        expect(third).toBeInstanceOf(LifetimeError);
      } else {
        expect(typeof third, String(third)).toBe('string');
        expect(third).not.toBe(first);
      }
      await ctx.scopesEnded(subject);
    },
    { timeoutMs: 30_000 },
  );

  contractCase(
    ctx,
    'broken-known-replaced',
    'a connection known dead before a query starts is replaced for that query, not met',
    async (subject) => {
      const { db, strategy } = subject;
      const [first, second] = await strategy.scope(async () => {
        const first = await whichConnection(db, ctx.dialect);
        // Returns once the error event arrived: the strategy knows.
        await ctx.killBackends(subject);
        const second = await whichConnection(db, ctx.dialect).catch((error: unknown) => error);
        return [first, second];
      });
      if (ctx.spec.unitOfWork) {
        // The unit's work died with it: a typed error, never the driver's.
        expect(second).toBeInstanceOf(LifetimeError);
      } else {
        expect(typeof second, String(second)).toBe('string');
        expect(second).not.toBe(first);
        // A new lifetime: the dead connection closed before the new one was taken.
        const acquired = subject.events.filter((e) => e.type === 'acquire');
        const dead = acquired[0]?.connectionId;
        const replacement = acquired.at(-1);
        expect(replacement?.connectionId).not.toBe(dead);
        const closed = subject.events.find((e) => e.type === 'close' && e.connectionId === dead);
        expect(closed, 'the dead connection was closed').toBeDefined();
        expect(closed?.time).toBeLessThanOrEqual(replacement?.time ?? 0);
      }
      await ctx.scopesEnded(subject);
    },
    { timeoutMs: 30_000 },
  );

  contractCase(
    ctx,
    'stuck-transaction-cut',
    "a transaction left idle past the server's idle_in_transaction_session_timeout is cut off, rolled back, and the next request is served",
    async (subject) => {
      // Set where an operator sets it (ALTER DATABASE or ALTER ROLE): every
      // new session of this database gets it, the strategy changes nothing.
      await ctx.setDatabaseSetting('idle_in_transaction_session_timeout', '300ms');
      try {
        const { db, strategy } = subject;
        const stuck = strategy.scope(async () => {
          await db.transaction().execute(async (trx) => {
            await trx.insertInto('probe').values({ tag: 'stuck', n: 1 }).execute();
            // A handler awaiting something slow with its transaction open:
            // the server ends the session after 300 ms idle.
            await sleep(1000);
            await trx.insertInto('probe').values({ tag: 'late', n: 2 }).execute();
          });
          await strategy.commit();
        });
        await expect(stuck).rejects.toThrow();
        // The server rolled the transaction back when it cut the session.
        expect(await ctx.adminQuery('select tag from probe')).toEqual([]);
        const served = await strategy.scope(async () => {
          await db.insertInto('probe').values({ tag: 'next', n: 3 }).execute();
          await strategy.commit();
          return whichConnection(db, ctx.dialect);
        });
        expect(typeof served, String(served)).toBe('string');
        expect(await ctx.adminQuery('select tag from probe')).toEqual([{ tag: 'next' }]);
        await ctx.scopesEnded(subject);
        // The cut session is gone from the server and from the strategy's count.
        const { opened, closed } = strategy.stats();
        await eventually(
          'no backend beyond the connections the strategy keeps open',
          async () => (await ctx.backends(subject)) <= opened - closed,
        );
      } finally {
        await ctx.setDatabaseSetting('idle_in_transaction_session_timeout', undefined);
      }
    },
    { timeoutMs: 30_000 },
  );
}
