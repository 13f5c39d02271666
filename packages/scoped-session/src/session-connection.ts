import { type PhysicalConnection, SqliteConnection } from '@lifetimes/core/authoring';
import type { CompiledQuery, QueryResult, TransactionSettings } from 'kysely';
import type { HeldConnection, Session } from './session.js';

/**
 * The pooled connection as its session sees it: every statement first makes
 * sure the session's transaction has begun (SQLAlchemy's autobegin).
 *
 * On PostgreSQL that is `BEGIN` before the first statement. On SQLite it is
 * `BEGIN IMMEDIATE` before the first *write*, and reads before it run in
 * autocommit, which is what Python's sqlite3 driver does under SQLAlchemy: a
 * deferred transaction that reads first and writes later fails with
 * SQLITE_BUSY in WAL mode whenever another connection committed in between,
 * and beginning every session IMMEDIATE would serialize even read-only
 * requests on the file's single write lock.
 */
export class SessionConnection implements HeldConnection {
  readonly real: PhysicalConnection;
  readonly session: Session;

  constructor(real: PhysicalConnection, session: Session) {
    this.real = real;
    this.session = session;
  }

  get id(): string {
    return this.real.id;
  }

  get dialect(): PhysicalConnection['dialect'] {
    return this.real.dialect;
  }

  get backendPid(): number | undefined {
    return this.real.backendPid;
  }

  get inTransaction(): boolean {
    return this.real.inTransaction;
  }

  get broken(): Error | undefined {
    return this.real.broken;
  }

  get isClosed(): boolean {
    return this.real.isClosed;
  }

  /** Begins the session's transaction if it has not begun; `write` says the next statement writes. */
  async autobegin(write: boolean): Promise<void> {
    if (this.real.inTransaction) return;
    if (this.real instanceof SqliteConnection && !write) return;
    await this.real.begin();
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const write =
      this.real instanceof SqliteConnection ? !this.real.isReadOnly(compiled.sql) : true;
    await this.autobegin(write);
    return this.real.executeQuery<R>(compiled);
  }

  async *streamQuery<R>(
    compiled: CompiledQuery,
    chunkSize?: number,
  ): AsyncIterableIterator<QueryResult<R>> {
    await this.autobegin(!(this.real instanceof SqliteConnection));
    yield* this.real.streamQuery<R>(compiled, chunkSize);
  }

  begin(settings?: TransactionSettings): Promise<void> {
    return this.real.begin(settings);
  }

  commit(): Promise<void> {
    return this.real.commit();
  }

  rollback(): Promise<void> {
    return this.real.rollback();
  }

  savepoint(name: string): Promise<void> {
    return this.real.savepoint(name);
  }

  rollbackToSavepoint(name: string): Promise<void> {
    return this.real.rollbackToSavepoint(name);
  }

  releaseSavepoint(name: string): Promise<void> {
    return this.real.releaseSavepoint(name);
  }

  close(): Promise<void> {
    return this.real.close();
  }
}

/**
 * `connection` as the session connection this strategy lent: Kysely hands
 * back what acquireConnection() returned, so anything else is a bug, and
 * says so instead of reading a session that is not there.
 */
export function asSessionConnection(connection: PhysicalConnection): SessionConnection {
  if (connection instanceof SessionConnection) return connection;
  throw new Error(
    `scoped-session was handed connection ${connection.id}, which none of its sessions lent: ` +
      'pass only connections this strategy acquired.',
  );
}
