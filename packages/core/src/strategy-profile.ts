import type { ConnectionStrategy } from './connection-strategy.js';
import type { StrategyOptions } from './strategy-options.js';

/**
 * The settings every strategy honours under one name, whatever its own
 * option is called: per-query and per-request cap what they open (`maxOpen`),
 * the pooled strategies size a pool (`poolSize`).
 */
export interface CommonStrategyOptions extends StrategyOptions {
  /** The most connections open at once, per database. Default: the strategy's own. */
  readonly maxConnections?: number;
  /** How long a query waits for a connection before AcquireTimeoutError. Default: the strategy's own. */
  readonly acquireTimeoutMs?: number;
  /**
   * How many databases one instance keeps connections to at once: the
   * registry's `maxEngines`. Strategies bound to one database ignore it.
   */
  readonly maxDatabases?: number;
}

/**
 * A strategy, declared once: what it promises about its connections, how it
 * is drawn, and how it is built from the common settings. The contract
 * suite checks the promises; the apps, the benchmark, the pictures and the
 * docs read the same declaration, so none of them repeats a strategy's facts.
 */
export interface StrategyProfile {
  /** The strategy's id, its package and app folder name, and its bench row. */
  readonly name: string;
  /** One line: how long a connection lives, as pictures title it. */
  readonly lifetime: string;
  /** Its colour in every chart and picture. */
  readonly color: string;
  /**
   * Which queries share a connection:
   * - `query`: none; every query opens its own (per-query);
   * - `scope`: every query of a scope shares one, which no other open scope uses;
   * - `shared`: queries borrow a process-wide connection or pool per query
   *   (baseline; on SQLite that pool is one connection, so they all share it).
   */
  readonly connectionPer: 'query' | 'scope' | 'shared';
  /** Queries throw OutsideScopeError without a scope and ScopeClosedError after it. */
  readonly requiresScope: boolean;
  /** Released connections stay open in a pool until close(). */
  readonly pools: boolean;
  /**
   * Work is a unit: what commit() did not make durable is rolled back when
   * the scope ends, and a connection lost mid-unit fails the scope's later
   * queries with a typed error instead of carrying on without that work.
   * Default false: every statement outside db.transaction() commits as it
   * runs, and a later query runs on a new connection.
   */
  readonly unitOfWork?: boolean;
  /** One instance serves every database its requests name (tenants), not just the one it was built for. */
  readonly servesManyDatabases?: boolean;
  create<DB>(url: string, options?: CommonStrategyOptions): ConnectionStrategy<DB>;
}
