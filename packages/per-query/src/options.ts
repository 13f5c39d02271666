import type { StrategyOptions } from '@lifetimes/core';

export interface PerQueryOptions extends StrategyOptions {
  /**
   * Most connections open at once. Default Infinity: every concurrent query
   * opens its own, and a spike can exhaust the server's max_connections.
   * With a cap the excess waits up to `acquireTimeoutMs`, then gets a 503.
   */
  readonly maxOpen?: number;
  /** How long a query waits for a slot under the cap. Default 5000 ms. */
  readonly acquireTimeoutMs?: number;
}
