import { OutsideScopeError, parseDatabaseUrl, ScopeClosedError } from '@lifetimes/core';
import {
  ConnectionLock,
  type ConnectionPool,
  createPool,
  type PhysicalConnection,
  RequestScope,
  StrategyBase,
} from '@lifetimes/core/authoring';
import type { TransactionSettings } from 'kysely';
import type { ScopedSessionOptions } from './options.js';
import { Session } from './session.js';
import { asSessionConnection, SessionConnection } from './session-connection.js';
import { SessionLostError } from './session-lost-error.js';

/**
 * SQLAlchemy's `scoped_session`, in Node: a registry of sessions keyed by a
 * scope function (default: the current request). A session checks a
 * connection out of the engine's pool on first use and begins a transaction
 * (autobegin); `commit()` makes its work durable, `rollback()` discards it,
 * and when the scope ends `remove()` rolls back whatever was not committed,
 * returns the connection clean and deletes the registry entry. It never
 * commits at teardown: Flask-SQLAlchemy dropped commit-on-teardown because an
 * exception after the response would still have committed half a request.
 *
 * `db.transaction()` inside a session is a nested unit: a savepoint that
 * rolls back alone when its callback throws, while the session goes on.
 */
export class ScopedSessionStrategy<DB> extends StrategyBase<DB> {
  readonly #pool: ConnectionPool;
  readonly #sessions = new Map<unknown, Session>();
  readonly #scopefunc: () => unknown;
  readonly #removesAtScopeEnd: boolean;
  readonly #acquireTimeoutMs: number;

