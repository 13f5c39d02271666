import type { LifetimeStats } from '@lifetimes/core';
import { eventually } from '@lifetimes/core/contract';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { call, getJson } from './http-call.js';

interface WhoAmI {
  request: number;
  strategy: string;
  connections: string[];
}

interface Slow {
  waitedMs: number;
  connections: string[];
}

const COUNTERS: (keyof LifetimeStats)[] = [
  'opened',
  'closed',
  'acquires',
  'releases',
  'active',
  'peakActive',
  'waits',
  'timeouts',
  'queries',
  'commits',
  'rollbacks',
  'errors',
  'scopesStarted',
  'scopesOpen',
  'enginesOpen',
  'enginesCreated',
  'enginesEvicted',
];

/** The lifetime routes: which connection, held for how long, and what the counters say. */
export function lifetimeCases(ctx: AppContext): void {
  const { spec, dialect } = ctx;
  const shared =
    spec.connectionPer === 'scope' || (spec.connectionPer === 'shared' && dialect === 'sqlite');
  const expectation =
    spec.connectionPer === 'query'
      ? 'on two different connections'
      : shared
        ? 'on one connection'
        : 'each on whichever pooled connection is free (either answer is right)';

  it(`GET /whoami runs its two queries ${expectation}`, async () => {
    const { base } = await ctx.serve();
    const first = await getJson<WhoAmI>(base, '/whoami');
    const second = await getJson<WhoAmI>(base, '/whoami');
    expect(first.strategy).toBe(spec.name);
    expect(second.request).toBeGreaterThan(first.request);
    for (const { connections } of [first, second]) {
      expect(connections).toHaveLength(2);
      for (const id of connections) expect(id).toMatch(/\S/);
      const [a, b] = connections;
      if (spec.connectionPer === 'query') expect(b).not.toBe(a);
      if (shared) expect(b).toBe(a);
    }
  });

  it('GET /health opens, acquires and queries nothing', async () => {
    const served = await ctx.serve();
    const before = await getJson<LifetimeStats>(served.base, '/stats');
    for (let i = 0; i < 5; i++) {
      expect(await call(served.base, 'GET', '/health')).toMatchObject({
        status: 200,
        body: { ok: true },
      });
    }
    const after = await getJson<LifetimeStats>(served.base, '/stats');
    // The requests went through the strategy's scope...
    expect(after.scopesStarted - before.scopesStarted).toBeGreaterThanOrEqual(5);
    // ...and a fresh app that served only /health and /stats never connected.
    expect([after.opened, after.acquires, after.queries]).toEqual([0, 0, 0]);
  });

  it(`GET /slow waits without the database, ${spec.connectionPer === 'scope' ? 'holding' : 'not holding'} a connection through the wait`, async () => {
    const { base } = await ctx.serve();
    const slow = await call(base, 'GET', '/slow?ms=150');
    expect(slow.status).toBe(200);
    expect(slow.ms).toBeGreaterThanOrEqual(145);
    const { waitedMs, connections } = slow.body as Slow;
    expect(waitedMs).toBe(150);
    const [before, after] = connections;
    if (spec.connectionPer === 'scope') expect(after).toBe(before);
    if (spec.connectionPer === 'query') expect(after).not.toBe(before);
    for (const [query, expected] of [
      ['', 0],
      ['?ms=-5', 0],
      ['?ms=abc', 0],
      ['?ms=20', 20],
    ] as const) {
      const { status, body } = await call(base, 'GET', `/slow${query}`);
      expect(status, query).toBe(200);
      expect((body as Slow).waitedMs, query).toBe(expected);
    }
  });

  it('GET /stats reports every counter, and every connection comes back', async () => {
    const { base } = await ctx.serve();
    const burst = await Promise.all([
      ...Array.from({ length: 10 }, () => call(base, 'GET', '/db')),
      ...Array.from({ length: 5 }, () => call(base, 'GET', '/whoami')),
      ...Array.from({ length: 5 }, () => call(base, 'GET', '/queries?queries=3')),
      ...Array.from({ length: 5 }, () => call(base, 'GET', '/updates?queries=2')),
    ]);
    expect(burst.map((response) => response.status)).toEqual(burst.map(() => 200));
    const stats = await getJson<Record<string, unknown>>(base, '/stats');
    for (const counter of COUNTERS) expect(stats[counter], counter).toEqual(expect.any(Number));
    const counted = stats as unknown as LifetimeStats;
    expect(counted.queries).toBeGreaterThanOrEqual(10 + 5 * 2 + 5 * 3 + 5 * 4);
    expect(counted.acquires).toBeGreaterThan(0);
    expect(counted.peakActive).toBeGreaterThan(0);
    // Scopes end on the response's close, just after the client has its answer.
    await eventually('every connection released, every scope but /stats ended', async () => {
      const now = await getJson<LifetimeStats>(base, '/stats');
      return now.active === 0 && now.scopesOpen <= 1 && now.acquires === now.releases;
    });
  });
}
