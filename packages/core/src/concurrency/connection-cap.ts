import type { ConnectionObserver } from '../connection/physical-connection.js';
import { acquireWithin, type BoundedWait } from './acquire-within.js';
import { Semaphore } from './semaphore.js';

/**
 * A bound on how many unpooled connections a strategy holds open at once.
 * Without one, a load spike opens a connection per query or request until
 * the server's max_connections refuses the rest with errors; with one, the
 * excess waits up to the acquire timeout and then gets a 503.
 */
export class ConnectionCap {
  readonly max: number;
  readonly #permits: Semaphore | undefined;
  readonly #wait: BoundedWait;

  /** @param max Infinity for no cap. */
  constructor(max: number, timeoutMs: number, observer: ConnectionObserver) {
    this.max = max;
    this.#permits = Number.isFinite(max) ? new Semaphore(max) : undefined;
    this.#wait = {
      timeoutMs,
      observer,
      what: `one of ${max} connection slots`,
      hint: "All slots are in use: raise maxOpen within the server's max_connections, or shed load.",
    };
  }

  /** Takes one slot; the caller must call release() exactly once after. */
  async take(): Promise<void> {
    if (this.#permits) await acquireWithin(this.#permits, this.#wait);
  }

  release(): void {
    this.#permits?.release();
  }
}
