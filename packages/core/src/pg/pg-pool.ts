import type pg from 'pg';
import { settleWithin } from '../concurrency/settle-within.js';
import { loadDriver } from '../connection/load-driver.js';
import type { ConnectionObserver, PhysicalConnection } from '../connection/physical-connection.js';
import type { DatabaseTarget } from '../database-url.js';
import { AcquireTimeoutError } from '../errors.js';
import type { ConnectionPool, PoolOptions } from '../pool/connection-pool.js';
import { cleanForReuse, reusableAsIs } from '../pool/connection-pool.js';
import { PgConnection } from './pg-connection.js';

/** pg.Pool behind the ConnectionPool interface, with the listeners a service needs. */
export class PgPool implements ConnectionPool {
  readonly target: DatabaseTarget;
  readonly max: number;
  readonly #pool: pg.Pool;
  readonly #observer: ConnectionObserver;
  readonly #acquireTimeoutMs: number;
  readonly #connections = new WeakMap<pg.PoolClient, PgConnection>();
  readonly #clients = new WeakMap<PhysicalConnection, pg.PoolClient>();
  readonly #leasedConnections = new Set<PgConnection>();
  #clientsOpen = 0;
  #allRemoved: (() => void) | undefined;
  #closing: Promise<void> | undefined;

  constructor(
    target: DatabaseTarget & { dialect: 'postgres' },
    observer: ConnectionObserver,
    options: PoolOptions = {},
  ) {
    this.target = target;
    this.max = options.max ?? 10;
    this.#observer = observer;
    this.#acquireTimeoutMs = options.acquireTimeoutMs ?? 5000;
    this.#pool = new (loadDriver('pg').Pool)({
      connectionString: target.url,
      max: this.max,
      connectionTimeoutMillis: this.#acquireTimeoutMs,
      idleTimeoutMillis: options.idleTimeoutMs ?? 10_000,
      ...(options.applicationName ? { application_name: options.applicationName } : {}),
    });
    // An idle client whose backend dies emits 'error' through the pool; with
    // no listener here that crashes the process. PgConnection's own listener
    // on the client has already recorded the error, so this one only keeps
    // the process alive.
    this.#pool.on('error', () => {});
    this.#pool.on('connect', (client) => {
      const connection = new PgConnection(client, observer, async (self) => {
        // Destroying, not pooling: release with an error makes pg.Pool end it.
        client.release(self.broken ?? new Error('connection closed by its owner'));
      });
      this.#connections.set(client, connection);
      this.#clients.set(connection, client);
      this.#clientsOpen++;
      observer.onOpen(connection);
    });
    this.#pool.on('remove', (client) => {
      this.#connections.get(client)?.markEnded();
      this.#clientsOpen--;
      if (this.#clientsOpen === 0) this.#allRemoved?.();
    });
  }

  get leased(): number {
    return this.#leasedConnections.size;
  }

  /**
   * pg.Pool's promise with one step after it, not an async function: on
   * Node 20 each await in a request's context costs a promise of its own,
   * and every query of a pooled strategy comes through here.
   */
  acquire(): Promise<PhysicalConnection> {
    const waits = this.#pool.idleCount === 0 && this.#pool.totalCount >= this.max;
    if (waits) this.#observer.onWait();
    // Below max with no idle client, pg.Pool opens a new one for this call.
    else if (this.#pool.idleCount === 0) this.#observer.onConnect();
    return this.#connect().then(
      (client) => this.#checkedOut(client, waits),
      (error: unknown) => this.#refused(error),
    );
  }

  /**
   * pg.Pool's connect() without the timer it would set for nothing. With an
   * acquire timeout (connectionTimeoutMillis) pg.Pool sets and clears a
   * timer on every checkout, even of an idle client that it hands out on the
   * next tick: that timer was a share of what a pooled query cost over
   * plain Kysely's (the micro layer prices it). When more clients are idle
   * than calls wait ahead of this one, this call is served on that tick and
   * cannot time out, so the timeout is off for the length of this call
   * alone. pg.Pool reads the option at each call; every wait in its queue
   * and every new client's connect keep their bound.
   */
  #connect(): Promise<pg.PoolClient> {
    const pool = this.#pool;
    if (pool.idleCount <= pool.waitingCount) return pool.connect();
    pool.options.connectionTimeoutMillis = 0;
    try {
      return pool.connect();
    } finally {
      pool.options.connectionTimeoutMillis = this.#acquireTimeoutMs;
    }
  }

  #checkedOut(
    client: pg.PoolClient,
    waited: boolean,
  ): PhysicalConnection | Promise<PhysicalConnection> {
    if (waited) this.#observer.onWaitEnd();
    const connection = this.#connections.get(client);
    if (!connection) {
      client.release(new Error('pool client without a connection wrapper'));
      throw new Error(
        'pg.Pool handed out a client it never announced; this is a bug in the pool wiring.',
      );
    }
    if (connection.broken) {
      // Died while idle: destroy it and try again with another.
      return connection.close().then(() => this.acquire());
    }
    this.#leasedConnections.add(connection);
    return connection;
  }

  #refused(error: unknown): never {
    // connectionTimeoutMillis bounds both the wait in pg.Pool's queue and
    // the opening of a new client: either way the request waited its whole
    // acquire timeout, so both count and answer as one.
    const message = error instanceof Error ? error.message : '';
    const queued = /timeout exceeded when trying to connect/i.test(message);
    if (queued || /Connection terminated due to connection timeout/i.test(message)) {
      this.#observer.onTimeout();
      throw new AcquireTimeoutError(
        `a PostgreSQL connection from a pool of ${this.max}`,
        this.#acquireTimeoutMs,
        queued
          ? "Every connection is busy: raise the pool size within the server's max_connections, " +
              'shorten what each request holds, or shed load.'
          : 'Opening a new connection took longer: the server is slow to accept connections or ' +
              'unreachable. Check it and the network to it, or raise the acquire timeout.',
      );
    }
    throw error;
  }

  /** Always undefined: pg.Pool hands a client out only through a promise, even an idle one. */
  tryAcquire(): undefined {
    return undefined;
  }

  tryRelease(connection: PhysicalConnection): boolean {
    const client = this.#clients.get(connection);
    if (!client || !reusableAsIs(connection)) return false;
    this.#leasedConnections.delete(connection as PgConnection);
    client.release();
    return true;
  }

  async release(connection: PhysicalConnection): Promise<void> {
    if (this.tryRelease(connection)) return;
    const client = this.#clients.get(connection);
    if (!client) throw new Error(`Connection ${connection.id} does not belong to this pool.`);
    this.#leasedConnections.delete(connection as PgConnection);
    if (connection.isClosed) return;
    if (await cleanForReuse(connection)) client.release();
    else await connection.close();
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // The owner drained its work before closing; whatever is still leased
    // belongs to work it gave up on, and pg.Pool.end() would wait for it forever.
    await Promise.all([...this.#leasedConnections].map((connection) => connection.close()));
    const removed = new Promise<void>((resolve) => {
      this.#allRemoved = resolve;
      if (this.#clientsOpen === 0) resolve();
    });
    await this.#pool.end();
    // end() resolves once it has asked every client to end, not when they
    // have: wait for the 'remove' events, so close() means closed.
    await settleWithin(removed, 5000);
  }
}
