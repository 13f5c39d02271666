import { expect } from 'vitest';
import { whichConnection } from '../which-connection.js';
import { contractCase, sleep } from './case.js';
import type { ContractContext } from './contract-context.js';

/** Leak detection: off by default, and when on it names the code that held on. */
export function leakCases(ctx: ContractContext): void {
  const holdTooLong = async (subject: ReturnType<ContractContext['create']>) => {
    await subject.strategy.scope(() =>
      subject.db.transaction().execute(async (trx) => {
        await whichConnection(trx, ctx.dialect);
        await sleep(150);
      }),
    );
  };

  contractCase(
    ctx,
    'leak-detection',
    'a connection held past the threshold is reported with its acquirer',
    async (quiet) => {
      await holdTooLong(quiet);
      expect(quiet.events.filter((e) => e.type === 'leak')).toEqual([]);

      const watched = ctx.create({ leakDetectionThresholdMs: 50 });
      await holdTooLong(watched);
      const leaks = watched.events.filter((e) => e.type === 'leak');
      expect(leaks).toHaveLength(1);
      expect(leaks[0]?.detail).toMatch(/held for more than 50 ms; acquired at:\n[\s\S]*leak-cases/);
      const returned = watched.events.filter((e) => e.type === 'leak-returned');
      expect(returned.map((e) => e.connectionId)).toEqual([leaks[0]?.connectionId]);
      expect(watched.strategy.stats().leaks).toBe(1);
    },
  );
}
