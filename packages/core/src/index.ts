export { acquireWithin, type BoundedWait } from './acquire-within.js';
export { ConnectionCap } from './connection-cap.js';
export { ConnectionLock } from './connection-lock.js';
export type { ConnectionOptions } from './connection-options.js';
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
export type { ConnectionSource } from './kysely/connection-source.js';
export { createKysely } from './kysely/create-kysely.js';
export { openConnection } from './open-connection.js';
export { PgConnection } from './pg/pg-connection.js';
export type { ConnectionObserver, PhysicalConnection } from './physical-connection.js';
export { quoteIdentifier, UNOBSERVED } from './physical-connection.js';
export type { ConnectionPool, PoolOptions } from './pool/connection-pool.js';
export { createPool } from './pool/create-pool.js';
export { PgPool } from './pool/pg-pool.js';
export { SqlitePool } from './pool/sqlite-pool.js';
export { RequestScope } from './scope/request-scope.js';
export { ScopeStore } from './scope/scope-store.js';
export { Semaphore, SemaphoreTimeout, type WaitObserver } from './semaphore.js';
export { settleWithin } from './settle-within.js';
export {
  SQLITE_CONNECTION_ID_FUNCTION,
  SQLITE_IN_TRANSACTION_FUNCTION,
  SqliteConnection,
} from './sqlite/sqlite-connection.js';
export type {
  LifetimeEvent,
  LifetimeEventType,
  LifetimeListener,
} from './stats/lifetime-events.js';
export { LifetimeRecorder } from './stats/lifetime-recorder.js';
export type { LifetimeStats } from './stats/lifetime-stats.js';
export { StrategyBase } from './strategy-base.js';
export type { StrategyOptions } from './strategy-options.js';
export type { CommonStrategyOptions, StrategyProfile } from './strategy-profile.js';
export { inTransaction, whichConnection } from './which-connection.js';
