import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import type { DialectName } from './database-url.js';
import type { LifetimeListener } from './stats/lifetime-events.js';
import type { LifetimeStats } from './stats/lifetime-stats.js';

/**
 * How long a database connection lives, and who opens and closes it. Route
 * code sees only this interface: it queries through `db`, ends units of work
 * with `commit()`, and never learns whether its connection was opened for
 * this query, this request, or borrowed from a pool.
 */
export interface ConnectionStrategy<DB> extends AsyncDisposable {
  /** The strategy's id (`baseline`, `per-query`, ...), also the bench row label. */
  readonly name: string;
  readonly dialect: DialectName;

  /**
   * The Kysely handle, flaskr's `get_db()`. Who acquires: Kysely, before each
   * query or `db.transaction()`, from this strategy. Who releases: Kysely,
   * right after. Whether that release closes the connection, returns it to a
   * pool or keeps it for the rest of the scope is the strategy.
   */
  readonly db: Kysely<DB>;

  /**
   * Ends the current unit of work durably. Autocommit strategies (every one
   * but scoped-session) have nothing to do: a statement outside a
   * transaction, and a `db.transaction()` once it returns, are already
   * committed. scoped-session commits the scope's session transaction.
   */
  commit(): Promise<void>;

  /**
   * Express middleware that runs the rest of the request in a scope and ends
   * it exactly once when the response emits `close` (finish, error or client
   * abort alike). Scoped strategies release the scope's connection then.
   */
  middleware(): RequestHandler;

  /** The same scope outside HTTP, for jobs, scripts and tests; it ends when `fn` settles. */
  scope<T>(fn: () => Promise<T> | T): Promise<T>;

  /** A snapshot of the counters. */
  stats(): LifetimeStats;

  /** Receives every lifetime event; returns the function that stops it. */
  listen(listener: LifetimeListener): () => void;

  /**
   * Refuses new scopes, lets in-flight ones finish for up to the close
   * timeout, then ends what is left and closes every connection. A second
   * call returns the first call's promise.
   */
  close(): Promise<void>;
}
