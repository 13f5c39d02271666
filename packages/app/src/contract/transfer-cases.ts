import { Agent } from 'node:http';
import { ACCOUNTS, OPENING_BALANCE } from '@lifetimes/schema';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { call, getJson } from './http-call.js';

interface Total {
  total: number;
  count: number;
}

interface Moved {
  from: { id: number; balance: number };
  to: { id: number; balance: number };
}

const TOTAL: Total = { total: ACCOUNTS * OPENING_BALANCE, count: ACCOUNTS };

/**
 * Accounts 1 to 10 are debited only by cases that move known, small amounts
 * (this file's named cases, the outage and pooler cases). The random
 * transfers and the fuzzer debit the others: a random walk can leave any
 * account it debits near zero, and a case that then moves 3 from it would
 * get a 409, not its 200.
 */
export const FIXED_ACCOUNTS = 10;

/** The transfer workload: atomic moves, the input rules, and a total that never changes. */
export function transferCases(ctx: AppContext): void {
  async function balanceOf(id: number): Promise<number> {
    const [row] = await ctx.adminQuery<{ balance: number }>(
      `select balance from account where id = ${ctx.placeholder(1)}`,
      [id],
    );
    return Number(row?.balance);
  }

  it('POST /transfer moves the amount and answers both new balances', async () => {
    const { base } = await ctx.serve();
    const [from, to] = [await balanceOf(3), await balanceOf(4)];
    const { status, body } = await call(base, 'POST', '/transfer', {
      json: { from: 3, to: 4, amount: 7 },
    });
    expect(status).toBe(200);
    expect(body).toEqual({ from: { id: 3, balance: from - 7 }, to: { id: 4, balance: to + 7 } });
    expect([await balanceOf(3), await balanceOf(4)]).toEqual([from - 7, to + 7]);
    expect(await getJson<Total>(base, '/accounts/total')).toEqual(TOTAL);
  });

  it('POST /transfer: 400 for bad input, 404 for unknown accounts, 409 for an overdraft', async () => {
    const { base } = await ctx.serve();
    const before = [await balanceOf(1), await balanceOf(2)];
    const cases: [unknown, number, RegExp][] = [
      [{ from: '1', to: 2, amount: 1 }, 400, /"from" and "to" must be integer/],
      [{ from: 1.5, to: 2, amount: 1 }, 400, /"from" and "to" must be integer/],
      [{ to: 2, amount: 1 }, 400, /"from" and "to" must be integer/],
      [{ from: 1, to: 1, amount: 1 }, 400, /different accounts/],
      [{ from: 1, to: 2, amount: 0 }, 400, /"amount" must be a positive integer/],
      [{ from: 1, to: 2, amount: -5 }, 400, /"amount" must be a positive integer/],
      [{ from: 1, to: 2, amount: 2.5 }, 400, /"amount" must be a positive integer/],
      [{ from: 1, to: 2, amount: '10' }, 400, /"amount" must be a positive integer/],
      [{ from: 1, to: 2 }, 400, /"amount" must be a positive integer/],
      [{ from: 1, to: 2, amount: 1e300 }, 400, /"amount" must be a positive integer/],
      [[1, 2, 3], 400, /JSON object/],
      [{ from: 1, to: 999, amount: 1 }, 404, /Account 999 does not exist/],
      [{ from: 0, to: 2, amount: 1 }, 404, /Account 0 does not exist/],
      // Past PostgreSQL's integer: refused as unknown, not sent to fail as out of range.
      [{ from: 1, to: 9_999_999_999, amount: 1 }, 404, /Account 9999999999 does not exist/],
      [{ from: 1, to: 2, amount: 10_000_000 }, 409, /Insufficient funds: account 1 has \d+/],
    ];
    for (const [json, status, message] of cases) {
      const response = await call(base, 'POST', '/transfer', { json });
      expect(response.status, JSON.stringify(json)).toBe(status);
      expect((response.body as { error: string }).error, JSON.stringify(json)).toMatch(message);
    }
    expect([await balanceOf(1), await balanceOf(2)]).toEqual(before);
  });

  it('1000 concurrent transfers keep the total: only 200s and 409s, no account below zero', async () => {
    const { base } = await ctx.serve();
    expect(await getJson<Total>(base, '/accounts/total')).toEqual(TOTAL);
    const statuses = new Map<number, number>();
    const BATCH = 50;
    // Kept-alive sockets: a thousand TCP handshakes would cost more than the transfers.
    const agent = new Agent({ keepAlive: true, maxSockets: BATCH });
    try {
      for (let sent = 0; sent < 1000; sent += BATCH) {
        const batch = await Promise.all(
          Array.from({ length: BATCH }, () => {
            const from =
              FIXED_ACCOUNTS + 1 + Math.floor(Math.random() * (ACCOUNTS - FIXED_ACCOUNTS));
            const to = 1 + ((from + Math.floor(Math.random() * (ACCOUNTS - 1))) % ACCOUNTS);
            const amount = 1 + Math.floor(Math.random() * 400);
            return call(base, 'POST', '/transfer', { json: { from, to, amount }, agent });
          }),
        );
        for (const { status, body } of batch) {
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 200) {
            const moved = body as Moved;
            expect(moved.from.balance).toBeGreaterThanOrEqual(0);
          } else {
            expect(status, JSON.stringify(body)).toBe(409);
          }
        }
      }
    } finally {
      agent.destroy();
    }
    expect(statuses.get(200) ?? 0).toBeGreaterThan(0);
    expect(await getJson<Total>(base, '/accounts/total')).toEqual(TOTAL);
    const [lowest] = await ctx.adminQuery<{ low: number }>(
      'select min(balance) as low from account',
    );
    expect(Number(lowest?.low)).toBeGreaterThanOrEqual(0);
  }, 60_000);

  it('POST /transfer with an Idempotency-Key moves the money once: a retry gets the first answer, another body a 422, an expired key a new write', async () => {
    const { base } = await ctx.serve();
    const [from, to] = [await balanceOf(5), await balanceOf(6)];
    const key = { 'idempotency-key': `transfer-${ctx.dialect}-${Date.now()}` };
    const first = await call(base, 'POST', '/transfer', {
      json: { from: 5, to: 6, amount: 11 },
      headers: key,
    });
    expect(first.status).toBe(200);
    const retried = await call(base, 'POST', '/transfer', {
      json: { from: 5, to: 6, amount: 11 },
      headers: key,
    });
    expect(retried.status).toBe(200);
    expect(retried.body).toEqual(first.body);
    expect(retried.headers['idempotent-replayed']).toBe('true');
    const other = await call(base, 'POST', '/transfer', {
      json: { from: 5, to: 6, amount: 12 },
      headers: key,
    });
    expect(other.status).toBe(422);
    expect(other.body).toEqual({ error: expect.stringContaining('Idempotency-Key') });
    expect([await balanceOf(5), await balanceOf(6)]).toEqual([from - 11, to + 11]);
    for (const bad of ['', 'has space', 'x'.repeat(129), 'é']) {
      const refused = await call(base, 'POST', '/transfer', {
        json: { from: 5, to: 6, amount: 1 },
        headers: { 'idempotency-key': bad },
      });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
    expect([await balanceOf(5), await balanceOf(6)]).toEqual([from - 11, to + 11]);
    // Once expired (24 h), the key names a new write.
    await ctx.adminQuery(
      `update idempotency_key set expires_at = 0 where key = ${ctx.placeholder(1)}`,
      [key['idempotency-key']],
    );
    const expired = await call(base, 'POST', '/transfer', {
      json: { from: 5, to: 6, amount: 12 },
      headers: key,
    });
    expect(expired.status).toBe(200);
    expect([await balanceOf(5), await balanceOf(6)]).toEqual([from - 23, to + 23]);
  });

  it('20 concurrent retries of one keyed transfer apply it once, and all get its answer', async () => {
    const { base } = await ctx.serve();
    const [from, to] = [await balanceOf(7), await balanceOf(8)];
    const headers = { 'idempotency-key': `burst-${ctx.dialect}-${Date.now()}` };
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        call(base, 'POST', '/transfer', { json: { from: 7, to: 8, amount: 3 }, headers }),
      ),
    );
    expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
    const expected = { from: { id: 7, balance: from - 3 }, to: { id: 8, balance: to + 3 } };
    for (const answer of answers) expect(answer.body).toEqual(expected);
    expect([await balanceOf(7), await balanceOf(8)]).toEqual([from - 3, to + 3]);
  });

  it('a keyed blog write is applied once: the retried POST /posts answers the same post', async () => {
    const { base } = await ctx.serve();
    const credentials = { username: `keyed-${ctx.dialect}-${Date.now()}`, password: 'secret' };
    await call(base, 'POST', '/auth/register', { json: credentials });
    const login = await call(base, 'POST', '/auth/login', { json: credentials });
    const headers = {
      authorization: `Bearer ${(login.body as { token: string }).token}`,
      'idempotency-key': `post-${credentials.username}`,
    };
    const title = `once ${credentials.username}`;
    const first = await call(base, 'POST', '/posts', { json: { title, body: 'b' }, headers });
    const retried = await call(base, 'POST', '/posts', { json: { title, body: 'b' }, headers });
    expect(first.status).toBe(201);
    expect(retried.status).toBe(201);
    expect(retried.body).toEqual(first.body);
    const posts = (await call(base, 'GET', '/posts')).body as { title: string }[];
    expect(posts.filter((post) => post.title === title)).toHaveLength(1);
  });
}
