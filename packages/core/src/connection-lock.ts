import { AcquireTimeoutError } from './errors.js';
import type { ConnectionObserver } from './physical-connection.js';
import { Semaphore, SemaphoreTimeout } from './semaphore.js';

const TAKEN = Promise.resolve();
const TAKEN_FOR_TEARDOWN = Promise.resolve(true);

/**
 * Gives a scope's one connection to one query (or one transaction) at a
 * time. Without it, two concurrent queries of one request share a
 * connection freely, and one of them runs inside the other's transaction.
 */
export class ConnectionLock {
  readonly #semaphore = new Semaphore(1);
  readonly #owner: string;
  readonly #timeoutMs: number;
  readonly #observer: ConnectionObserver;

  /** @param owner names the holder in the timeout error, e.g. "request 12's connection". */
  constructor(owner: string, timeoutMs: number, observer: ConnectionObserver) {
    this.#owner = owner;
    this.#timeoutMs = timeoutMs;
    this.#observer = observer;
  }

  /**
   * Waits up to the timeout; the caller must release() exactly once after.
   * Not async: a free lock, the usual case, hands back a settled promise
   * instead of making two per query.
   */
  take(): Promise<void> {
    if (this.#semaphore.tryAcquire()) return TAKEN;
    return this.#semaphore.acquire(this.#timeoutMs, this.#observer).catch((error: unknown) => {
      if (!(error instanceof SemaphoreTimeout)) throw error;
      this.#observer.onTimeout();
      throw new AcquireTimeoutError(
        this.#owner,
        this.#timeoutMs,
        'Another query of the same scope (a transaction) holds it. Inside db.transaction() ' +
          'query through trx, not db, or the query waits for the transaction that waits for it.',
      );
    });
  }

  /**
   * For teardown: waits for the query in flight, but only up to the
   * timeout, because a query that never returns must not keep the
   * connection forever. True when the lock is held and must be released.
   */
  takeForTeardown(): Promise<boolean> {
    if (this.#semaphore.tryAcquire()) return TAKEN_FOR_TEARDOWN;
    return this.#semaphore.acquire(this.#timeoutMs).then(
      () => true,
      () => false,
    );
  }

  release(): void {
    this.#semaphore.release();
  }
}
