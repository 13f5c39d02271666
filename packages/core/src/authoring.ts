/**
 * The parts a strategy is built from, for whoever writes one: the base class
 * and request scope, the bounded waits, the connections and pools of both
 * drivers side by side, Kysely's adapter and the recorder behind stats and
 * events. Route code needs none of it; its names are in `@lifetimes/core`.
 */
export { acquireWithin, type BoundedWait } from './concurrency/acquire-within.js';
export { ConnectionCap } from './concurrency/connection-cap.js';
export { ConnectionLock } from './concurrency/connection-lock.js';
export { Semaphore, SemaphoreTimeout, type WaitObserver } from './concurrency/semaphore.js';
export { settleWithin } from './concurrency/settle-within.js';
export type { ConnectionOptions } from './connection/connection-options.js';
export { openConnection } from './connection/open-connection.js';
export type { ConnectionObserver, PhysicalConnection } from './connection/physical-connection.js';
export { quoteIdentifier, UNOBSERVED } from './connection/physical-connection.js';
export { inOwnTerms, type OwnTerms } from './in-own-terms.js';
export type { ConnectionSource } from './kysely/connection-source.js';
export { createKysely } from './kysely/create-kysely.js';
export { PgConnection } from './pg/pg-connection.js';
export { PgPool } from './pg/pg-pool.js';
export type { ConnectionPool, PoolOptions } from './pool/connection-pool.js';
export { createPool } from './pool/create-pool.js';
export { RequestScope } from './scope/request-scope.js';
export { type ScopeHold, ScopeHolds } from './scope/scope-holds.js';
export { ScopeStore } from './scope/scope-store.js';
export {
  SQLITE_CONNECTION_ID_FUNCTION,
  SQLITE_IN_TRANSACTION_FUNCTION,
  SqliteConnection,
} from './sqlite/sqlite-connection.js';
export { SqlitePool } from './sqlite/sqlite-pool.js';
export { LifetimeRecorder } from './stats/lifetime-recorder.js';
export { StrategyBase } from './strategy-base.js';
