import type { DatabaseTarget } from '../database-url.js';
import { AcquireTimeoutError } from '../errors.js';
import type { ConnectionObserver, PhysicalConnection } from '../physical-connection.js';
import { Semaphore, SemaphoreTimeout } from '../semaphore.js';
import { SqliteConnection } from '../sqlite/sqlite-connection.js';
import type { ConnectionPool, PoolOptions } from './connection-pool.js';
import { cleanForReuse } from './connection-pool.js';

interface Idle {
  readonly connection: PhysicalConnection;
  readonly timer: NodeJS.Timeout | undefined;
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
  readonly #acquireTimeoutMs: number;
  readonly #idleTimeoutMs: number;
  readonly #busyTimeoutMs: number;
  readonly #idle: Idle[] = [];
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
    this.#acquireTimeoutMs = options.acquireTimeoutMs ?? 5000;
    this.#idleTimeoutMs = options.idleTimeoutMs ?? 10_000;
    this.#busyTimeoutMs = options.busyTimeoutMs ?? this.#acquireTimeoutMs;
  }

  get leased(): number {
    return this.#leased;
  }

  async acquire(): Promise<PhysicalConnection> {
    if (this.#closed) throw new Error(`The pool for ${this.target.url} is closed.`);
    try {
      await this.#permits.acquire(this.#acquireTimeoutMs, this.#observer);
    } catch (error) {
      if (!(error instanceof SemaphoreTimeout)) throw error;
      this.#observer.onTimeout();
      throw new AcquireTimeoutError(
        `a SQLite handle from a pool of ${this.max}`,
        this.#acquireTimeoutMs,
        'Every handle is busy: raise the pool size, shorten what each request holds, or shed load.',
      );
    }
    try {
      const idle = this.#idle.pop();
      if (idle) clearTimeout(idle.timer);
      else this.#observer.onConnect();
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
    } catch (error) {
      this.#permits.release();
      throw error;
    }
  }

  async release(connection: PhysicalConnection): Promise<void> {
    if (!this.#mine.has(connection))
      throw new Error(`Connection ${connection.id} does not belong to this pool.`);
    this.#leased--;
    try {
      if (!this.#closed && (await cleanForReuse(connection))) {
        const timer =
          this.#idleTimeoutMs > 0
            ? setTimeout(() => void this.#expire(connection), this.#idleTimeoutMs).unref()
            : undefined;
        this.#idle.push({ connection, timer });
      } else {
        await connection.close();
      }
    } finally {
      this.#permits.release();
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const { connection, timer } of this.#idle.splice(0)) {
      clearTimeout(timer);
      await connection.close();
    }
  }

  async #expire(connection: PhysicalConnection): Promise<void> {
    const at = this.#idle.findIndex((idle) => idle.connection === connection);
    if (at < 0) return;
    this.#idle.splice(at, 1);
    await connection.close();
  }
}
