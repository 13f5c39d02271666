import { OutsideScopeError } from '@lifetimes/core';
import {
  ContractContext,
  type ContractDb,
  eventually,
  httpGet,
  sleep,
} from '@lifetimes/core/contract';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ScopedSessionStrategy, SessionLostError, scopedSessionProfile } from '../src/index.js';

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`scoped-session unit of work on ${dialect}`, () => {
    const ctx = new ContractContext(scopedSessionProfile, dialect);
    const tags = async () =>
      (await ctx.adminQuery<{ tag: string }>('select tag from probe order by tag')).map(
        (r) => r.tag,
      );
    /** The strategy under test, typed as itself rather than the bare interface. */
    const create = () => ctx.create().strategy as ScopedSessionStrategy<ContractDb>;

    beforeAll(() => ctx.setup());
    beforeEach(() => ctx.reset());
    afterEach(() => ctx.closeAll());
    afterAll(() => ctx.teardown());

    it('keeps committed work and discards what was not committed when the scope ends', async () => {
      const strategy = create();
      await strategy.scope(async () => {
        await strategy.db.insertInto('probe').values({ tag: 'kept', n: 1 }).execute();
        await strategy.commit();
        await strategy.db.insertInto('probe').values({ tag: 'dropped', n: 2 }).execute();
        // Inside the session its own uncommitted write is visible...
        expect(
          await strategy.db.selectFrom('probe').select('tag').orderBy('tag').execute(),
        ).toEqual([{ tag: 'dropped' }, { tag: 'kept' }]);
      });
      // ...and gone once remove() rolled it back: nothing commits at teardown.
      expect(await tags()).toEqual(['kept']);
      expect(strategy.sessionCount).toBe(0);
    });

    it('rolls back the whole unit when the request fails', async () => {
      const strategy = create();
      const served = await ctx.serve(
        { strategy, db: strategy.db, applicationName: '', events: [] },
        (app) => {
          app.get('/fail', async () => {
            await strategy.db.insertInto('probe').values({ tag: 'half', n: 1 }).execute();
            throw new Error('failed after a write');
          });
        },
      );
      expect((await httpGet(`${served.base}/fail`)).status).toBe(500);
      // The registry entry goes before teardown's rollback finishes; the
      // scope counts as open until it has.
      await eventually('scope ended', () => strategy.stats().scopesOpen === 0);
      expect(await tags()).toEqual([]);
    });

    it('rolls back a nested unit (savepoint) alone while the outer unit commits', async () => {
      const strategy = create();
      await strategy.scope(async () => {
        await strategy.db.insertInto('probe').values({ tag: 'outer', n: 1 }).execute();
        await expect(
          strategy.db.transaction().execute(async (trx) => {
            await trx.insertInto('probe').values({ tag: 'inner-failed', n: 2 }).execute();
            throw new Error('inner unit fails');
          }),
        ).rejects.toThrow('inner unit fails');
        await strategy.db.transaction().execute(async (trx) => {
          await trx.insertInto('probe').values({ tag: 'inner-ok', n: 3 }).execute();
        });
        await strategy.commit();
      });
      expect(await tags()).toEqual(['inner-ok', 'outer']);
      // The failed inner unit is the only rollback; the outer unit committed.
      expect(strategy.stats().rollbacks).toBe(1);
    });

    it('serializes concurrent queries of one session instead of interleaving them', async () => {
      const strategy = create();
      await strategy.scope(async () => {
        const inner = strategy.db.transaction().execute(async (trx) => {
          await trx.insertInto('probe').values({ tag: 'in-savepoint', n: 1 }).execute();
          await sleep(50);
          throw new Error('roll the savepoint back');
        });
        // Issued while the savepoint is open: without the session lock it
        // would run inside it and be rolled back with it.
        const beside = sleep(10).then(() =>
          strategy.db.insertInto('probe').values({ tag: 'beside', n: 2 }).execute(),
        );
        await expect(inner).rejects.toThrow('roll the savepoint back');
        await beside;
        await strategy.commit();
      });
      expect(await tags()).toEqual(['beside']);
    });

    it('surfaces a failed commit to the caller and keeps nothing of it', async () => {
      const strategy = create();
      await ctx.adminQuery('create table if not exists parent (id integer primary key)');
      await ctx.adminQuery(
        'create table if not exists child (id integer primary key, parent_id integer not null ' +
          'references parent (id) deferrable initially deferred)',
      );
      await strategy.scope(async () => {
        await sql`insert into child (id, parent_id) values (1, 999)`.execute(strategy.db);
        await expect(strategy.commit()).rejects.toThrow(/foreign key/i);
      });
      expect(await ctx.adminQuery('select id from child')).toEqual([]);
    });

    it('leaves the registry empty after 1000 requests, aborted and failing ones included', async () => {
      const strategy = create();
      const served = await ctx.serve(
        { strategy, db: strategy.db, applicationName: '', events: [] },
        (app) => {
          app.get('/ok', async (_req, res) => {
            res.json(await strategy.db.selectFrom('probe').select('tag').execute());
          });
          app.get('/fail', async () => {
            await strategy.db.selectFrom('probe').select('tag').execute();
            throw new Error('handler failed');
          });
          app.get('/slow', async (_req, res) => {
            await strategy.db.selectFrom('probe').select('tag').execute();
            await sleep(200);
            res.json({ late: true });
          });
        },
      );
      const statuses: number[] = [];
      for (let batch = 0; batch < 20; batch++) {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => {
            if (i % 10 === 0) return httpGet(`${served.base}/fail`);
            if (i % 10 === 1) return httpGet(`${served.base}/slow`, 20);
            return httpGet(`${served.base}/ok`);
          }),
        );
        statuses.push(...results.map((r) => r.status));
      }
      expect(statuses.filter((s) => s === 200)).toHaveLength(800);
      expect(statuses.filter((s) => s === 500)).toHaveLength(100);
      expect(statuses.filter((s) => s === 0)).toHaveLength(100);
      // Teardown runs after the client has its answer: wait for it to finish.
      await eventually('every scope ended', () => strategy.stats().scopesOpen === 0);
      expect(strategy.sessionCount).toBe(0);
      const stats = strategy.stats();
      expect(stats.active).toBe(0);
      expect(stats.releases).toBe(stats.acquires);
    }, 60_000);

    it('refuses to be used outside a scope', async () => {
      const strategy = create();
      await expect(strategy.db.selectFrom('probe').select('tag').execute()).rejects.toBeInstanceOf(
        OutsideScopeError,
      );
      await expect(strategy.commit()).rejects.toBeInstanceOf(OutsideScopeError);
      expect(strategy.stats().opened).toBe(0);
    });

    it('keys sessions by a custom scopefunc, removed by the caller', async () => {
      let job: string | undefined = 'job-1';
      const strategy = new ScopedSessionStrategy<ContractDb>(ctx.url, { scopefunc: () => job });
      try {
        await strategy.db.insertInto('probe').values({ tag: 'job-1-committed', n: 1 }).execute();
        await strategy.commit();
        await strategy.db.insertInto('probe').values({ tag: 'job-1-pending', n: 2 }).execute();
        expect(strategy.sessionCount).toBe(1);
        // Job 2 only reads: on SQLite a second unit of work that writes would
        // wait for job 1's write lock, which job 1 holds until it ends.
        job = 'job-2';
        expect(
          await strategy.db.selectFrom('probe').select('tag').orderBy('tag').execute(),
        ).toEqual([{ tag: 'job-1-committed' }]);
        expect(strategy.sessionCount).toBe(2);
        await strategy.remove();
        job = 'job-1';
        await strategy.remove();
        expect(strategy.sessionCount).toBe(0);
        expect(await tags()).toEqual(['job-1-committed']);
        job = undefined;
        await expect(
          strategy.db.selectFrom('probe').select('tag').execute(),
        ).rejects.toBeInstanceOf(OutsideScopeError);
      } finally {
        await strategy.close();
      }
    });

    if (dialect === 'postgres') {
      it('refuses to go on after its connection broke mid-unit, until rollback()', async () => {
        const subject = ctx.create();
        const strategy = subject.strategy as ScopedSessionStrategy<ContractDb>;
        await strategy.scope(async () => {
          await strategy.db.insertInto('probe').values({ tag: 'lost', n: 1 }).execute();
          const [session] = await ctx.sessions(subject);
          await ctx.terminate(String(session?.pid));
          await eventually('the break reached the session', () => strategy.stats().errors > 0);
          const next = strategy.db
            .insertInto('probe')
            .values({ tag: 'after-break', n: 2 })
            .execute();
          await expect(next).rejects.toBeInstanceOf(SessionLostError);
          await expect(strategy.commit()).rejects.toBeInstanceOf(SessionLostError);
          await strategy.rollback();
          await strategy.db.insertInto('probe').values({ tag: 'fresh-unit', n: 3 }).execute();
          await strategy.commit();
        });
        expect(await tags()).toEqual(['fresh-unit']);
      });
    }
  });
}
