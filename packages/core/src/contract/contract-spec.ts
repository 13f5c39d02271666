import type { CommonStrategyOptions, StrategyProfile } from '../strategy-profile.js';

/** The one table the contract suite writes to. */
export interface ContractDb {
  probe: { tag: string; n: number };
}

/** What the suite hands a strategy factory: the common settings, each set. */
export interface ContractStrategyOptions extends CommonStrategyOptions {
  /** Unique per strategy instance, so server-side counts see only its connections. */
  readonly applicationName: string;
  /** Keep open connections at or under this. */
  readonly maxConnections: number;
  readonly acquireTimeoutMs: number;
  readonly closeTimeoutMs: number;
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
  | 'waiting-at-scope-end'
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
  | 'stuck-transaction-cut'
  | 'close-drains'
  | 'close-bounded'
  | 'leak-detection';

/** A strategy's profile, whose promises the suite checks. */
export interface ContractSpec extends StrategyProfile {
  /** Cases that cannot apply, each with the reason, which the test title shows. */
  readonly skip?: Partial<Record<ContractCase, string>>;
}
