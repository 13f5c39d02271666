import type { StrategyOptions } from '@lifetimes/core';

export interface PerRequestOptions extends StrategyOptions {
  /**
   * Most connections open at once (one per request that queried). Default
   * Infinity, as in Flask: a spike of concurrent requests opens as many
   * connections. With a cap the excess waits up to `acquireTimeoutMs`.
   */
  readonly maxOpen?: number;
  /**
   * How long a query waits for a connection slot under the cap, or for its
   * own request's connection while another query of the same request (a
   * transaction, say) is using it. Default 5000 ms; then AcquireTimeoutError.
   */
  readonly acquireTimeoutMs?: number;
}
