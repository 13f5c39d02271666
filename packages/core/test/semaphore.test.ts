import { AsyncLocalStorage } from 'node:async_hooks';
import { describe, expect, it } from 'vitest';
import { Semaphore, SemaphoreTimeout } from '../src/authoring.js';

describe('Semaphore', () => {
  it('grants permits in arrival order', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire(1000);
    const order: number[] = [];
    const waiters = [1, 2, 3].map((n) => semaphore.acquire(1000).then(() => order.push(n)));
    expect(semaphore.waiting).toBe(3);
    for (let i = 0; i < 3; i++) {
      semaphore.release();
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(waiters);
    expect(order).toEqual([1, 2, 3]);
  });

  it('gives up after the timeout and leaves the queue clean', async () => {
    const semaphore = new Semaphore(1);
    await semaphore.acquire(1000);
    let waited = 0;
    let ended = 0;
    const waits = { onWait: () => waited++, onWaitEnd: () => ended++ };
    await expect(semaphore.acquire(20, waits)).rejects.toBeInstanceOf(SemaphoreTimeout);
    expect(waited).toBe(1);
    expect(ended).toBe(0);
    expect(semaphore.waiting).toBe(0);
    semaphore.release();
    expect(semaphore.busy).toBe(false);
  });

  it("ends a queued wait in the waiter's async context, once it holds the permit", async () => {
    const semaphore = new Semaphore(1);
    const scope = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    const waits = {
      onWait: () => seen.push(`wait ${scope.getStore()}`),
      onWaitEnd: () => seen.push(`end ${scope.getStore()}`),
    };
    await scope.run('holder', () => semaphore.acquire(1000, waits));
    const waiter = scope.run('waiter', () => semaphore.acquire(1000, waits));
    await new Promise((resolve) => setImmediate(resolve));
    expect(seen).toEqual(['wait waiter']);
    scope.run('holder', () => semaphore.release());
    await waiter;
    expect(seen).toEqual(['wait waiter', 'end waiter']);
  });

  it('takes a free permit without waiting, and none while every permit is held', async () => {
    const semaphore = new Semaphore(2);
    expect(semaphore.tryAcquire()).toBe(true);
    await semaphore.acquire(1000);
    expect(semaphore.tryAcquire()).toBe(false);
    const queued = semaphore.acquire(1000);
    semaphore.release();
    await queued;
    // The released permit went to the waiter, not back to tryAcquire.
    expect(semaphore.tryAcquire()).toBe(false);
    semaphore.release();
    expect(semaphore.tryAcquire()).toBe(true);
  });

  it('refuses a permit count that is not a positive whole number', () => {
    expect(() => new Semaphore(0)).toThrow(/whole number of permits >= 1/);
  });
});
