import type { ConnectionPool } from '@lifetimes/core/authoring';

/**
 * One pool in the registry: SQLAlchemy's engine for one database URL. The
 * pool is a promise because it is made only once an engine slot is free.
 *
 * `borrowers` counts everyone from the moment they ask the registry for a
 * connection until they give it back, including those still waiting for the
 * pool. An evicted engine is closed only at zero: counting from the ask, not
 * from the checkout, is what keeps eviction from closing a pool between a
 * request choosing it and the request checking a connection out.
 */
export class Engine {
  readonly url: string;
  readonly pool: Promise<ConnectionPool>;
  /** The pool once made, so a lease from a live engine need not await it. */
  #ready: ConnectionPool | undefined;
  #borrowers = 0;
  #onIdle: (() => void) | undefined;

  constructor(url: string, pool: Promise<ConnectionPool>) {
    this.url = url;
    this.pool = pool;
    pool.then(
      (made) => {
        this.#ready = made;
      },
      // The registry handles a failed creation; this reaction only reads.
      () => {},
    );
  }

  get ready(): ConnectionPool | undefined {
    return this.#ready;
  }

  borrow(): void {
    this.#borrowers++;
  }

  giveBack(): void {
    this.#borrowers--;
    if (this.#borrowers === 0) this.#onIdle?.();
  }

  /** Resolves once no one borrows from this engine. */
  idle(): Promise<void> {
    if (this.#borrowers === 0) return Promise.resolve();
    return new Promise<void>((resolve) => {
      this.#onIdle = resolve;
    });
  }
}
