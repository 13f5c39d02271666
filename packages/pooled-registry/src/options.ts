import type { StrategyOptions } from '@lifetimes/core';

export interface PooledRegistryOptions extends StrategyOptions {
  /**
   * Most engines (pools) open at once, the default database's included; the
   * least recently used is evicted to make room for a new one. Default 10.
   * Every open engine keeps up to `poolSize` connections, so without a bound
   * a stream of tenants opens pools until the server refuses connections.
   */
  readonly maxEngines?: number;
  /**
   * Connections per engine. Default 5. A request holds one for its whole
   * life, so this is also how many requests of one tenant run at once.
   */
  readonly poolSize?: number;
  /**
   * Most connections the registry may ever hold: the constructor refuses
   * `maxEngines * poolSize` above it. Default 100, PostgreSQL's default
   * max_connections; set it to what the server leaves this process, or the
   * sizing error shows up at runtime as refused connections instead.
   */
  readonly connectionBudget?: number;
  /**
   * How long an evicted engine waits for its in-flight requests to give
   * their connections back before it is closed anyway, cutting them off.
   * Default 5000 ms. Until then it still holds its engine slot, so a lower
   * value frees slots sooner and a higher one cuts off fewer slow requests.
   */
  readonly evictTimeoutMs?: number;
  /**
   * How long a request's first query waits for a connection from its
   * engine, for an engine slot while evicted engines drain, or for its own
   * request's connection while another query of the request uses it.
   * Default 5000 ms; then AcquireTimeoutError, a 503.
   */
  readonly acquireTimeoutMs?: number;
}
