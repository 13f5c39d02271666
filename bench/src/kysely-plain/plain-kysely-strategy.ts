import { type ConnectionStrategy, type LifetimeStats, parseDatabaseUrl } from '@lifetimes/core';
import {
  LifetimeRecorder,
  SQLITE_CONNECTION_ID_FUNCTION,
  SQLITE_IN_TRANSACTION_FUNCTION,
} from '@lifetimes/core/authoring';
import Database from 'better-sqlite3';
import type { RequestHandler } from 'express';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { CountedPgPool } from '../shared/counted-pg-pool.js';

/** Every counter at zero, as a strategy that has done nothing reports them. */
const ZERO: LifetimeStats = new LifetimeRecorder().stats();

/**
 * The bench's control row: Kysely's own SqliteDialect or PostgresDialect on a
 * process-wide connection or pg.Pool, with no code of this project between a
 * query and the driver. It exists to measure what this project's adapters
 * and scope machinery cost; `baseline` should stay within a few percent of it.
 *
 * Only what the HTTP routes need is here: no scopes, no events. The counts
 * come from the pool's own events, outside the query path.
 */
export class PlainKyselyStrategy<DB> implements ConnectionStrategy<DB> {
  readonly name = 'kysely-plain';
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<DB>;
  readonly #pool: pg.Pool | undefined;
  /** On PostgreSQL, the pool's connections opened and closed. */
  readonly #counted: CountedPgPool | undefined;
  /** close() has destroyed the Kysely instance: on SQLite, its one handle is closed. */
  #destroyed = false;
  #closing: Promise<void> | undefined;

  constructor(url: string, options: { poolSize: number; applicationName: string }) {
    const target = parseDatabaseUrl(url);
    this.dialect = target.dialect;
    if (target.dialect === 'sqlite') {
      const database = new Database(target.file, { timeout: 5000 });
      database.pragma('journal_mode = WAL');
      database.pragma('synchronous = NORMAL');
      database.pragma('foreign_keys = ON');
      // The routes' /whoami and the app suite ask the handle who it is.
      database.function(SQLITE_CONNECTION_ID_FUNCTION, () => 'plain-sqlite');
      database.function(SQLITE_IN_TRANSACTION_FUNCTION, () => (database.inTransaction ? 1 : 0));
      this.#pool = undefined;
      this.#counted = undefined;
      this.db = new Kysely<DB>({ dialect: new SqliteDialect({ database }) });
    } else {
      const pool = new pg.Pool({
        connectionString: target.url,
        max: options.poolSize,
        application_name: options.applicationName,
      });
      this.#pool = pool;
      this.#counted = new CountedPgPool(pool);
      this.db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    }
  }

  commit(): Promise<void> {
    return Promise.resolve();
  }

  middleware(): RequestHandler {
    return (_req, _res, next) => next();
  }

  async scope<T>(fn: () => Promise<T> | T): Promise<T> {
    return fn();
  }

  stats(): LifetimeStats {
    const pool = this.#pool;
    const active = pool ? pool.totalCount - pool.idleCount : 0;
    return {
      ...ZERO,
      opened: this.#counted?.opened ?? 1,
      closed: this.#counted?.closed ?? (this.#destroyed ? 1 : 0),
      active,
      enginesOpen: 1,
      enginesCreated: 1,
    };
  }

  listen(): () => void {
    return () => {};
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // Kysely's destroy() ends the pool.
    await this.db.destroy();
    this.#destroyed = true;
    await this.#counted?.allClosed();
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}
