import type { ConnectionStrategy } from '@lifetimes/core';
import { ACCOUNTS, type Database } from '@lifetimes/schema';
import { Router } from 'express';
import { HttpError } from '../http/http-error.js';
import { idempotentWrite, sendAnswer } from '../http/idempotency.js';
import { JsonBody } from '../http/json-body.js';
import { rowId } from '../http/row-id.js';

/**
 * The transfer workload: money moves atomically, so the total never changes,
 * and at most once per Idempotency-Key, so a retried transfer never moves it twice.
 */
export function accountRoutes(strategy: ConnectionStrategy<Database>): Router {
  const router = Router();

  router.post('/transfer', async (req, res) => {
    const { from, to, amount } = readTransfer(JsonBody.of(req));
    const answer = await idempotentWrite(strategy, req, async (trx) => {
      let locking = trx
        .selectFrom('account')
        .select(['id', 'balance'])
        .where('id', 'in', [from, to])
        .orderBy('id');
      // Both rows locked in id order, so two opposite transfers cannot
      // deadlock. SQLite has no FOR UPDATE: its write transaction
      // (BEGIN IMMEDIATE) already holds the whole database.
      if (strategy.dialect === 'postgres') locking = locking.forUpdate();
      const accounts = await locking.execute();
      const source = accounts.find((account) => account.id === from);
      const target = accounts.find((account) => account.id === to);
      if (!source) throw unknownAccount(from);
      if (!target) throw unknownAccount(to);
      if (source.balance < amount) {
        throw new HttpError(
          409,
          `Insufficient funds: account ${from} has ${source.balance}, less than the ${amount} to transfer.`,
        );
      }
      const after = {
        from: { id: from, balance: source.balance - amount },
        to: { id: to, balance: target.balance + amount },
      };
      for (const account of [after.from, after.to]) {
        await trx
          .updateTable('account')
          .set({ balance: account.balance })
          .where('id', '=', account.id)
          .execute();
      }
      return { status: 200, body: after };
    });
    sendAnswer(res, answer);
  });

  router.get('/accounts/total', async (_req, res) => {
    const row = await strategy.db
      .selectFrom('account')
      .select((eb) => [
        eb.fn.sum<number | string>('balance').as('total'),
        eb.fn.countAll().as('count'),
      ])
      .executeTakeFirstOrThrow();
    // PostgreSQL's sum and count are bigint, which pg returns as text.
    res.json({ total: Number(row.total ?? 0), count: Number(row.count) });
  });

  return router;
}

function readTransfer(body: JsonBody): { from: number; to: number; amount: number } {
  const ids = [body.value('from'), body.value('to')];
  if (!ids.every((id) => typeof id === 'number' && Number.isSafeInteger(id))) {
    throw new HttpError(
      400,
      '"from" and "to" must be integer account ids, like {"from": 1, "to": 2, "amount": 10}.',
    );
  }
  const [from, to] = ids as [number, number];
  if (from === to) throw new HttpError(400, '"from" and "to" must be different accounts.');
  const amount = body.value('amount');
  if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount <= 0) {
    throw new HttpError(400, '"amount" must be a positive integer.');
  }
  for (const id of [from, to]) if (rowId(id) === undefined) throw unknownAccount(id);
  return { from, to, amount };
}

function unknownAccount(id: number): HttpError {
  return new HttpError(
    404,
    `Account ${id} does not exist: the seeded accounts are 1 to ${ACCOUNTS}.`,
  );
}
