import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type DialectName, type LifetimeEvent, StrategyClosedError } from '@lifetimes/core';
import { backends, withResolvers } from '@lifetimes/databases';
import { suiteDatabase } from '@lifetimes/databases/suite';
import type {} from '@lifetimes/databases/vitest-setup';
import { ScopedSessionStrategy } from '@lifetimes/scoped-session';
import { sql } from 'kysely';
import pg from 'pg';
import { afterEach, beforeEach, describe, expect, inject, it, vi } from 'vitest';
import {
  BadTenantIdError,
  parseTenantId,
  StrategyPerTenant,
  TenantExistsError,
  UnknownTenantError,
} from '../src/index.js';

interface Db {
  notes: { body: string };
}

describe.each<DialectName>(['sqlite', 'postgres'])('StrategyPerTenant on %s', (dialect) => {
  let strategy: StrategyPerTenant<Db>;
  /** Every database URL a strategy was opened for, in order. */
  let opened: string[];
  let applicationName: string;
  let remove: () => Promise<void>;
  let defaultUrl: string;

  beforeEach(async () => {
    const database = await suiteDatabase(dialect, 'tenants', { file: 'app.db' });
    const { url } = database;
    remove = () => database.remove();
    defaultUrl = url;
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
    await strategy.provision(id, async () => {
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

  /** The tenant databases that exist, finished or not: files in the tenants folder, or databases named after the default one. */
  async function leftovers(fragment: string): Promise<string[]> {
    if (dialect === 'sqlite') {
      const url = strategy.catalog.urlOf(parseTenantId(fragment)).slice('sqlite:'.length);
      return (await readdir(dirname(url)).catch(() => [])).filter((name) =>
        name.includes(fragment),
      );
    }
    const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
    await client.connect();
    try {
      const { rows } = await client.query<{ datname: string }>(
        'select datname from pg_database where strpos(datname, $1) > 0',
        [fragment],
      );
      return rows.map((row) => row.datname);
    } finally {
      await client.end();
    }
  }

  it('keeps a tenant unknown (404) until its build has committed, never half-built', async () => {
    const gate = withResolvers();
    const building = withResolvers();
    const provisioned = strategy.provision('racing', async () => {
      await sql`create table notes (body text not null)`.execute(strategy.db);
      await strategy.db.insertInto('notes').values({ body: 'racing' }).execute();
      building.resolve();
      await gate.promise;
      await strategy.commit();
    });
    await building.promise;
    await expect(strategy.scopeFor('racing', notes)).rejects.toBeInstanceOf(UnknownTenantError);
    gate.resolve();
    await provisioned;
    expect(await strategy.scopeFor('racing', notes)).toEqual(['racing']);
  });

  it('leaves nothing behind when a build fails, so the id can be provisioned again', async () => {
    const count = await strategy.catalog.count();
    const failing = strategy.provision('broken', async () => {
      await sql`create table notes (body text not null)`.execute(strategy.db);
      await strategy.commit();
      throw new Error('seed failed');
    });
    await expect(failing).rejects.toThrow('seed failed');
    expect(await strategy.catalog.count()).toBe(count);
    expect(await leftovers('broken')).toEqual([]);
    await expect(strategy.scopeFor('broken', notes)).rejects.toBeInstanceOf(UnknownTenantError);
    await tenant('broken');
    expect(await strategy.scopeFor('broken', notes)).toEqual(['broken']);
  });

  it('resolves a stream of unknown tenants from one catalog read, counted in stats()', async () => {
    const before = strategy.stats();
    for (let i = 0; i < 30; i++) {
      await expect(strategy.scopeFor(`ghost-${i}`, notes)).rejects.toBeInstanceOf(
        UnknownTenantError,
      );
    }
    const queries = strategy.stats().queries - before.queries;
    // SQLite's catalog reads a folder; PostgreSQL's reads pg_database through the default strategy.
    expect(queries).toBe(dialect === 'postgres' ? 1 : 0);
  });

  it("closes an idle tenant's strategy, keeps its counters, and reopens it on demand", async () => {
    const idle = new StrategyPerTenant<Db>(
      defaultUrl,
      (databaseUrl) => new ScopedSessionStrategy<Db>(databaseUrl, { applicationName }),
      { idleMs: 50 },
    );
    try {
      await tenant('sleepy');
      // The catalog's own lookup connection (the default database's) stays pooled: leave it out.
      await idle.catalog.exists(parseTenantId('sleepy'));
      const base = idle.stats();
      const ok = await idle.scopeFor('sleepy', () =>
        sql`select 1`.execute(idle.db).then(() => 'ok'),
      );
      expect(ok).toBe('ok');
      expect(idle.tenantsOpen).toBe(1);
      await vi.waitFor(() => expect(idle.tenantsOpen).toBe(0));
      await vi.waitFor(() => {
        const now = idle.stats();
        expect(now.opened - base.opened).toBeGreaterThan(0);
        expect(now.closed - base.closed).toBe(now.opened - base.opened);
      });
      expect(await idle.scopeFor('sleepy', () => 'again')).toBe('again');
      expect(idle.tenantsOpen).toBe(1);
    } finally {
      await idle.close();
    }
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
      expect(await backends(inject('pgAdminUrl'), { applicationName })).toEqual([]);
    }
    await expect(strategy.scopeFor('closing', notes)).rejects.toBeInstanceOf(StrategyClosedError);
    await expect(strategy.provision('late')).rejects.toBeInstanceOf(StrategyClosedError);
  });
});
