import { parseDatabaseUrl } from '@lifetimes/core';
import {
  acquireWithin,
  type BoundedWait,
  type ConnectionPool,
  createPool,
  openConnection,
  type PhysicalConnection,
  Semaphore,
  StrategyBase,
} from '@lifetimes/core/authoring';
import type { BaselineOptions } from './options.js';

/**
 * The way most Node code is written: one connection (SQLite) or one pool
 * (PostgreSQL) created for the whole process, every query borrowing from it
 * for just as long as the query runs. No scope is needed; a query outside
 * any request works. It is the reference line of every benchmark.
 *
 * SQLite: one handle, and a mutex so a transaction owns it from BEGIN to
 * COMMIT; without the mutex another request's query would run inside it.
 * PostgreSQL: a pg.Pool of `poolSize`; Kysely's own PostgresDialect does the same.
 */
export class BaselineStrategy<DB> extends StrategyBase<DB> {
  readonly #pool: ConnectionPool | undefined;
  readonly #mutex = new Semaphore(1);
  readonly #mutexWait: BoundedWait;
  #shared: Promise<PhysicalConnection> | undefined;

  constructor(url: string, options: BaselineOptions = {}) {
    const target = parseDatabaseUrl(url);
    super('baseline', target, options);
    const acquireTimeoutMs = options.acquireTimeoutMs ?? 5000;
    this.#mutexWait = {
      timeoutMs: acquireTimeoutMs,
      observer: this.observer,
      what: 'the process-wide SQLite connection',
      hint: 'A transaction holds it: keep transactions short, and inside db.transaction() use trx, not db.',
    };
    this.#pool =
      target.dialect === 'postgres'
        ? createPool(target, this.observer, {
            max: options.poolSize ?? 10,
            acquireTimeoutMs,
            applicationName: this.applicationName,
          })
        : undefined;
  }

  protected acquireConnection(): Promise<PhysicalConnection> {
    const scopeId = this.scopeId();
    const acquiring = this.#pool ? this.#pool.acquire() : this.#lockShared();
    return acquiring.then((connection) => {
      this.took(connection, scopeId);
      return connection;
    });
  }

  protected releaseConnection(connection: PhysicalConnection): Promise<void> | undefined {
    this.gaveBack(connection, this.scopeId());
    if (this.#pool) {
      return this.#pool.tryRelease(connection) ? undefined : this.#pool.release(connection);
    }
    if (connection.inTransaction) return this.#rollbackAndUnlock(connection);
    this.#mutex.release();
    return undefined;
  }

  protected async closeConnections(): Promise<void> {
    if (this.#pool) {
      await this.#pool.close();
      return;
    }
    const shared = await this.#shared?.catch(() => undefined);
    await shared?.close();
  }

  /** A transaction left open on the shared handle ends before the next borrower gets it. */
  async #rollbackAndUnlock(connection: PhysicalConnection): Promise<void> {
    try {
      await connection.rollback();
    } finally {
      this.#mutex.release();
    }
  }

  async #lockShared(): Promise<PhysicalConnection> {
    await acquireWithin(this.#mutex, this.#mutexWait);
    try {
      this.#shared ??= openConnection(this.target, this.observer, {
        connectTimeoutMs: this.connectTimeoutMs,
      });
      return await this.#shared;
    } catch (error) {
      // A failed first open must not poison every later query.
      this.#shared = undefined;
      this.#mutex.release();
      throw error;
    }
  }
}
