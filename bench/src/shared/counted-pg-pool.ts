import type pg from 'pg';

/** How long allClosed() waits for the last clients to end before it gives up and the counts stand as they are. */
const CLOSE_WAIT_MS = 5000;

/**
 * A pg.Pool's connections opened and closed, for the rows that use pg.Pool
 * directly (the floor, plain Kysely) and print or report those counts.
 * pg.Pool's end() resolves once its list of clients is empty, before each
 * client has ended and said so with 'remove': counted right after end(),
 * a pool whose clients were still open shows none closed.
 */
export class CountedPgPool {
  #opened = 0;
  #closed = 0;
  #allClosed: (() => void) | undefined;

  constructor(pool: pg.Pool) {
    // Without it, an idle client's error crashes the process.
    pool.on('error', () => {});
    pool.on('connect', () => this.#opened++);
    pool.on('remove', () => {
      this.#closed++;
      if (this.#closed >= this.#opened) this.#allClosed?.();
    });
  }

  get opened(): number {
    return this.#opened;
  }

  get closed(): number {
    return this.#closed;
  }

  /** After the pool's end(): resolves once every client it opened has ended, or after CLOSE_WAIT_MS. */
  async allClosed(): Promise<void> {
    if (this.#closed >= this.#opened) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      this.#allClosed = resolve;
      timer = setTimeout(resolve, CLOSE_WAIT_MS);
    });
    clearTimeout(timer);
    this.#allClosed = undefined;
  }
}
