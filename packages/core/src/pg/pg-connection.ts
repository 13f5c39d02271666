import type { CompiledQuery, QueryResult, TransactionSettings } from 'kysely';
import type pg from 'pg';
import type { ConnectionObserver, PhysicalConnection } from '../connection/physical-connection.js';
import { quoteIdentifier } from '../connection/physical-connection.js';

let nextId = 1;

const ROW_COUNT_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/**
 * A pg client (standalone or checked out of a pg.Pool) as a connection
 * Kysely can run on. It listens for `error` and `end` on the client for its
 * whole life: an unhandled `error` on a pg client crashes the process (the
 * server killing an idle backend is enough), and a client that saw either is
 * marked broken so its owner destroys it instead of reusing it.
 */
export class PgConnection implements PhysicalConnection {
  readonly id = `pg-${nextId++}`;
  readonly dialect = 'postgres' as const;
  readonly #client: pg.ClientBase;
  readonly #observer: ConnectionObserver;
  readonly #end: (connection: PgConnection) => Promise<void>;
  #inTransaction = false;
  #broken: Error | undefined;
  #closed = false;

  /**
   * @param end how the owner gets rid of the client: `client.end()` for a
   *   standalone client, `release(error)` for a pool's. Called once, by close().
   */
  constructor(
    client: pg.ClientBase,
    observer: ConnectionObserver,
    end: (connection: PgConnection) => Promise<void>,
  ) {
    this.#client = client;
    this.#observer = observer;
    this.#end = end;
    client.on('error', (error: Error) => this.#markBroken(error));
    // 'end' alone is not an error (an idle timeout ends clients on purpose),
    // but a client that ended must never run another query.
    client.on('end', () => {
      this.#broken ??= new Error('The connection to the server has ended.');
    });
  }

  get backendPid(): number | undefined {
    // Set by pg from the server's BackendKeyData during the handshake.
    return (this.#client as pg.ClientBase & { processID?: number }).processID;
  }

  get inTransaction(): boolean {
    return this.#inTransaction;
  }

  get broken(): Error | undefined {
    return this.#broken;
  }

  get isClosed(): boolean {
    return this.#closed;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    this.#observer.onQuery(this);
    let result: pg.QueryResult;
    // The driver's promise awaited here, not through #query(): every query
    // runs this, and on Node 20 each async step in a request's context costs
    // a promise of its own.
    try {
      result = await this.#client.query(compiled.sql, compiled.parameters as unknown[]);
    } catch (error) {
      this.#failed(error);
      throw error;
    }
    return {
      rows: (result.rows ?? []) as R[],
      ...(ROW_COUNT_COMMANDS.has(result.command)
        ? { numAffectedRows: BigInt(result.rowCount ?? 0) }
        : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming needs pg-cursor; the error says so before any row.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error(
      'Streaming queries are not supported on PostgreSQL here: use a paged query (limit/offset or keyset) instead.',
    );
  }

  async begin(settings: TransactionSettings = {}): Promise<void> {
    let sql = 'begin';
    if (settings.isolationLevel) sql += ` isolation level ${settings.isolationLevel}`;
    if (settings.accessMode) sql += ` ${settings.accessMode}`;
    await this.#query(sql);
    this.#inTransaction = true;
    this.#observer.onTransaction(this, 'begin');
  }

  commit(): Promise<void> {
    return this.#finish('commit');
  }

  rollback(): Promise<void> {
    return this.#finish('rollback');
  }

  async savepoint(name: string): Promise<void> {
    await this.#query(`savepoint ${quoteIdentifier(name)}`);
  }

  async rollbackToSavepoint(name: string): Promise<void> {
    await this.#query(`rollback to savepoint ${quoteIdentifier(name)}`);
  }

  async releaseSavepoint(name: string): Promise<void> {
    await this.#query(`release savepoint ${quoteIdentifier(name)}`);
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#end(this);
    } finally {
      this.#observer.onClose(this);
    }
  }

  /** For a pool that ended this client itself (idle timeout): count the close once, end nothing. */
  markEnded(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#observer.onClose(this);
  }

  async #finish(how: 'commit' | 'rollback'): Promise<void> {
    try {
      await this.#query(how);
    } finally {
      // PostgreSQL ends the transaction even when COMMIT fails (it rolls back).
      this.#inTransaction = false;
    }
    this.#observer.onTransaction(this, how);
  }

  async #query(sql: string): Promise<pg.QueryResult> {
    try {
      return await this.#client.query(sql);
    } catch (error) {
      this.#failed(error);
      throw error;
    }
  }

  /** Marks the connection broken when a query's error says the session is gone. */
  #failed(error: unknown): void {
    // A query error with no SQLSTATE is the socket, not the SQL: the
    // connection is gone even if no 'error' event arrived yet.
    if (error instanceof Error && !('code' in error && typeof error.code === 'string')) {
      this.#markBroken(error);
    } else if (isFatal(error)) {
      this.#markBroken(error as Error);
    }
  }

  #markBroken(error: Error): void {
    if (this.#broken || this.#closed) return;
    this.#broken = error;
    this.#observer.onError(this, error);
  }
}

/** SQLSTATE classes after which the server has closed (or will close) the session. */
function isFatal(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('57P') || code.startsWith('08'));
}
