import { readdirSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import {
  AcquireTimeoutError,
  type DialectName,
  type LifetimeEvent,
  StrategyClosedError,
} from '@lifetimes/core';
import { eventually, httpGet, sleep } from '@lifetimes/core/contract';
import {
  BadTenantIdError,
  parseTenantId,
  TenantExistsError,
  TenantIdTooLongError,
  UnknownTenantError,
} from '@lifetimes/tenants';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PooledRegistryStrategy } from '../src/index.js';
import { RegistryFixture, type Subject } from './registry-fixture.js';

const DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

const BAD_IDS = ['..', '../x', ':memory:', '', 'UPPER', 'a'.repeat(64), 'a/b', '%2e%2e'];

/** The notes of the scope's database, in order. */
function readNotes(subject: Subject): Promise<string[]> {
  return subject.strategy.db
    .selectFrom('notes')
    .select('body')
    .orderBy('body')
    .execute()
    .then((rows) => rows.map((row) => row.body));
}

/** Events about tenant `id`'s engines. */
function engineEvents(
  fx: RegistryFixture,
  events: readonly LifetimeEvent[],
  type: LifetimeEvent['type'],
  id: string,
): LifetimeEvent[] {
  const suffix = fx.engineSuffix(id);
  return events.filter((e) => e.type === type && e.detail?.endsWith(suffix));
}

/** Open file descriptors of this process on tenant files (database, WAL, shared memory). */
function tenantFds(tenantsDir: string): number {
  let count = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(join('/proc/self/fd', fd)).startsWith(tenantsDir)) count++;
    } catch {
      // Closed between the listing and the readlink: not open, not counted.
    }
  }
  return count;
}

describe('pooled-registry configuration', () => {
  it('refuses maxEngines * poolSize above connectionBudget, saying what to change', () => {
    const url = 'sqlite:/nonexistent/main.db';
    expect(
      () => new PooledRegistryStrategy(url, { maxEngines: 10, poolSize: 10, connectionBudget: 50 }),
    ).toThrow(
      /maxEngines \(10\) \* poolSize \(10\) = 100 connections exceeds connectionBudget \(50\)\. Lower maxEngines or poolSize, or raise connectionBudget/,
    );
    // Defaults count too: the default 10 engines of 11 pass the default budget of 100.
    expect(() => new PooledRegistryStrategy(url, { poolSize: 11 })).toThrow(
      /= 110 connections exceeds connectionBudget \(100\)/,
    );
    expect(() => new PooledRegistryStrategy(url, { maxEngines: 0 })).toThrow(
      /maxEngines must be a whole number >= 1, got 0/,
    );
    const fits = new PooledRegistryStrategy(url, {
      maxEngines: 5,
      poolSize: 10,
      connectionBudget: 50,
    });
    expect(fits.engineCount).toBe(0);
  });
});

