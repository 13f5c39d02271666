import { describe, expect, it } from 'vitest';
import {
  LifetimeRecorder,
  type RequestScope,
  type ScopeHold,
  ScopeHolds,
  ScopeStore,
  UNOBSERVED,
} from '../src/authoring.js';
import { OutsideScopeError, ScopeClosedError } from '../src/index.js';

interface Hold extends ScopeHold {
  readonly entered: string[];
}

/** What a strategy's acquireConnection() does with the holds: find, lock, check again. */
async function enter(holds: ScopeHolds<Hold>): Promise<Hold> {
  const hold = holds.current();
  await hold.lock.take();
  holds.stillOpen(hold);
  return hold;
}

function setUp() {
  const torn: Hold[] = [];
  const store: ScopeStore = new ScopeStore(new LifetimeRecorder(), {
    start: (scope) =>
      holds.start(
        scope,
        (lock) => ({ scope, lock, entered: [] }),
        async (hold) => {
          torn.push(hold);
        },
      ),
    refuse: () => undefined,
  });
  const holds = new ScopeHolds<Hold>('test-strategy', store, 1000, UNOBSERVED);
  return { store, holds, torn };
}

describe('ScopeHolds', () => {
  it('lets no query in outside a scope', async () => {
    const { holds } = setUp();
    await expect(enter(holds)).rejects.toBeInstanceOf(OutsideScopeError);
  });

  it("gives a scope's queries its one hold in turn, tears it down once and forgets it", async () => {
    const { store, holds, torn } = setUp();
    let scope: RequestScope | undefined;
    await store.run(async () => {
      scope = store.current();
      const first = await enter(holds);
      const second = enter(holds).then((hold) => {
        hold.entered.push('second');
        hold.lock.release();
        return hold;
      });
      // The second query waits for the first's lock.
      await new Promise((resolve) => setTimeout(resolve, 20));
      first.entered.push('first');
      first.lock.release();
      expect(await second).toBe(first);
      expect(first.entered).toEqual(['first', 'second']);
    });
    expect(torn).toHaveLength(1);
    expect(torn[0]?.scope).toBe(scope);
    expect(scope && holds.of(scope)).toBeUndefined();
  });

  it('turns away a query that waited while its scope ended, and leaves the lock free', async () => {
    const { store, holds } = setUp();
    await store.run(async () => {
      const scope = store.current();
      const first = await enter(holds);
      const waiting = enter(holds).catch((error: unknown) => error);
      const ended = scope?.end();
      first.lock.release();
      expect(await waiting).toBeInstanceOf(ScopeClosedError);
      expect(await first.lock.takeForTeardown()).toBe(true);
      first.lock.release();
      await ended;
      await expect(enter(holds)).rejects.toBeInstanceOf(ScopeClosedError);
    });
  });
});
