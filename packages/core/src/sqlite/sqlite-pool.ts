import { acquireWithin, type BoundedWait } from '../concurrency/acquire-within.js';
import { Semaphore } from '../concurrency/semaphore.js';
import type { ConnectionObserver, PhysicalConnection } from '../connection/physical-connection.js';
import type { DatabaseTarget } from '../database-url.js';
import type { ConnectionPool, PoolOptions } from '../pool/connection-pool.js';
import { cleanForReuse, reusableAsIs } from '../pool/connection-pool.js';
import { SqliteConnection } from './sqlite-connection.js';

interface Idle {
  readonly connection: PhysicalConnection;
  /** performance.now() when it came back. */
  readonly since: number;
}

/**
 * A small pool of better-sqlite3 handles on one file. SQLite needs no
 * handshake, but a handle still costs a file descriptor, its page cache and
 * the pragmas on open; a pool bounds all three and keeps warm caches.
 */
export class SqlitePool implements ConnectionPool {
  readonly target: DatabaseTarget & { dialect: 'sqlite' };
  readonly max: number;
  readonly #observer: ConnectionObserver;
  readonly #permits: Semaphore;
  readonly #wait: BoundedWait;
  readonly #idleTimeoutMs: number;
  readonly #busyTimeoutMs: number;
  /** Most recently returned last: acquire takes from the end, expiry from the front. */
  readonly #idle: Idle[] = [];
  /**
   * One timer for every idle handle, set for the oldest one's expiry. A
   * timer per release would cost every request a setTimeout and a
   * clearTimeout (about a microsecond each) to expire the few handles that
   * ever sit idle that long.
   */
  #expiry: NodeJS.Timeout | undefined;
  readonly #mine = new WeakSet<PhysicalConnection>();
  #leased = 0;
  #closed = false;

  constructor(
    target: DatabaseTarget & { dialect: 'sqlite' },
    observer: ConnectionObserver,
    options: PoolOptions = {},
  ) {
    this.target = target;
    this.max = options.max ?? 10;
    this.#observer = observer;
    this.#permits = new Semaphore(this.max);
    const acquireTimeoutMs = options.acquireTimeoutMs ?? 5000;
    this.#wait = {
      timeoutMs: acquireTimeoutMs,
      observer,
      what: `a SQLite handle from a pool of ${this.max}`,
      hint: 'Every handle is busy: raise the pool size, shorten what each request holds, or shed load.',
    };
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? acquireTimeoutMs;
  }

  get leased(): number {
    return this.#leased;
  }

  tryAcquire(): PhysicalConnection | undefined {
    if (this.#closed || this.#idle.length === 0 || !this.#permits.tryAcquire()) return undefined;
    return this.#checkOut();
  }

  async acquire(): Promise<PhysicalConnection> {
    if (this.#closed) throw new Error(`The pool for ${this.target.url} is closed.`);
    await acquireWithin(this.#permits, this.#wait);
    try {
      return this.#checkOut();
    } catch (error) {
      this.#permits.release();
      throw error;
    }
  }

  tryRelease(connection: PhysicalConnection): boolean {
    if (this.#closed || !this.#mine.has(connection) || !reusableAsIs(connection)) return false;
    this.#leased--;
    this.#keepIdle(connection);
    this.#permits.release();
    return true;
  }

  async release(connection: PhysicalConnection): Promise<void> {
    if (this.tryRelease(connection)) return;
    if (!this.#mine.has(connection))
      throw new Error(`Connection ${connection.id} does not belong to this pool.`);
    this.#leased--;
    try {
      if (!this.#closed && (await cleanForReuse(connection))) this.#keepIdle(connection);
      else await connection.close();
    } finally {
      this.#permits.release();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#expiry);
    this.#expiry = undefined;
    for (const { connection } of this.#idle.splice(0)) await connection.close();
  }

  /** Under a permit just taken: the most recently returned idle handle, or a new one. */
  #checkOut(): PhysicalConnection {
    const idle = this.#idle.pop();
    if (!idle) this.#observer.onConnect();
    const connection =
      idle?.connection ??
      new SqliteConnection(this.target.file, this.#observer, {
        busyTimeoutMs: this.#busyTimeoutMs,
        maxPageCount: this.target.maxPageCount,
      });
    if (!idle) {
      this.#mine.add(connection);
      this.#observer.onOpen(connection);
    }
    this.#leased++;
    return connection;
  }

  #keepIdle(connection: PhysicalConnection): void {
    this.#idle.push({ connection, since: performance.now() });
    this.#scheduleExpiry();
  }

  #scheduleExpiry(): void {
    const oldest = this.#idle[0];
    if (this.#expiry || !oldest || this.#idleTimeoutMs <= 0) return;
    const due = oldest.since + this.#idleTimeoutMs - performance.now();
    this.#expiry = setTimeout(
      () => {
        this.#expiry = undefined;
        void this.#closeExpired();
      },
      Math.max(0, due),
    ).unref();
  }

  async #closeExpired(): Promise<void> {
    const now = performance.now();
    const expired: PhysicalConnection[] = [];
    for (let oldest = this.#idle[0]; oldest; oldest = this.#idle[0]) {
      if (now - oldest.since < this.#idleTimeoutMs) break;
      this.#idle.shift();
      expired.push(oldest.connection);
    }
    this.#scheduleExpiry();
    // Nobody awaits this (a timer started it): a close that throws is
    // reported as that handle's error, and the handles after it still close.
    for (const connection of expired) {
      try {
        await connection.close();
      } catch (error) {
        this.#observer.onError(
          connection,
          error instanceof Error ? error : new Error(String(error)),
        );
      }
    }
  }
}
