import type { ConnectionObserver } from '../connection/physical-connection.js';
import { acquireWithin, type BoundedWait } from './acquire-within.js';
import { Semaphore } from './semaphore.js';

const TAKEN_FOR_TEARDOWN = Promise.resolve(true);

/**
 * Gives a scope's one connection to one query (or one transaction) at a
 * time. Without it, two concurrent queries of one request share a
 * connection freely, and one of them runs inside the other's transaction.
 */
export class ConnectionLock {
  readonly #semaphore = new Semaphore(1);
  readonly #wait: BoundedWait;

  /** @param owner names the holder in the timeout error, e.g. "request 12's connection". */
  constructor(owner: string, timeoutMs: number, observer: ConnectionObserver) {
    this.#wait = {
      timeoutMs,
      observer,
      what: owner,
      hint:
        'Another query of the same scope (a transaction) holds it. Inside db.transaction() ' +
        'query through trx, not db, or the query waits for the transaction that waits for it.',
    };
  }

  /** Waits up to the timeout; the caller must release() exactly once after. */
  take(): Promise<void> {
    return acquireWithin(this.#semaphore, this.#wait);
  }

  /** Takes the lock if it is free, with no promise; false: await take(). */
  tryTake(): boolean {
    return this.#semaphore.tryAcquire();
  }

  /**
   * For teardown: waits for the query in flight, but only up to the
   * timeout, because a query that never returns must not keep the
   * connection forever. True when the lock is held and must be released.
   */
  takeForTeardown(): Promise<boolean> {
    if (this.#semaphore.tryAcquire()) return TAKEN_FOR_TEARDOWN;
    return this.#semaphore.acquire(this.#wait.timeoutMs).then(
      () => true,
      () => false,
    );
  }

  release(): void {
    this.#semaphore.release();
  }
}
