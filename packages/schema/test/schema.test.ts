import { BaselineStrategy } from '@lifetimes/baseline';
import type { DialectName } from '@lifetimes/core';
import { suiteDatabase } from '@lifetimes/databases/suite';
// Brings in the typing of what the global setup provides to inject().
import type {} from '@lifetimes/databases/vitest-setup';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import {
  ACCOUNTS,
  type Database,
  migrate,
  OPENING_BALANCE,
  seed,
  WORLD_ROWS,
} from '../src/index.js';

/** A strategy on an empty database of its own, dropped with it. */
async function emptyDatabase(dialect: DialectName) {
  const place = await suiteDatabase(dialect, 'schema');
  const { url } = place;
  const strategy = new BaselineStrategy<Database>(url, {
    applicationName: 'lifetimes-schema-test',
  });
  return {
    url,
    strategy,
    db: strategy.db,
    async [Symbol.asyncDispose]() {
      await strategy.close();
      await place.remove();
    },
  };
}

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`schema on ${dialect}`, () => {
    it('migrate() creates every table once and can run again', async () => {
      await using subject = await emptyDatabase(dialect);
      await migrate(subject.db, dialect);
      await migrate(subject.db, dialect);
      const tables = (await subject.db.introspection.getTables()).map((table) => table.name).sort();
      expect(tables).toEqual(['account', 'idempotency_key', 'post', 'user', 'world']);
      const world = (await subject.db.introspection.getTables()).find((t) => t.name === 'world');
      // Quoted on PostgreSQL, so the case survives and raw SQL must quote it too.
      expect(world?.columns.map((column) => column.name).sort()).toEqual(['id', 'randomNumber']);
    });

    it('enforces what the routes rely on: unique usernames, real authors, no overdraft', async () => {
      await using subject = await emptyDatabase(dialect);
      const { db } = subject;
      await migrate(db, dialect);
      const user = await db
        .insertInto('user')
        .values({ username: 'ada', password: 'hash' })
        .returning('id')
        .executeTakeFirstOrThrow();
      await expect(
        db.insertInto('user').values({ username: 'ada', password: 'other' }).execute(),
      ).rejects.toThrow(/unique/i);
      await expect(
        db
          .insertInto('post')
          .values({ author_id: user.id + 1, title: 't', body: 'b' })
          .execute(),
      ).rejects.toThrow(/foreign key/i);
      const before = Date.now();
      const post = await db
        .insertInto('post')
        .values({ author_id: user.id, title: 't', body: 'b' })
        .returning(['id', 'created'])
        .executeTakeFirstOrThrow();
      const created = new Date(post.created).getTime();
      // The database's clock, written by the column default; allow for a little skew.
      expect(Math.abs(created - before)).toBeLessThan(60_000);
      await db.insertInto('account').values({ id: 1, balance: 5 }).execute();
      await expect(
        db.updateTable('account').set({ balance: -1 }).where('id', '=', 1).execute(),
      ).rejects.toThrow(/check constraint/i);
    });

    it('seed() fills an empty database in one transaction of batched inserts', async () => {
      await using subject = await emptyDatabase(dialect);
      const { db, strategy } = subject;
      await migrate(db, dialect);
      const before = strategy.stats();
      const started = performance.now();
      expect(await seed(db)).toEqual({ worlds: WORLD_ROWS, accounts: ACCOUNTS });
      const elapsed = performance.now() - started;
      const after = strategy.stats();
      expect(after.commits - before.commits).toBe(1);
      // Two emptiness checks and eleven batches; one row per INSERT would be 10100.
      expect(after.queries - before.queries).toBeLessThanOrEqual(15);
      expect(elapsed).toBeLessThan(10_000);

      const worlds = await db
        .selectFrom('world')
        .select((eb) => [
          eb.fn.countAll().as('count'),
          eb.fn.min('id').as('minId'),
          eb.fn.max('id').as('maxId'),
          eb.fn.min('randomNumber').as('minNumber'),
          eb.fn.max('randomNumber').as('maxNumber'),
          eb.fn.count('randomNumber').distinct().as('distinctNumbers'),
        ])
        .executeTakeFirstOrThrow();
      expect(Object.fromEntries(Object.entries(worlds).map(([k, v]) => [k, Number(v)]))).toEqual({
        count: WORLD_ROWS,
        minId: 1,
        maxId: WORLD_ROWS,
        minNumber: expect.any(Number),
        maxNumber: expect.any(Number),
        distinctNumbers: expect.any(Number),
      });
      expect(Number(worlds.minNumber)).toBeGreaterThanOrEqual(1);
      expect(Number(worlds.maxNumber)).toBeLessThanOrEqual(WORLD_ROWS);
      // Random, not the id copied: 10000 draws from 10000 values give about 6300 distinct.
      expect(Number(worlds.distinctNumbers)).toBeGreaterThan(5000);
      expect(Number(worlds.distinctNumbers)).toBeLessThan(WORLD_ROWS);

      const accounts = await db
        .selectFrom('account')
        .select((eb) => [eb.fn.countAll().as('count'), eb.fn.sum('balance').as('total')])
        .executeTakeFirstOrThrow();
      expect(Number(accounts.count)).toBe(ACCOUNTS);
      expect(Number(accounts.total)).toBe(ACCOUNTS * OPENING_BALANCE);
    });

    it('seed() leaves a seeded database as it is', async () => {
      await using subject = await emptyDatabase(dialect);
      const { db } = subject;
      await migrate(db, dialect);
      await seed(db);
      await db.updateTable('world').set({ randomNumber: 7 }).where('id', '=', 1).execute();
      await db.updateTable('account').set({ balance: 0 }).where('id', '=', 1).execute();
      expect(await seed(db)).toEqual({ worlds: 0, accounts: 0 });
      const world = await db
        .selectFrom('world')
        .select('randomNumber')
        .where('id', '=', 1)
        .executeTakeFirstOrThrow();
      expect(world.randomNumber).toBe(7);
      const total = await sql<{
        total: number | string;
      }>`select sum(balance) as total from account`.execute(db);
      expect(Number(total.rows[0]?.total)).toBe((ACCOUNTS - 1) * OPENING_BALANCE);
    });

    it('two processes seeding one empty database at once insert every row exactly once', async () => {
      await using first = await emptyDatabase(dialect);
      await migrate(first.db, dialect);
      // A second strategy on the same database stands in for a second app process.
      const second = new BaselineStrategy<Database>(first.url, {
        applicationName: 'lifetimes-schema-test',
      });
      try {
        const results = await Promise.all([seed(first.db), seed(second.db)]);
        expect(results.reduce((sum, r) => sum + r.worlds, 0)).toBe(WORLD_ROWS);
        expect(results.reduce((sum, r) => sum + r.accounts, 0)).toBe(ACCOUNTS);
      } finally {
        await second.close();
      }
      const count = await first.db
        .selectFrom('world')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(WORLD_ROWS);
    });
  });
}
