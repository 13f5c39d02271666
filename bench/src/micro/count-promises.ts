import { createHook } from 'node:async_hooks';
import type { MicroOperation } from './micro-operations.js';

const SETTLED = Promise.resolve();

/**
 * Promises each row makes per op: counted with an async hook over `ops`
 * ops run one after another inside the operation's scopes, the counting
 * loop's own promise (measured on a row that makes none) taken off.
 *
 * A count, not a time, so it does not drift with the machine; and while an
 * AsyncLocalStorage store is active, Node 20 copies the context onto every
 * new promise, so the count explains much of the time between two rows.
 * The hook itself slows every promise, so this runs apart from the timed
 * blocks, after them.
 */
export async function countPromises(
  operation: Pick<MicroOperation, 'rows' | 'around'>,
  ops: number,
): Promise<Map<string, number>> {
  let count = 0;
  const hook = createHook({
    init(_id, type) {
      if (type === 'PROMISE') count++;
    },
  });
  const perOp = async (run: () => Promise<unknown>): Promise<number> => {
    // Once uncounted: a first op may open what every later one reuses.
    await run();
    // The hook sees every promise of the process: the fewest of three
    // passes leaves out what other work (a timer, a socket) made meanwhile.
    let fewest = Number.POSITIVE_INFINITY;
    for (let pass = 0; pass < 3; pass++) {
      count = 0;
      hook.enable();
      try {
        for (let i = 0; i < ops; i++) await run();
      } finally {
        hook.disable();
      }
      fewest = Math.min(fewest, count);
    }
    return fewest / ops;
  };
  const around = operation.around ?? ((block) => block());
  return around(async () => {
    const loop = await perOp(() => SETTLED);
    const counts = new Map<string, number>();
    for (const row of operation.rows) counts.set(row.name, (await perOp(row.run)) - loop);
    return counts;
  });
}