for (const dialect of DIALECTS) {
  describe(`pooled-registry registry on ${dialect}`, () => {
    const fx = new RegistryFixture(dialect);
    beforeAll(() => fx.setup());
    afterEach(() => fx.closeAll());
    afterAll(() => fx.teardown());

    it('makes one engine per URL when 50 first requests arrive together', async () => {
      await fx.provision({ stampede: ['s1', 's2'] });
      const subject = fx.create();
      const { strategy } = subject;
      const onDefault = await Promise.all(
        Array.from({ length: 50 }, () => strategy.scope(() => readNotes(subject))),
      );
      expect(onDefault).toEqual(Array.from({ length: 50 }, () => ['main']));
      expect(strategy.stats().enginesCreated).toBe(1);
      const onTenant = await Promise.all(
        Array.from({ length: 50 }, () => strategy.scopeFor('stampede', () => readNotes(subject))),
      );
      expect(onTenant).toEqual(Array.from({ length: 50 }, () => ['s1', 's2']));
      expect(engineEvents(fx, subject.events, 'engine-create', 'stampede')).toHaveLength(1);
      expect(strategy.stats().enginesCreated).toBe(2);
      expect(strategy.engineCount).toBe(2);
    });

    it('keeps at most maxEngines engines and maxEngines * poolSize connections', async () => {
      const maxEngines = 3;
      const poolSize = 2;
      const tenants = Array.from({ length: maxEngines + 3 }, (_, i) => `rr-${i}`);
      await fx.provision(Object.fromEntries(tenants.map((id) => [id, [id]])));
      const subject = fx.create({ maxEngines, poolSize, connectionBudget: maxEngines * poolSize });
      const { strategy, applicationName } = subject;
      // Exact, from the events: engines open after every single event.
      let open = 0;
      let peakOpen = 0;
      strategy.listen((event) => {
        if (event.type === 'engine-create') open++;
        if (event.type === 'engine-close') open--;
        peakOpen = Math.max(peakOpen, open);
      });
      // Sampled: routable engines, and what the server sees.
      let peakRoutable = 0;
      let peakBackends = 0;
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          peakRoutable = Math.max(peakRoutable, strategy.engineCount);
          if (dialect === 'postgres') {
            peakBackends = Math.max(peakBackends, await fx.backends(applicationName));
          }
          await sleep(5);
        }
      })();
      let next = 0;
      const worker = async () => {
        const seen: string[] = [];
        while (next < 60) {
          const id = tenants[next++ % tenants.length] ?? '';
          const notes = await strategy.scopeFor(id, async () => {
            if (dialect === 'postgres') await sql`select pg_sleep(0.01)`.execute(strategy.db);
            else await sleep(10);
            return readNotes(subject);
          });
          seen.push(`${id}=${notes.join()}`);
        }
        return seen;
      };
      const seen = (await Promise.all(Array.from({ length: 4 }, worker))).flat();
      sampling = false;
      await sampler;
      expect(seen).toHaveLength(60);
      for (const entry of seen) expect(entry).toMatch(/^(rr-\d)=\1$/);
      expect(peakOpen).toBe(maxEngines);
      expect(peakRoutable).toBeLessThanOrEqual(maxEngines);
      expect(strategy.stats().enginesEvicted).toBeGreaterThan(0);
      if (dialect === 'postgres') {
        expect(peakBackends).toBeGreaterThan(0);
        expect(peakBackends).toBeLessThanOrEqual(maxEngines * poolSize);
      }
      await strategy.close();
      const stats = strategy.stats();
      expect(stats.enginesOpen).toBe(0);
      expect(stats.closed).toBe(stats.opened);
      if (dialect === 'postgres') expect(await fx.backends(applicationName)).toBe(0);
      await expect(strategy.scopeFor('rr-0', () => 'late')).rejects.toBeInstanceOf(
        StrategyClosedError,
      );
    });

    it('evicts the least recently used engine, not the oldest', async () => {
      await fx.provision({ 'lru-a': ['a'], 'lru-b': ['b'], 'lru-c': ['c'] });
      // On PostgreSQL the default engine reads the catalog once, first, so
      // it is the least recent of all and the first to go.
      const subject = fx.create({ maxEngines: 2 });
      for (const id of ['lru-a', 'lru-b', 'lru-a', 'lru-c']) {
        await subject.strategy.scopeFor(id, () => readNotes(subject));
      }
      expect(engineEvents(fx, subject.events, 'evict', 'lru-b')).toHaveLength(1);
      expect(engineEvents(fx, subject.events, 'evict', 'lru-a')).toHaveLength(0);
      await expect(subject.strategy.scopeFor('lru-a', () => readNotes(subject))).resolves.toEqual([
        'a',
      ]);
      expect(engineEvents(fx, subject.events, 'engine-create', 'lru-a')).toHaveLength(1);
    });

    it('lets a query on an evicted engine finish, then closes the engine', async () => {
      await fx.provision({ 'ev-a': ['a'], 'ev-b': ['b'], 'ev-c': ['c'] });
      const subject = fx.create({ maxEngines: 2 });
      const { strategy, events } = subject;
      const isEvicted = () => engineEvents(fx, events, 'evict', 'ev-a').length === 1;
      // A first request makes the engine and leaves its connection idle, so
      // on SQLite the slow request leases it at once (tryAcquire), the path
      // most requests take; it must count as a borrower all the same.
      await strategy.scopeFor('ev-a', () => readNotes(subject));
      events.length = 0;
      const slow = strategy.scopeFor('ev-a', async () => {
        await readNotes(subject);
        const running =
          dialect === 'postgres' ? sql`select pg_sleep(0.2)`.execute(strategy.db) : sleep(200);
        // The lease stays held across the eviction however long the other
        // tenants take to push this engine out on a loaded machine.
        await eventually('ev-a evicted', isEvicted);
        await running;
        return readNotes(subject);
      });
      await eventually('ev-a holds its connection', () => strategy.stats().active === 1);
      const others = Promise.all(
        ['ev-b', 'ev-c'].map((id) => strategy.scopeFor(id, () => readNotes(subject))),
      );
      await eventually('ev-a evicted', isEvicted);
      expect(engineEvents(fx, events, 'engine-close', 'ev-a')).toEqual([]);
      await expect(slow).resolves.toEqual(['a']);
      await expect(others).resolves.toEqual([['b'], ['c']]);
      await eventually(
        'ev-a closed',
        () => engineEvents(fx, events, 'engine-close', 'ev-a').length === 1,
      );
      const acquired = events.find((e) => e.type === 'acquire');
      const released = events.findIndex(
        (e) => e.type === 'release' && e.connectionId === acquired?.connectionId,
      );
      const [evicted] = engineEvents(fx, events, 'evict', 'ev-a');
      const [closed] = engineEvents(fx, events, 'engine-close', 'ev-a');
      expect(released).toBeGreaterThan(events.indexOf(evicted as LifetimeEvent));
      expect(events.indexOf(closed as LifetimeEvent)).toBeGreaterThan(released);
      // The next request for the evicted tenant gets a fresh engine (the
      // first one's creation was cleared from the events with the warm-up).
      await expect(strategy.scopeFor('ev-a', () => readNotes(subject))).resolves.toEqual(['a']);
      expect(engineEvents(fx, events, 'engine-create', 'ev-a')).toHaveLength(1);
      expect(strategy.stats().errors).toBe(0);
    });

    it('times out waiting for an engine slot an evicted engine still holds', async () => {
      await fx.provision({ 'slot-a': ['a'], 'slot-b': ['b'] });
      const subject = fx.create({ maxEngines: 1, acquireTimeoutMs: 200, evictTimeoutMs: 5000 });
      const { strategy } = subject;
      const holder = strategy.scopeFor('slot-a', async () => {
        const notes = await readNotes(subject);
        await sleep(1500);
        return notes;
      });
      await eventually('slot-a holds its connection', () => strategy.stats().active === 1);
      const started = performance.now();
      const waiter = strategy.scopeFor('slot-b', () => readNotes(subject));
      await expect(waiter).rejects.toBeInstanceOf(AcquireTimeoutError);
      await expect(waiter).rejects.toThrow(/one of 1 engine slots/);
      // Well before the holder lets go: the wait was bounded, not served.
      expect(performance.now() - started).toBeLessThan(1200);
      await expect(holder).resolves.toEqual(['a']);
      expect(strategy.stats().enginesOpen).toBeLessThanOrEqual(1);
      await expect(strategy.scopeFor('slot-b', () => readNotes(subject))).resolves.toEqual(['b']);
    });

    it('times out, never hangs, when every connection of an engine is leased', async () => {
      const subject = fx.create({ poolSize: 1, acquireTimeoutMs: 200 });
      const { strategy } = subject;
      const holder = strategy.scope(async () => {
        await readNotes(subject);
        await sleep(1500);
        return 'held';
      });
      await eventually('the only connection is leased', () => strategy.stats().active === 1);
      const started = performance.now();
      await expect(strategy.scope(() => readNotes(subject))).rejects.toBeInstanceOf(
        AcquireTimeoutError,
      );
      // Well before the holder lets go: the wait was bounded, not served.
      expect(performance.now() - started).toBeLessThan(1200);
      await expect(holder).resolves.toBe('held');
    });

    if (dialect === 'sqlite') {
      it('closes the handles of evicted engines: open files stay bounded', async () => {
        const tenants = Array.from({ length: 12 }, (_, i) => `fd-${i}`);
        await fx.provision(Object.fromEntries(tenants.map((id) => [id, [id]])));
        const tenantsDir = join(fx.url.slice('sqlite:'.length), '..', 'tenants');
        const subject = fx.create({ maxEngines: 2, poolSize: 1, connectionBudget: 2 });
        const { strategy } = subject;
        let peak = 0;
        for (const id of [...tenants, ...tenants]) {
          const inside = await strategy.scopeFor(id, async () => {
            await readNotes(subject);
            return tenantFds(tenantsDir);
          });
          peak = Math.max(peak, inside, tenantFds(tenantsDir));
        }
        // Two engines of one handle each, and a handle opens at most the
        // database, its WAL and its shared memory; a leak would be 24 and up.
        expect(peak).toBeGreaterThan(0);
        expect(peak).toBeLessThanOrEqual(2 * 1 * 3);
        expect(strategy.stats().enginesEvicted).toBeGreaterThanOrEqual(22);
        await strategy.close();
        expect(tenantFds(tenantsDir)).toBe(0);
      });
    }

    if (dialect === 'postgres') {
      it('opens no scope for a client that left while its tenant was looked up', async () => {
        await fx.provision({ 'gone-t': ['g'] });
        // One connection on the default engine, which answers catalog
        // lookups: the lookup queues behind the holder, and the client
        // leaves meanwhile.
        const subject = fx.create({ poolSize: 1 });
        const { strategy, events } = subject;
        const base = await fx.serve(subject);
        const holder = strategy.scope(async () => {
          await readNotes(subject);
          await sleep(400);
        });
        await eventually('the default connection is leased', () => strategy.stats().active === 1);
        const aborted = await httpGet(`${base}/notes`, 100, { 'x-tenant': 'gone-t' });
        expect(aborted.status).toBe(0);
        await holder;
        await eventually('the lookup ran', () =>
          events.some((e) => e.type === 'query' && e.scopeId === undefined),
        );
        // Time for the lookup to answer and the middleware to go on.
        await sleep(200);
        const stats = strategy.stats();
        expect([stats.scopesStarted, stats.scopesOpen, stats.active]).toEqual([1, 0, 0]);
        expect(engineEvents(fx, events, 'engine-create', 'gone-t')).toEqual([]);
      });
    }

    it('refuses bad tenant ids with 400 before touching any file or database', async () => {
      const subject = fx.create();
      const base = await fx.serve(subject);
      const before = await fx.footprint();
      for (const id of BAD_IDS) {
        const response = await httpGet(`${base}/notes`, undefined, { 'x-tenant': id });
        expect(response.status, JSON.stringify(id)).toBe(400);
        expect(JSON.parse(response.body)).toMatchObject({ code: 'BAD_TENANT_ID' });
      }
      for (const id of [...BAD_IDS, 'a\n', ' a']) {
        await expect(subject.strategy.scopeFor(id, () => 'ran')).rejects.toBeInstanceOf(
          BadTenantIdError,
        );
        expect(() => parseTenantId(id)).toThrow(BadTenantIdError);
      }
      expect(await fx.footprint()).toEqual(before);
      const stats = subject.strategy.stats();
      expect([stats.enginesCreated, stats.opened, stats.scopesStarted]).toEqual([0, 0, 0]);
    });

    it('answers 404 for a well-formed unknown tenant and creates nothing', async () => {
      const subject = fx.create();
      const base = await fx.serve(subject);
      const before = await fx.footprint();
      const response = await httpGet(`${base}/notes`, undefined, { 'x-tenant': 'nobody-here' });
      expect(response.status).toBe(404);
      expect(JSON.parse(response.body)).toMatchObject({ code: 'UNKNOWN_TENANT' });
      await expect(subject.strategy.scopeFor('nobody-here', () => 'ran')).rejects.toBeInstanceOf(
        UnknownTenantError,
      );
      expect(await fx.footprint()).toEqual(before);
      expect(subject.strategy.stats().scopesStarted).toBe(0);
    });

    it('refuses an id whose database name would be truncated, on PostgreSQL only', async () => {
      const subject = fx.create();
      const base = await fx.serve(subject);
      const long = 'x'.repeat(40);
      const before = await fx.footprint();
      const response = await httpGet(`${base}/notes`, undefined, { 'x-tenant': long });
      if (dialect === 'postgres') {
        expect(response.status).toBe(400);
        expect(JSON.parse(response.body)).toMatchObject({ code: 'TENANT_ID_TOO_LONG' });
        await expect(
          subject.strategy.catalog.provision(parseTenantId(long)),
        ).rejects.toBeInstanceOf(TenantIdTooLongError);
      } else {
        expect(response.status).toBe(404);
      }
      expect(await fx.footprint()).toEqual(before);
    });

    it('provisions a tenant once: a second provision is a 409', async () => {
      const { strategy } = fx.create();
      const id = parseTenantId('twice');
      const outcomes = await Promise.allSettled([
        strategy.catalog.provision(id),
        strategy.catalog.provision(id),
      ]);
      const fulfilled = outcomes.filter((o) => o.status === 'fulfilled');
      expect(fulfilled.map((o) => o.value)).toEqual([strategy.catalog.urlOf(id)]);
      const [refused] = outcomes.filter((o) => o.status === 'rejected');
      expect(refused?.reason).toBeInstanceOf(TenantExistsError);
      expect(refused?.reason).toMatchObject({ status: 409 });
      await expect(strategy.catalog.provision(id)).rejects.toBeInstanceOf(TenantExistsError);
      expect(await strategy.catalog.exists(id)).toBe(true);
    });

    it('never shows one tenant the rows of another, over HTTP', async () => {
      await fx.provision({ 'iso-a': ['a1', 'a2'], 'iso-b': ['b1'], iso_b: ['b-underscore'] });
      const subject = fx.create({ maxEngines: 3 });
      const base = await fx.serve(subject);
      const expected: Record<string, string[]> = {
        'iso-a': ['a1', 'a2'],
        'iso-b': ['b1'],
        iso_b: ['b-underscore'],
        '': ['main'],
      };
      const asks = Array.from({ length: 40 }, (_, i) => Object.keys(expected)[i % 4] ?? '');
      const answers = await Promise.all(
        asks.map((id) => httpGet(`${base}/notes`, undefined, id === '' ? {} : { 'x-tenant': id })),
      );
      answers.forEach((answer, i) => {
        const id = asks[i] ?? '';
        expect(answer.status, answer.body).toBe(200);
        expect(JSON.parse(answer.body), id).toEqual(expected[id]);
      });
    });
  });
}
