/**
 * What route code and the code that wires an app need: the strategy's
 * interface and options, the errors it raises with their HTTP status, the
 * database URL, the stats and lifetime events, and the helpers that ask the
 * database which connection a query ran on. Building a strategy takes more:
 * that is `@lifetimes/core/authoring`.
 */
export type { ConnectionStrategy } from './connection-strategy.js';
export type { DatabaseTarget, DialectName } from './database-url.js';
export { parseDatabaseUrl } from './database-url.js';
export {
  AcquireTimeoutError,
  BadDatabaseUrlError,
  LifetimeError,
  OutsideScopeError,
  ScopeClosedError,
  StrategyClosedError,
} from './errors.js';
export type {
  LifetimeEvent,
  LifetimeEventType,
  LifetimeListener,
} from './stats/lifetime-events.js';
export type { LifetimeStats } from './stats/lifetime-stats.js';
export type { StrategyOptions } from './strategy-options.js';
export type { CommonStrategyOptions, StrategyProfile } from './strategy-profile.js';
export { inTransaction, whichConnection } from './which-connection.js';
