import { expect } from 'vitest';
import { StrategyClosedError } from '../errors.js';
import { whichConnection } from '../which-connection.js';
import { contractCase, sleep } from './case.js';
import type { ContractContext } from './contract-context.js';

/** close() finishes in-flight work, cuts off what will not finish, and refuses the rest. */
export function closeCases(ctx: ContractContext): void {
  contractCase(
    ctx,
    'close-drains',
    'close() lets in-flight work finish, then closes everything',
    async (subject) => {
      const { db, strategy } = subject;
      const inFlight = strategy.scope(async () => {
        await whichConnection(db, ctx.dialect);
        await sleep(300);
        await whichConnection(db, ctx.dialect);
        return 'finished';
      });
      await sleep(50);
      const closing = strategy.close();
      expect(strategy.close()).toBe(closing);
      await expect(inFlight).resolves.toBe('finished');
      await closing;
      const stats = strategy.stats();
      expect(stats.closed).toBe(stats.opened);
      expect(stats.active).toBe(0);
      expect(stats.scopesOpen).toBe(0);
      expect(await ctx.backends(subject)).toBe(0);
      await expect(strategy.scope(() => 'late')).rejects.toBeInstanceOf(StrategyClosedError);
      await expect(db.selectFrom('probe').select('tag').execute()).rejects.toBeInstanceOf(
        StrategyClosedError,
      );
      await strategy.close();
    },
  );

  contractCase(
    ctx,
    'close-bounded',
    'close() ends work that would not finish, within its timeout',
    async (subject) => {
      const { db, strategy } = subject;
      const stuck = strategy.scope(async () => {
        await whichConnection(db, ctx.dialect);
        await sleep(10_000);
      });
      stuck.catch(() => {});
      await sleep(50);
      const started = performance.now();
      await strategy.close();
      // Two bounded phases (drain, then end scopes) plus closing connections.
      expect(performance.now() - started).toBeLessThan(2000);
      const stats = strategy.stats();
      expect(stats.closed).toBe(stats.opened);
      expect(await ctx.backends(subject)).toBe(0);
    },
    { options: { closeTimeoutMs: 200 } },
  );
}
