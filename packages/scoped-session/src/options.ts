import type { StrategyOptions } from '@lifetimes/core';

export interface ScopedSessionOptions extends StrategyOptions {
  /**
   * Size of the engine's pool (pg.Pool, or a pool of SQLite handles).
   * Default 10. Each open session holds one connection until it is removed,
   * so this is also the most requests that can have a unit of work open.
   */
  readonly poolSize?: number;
  /**
   * How long a session waits for a pooled connection, or for its own
   * connection while another query of the same session uses it.
   * Default 5000 ms; then AcquireTimeoutError, a 503.
   */
  readonly acquireTimeoutMs?: number;
  /**
   * SQLAlchemy's `scopefunc`: returns the key of the session the calling
   * code belongs to. Default: the current request scope, and its session is
   * removed when the scope ends. With your own key (a job id, a worker),
   * you call remove() yourself; returning undefined means "no session here"
   * and the query throws OutsideScopeError.
   */
  readonly scopefunc?: () => unknown;
}
