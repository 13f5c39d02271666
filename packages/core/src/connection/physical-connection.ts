import type { DatabaseConnection, TransactionSettings } from 'kysely';
import type { DialectName } from '../database-url.js';

/**
 * One real connection to a database, opened by this project and closed by
 * whoever the strategy says owns it. Kysely runs queries on it through the
 * DatabaseConnection half; the strategy drives its lifetime through the rest.
 */
export interface PhysicalConnection extends DatabaseConnection {
  /** Unique in this process, e.g. `sqlite-3` or `pg-12`; names the connection in events. */
  readonly id: string;
  readonly dialect: DialectName;
  /** The server's process id for this connection (PostgreSQL); undefined for SQLite. */
  readonly backendPid: number | undefined;
  /** True between begin() and commit()/rollback(). A connection in this state must never be reused or pooled. */
  readonly inTransaction: boolean;
  /** Set once the driver reported the connection unusable; such a connection is destroyed, never reused. */
  readonly broken: Error | undefined;
  /** Set once close() was called. */
  readonly isClosed: boolean;
  /**
   * Starts a transaction. SQLite: `BEGIN IMMEDIATE` after taking this
   * process's writer gate for the file, unless `accessMode` is read only.
   */
  begin(settings?: TransactionSettings): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  savepoint(name: string): Promise<void>;
  rollbackToSavepoint(name: string): Promise<void>;
  releaseSavepoint(name: string): Promise<void>;
  /** Closes the connection; an open transaction is rolled back by the server. Idempotent. */
  close(): Promise<void>;
}

/**
 * How a connection reports what happens on it. The owner (a strategy, a
 * pool) supplies it, because only the owner knows the current scope.
 */
export interface ConnectionObserver {
  /**
   * A new connection starts opening: for PostgreSQL its TCP connect and
   * handshake, for SQLite opening the file. onOpen follows once it is open,
   * so the time between the two is what opening cost.
   */
  onConnect(): void;
  onOpen(connection: PhysicalConnection): void;
  onQuery(connection: PhysicalConnection): void;
  onTransaction(connection: PhysicalConnection, what: 'begin' | 'commit' | 'rollback'): void;
  onError(connection: PhysicalConnection, error: Error): void;
  onClose(connection: PhysicalConnection): void;
  /** An acquire had to queue (pool at max, connection cap reached, connection busy). */
  onWait(): void;
  /** A queued acquire got what it waited for; the wait ran from the matching onWait. */
  onWaitEnd(): void;
  /** An acquire gave up after its timeout. */
  onTimeout(): void;
}

/** For connections that belong to no strategy and no request, so nothing counts them. */
export const UNOBSERVED: ConnectionObserver = {
  onConnect() {},
  onOpen() {},
  onQuery() {},
  onTransaction() {},
  onError() {},
  onClose() {},
  onWait() {},
  onWaitEnd() {},
  onTimeout() {},
};

/** Quotes a savepoint name as an identifier; names come from code, but a quote must still not end it. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
