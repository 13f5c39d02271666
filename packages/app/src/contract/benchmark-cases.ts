import { WORLD_ROWS } from '@lifetimes/schema';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { call } from './http-call.js';

interface World {
  id: number;
  randomNumber: number;
}

function expectWorld(row: unknown): asserts row is World {
  expect(row).toEqual({ id: expect.any(Number), randomNumber: expect.any(Number) });
  const { id, randomNumber } = row as World;
  for (const value of [id, randomNumber]) {
    expect(Number.isInteger(value) && value >= 1 && value <= WORLD_ROWS, `${value}`).toBe(true);
  }
}

/** TechEmpower's database tests: row shape, the `queries` rules, and updates that last. */
export function benchmarkCases(ctx: AppContext): void {
  it('GET /db answers one random World row', async () => {
    const { base } = await ctx.serve();
    const ids = new Set<number>();
    for (let i = 0; i < 20; i++) {
      const { status, body } = await call(base, 'GET', '/db');
      expect(status).toBe(200);
      expectWorld(body);
      ids.add(body.id);
    }
    // Random ids: twenty draws from 10000 all alike would mean a constant.
    expect(ids.size).toBeGreaterThan(1);
  });

  it('GET /queries clamps N to 1..500, and anything not an integer means 1', async () => {
    const { base } = await ctx.serve();
    const cases: [string, number][] = [
      ['', 1],
      ['?queries=', 1],
      ['?queries=foo', 1],
      ['?queries=2.5', 1],
      ['?queries=0', 1],
      ['?queries=-3', 1],
      ['?queries=3&queries=4', 1],
      ['?queries=7', 7],
      ['?queries=501', 500],
    ];
    for (const [query, expected] of cases) {
      const { status, body } = await call(base, 'GET', `/queries${query}`);
      expect(status, query).toBe(200);
      expect(Array.isArray(body), query).toBe(true);
      expect((body as unknown[]).length, query).toBe(expected);
      for (const row of body as unknown[]) expectWorld(row);
    }
  });

  it('GET /updates clamps N the same way and returns the rows it wrote', async () => {
    const { base } = await ctx.serve();
    for (const [query, expected] of [
      ['', 1],
      ['?queries=foo', 1],
      ['?queries=0', 1],
      ['?queries=3', 3],
    ] as const) {
      const { status, body } = await call(base, 'GET', `/updates${query}`);
      expect(status, query).toBe(200);
      expect((body as unknown[]).length, query).toBe(expected);
    }
  });

  it('GET /updates writes are durable: another connection reads every returned value', async () => {
    const { base } = await ctx.serve();
    const { status, body } = await call(base, 'GET', '/updates?queries=20');
    expect(status).toBe(200);
    const rows = body as World[];
    expect(rows).toHaveLength(20);
    for (const row of rows) expectWorld(row);
    // A repeated id keeps the value drawn last.
    const expected = new Map(rows.map((row) => [row.id, row.randomNumber]));
    const ids = [...expected.keys()];
    const list = ids.map((_, i) => ctx.placeholder(i + 1)).join(', ');
    const stored = await ctx.adminQuery<World>(
      `select id, "randomNumber" from world where id in (${list})`,
      ids,
    );
    expect(new Map(stored.map((row) => [row.id, row.randomNumber]))).toEqual(expected);
  });
}
