import type { ConnectionStrategy } from '../connection-strategy.js';

/** The one table the contract suite writes to. */
export interface ContractDb {
  probe: { tag: string; n: number };
}

/** What the suite hands a strategy factory: the knobs every strategy must honour. */
export interface ContractStrategyOptions {
  /** Unique per strategy instance, so server-side counts see only its connections. */
  readonly applicationName: string;
  /** Keep open connections at or under this (maps to maxOpen or a pool size). */
  readonly maxConnections: number;
  readonly acquireTimeoutMs: number;
  readonly closeTimeoutMs: number;
  /** Undefined (off) unless a case turns leak detection on. */
  readonly leakDetectionThresholdMs?: number;
}

export type ContractCase =
  | 'which-connection'
  | 'lazy'
  | 'release-on-finish'
  | 'release-on-error'
  | 'release-on-abort'
  | 'teardown-gives-up'
  | 'isolation'
  | 'outside-scope'
  | 'after-scope'
  | 'transaction-commit'
  | 'transaction-rollback'
  | 'transaction-pins'
  | 'never-dirty'
  | 'concurrent-in-scope'
  | 'failed-request-outcome'
  | 'sqlite-writers'
  | 'pg-terminate'
  | 'release-broken'
  | 'broken-reconnects'
  | 'broken-known-replaced'
  | 'close-drains'
  | 'close-bounded'
  | 'leak-detection';

/** A strategy, and what it promises; the suite checks the promises. */
export interface ContractSpec {
  readonly name: string;
  create(url: string, options: ContractStrategyOptions): ConnectionStrategy<ContractDb>;
  /**
   * Which queries share a connection:
   * - `query`: none; every query opens its own (per-query);
   * - `scope`: every query of a scope shares one, which no other open scope uses;
   * - `shared`: queries borrow a process-wide connection or pool per query (baseline).
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
  /** Cases that cannot apply, each with the reason, which the test title shows. */
  readonly skip?: Partial<Record<ContractCase, string>>;
}
