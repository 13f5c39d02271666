import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { LifetimeRecorder, ScopeStore } from '../src/authoring.js';

const store = () =>
  new ScopeStore(new LifetimeRecorder(), { start: () => {}, refuse: () => undefined });

/**
 * A module-level batcher, as in a DataLoader-style cache or a hand-written
 * queue: work is queued by many requests and run by one flush, scheduled by
 * whichever request queued first.
 */
function batcher(): (work: () => void) => void {
  const queue: Array<() => void> = [];
  let scheduled = false;
  return (work) => {
    queue.push(work);
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      for (const next of queue.splice(0)) next();
    });
  };
}

/** Two scopes queue work on one batcher; returns the scope each piece of work saw. */
async function queuedFromTwoScopes(bind: boolean): Promise<{ own: number[]; seen: number[] }> {
  const scopes = store();
  const enqueue = batcher();
  const own: number[] = [];
  const seen: number[] = [];
  await Promise.all(
    [0, 1].map((i) =>
      scopes.run(async () => {
        own[i] = scopes.current()?.id ?? -1;
        await new Promise<void>((resolve) => {
          const work = () => {
            seen[i] = scopes.current()?.id ?? -1;
            resolve();
          };
          enqueue(bind ? AsyncLocalStorage.bind(work) : work);
        });
      }),
    ),
  );
  return { own, seen };
}

describe('the request scope on AsyncLocalStorage', () => {
  it('follows each scope through awaits and timers, and leaves nothing behind in its caller', async () => {
    const scopes = store();
    const seen = await Promise.all(
      [0, 1, 2].map(() =>
        scopes.run(async () => {
          const first = scopes.current()?.id;
          await new Promise((resolve) => setTimeout(resolve, 5));
          return [first, scopes.current()?.id];
        }),
      ),
    );
    for (const [before, after] of seen) expect(after).toBe(before);
    expect(new Set(seen.map(([id]) => id)).size).toBe(3);
    // With enterWith instead of run, the last scope would still be current here.
    expect(scopes.current()).toBeUndefined();
  });

  it("loses a request's scope in work queued to a shared batcher: the flush runs in the first queuer's scope", async () => {
    const { own, seen } = await queuedFromTwoScopes(false);
    expect(own[0]).not.toBe(own[1]);
    expect(seen).toEqual([own[0], own[0]]);
  });

  it('keeps each scope in queued work bound with AsyncLocalStorage.bind', async () => {
    const { own, seen } = await queuedFromTwoScopes(true);
    expect(seen).toEqual(own);
  });
});
