/** Told when an acquire has to queue and when it stops queueing with the permit. */
export interface WaitObserver {
  onWait(): void;
  onWaitEnd(): void;
}

interface Waiter {
  readonly grant: () => void;
  readonly timer: NodeJS.Timeout | undefined;
}

/** Thrown by Semaphore.acquire when the wait exceeds its timeout; callers turn it into a typed error that names what they waited for. */
export class SemaphoreTimeout extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no permit within ${timeoutMs} ms`);
  }
}

/** One settled promise for every acquire that did not wait: awaiting it makes no new one. */
const GRANTED = Promise.resolve();

/**
 * A FIFO counting semaphore with a bounded wait. With one permit it is the
 * mutex that serializes work on one connection; with N it caps how many
 * connections may be open at once. FIFO order matters: a steady stream of new
 * arrivals must not starve a request that has been waiting longer.
 */
export class Semaphore {
  #free: number;
  readonly #queue: Waiter[] = [];

  constructor(permits: number) {
    if (!Number.isInteger(permits) || permits < 1) {
      throw new RangeError(`A semaphore needs a whole number of permits >= 1, got ${permits}.`);
    }
    this.#free = permits;
  }

  /** True when acquire() would have to wait. */
  get busy(): boolean {
    return this.#free === 0;
  }

  get waiting(): number {
    return this.#queue.length;
  }

  /**
   * Resolves when a permit is held. The caller must call release() exactly
   * once afterwards. `waits.onWait` runs when the call has to queue, so
   * callers can count waits without racing the grant; `waits.onWaitEnd` runs
   * once the queued call holds the permit, in the caller's async context (a
   * reaction registered here, not in release()), so it is tagged with the
   * waiting request's scope rather than the releasing one's.
   */
  acquire(timeoutMs: number, waits?: WaitObserver): Promise<void> {
    if (this.tryAcquire()) return GRANTED;
    waits?.onWait();
    const granted = new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        grant: () => {
          if (waiter.timer) clearTimeout(waiter.timer);
          resolve();
        },
        timer: Number.isFinite(timeoutMs)
          ? setTimeout(() => {
              const at = this.#queue.indexOf(waiter);
              if (at >= 0) this.#queue.splice(at, 1);
              reject(new SemaphoreTimeout(timeoutMs));
            }, timeoutMs)
          : undefined,
      };
      this.#queue.push(waiter);
    });
    return waits ? granted.then(() => waits.onWaitEnd()) : granted;
  }

  /**
   * Takes a permit if one is free, without a promise: the path of nearly
   * every acquire, and under AsyncLocalStorage each promise a request makes
   * costs it a context copy.
   */
  tryAcquire(): boolean {
    if (this.#free === 0) return false;
    this.#free--;
    return true;
  }

  /** Hands the permit to the longest waiter, or returns it to the pool. */
  release(): void {
    const next = this.#queue.shift();
    if (next) next.grant();
    else this.#free++;
  }
}
