import type { StrategyOptions } from '@lifetimes/core';

export interface BaselineOptions extends StrategyOptions {
  /**
   * PostgreSQL: size of the one process-wide pg.Pool. Default 10. SQLite
   * ignores it: the baseline there is one connection for the whole process.
   */
  readonly poolSize?: number;
  /**
   * How long a query waits for the shared connection (SQLite) or a pooled
   * one (PostgreSQL). Default 5000 ms; then AcquireTimeoutError, a 503.
   */
  readonly acquireTimeoutMs?: number;
}
