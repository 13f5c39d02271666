import type { PhysicalConnection } from '../connection/physical-connection.js';
import type { DatabaseTarget } from '../database-url.js';

/** A bounded set of reusable connections to one database. */
export interface ConnectionPool {
  readonly target: DatabaseTarget;
  /** The most connections this pool ever has open at once. */
  readonly max: number;
  /** Connections checked out right now. */
  readonly leased: number;
  /**
   * Checks a connection out. Who releases: the caller, exactly once, via
   * release(). Waits at most the pool's acquire timeout, then throws
   * AcquireTimeoutError (a 503, never a hang).
   */
  acquire(): Promise<PhysicalConnection>;
  /**
   * An idle connection at once, or undefined when acquire() would have to
   * open one or wait (or always, where the driver hands connections out
   * only through a promise). The same checkout as acquire(), with no
   * promise: under AsyncLocalStorage each promise a request makes costs it
   * a copy of its context.
   */
  tryAcquire(): PhysicalConnection | undefined;
  /**
   * Checks a connection back in. One still inside a transaction is rolled
   * back first; one that is broken, or whose rollback fails, is destroyed
   * instead of pooled, so the next borrower never inherits its state.
   */
  release(connection: PhysicalConnection): Promise<void>;
  /**
   * Checks a connection back in at once when it is reusable as it is (open,
   * not broken, outside any transaction) and true; otherwise it does
   * nothing and returns false, and the caller awaits release().
   */
  tryRelease(connection: PhysicalConnection): boolean;
  /** Closes idle connections now and the leased ones as they come back. Idempotent. */
  close(): Promise<void>;
}

export interface PoolOptions {
  /** Most open connections. Default 10; more raises throughput only until the database saturates. */
  readonly max?: number;
  /** How long acquire() waits for a free connection. Default 5000 ms; then AcquireTimeoutError. */
  readonly acquireTimeoutMs?: number;
  /** Idle connections are closed after this long. Default 10000 ms; 0 keeps them forever. */
  readonly idleTimeoutMs?: number;
  /** PostgreSQL application_name of the pool's connections. */
  readonly applicationName?: string;
  /**
   * SQLite: how long a handle waits for another process's write lock before
   * SQLITE_BUSY (the strategy's connectTimeoutMs). Default: acquireTimeoutMs.
   */
  readonly busyTimeoutMs?: number;
}

/**
 * True when a connection can go back to its pool as it is: open, not
 * broken, outside any transaction: what tryRelease() takes back at once.
 */
export function reusableAsIs(connection: PhysicalConnection): boolean {
  return !connection.broken && !connection.isClosed && !connection.inTransaction;
}

/** Makes sure a connection leaves the caller clean; returns false when it must be destroyed. */
export async function cleanForReuse(connection: PhysicalConnection): Promise<boolean> {
  if (reusableAsIs(connection)) return true;
  if (connection.broken || connection.isClosed) return false;
  try {
    await connection.rollback();
    return !connection.broken;
  } catch {
    return false;
  }
}
