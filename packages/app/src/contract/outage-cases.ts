import { freePort } from '@lifetimes/databases';
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { type CallResult, call } from './http-call.js';

const TRANSFER = { from: 1, to: 2, amount: 1 };

function expectUnavailable(answer: CallResult, why: RegExp): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(503);
  expect(answer.body).toEqual({ error: expect.stringMatching(why) });
  expect(Number(answer.headers['retry-after'])).toBeGreaterThanOrEqual(1);
  expect(answer.ms).toBeLessThan(3000);
}

/**
 * The database failing a request that was fine: a 503 with Retry-After that
 * says so, never a 500 and never a hang, and the app serves again once the
 * database does. The fault suite (bench/src/faults) does the same under load.
 */
export function outageCases(ctx: AppContext): void {
  if (ctx.dialect === 'postgres') {
    it('answers 503 with Retry-After when the server refuses connections', async () => {
      const nowhere = `postgres://postgres@127.0.0.1:${await freePort()}/nowhere`;
      const { base } = await ctx.serve({ connectTimeoutMs: 1000 }, nowhere);
      expectUnavailable(await call(base, 'GET', '/db'), /^The database is unavailable/);
      expectUnavailable(
        await call(base, 'POST', '/transfer', { json: TRANSFER }),
        /^The database is unavailable/,
      );
      expect((await call(base, 'GET', '/health')).status).toBe(200);
    });
    return;
  }

  it('answers 503 with Retry-After while another process holds the write lock past the busy timeout; the retry with its Idempotency-Key applies once', async () => {
    const { base } = await ctx.serve({ connectTimeoutMs: 200 });
    const before = await call(base, 'GET', '/accounts/total');
    const balance = async () =>
      (
        await ctx.adminQuery<{ balance: number }>('select balance from account where id = ?', [
          TRANSFER.from,
        ])
      )[0]?.balance;
    const opening = await balance();
    const retry = {
      json: TRANSFER,
      headers: { 'idempotency-key': `lock-${process.pid}-${Date.now()}` },
    };
    const holder = new Database(ctx.url.slice('sqlite:'.length));
    holder.exec('begin immediate');
    try {
      const refused = await call(base, 'POST', '/transfer', retry);
      expectUnavailable(refused, /^The database is locked by another writer/);
      expect(refused.body).toEqual({ error: expect.stringContaining('same Idempotency-Key') });
    } finally {
      holder.exec('rollback');
      holder.close();
    }
    const applied = await call(base, 'POST', '/transfer', retry);
    expect(applied.status).toBe(200);
    const again = await call(base, 'POST', '/transfer', retry);
    expect(again.body).toEqual(applied.body);
    expect(await balance()).toBe((opening ?? 0) - TRANSFER.amount);
    expect((await call(base, 'GET', '/accounts/total')).body).toEqual(before.body);
  });

  it('answers 503 with Retry-After when a write would grow the file past its quota, and still serves reads', async () => {
    const [size] = await ctx.adminQuery<{ page_count: number }>('pragma page_count');
    const quota = (size?.page_count ?? 0) + 4;
    const { base } = await ctx.serve({}, `${ctx.url}?max_page_count=${quota}`);
    // Each user row holds a 6000-character name: two pages, so the quota
    // fills within a few registrations.
    let answer = await register(base, 0);
    for (let i = 1; i < 20 && answer.status === 201; i++) answer = await register(base, i);
    expectUnavailable(answer, /^The database or its disk is full/);
    expect((await call(base, 'GET', '/db')).status).toBe(200);
  });
}

function register(base: string, i: number): Promise<CallResult> {
  const username = `quota-${i}-${process.pid}-${'x'.repeat(6000)}`;
  return call(base, 'POST', '/auth/register', { json: { username, password: 'pw' } });
}
