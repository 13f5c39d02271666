import { randomBytes } from 'node:crypto';
import {
  BadTenantIdError,
  type DialectName,
  type LifetimeEvent,
  StrategyClosedError,
  UnknownTenantError,
} from '@lifetimes/core';
import { createScratchDatabase, createTempDir } from '@lifetimes/databases';
import type {} from '@lifetimes/databases/vitest-setup';
import { ScopedSessionStrategy } from '@lifetimes/scoped-session';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it } from 'vitest';
import { StrategyPerTenant, TenantExistsError } from '../src/index.js';

interface Db {
  notes: { body: string };
}

describe.each<DialectName>(['sqlite', 'postgres'])('StrategyPerTenant on %s', (dialect) => {
  let strategy: StrategyPerTenant<Db>;
  /** Every database URL a strategy was opened for, in order. */
  let opened: string[];
  let applicationName: string;
  let remove: () => Promise<void>;

  beforeEach(async () => {
    let url: string;
    if (dialect === 'postgres') {
      const scratch = await createScratchDatabase(inject('pgAdminUrl'), 'lifetimes_tenants');
      url = scratch.url;
      remove = () => scratch.drop();
    } else {
      const dir = await createTempDir('lifetimes-tenants');
      url = dir.sqliteUrl('app.db');
      remove = () => dir.remove();
    }
    opened = [];
    applicationName = `lt-tenants-${randomBytes(4).toString('hex')}`;
    // scoped-session: a pool per database, so idle connections outlive requests.
    strategy = new StrategyPerTenant<Db>(url, (databaseUrl) => {
      opened.push(databaseUrl);
      return new ScopedSessionStrategy<Db>(databaseUrl, { applicationName, closeTimeoutMs: 1000 });
    });
    await strategy.scope(async () => {
      await sql`create table notes (body text not null)`.execute(strategy.db);
      await strategy.db.insertInto('notes').values({ body: 'default' }).execute();
      await strategy.commit();
    });
  });

  afterEach(async () => {
    await strategy.close();
    await remove();
  });

  /** Provisions tenant `id` with one note, through the strategy. */
  async function tenant(id: string): Promise<void> {
    await strategy.provision(id);
    await strategy.scopeFor(id, async () => {
      await sql`create table notes (body text not null)`.execute(strategy.db);
      await strategy.db.insertInto('notes').values({ body: id }).execute();
      await strategy.commit();
    });
  }

  const notes = () =>
    strategy.db
      .selectFrom('notes')
      .select('body')
      .execute()
      .then((rows) => rows.map((row) => row.body));

  it('opens one strategy per database, once, even for a stampede of first requests', async () => {
    await strategy.provision('stampede');
    const first = await Promise.all(
      Array.from({ length: 20 }, () => strategy.scopeFor('stampede', () => 'in')),
    );
    expect(first).toHaveLength(20);
    expect(opened).toHaveLength(2);
    expect(opened[1]).toContain('stampede');
  });

  it("runs db and commit() on the scope's own database, concurrently", async () => {
    await tenant('t-a');
    await tenant('t-b');
    const seen = await Promise.all(
      ['t-a', 't-b', undefined, 't-a', 't-b', undefined].map((id) => strategy.scopeFor(id, notes)),
    );
    expect(seen).toEqual([['t-a'], ['t-b'], ['default'], ['t-a'], ['t-b'], ['default']]);
    // Uncommitted work is the tenant's unit of work to lose, and only its.
    await strategy.scopeFor('t-a', async () => {
      await strategy.db.insertInto('notes').values({ body: 'dropped' }).execute();
    });
    expect(await strategy.scopeFor('t-a', notes)).toEqual(['t-a']);
    expect(await strategy.scope(notes)).toEqual(['default']);
  });

  it('refuses bad ids and unknown tenants without opening anything, and a second provision', async () => {
    await expect(strategy.scopeFor('../x', notes)).rejects.toBeInstanceOf(BadTenantIdError);
    await expect(strategy.provision('UPPER')).rejects.toBeInstanceOf(BadTenantIdError);
    await expect(strategy.scopeFor('nobody', notes)).rejects.toBeInstanceOf(UnknownTenantError);
    await tenant('once');
    await expect(strategy.provision('once')).rejects.toBeInstanceOf(TenantExistsError);
    expect(opened).toHaveLength(2);
  });

  it("hears tenants opened after listen(), and adds every database's counters up", async () => {
    const events: LifetimeEvent[] = [];
    const stop = strategy.listen((event) => events.push(event));
    const before = strategy.stats();
    await tenant('heard');
    await strategy.scopeFor('heard', notes);
    const after = strategy.stats();
    stop();
    const count = (type: LifetimeEvent['type']) => events.filter((e) => e.type === type).length;
    expect(count('open')).toBeGreaterThan(0);
    expect(after.opened - before.opened).toBe(count('open'));
    expect(after.queries - before.queries).toBe(count('query'));
    expect(after.commits - before.commits).toBe(count('commit'));
    // stop() detached it from every database, the tenant's included.
    const heard = events.length;
    await strategy.scopeFor('heard', notes);
    await strategy.scope(notes);
    expect(events).toHaveLength(heard);
  });

  it("closes every tenant's connections with it, and opens no tenant after", async () => {
    await tenant('closing');
    await strategy.scopeFor('closing', notes);
    await strategy.close();
    const { opened: open, closed, scopesOpen } = strategy.stats();
    expect(open).toBeGreaterThanOrEqual(2);
    expect(closed).toBe(open);
    expect(scopesOpen).toBe(0);
    if (dialect === 'postgres') {
      const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
      await client.connect();
      try {
        const { rows } = await client.query<{ n: string }>(
          'select count(*) as n from pg_stat_activity where application_name = $1',
          [applicationName],
        );
        expect(rows[0]?.n).toBe('0');
      } finally {
        await client.end();
      }
    }
    await expect(strategy.scopeFor('closing', notes)).rejects.toBeInstanceOf(StrategyClosedError);
    await expect(strategy.provision('late')).rejects.toBeInstanceOf(StrategyClosedError);
  });
});