  constructor(url: string, options: ScopedSessionOptions = {}) {
    super('scoped-session', parseDatabaseUrl(url), options);
    this.#acquireTimeoutMs = options.acquireTimeoutMs ?? 5000;
    this.#pool = createPool(this.target, this.observer, {
      max: options.poolSize ?? 10,
      acquireTimeoutMs: this.#acquireTimeoutMs,
      applicationName: this.applicationName,
      busyTimeoutMs: this.connectTimeoutMs,
    });
    this.#removesAtScopeEnd = options.scopefunc === undefined;
    this.#scopefunc = options.scopefunc ?? (() => this.scopes.current());
  }

  /** Sessions in the registry now. 0 when idle: anything else is a leaked unit of work. */
  get sessionCount(): number {
    return this.#sessions.size;
  }

  /** Commits the calling code's session; its next statement begins a new transaction. */
  override async commit(): Promise<void> {
    await this.#withExisting(async (session) => {
      if (session.lost) throw new SessionLostError(session.lost);
      const connection = session.connection?.real;
      // A failed COMMIT propagates: the caller must learn its work is not durable.
      if (connection?.inTransaction) await connection.commit();
    });
  }

  /** Discards the calling code's uncommitted work, and clears a lost session. */
  async rollback(): Promise<void> {
    await this.#withExisting(async (session) => {
      session.lost = undefined;
      const connection = session.connection?.real;
      if (connection?.inTransaction && !connection.broken) await connection.rollback();
      if (connection?.broken) await this.#giveBack(session);
    });
  }

  /**
   * Ends the calling code's session: rolls back what was not committed,
   * returns the connection to the pool, deletes the registry entry. Called
   * for you at the end of each request scope; call it yourself with a custom
   * scopefunc.
   */
  async remove(): Promise<void> {
    const key = this.#scopefunc();
    if (key !== undefined) await this.#remove(key);
  }

  protected override onScopeStart(scope: RequestScope): void {
    if (this.#removesAtScopeEnd) scope.onTeardown(() => this.#remove(scope));
  }

  protected acquireConnection(): PhysicalConnection | Promise<PhysicalConnection> {
    const session = this.#session();
    if (!session.lock.tryTake()) return this.#acquireAfterWait(session);
    // The session's every query after its first: its connection, at once.
    const held = session.connection;
    if (held && !held.broken && !session.removed && !session.lost) return held;
    return this.#acquireLocked(session);
  }

  protected releaseConnection(connection: PhysicalConnection): undefined {
    const { session } = asSessionConnection(connection);
    if (connection.broken && !session.lost) session.lost = connection.broken;
    session.lock.release();
    return undefined;
  }

  async #acquireAfterWait(session: Session): Promise<PhysicalConnection> {
    await session.lock.take();
    return this.#acquireLocked(session);
  }

  /** With the lock taken: the session's connection, after the checks that may refuse it. */
  async #acquireLocked(session: Session): Promise<PhysicalConnection> {
    try {
      if (session.removed) throw new ScopeClosedError(this.name, session.scopeId ?? 0);
      if (session.lost) throw new SessionLostError(session.lost);
      const held = session.connection;
      if (held?.broken) {
        // Broken with its transaction open: the unit of work is gone. Broken
        // between units (after a commit) loses nothing: just replace it.
        if (held.inTransaction) session.lost = held.broken;
        await this.#giveBack(session);
        if (session.lost) throw new SessionLostError(session.lost);
      }
      if (!session.connection) {
        const real = await this.#pool.acquire();
        this.took(real, session.scopeId);
        session.connection = new SessionConnection(real, session);
      }
      return session.connection;
    } catch (error) {
      session.lock.release();
      throw error;
    }
  }

  /** `db.transaction()` inside a session: begin the session if needed, then a savepoint. */
  async beginTransaction(
    connection: PhysicalConnection,
    _settings: TransactionSettings,
  ): Promise<void> {
    const sessionConnection = asSessionConnection(connection);
    const { session } = sessionConnection;
    // A db.transaction() announces writes: on SQLite begin IMMEDIATE now.
    await sessionConnection.autobegin(true);
    await connection.savepoint(savepointName(session.savepoints));
    session.savepoints++;
    this.recorder.record('begin', session.scopeId, connection.id, 'savepoint');
  }

  async commitTransaction(connection: PhysicalConnection): Promise<void> {
    const { session } = asSessionConnection(connection);
    session.savepoints--;
    await connection.releaseSavepoint(savepointName(session.savepoints));
    this.recorder.record('commit', session.scopeId, connection.id, 'savepoint');
  }

  async rollbackTransaction(connection: PhysicalConnection): Promise<void> {
    const { session } = asSessionConnection(connection);
    session.savepoints--;
    const name = savepointName(session.savepoints);
    await connection.rollbackToSavepoint(name);
    await connection.releaseSavepoint(name);
    this.recorder.record('rollback', session.scopeId, connection.id, 'savepoint');
  }

  protected async closeConnections(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((key) => this.#remove(key)));
    await this.#pool.close();
  }

  /** The registry lookup of scoped_session: the caller's session, created on first use. */
  #session(): Session {
    const key = this.#scopefunc();
    if (key === undefined) throw new OutsideScopeError(this.name);
    if (key instanceof RequestScope && key.closed) throw new ScopeClosedError(this.name, key.id);
    let session = this.#sessions.get(key);
    if (!session) {
      const scopeId = key instanceof RequestScope ? key.id : this.scopeId();
      const lock = new ConnectionLock(
        "this session's connection",
        this.#acquireTimeoutMs,
        this.observer,
      );
      session = new Session(key, scopeId, lock);
      this.#sessions.set(key, session);
    }
    return session;
  }

  /** Runs `fn` on the caller's session under its lock; does nothing if it has none yet. */
  async #withExisting(fn: (session: Session) => Promise<void>): Promise<void> {
    const key = this.#scopefunc();
    if (key === undefined) throw new OutsideScopeError(this.name);
    const session = this.#sessions.get(key);
    if (!session) return;
    if (!session.lock.tryTake()) await session.lock.take();
    try {
      await fn(session);
    } finally {
      session.lock.release();
    }
  }

  async #remove(key: unknown): Promise<void> {
    const session = this.#sessions.get(key);
    if (!session) return;
    this.#sessions.delete(key);
    session.removed = true;
    const locked = await session.lock.takeForTeardown();
    try {
      const connection = session.connection?.real;
      if (connection && !locked) {
        // The query still running owns it: pooled, the next borrower would
        // share it with that query and its transaction.
        await this.abandon(connection, session.scopeId);
      } else if (connection?.inTransaction && !connection.broken) {
        // Never commit at teardown: what the code did not commit is discarded.
        await connection.rollback().catch(() => {});
      }
      await this.#giveBack(session);
    } finally {
      if (locked) session.lock.release();
    }
  }

  /** Returns the session's connection to the pool (which destroys it if broken, dirty or closed). */
  async #giveBack(session: Session): Promise<void> {
    const connection = session.connection?.real;
    if (!connection) return;
    session.connection = undefined;
    session.savepoints = 0;
    this.gaveBack(connection, session.scopeId);
    if (!this.#pool.tryRelease(connection)) await this.#pool.release(connection);
  }
}

function savepointName(depth: number): string {
  return `lifetimes_unit_${depth}`;
}
