import type { ConnectionObserver } from '../connection/physical-connection.js';
import type { DatabaseTarget } from '../database-url.js';
import { PgPool } from '../pg/pg-pool.js';
import { SqlitePool } from '../sqlite/sqlite-pool.js';
import type { ConnectionPool, PoolOptions } from './connection-pool.js';

/** A pg.Pool for PostgreSQL, a pool of better-sqlite3 handles for SQLite. */
export function createPool(
  target: DatabaseTarget,
  observer: ConnectionObserver,
  options: PoolOptions = {},
): ConnectionPool {
  return target.dialect === 'sqlite'
    ? new SqlitePool(target, observer, options)
    : new PgPool(target, observer, options);
}
