import { withResolvers } from '@lifetimes/databases';
import { expect } from 'vitest';
import { OutsideScopeError, ScopeClosedError } from '../errors.js';
import { whichConnection } from '../which-connection.js';
import { contractCase, sleep } from './case.js';
import type { ContractContext } from './contract-context.js';
import { eventually } from './eventually.js';
import { httpGet } from './http-probe.js';

/** Queries without a scope, or after it, never run on someone else's connection. */
export function scopeCases(ctx: ContractContext): void {
  const { spec } = ctx;

  contractCase(
    ctx,
    'outside-scope',
    'a query outside any scope fails typed, or runs on its own connection',
    async (subject) => {
      const query = subject.db.selectFrom('probe').select('tag').execute();
      if (spec.requiresScope) {
        await expect(query).rejects.toBeInstanceOf(OutsideScopeError);
        await expect(query).rejects.toThrow(/outside any request scope.*strategy\.scope/);
        expect(subject.strategy.stats().opened).toBe(0);
      } else {
        await expect(query).resolves.toBeInstanceOf(Array);
        expect(subject.strategy.stats().active).toBe(0);
      }
    },
  );

  contractCase(
    ctx,
    'after-scope',
    'a detached timer querying after the response never borrows a live connection',
    async (subject) => {
      const outcomes: unknown[] = [];
      let holderConnection = '';
      const served = await ctx.serve(subject, (app) => {
        app.get('/detached', async (_req, res) => {
          await whichConnection(subject.db, ctx.dialect);
          setTimeout(() => {
            whichConnection(subject.db, ctx.dialect).then(
              (id) => outcomes.push(id),
              (error: unknown) => outcomes.push(error),
            );
          }, 50);
          res.json({ sent: true });
        });
        // A request that is mid-flight when the timer fires: the connection a
        // buggy strategy would hand to the detached query.
        app.get('/holder', async (_req, res) => {
          holderConnection = await whichConnection(subject.db, ctx.dialect);
          await sleep(200);
          const again = await whichConnection(subject.db, ctx.dialect);
          res.json({ first: holderConnection, again });
        });
      });
      const holder = httpGet(`${served.base}/holder`);
      await sleep(20);
      expect((await httpGet(`${served.base}/detached`)).status).toBe(200);
      await eventually('the detached query settled', () => outcomes.length === 1);
      const outcome = outcomes[0];
      if (spec.requiresScope) {
        expect(outcome).toBeInstanceOf(ScopeClosedError);
        expect(String(outcome)).toMatch(/after scope \d+ ended/);
      } else {
        expect(typeof outcome).toBe('string');
      }
      if (spec.connectionPer !== 'shared') expect(outcome).not.toBe(holderConnection);
      const held = JSON.parse((await holder).body) as { first: string; again: string };
      if (spec.connectionPer === 'scope') expect(held.again).toBe(held.first);
      await eventually('nothing held', () => subject.strategy.stats().active === 0);
    },
  );

  contractCase(
    ctx,
    'waiting-at-scope-end',
    "a query still waiting for its scope's connection when the scope ends fails typed, never runs after it",
    async (subject) => {
      const { db, strategy } = subject;
      const queued = withResolvers();
      const resumed = withResolvers();
      let transaction: Promise<unknown> = Promise.resolve();
      let waiting: Promise<unknown> = Promise.resolve();
      const ended = strategy.scope(() => {
        transaction = db.transaction().execute(async (trx) => {
          await whichConnection(trx, ctx.dialect);
          // The transaction holds the scope's connection: this query waits its turn.
          waiting = whichConnection(db, ctx.dialect).catch((error: unknown) => error);
          queued.resolve();
          await resumed.promise;
        });
        // The scope's function returns once the query waits, so the scope ends while it does.
        return queued.promise;
      });
      await queued.promise;
      // A timer's turn later the scope's end has run (it follows the function within
      // microtasks): the scope is closed, and only now does the transaction let go.
      await sleep(0);
      resumed.resolve();
      await ended;
      await transaction;
      const outcome = await waiting;
      if (spec.requiresScope) {
        expect(outcome).toBeInstanceOf(ScopeClosedError);
      } else {
        // Its own connection, or the shared one once the transaction let go.
        expect(typeof outcome, String(outcome)).toBe('string');
      }
      await ctx.scopesEnded(subject);
    },
  );
}
