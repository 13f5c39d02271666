import type Database from 'better-sqlite3';
import type { CompiledQuery, QueryResult, TransactionSettings } from 'kysely';
import { loadDriver } from '../connection/load-driver.js';
import type { ConnectionObserver, PhysicalConnection } from '../connection/physical-connection.js';
import { quoteIdentifier } from '../connection/physical-connection.js';
import { acquireWriterGate } from './writer-gate.js';

export interface SqliteConnectionOptions {
  /**
   * How long SQLite waits for another *process's* lock before SQLITE_BUSY,
   * and how long a writer in this process waits for the writer gate.
   * Default 5000 ms. At 0 every contended write fails at once.
   */
  readonly busyTimeoutMs?: number;
  /** A size quota in pages (`PRAGMA max_page_count`, per connection): past it a write fails with SQLITE_FULL. */
  readonly maxPageCount?: number | undefined;
}

/** SQL function every connection registers so a query can report which handle ran it. */
export const SQLITE_CONNECTION_ID_FUNCTION = 'lifetimes_connection_id';
/**
 * SQL function that answers 1 when the handle running it is inside an
 * explicit transaction: the SQLite counterpart of PostgreSQL's
 * `txid_current_if_assigned() is not null`, for proving a connection was
 * handed over clean.
 */
export const SQLITE_IN_TRANSACTION_FUNCTION = 'lifetimes_in_transaction';

let nextId = 1;
const STATEMENT_CACHE_LIMIT = 128;

type Statement = Database.Statement<unknown[], unknown>;

/**
 * A better-sqlite3 handle on one file, with the settings every connection
 * needs: WAL (readers never block the writer), busy_timeout (another process
 * holding the lock makes us wait, not fail), foreign keys on (off by default
 * in SQLite, per connection), and `BEGIN IMMEDIATE` for writing transactions
 * (a deferred transaction that reads first and writes later can fail with
 * SQLITE_BUSY in WAL mode when another writer committed meanwhile).
 */
export class SqliteConnection implements PhysicalConnection {
  readonly id = `sqlite-${nextId++}`;
  readonly dialect = 'sqlite' as const;
  readonly backendPid = undefined;
  readonly #db: Database.Database;
  readonly #file: string;
  readonly #busyTimeoutMs: number;
  readonly #observer: ConnectionObserver;
  readonly #statements = new Map<string, Statement>();
  #releaseGate: (() => void) | undefined;
  #closed = false;

  constructor(file: string, observer: ConnectionObserver, options: SqliteConnectionOptions = {}) {
    this.#file = file;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? 5000;
    this.#observer = observer;
    const BetterSqlite3 = loadDriver('better-sqlite3');
    this.#db = new BetterSqlite3(file, { timeout: this.#busyTimeoutMs });
    this.#db.pragma('journal_mode = WAL');
    this.#db.pragma('synchronous = NORMAL');
    this.#db.pragma('foreign_keys = ON');
    if (options.maxPageCount !== undefined) {
      this.#db.pragma(`max_page_count = ${options.maxPageCount}`);
    }
    this.#db.function(SQLITE_CONNECTION_ID_FUNCTION, { deterministic: true }, () => this.id);
    this.#db.function(SQLITE_IN_TRANSACTION_FUNCTION, () => (this.#db.inTransaction ? 1 : 0));
  }

  get inTransaction(): boolean {
    return !this.#closed && this.#db.inTransaction;
  }

  get broken(): Error | undefined {
    return undefined;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  /** The underlying handle, for tests and tools that need SQLite-specific calls. */
  get handle(): Database.Database {
    return this.#db;
  }

  /** True when `sql` only reads; SQLite decides, from the compiled statement. */
  isReadOnly(sql: string): boolean {
    return this.#prepare(sql).readonly;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(compiled.sql);
    // A write outside a transaction is its own implicit transaction: it needs
    // the writer gate too, or it would busy-wait on the event loop behind a
    // transaction another connection of this process holds open.
    const release =
      !statement.readonly && !this.#db.inTransaction
        ? await acquireWriterGate(this.#file, this.#busyTimeoutMs)
        : undefined;
    try {
      this.#observer.onQuery(this);
      const parameters = compiled.parameters as unknown[];
      if (statement.reader) {
        return { rows: statement.all(...parameters) as R[] };
      }
      const { changes, lastInsertRowid } = statement.run(...parameters);
      return {
        rows: [],
        numAffectedRows: BigInt(changes),
        insertId: BigInt(lastInsertRowid),
      };
    } finally {
      release?.();
    }
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const statement = this.#prepare(compiled.sql);
    this.#observer.onQuery(this);
    for (const row of statement.iterate(...(compiled.parameters as unknown[]))) {
      yield { rows: [row as R] };
    }
  }

  async begin(settings: TransactionSettings = {}): Promise<void> {
    if (settings.accessMode === 'read only') {
      this.#db.exec('BEGIN DEFERRED');
    } else {
      this.#releaseGate = await acquireWriterGate(this.#file, this.#busyTimeoutMs);
      try {
        this.#db.exec('BEGIN IMMEDIATE');
      } catch (error) {
        this.#dropGate();
        throw error;
      }
    }
    this.#observer.onTransaction(this, 'begin');
  }

  async commit(): Promise<void> {
    try {
      this.#db.exec('COMMIT');
    } finally {
      // A failed COMMIT (SQLITE_BUSY from another process) leaves the
      // transaction open; keep the gate until it is rolled back.
      if (!this.#db.inTransaction) this.#dropGate();
    }
    this.#observer.onTransaction(this, 'commit');
  }

  async rollback(): Promise<void> {
    try {
      if (this.#db.inTransaction) this.#db.exec('ROLLBACK');
    } finally {
      this.#dropGate();
    }
    this.#observer.onTransaction(this, 'rollback');
  }

  async savepoint(name: string): Promise<void> {
    this.#db.exec(`SAVEPOINT ${quoteIdentifier(name)}`);
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    this.#db.exec(`ROLLBACK TO SAVEPOINT ${quoteIdentifier(name)}`);
  }

  async releaseSavepoint(name: string): Promise<void> {
    this.#db.exec(`RELEASE SAVEPOINT ${quoteIdentifier(name)}`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#statements.clear();
    // Closing rolls back an open transaction; the gate goes with it.
    this.#db.close();
    this.#dropGate();
    this.#observer.onClose(this);
  }

  #prepare(sql: string): Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_LIMIT) this.#statements.clear();
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #dropGate(): void {
    const release = this.#releaseGate;
    this.#releaseGate = undefined;
    release?.();
  }
}
