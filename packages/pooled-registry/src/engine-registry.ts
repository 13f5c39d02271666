import type { LifetimeEventType } from '@lifetimes/core';
import {
  acquireWithin,
  type ConnectionObserver,
  type ConnectionPool,
  type PhysicalConnection,
  Semaphore,
  settleWithin,
} from '@lifetimes/core/authoring';
import { Engine } from './engine.js';
import { redactUrl } from './redact-url.js';

/** A connection checked out through the registry; exactly one release() gives it back. */
export interface Lease {
  readonly connection: PhysicalConnection;
  readonly pool: ConnectionPool;
  readonly engine: Engine;
}

/** What the registry reports besides errors: engines made, evicted and closed. */
export type EngineEvent = Extract<LifetimeEventType, 'engine-create' | 'evict' | 'engine-close'>;

export interface EngineRegistryOptions {
  /** Most engines open at once, evicted ones still draining included. */
  readonly maxEngines: number;
  /** How long an evicted engine waits for its borrowers before it is closed anyway. */
  readonly evictTimeoutMs: number;
  /** How long making an engine waits for a free slot; then AcquireTimeoutError. */
  readonly slotTimeoutMs: number;
  /** Makes the pool for a URL. It must open nothing: connections come on acquire. */
  readonly createPool: (url: string) => ConnectionPool;
  /** Counts the waits and timeouts for a slot, like any other acquire. */
  readonly observer: ConnectionObserver;
  /** Receives each event with its detail: the engine's URL without a password, or what failed. */
  readonly record: (type: EngineEvent | 'error', detail: string) => void;
}

/**
 * SQLAlchemy's registry of engines keyed by URL, with an LRU bound: one pool
 * per database, made on first use and shared by every later request for
 * that URL. A new URL beyond `maxEngines` evicts the least recently used
 * engine: it leaves the map at once, so the next request for its URL makes
 * a fresh engine, but its pool closes only when its borrowers are done.
 *
 * Engine slots make the bound hold for connections, not only for map
 * entries: an evicted engine keeps its slot until it has closed, and a new
 * engine waits for a slot. So at most `maxEngines` pools, and
 * `maxEngines * poolSize` connections, ever exist at once.
 */
export class EngineRegistry {
  readonly #options: EngineRegistryOptions;
  /** Engines a request can be routed to. Map order is the LRU order: least recent first. */
  readonly #engines = new Map<string, Engine>();
  readonly #slots: Semaphore;
  readonly #closing = new Set<Promise<void>>();
  #closed = false;

  constructor(options: EngineRegistryOptions) {
    this.#options = options;
    this.#slots = new Semaphore(options.maxEngines);
  }

  /** Engines requests are routed to now; evicted engines still draining are not among them. */
  get size(): number {
    return this.#engines.size;
  }

  has(url: string): boolean {
    return this.#engines.has(url);
  }

  /**
   * Checks a connection out of the engine for `url`, making the engine on
   * first use. Concurrent first requests share the one engine: it enters
   * the map before anything is awaited.
   */
  async acquire(url: string): Promise<Lease> {
    if (this.#closed) {
      throw new Error(
        `The engine registry is closed, so it opens no engine for ${redactUrl(url)}. ` +
          'Create a new strategy instance, or stop sending work after close().',
      );
    }
    const engine = this.#engineFor(url);
    engine.borrow();
    try {
      const pool = engine.ready ?? (await engine.pool);
      return { connection: await pool.acquire(), pool, engine };
    } catch (error) {
      engine.giveBack();
      throw error;
    }
  }

  /**
   * acquire() with no promise, for the usual request: a lease at once when
   * `url`'s engine is live and its pool has an idle connection; undefined
   * when acquire() is needed (no engine yet, still being made, or its pool
   * would open or wait).
   */
  tryAcquire(url: string): Lease | undefined {
    const engine = this.#closed ? undefined : this.#engines.get(url);
    const pool = engine?.ready;
    const connection = pool?.tryAcquire();
    if (!engine || !pool || !connection) return undefined;
    this.#touch(url, engine);
    engine.borrow();
    return { connection, pool, engine };
  }

  /** release() with no promise when the pool takes the connection back as it is; false: await release(). */
  tryRelease(lease: Lease): boolean {
    if (!lease.pool.tryRelease(lease.connection)) return false;
    lease.engine.giveBack();
    return true;
  }

  async release(lease: Lease): Promise<void> {
    try {
      await lease.pool.release(lease.connection);
    } finally {
      lease.engine.giveBack();
    }
  }

  /** Takes the engine for `url` out of service and resolves once it has closed (at once if there is none). */
  async discard(url: string): Promise<void> {
    const engine = this.#engines.get(url);
    if (engine) await this.#retire(engine);
  }

  /** Closes every engine once its borrowers are done, or after evictTimeoutMs. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const engine of [...this.#engines.values()]) void this.#retire(engine);
    await Promise.all(this.#closing);
  }

  #engineFor(url: string): Engine {
    const live = this.#engines.get(url);
    if (live) {
      this.#touch(url, live);
      return live;
    }
    const engine = new Engine(url, this.#create(url));
    this.#engines.set(url, engine);
    // A creation that failed (no slot in time) must not be cached: the next
    // request for the URL tries again.
    engine.pool.catch(() => {
      if (this.#engines.get(url) === engine) this.#engines.delete(url);
    });
    if (this.#engines.size > this.#options.maxEngines) {
      const [oldest] = this.#engines.values();
      if (oldest) {
        this.#options.record('evict', redactUrl(oldest.url));
        void this.#retire(oldest);
      }
    }
    return engine;
  }

  /** Marks the engine for `url` most recently used: last in the map's order. */
  #touch(url: string, engine: Engine): void {
    this.#engines.delete(url);
    this.#engines.set(url, engine);
  }

  async #create(url: string): Promise<ConnectionPool> {
    await this.#takeSlot();
    try {
      const pool = this.#options.createPool(url);
      this.#options.record('engine-create', redactUrl(url));
      return pool;
    } catch (error) {
      this.#slots.release();
      throw error;
    }
  }

  #takeSlot(): Promise<void> {
    const { maxEngines, slotTimeoutMs, observer } = this.#options;
    return acquireWithin(this.#slots, {
      timeoutMs: slotTimeoutMs,
      observer,
      what: `one of ${maxEngines} engine slots`,
      hint:
        'Evicted engines keep their slots until their requests finish: raise maxEngines within ' +
        'connectionBudget, lower evictTimeoutMs, or shed load.',
    });
  }

  #retire(engine: Engine): Promise<void> {
    if (this.#engines.get(engine.url) === engine) this.#engines.delete(engine.url);
    const closing = this.#closeWhenIdle(engine).finally(() => this.#closing.delete(closing));
    this.#closing.add(closing);
    return closing;
  }

  async #closeWhenIdle(engine: Engine): Promise<void> {
    // An engine that never got a slot has no pool to close and no slot to free.
    const pool = await engine.pool.catch(() => undefined);
    if (!pool) return;
    // Requests already on this engine finish on it. The bound is there
    // because the engine holds a slot until it closes: one stuck request
    // must not keep every new database waiting.
    await settleWithin(engine.idle(), this.#options.evictTimeoutMs);
    try {
      await pool.close();
    } catch (error) {
      this.#options.record('error', `closing the engine for ${redactUrl(engine.url)}: ${error}`);
    }
    this.#slots.release();
    this.#options.record('engine-close', redactUrl(engine.url));
  }
}
