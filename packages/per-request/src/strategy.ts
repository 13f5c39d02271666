import { parseDatabaseUrl } from '@lifetimes/core';
import {
  ConnectionCap,
  openConnection,
  type PhysicalConnection,
  type RequestScope,
  type ScopeHold,
  ScopeHolds,
  StrategyBase,
} from '@lifetimes/core/authoring';
import type { PerRequestOptions } from './options.js';

/** What a scope holds: at most one connection, and the lock that gives it to one query at a time. */
interface Held extends ScopeHold {
  connection: PhysicalConnection | undefined;
}

/**
 * Flask's tutorial, in Node: `get_db()` opens a connection on the request's
 * first query and keeps it on `g`; `teardown_appcontext` closes it. Here the
 * scope plays `g` and its teardown runs on the response's `close`. A request
 * that never queries never connects. A query outside any scope, or after its
 * scope ended, throws instead of borrowing someone else's connection.
 *
 * The scope's connection is locked per query (and for a whole transaction),
 * so concurrent queries of one request take turns and never run inside each
 * other's transactions.
 */
export class PerRequestStrategy<DB> extends StrategyBase<DB> {
  readonly #cap: ConnectionCap;
  readonly #held: ScopeHolds<Held>;
  /** Emptied as connections close, not a WeakMap: see ScopeHolds on V8's young generation. */
  readonly #byConnection = new Map<PhysicalConnection, Held>();

  constructor(url: string, options: PerRequestOptions = {}) {
    super('per-request', parseDatabaseUrl(url), options);
    const acquireTimeoutMs = options.acquireTimeoutMs ?? 5000;
    this.#cap = new ConnectionCap(
      options.maxOpen ?? Number.POSITIVE_INFINITY,
      acquireTimeoutMs,
      this.observer,
    );
    this.#held = new ScopeHolds(this.name, this.scopes, acquireTimeoutMs, this.observer);
  }

  protected override onScopeStart(scope: RequestScope): void {
    this.#held.start(
      scope,
      (lock) => ({ scope, lock, connection: undefined }),
      (held) => this.#teardown(held),
    );
  }

  protected acquireConnection(): PhysicalConnection | Promise<PhysicalConnection> {
    const held = this.#held.current();
    if (!held.lock.tryTake()) return this.#acquireAfterWait(held);
    this.#held.stillOpen(held);
    // A request's every query after its first: its connection, at once.
    if (held.connection && !held.connection.broken) return held.connection;
    return this.#acquireLocked(held);
  }

  protected releaseConnection(connection: PhysicalConnection): Promise<void> | undefined {
    const held = this.#byConnection.get(connection);
    if (!held) throw new Error(`Connection ${connection.id} was not opened by this strategy.`);
    // Not when teardown already dropped it: a second drop would count the
    // release twice and free a slot of the cap that is not free.
    if (connection.broken && held.connection === connection) {
      // Never reused: the next query of this request opens a new connection.
      return this.#drop(held, connection).then(() => this.#unlock(held, connection));
    }
    this.#unlock(held, connection);
    return undefined;
  }

  protected async closeConnections(): Promise<void> {
    // Every connection belongs to a scope, and close() ended them all.
  }

  async #acquireAfterWait(held: Held): Promise<PhysicalConnection> {
    await this.#held.takeInTurn(held);
    return this.#acquireLocked(held);
  }

  /** With the lock taken: the request's connection, made healthy or opened first. */
  async #acquireLocked(held: Held): Promise<PhysicalConnection> {
    try {
      // Known dead before this query starts (the server ended it between
      // two queries): a new lifetime for this query instead of a sure
      // failure; "one connection per request" holds while it is healthy.
      const dead = held.connection?.broken ? held.connection : undefined;
      if (dead) {
        await this.#drop(held, dead);
        // Its last query already released it: no release will come to forget it.
        this.#byConnection.delete(dead);
      }
      held.connection ??= await this.#open(held);
      return held.connection;
    } catch (error) {
      held.lock.release();
      throw error;
    }
  }

  #unlock(held: Held, connection: PhysicalConnection): void {
    held.lock.release();
    // Dropped (broken, or closed by a teardown that did not wait for this
    // query): no release of it will come again.
    if (held.connection !== connection) this.#byConnection.delete(connection);
  }

  async #open(held: Held): Promise<PhysicalConnection> {
    await this.#cap.take();
    try {
      const connection = await openConnection(this.target, this.observer, {
        applicationName: this.applicationName,
        connectTimeoutMs: this.connectTimeoutMs,
      });
      this.#byConnection.set(connection, held);
      this.took(connection, held.scope.id);
      return connection;
    } catch (error) {
      this.#cap.release();
      throw error;
    }
  }

  /** Flask's teardown_appcontext: waits for the query in flight, then closes. */
  async #teardown(held: Held): Promise<void> {
    const locked = await held.lock.takeForTeardown();
    const connection = held.connection;
    try {
      if (!connection) return;
      if (!locked) {
        // The query still running owns it: closed under it, and reported.
        await this.abandon(connection, held.scope.id);
      } else if (connection.inTransaction) {
        // Only reachable when a transaction was cut off; never close one open.
        await connection.rollback().catch(() => {});
      }
      await this.#drop(held, connection);
    } finally {
      if (locked) held.lock.release();
      // Not locked: the query still running releases it, and forgets it then.
      if (locked && connection) this.#byConnection.delete(connection);
    }
  }

  async #drop(held: Held, connection: PhysicalConnection): Promise<void> {
    held.connection = undefined;
    this.gaveBack(connection, held.scope.id);
    try {
      await connection.close();
    } finally {
      this.#cap.release();
    }
  }
}
