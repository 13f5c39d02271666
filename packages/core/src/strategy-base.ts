import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { settleWithin } from './concurrency/settle-within.js';
import type { ConnectionObserver, PhysicalConnection } from './connection/physical-connection.js';
import type { ConnectionStrategy } from './connection-strategy.js';
import type { DatabaseTarget, DialectName } from './database-url.js';
import { StrategyClosedError } from './errors.js';
import type { ConnectionSource } from './kysely/connection-source.js';
import { createKysely } from './kysely/create-kysely.js';
import type { RequestScope } from './scope/request-scope.js';
import { ScopeStore } from './scope/scope-store.js';
import { LeakDetector } from './stats/leak-detector.js';
import type { LifetimeListener } from './stats/lifetime-events.js';
import { LifetimeRecorder } from './stats/lifetime-recorder.js';
import type { LifetimeStats } from './stats/lifetime-stats.js';
import { recordingObserver } from './stats/recording-observer.js';
import type { StrategyOptions } from './strategy-options.js';

/** What release() answers when the connection went back at once: one settled promise for all. */
const RELEASED: Promise<void> = Promise.resolve();

/**
 * What every strategy shares: the Kysely handle wired to this strategy as
 * its connection source, the scope store, counters and events, and a close()
 * that drains before it cuts. A strategy supplies only its lifetime: how a
 * connection is acquired and released, what a scope's teardown does, and how
 * to close what is left.
 */
export abstract class StrategyBase<DB> implements ConnectionStrategy<DB>, ConnectionSource {
  readonly name: string;
  readonly dialect: DialectName;
  readonly db: Kysely<DB>;
  protected readonly target: DatabaseTarget;
  protected readonly recorder = new LifetimeRecorder();
  protected readonly scopes: ScopeStore;
  protected readonly observer: ConnectionObserver;
  protected readonly applicationName: string;
  protected readonly connectTimeoutMs: number;
  readonly #closeTimeoutMs: number;
  readonly #leaks: LeakDetector | undefined;
  #closing: Promise<void> | undefined;
  #inFlight = 0;

  constructor(name: string, target: DatabaseTarget, options: StrategyOptions = {}) {
    this.name = name;
    this.target = target;
    this.dialect = target.dialect;
    this.applicationName = options.applicationName ?? `lifetimes-${name}`;
    this.connectTimeoutMs = options.connectTimeoutMs ?? 5000;
    this.#closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.#leaks =
      options.leakDetectionThresholdMs === undefined
        ? undefined
        : new LeakDetector(options.leakDetectionThresholdMs, this.recorder);
    this.scopes = new ScopeStore(this.recorder, {
      start: (scope) => this.onScopeStart(scope),
      refuse: () => (this.#closing ? new StrategyClosedError(name) : undefined),
    });
    this.observer = recordingObserver(this.recorder, () => this.scopes.current()?.id);
    this.db = createKysely<DB>(target.dialect, this);
  }

  /** True once close() was called. */
  get isClosed(): boolean {
    return this.#closing !== undefined;
  }

  /**
   * Kysely calls this before every query, and release() after it: the
   * hottest path of the project. A strategy that has the connection at hand
   * returns it (and, on release, nothing) instead of a promise; on Node 20,
   * inside a scope every promise and every await copies the request's
   * context, so an async wrapper here would cost each query two promises
   * more than Kysely's own pool does.
   */
  acquire(): Promise<PhysicalConnection> {
    // After close(), only work inside a scope that was already running may
    // continue: that is the in-flight work close() promises to drain.
    if (this.#closing && !this.scopes.current()) {
      return Promise.reject(new StrategyClosedError(this.name));
    }
    this.#inFlight++;
    let acquired: PhysicalConnection | Promise<PhysicalConnection>;
    try {
      acquired = this.acquireConnection();
    } catch (error) {
      this.#settled();
      return Promise.reject(error);
    }
    if (!(acquired instanceof Promise)) return Promise.resolve(acquired);
    return acquired.then(undefined, (error: unknown) => {
      this.#settled();
      throw error;
    });
  }

  release(connection: PhysicalConnection): Promise<void> {
    let releasing: Promise<void> | undefined;
    try {
      releasing = this.releaseConnection(connection);
    } catch (error) {
      this.#settled();
      return Promise.reject(error);
    }
    if (!releasing) {
      this.#settled();
      return RELEASED;
    }
    return releasing.then(
      () => this.#settled(),
      (error: unknown) => {
        this.#settled();
        throw error;
      },
    );
  }

  destroy(): Promise<void> {
    return this.close();
  }

  commit(): Promise<void> {
    return Promise.resolve();
  }

  middleware(): RequestHandler {
    return this.scopes.middleware();
  }

  scope<T>(fn: () => Promise<T> | T): Promise<T> {
    return this.scopes.run(fn);
  }

  stats(): LifetimeStats {
    return this.recorder.stats();
  }

  listen(listener: LifetimeListener): () => void {
    return this.recorder.listen(listener);
  }

  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  /**
   * Every strategy calls this when a request, query or job takes a
   * connection for its use, and gaveBack() when it is done with it: they
   * record the acquire/release events the stats and the contract suite
   * count, and feed leak detection.
   */
  protected took(connection: PhysicalConnection, scopeId: number | undefined): void {
    this.recorder.record('acquire', scopeId, connection.id);
    this.#leaks?.acquired(connection.id, scopeId);
  }

  /** The other half of took(): exactly once per took(). */
  protected gaveBack(connection: PhysicalConnection, scopeId: number | undefined): void {
    this.#leaks?.released(connection.id, scopeId);
    this.recorder.record('release', scopeId, connection.id);
  }

  /**
   * For a teardown that gave up waiting for the query in flight: that query
   * still owns the connection, mid-statement or mid-transaction, so no pool
   * may hand it to anyone else. It is closed (the database rolls back what
   * it was doing) and reported as an error; the caller then gives it back
   * as usual, and a pool drops a closed connection instead of keeping it.
   */
  protected async abandon(
    connection: PhysicalConnection,
    scopeId: number | undefined,
  ): Promise<void> {
    this.recorder.record(
      'error',
      scopeId,
      connection.id,
      'teardown gave up waiting for the query in flight; its connection was closed, not reused',
    );
    await connection.close();
  }

  /** The current scope's id for events, or undefined outside any scope. */
  protected scopeId(): number | undefined {
    return this.scopes.current()?.id;
  }

  /**
   * Who calls: Kysely, through acquire(). Returns a connection the query may
   * use now: the connection itself when it needs no wait, else a promise of it.
   */
  protected abstract acquireConnection(): PhysicalConnection | Promise<PhysicalConnection>;
  /**
   * Who calls: Kysely, through release(), once per acquireConnection().
   * Returns nothing when the connection is back at once, else a promise.
   */
  protected abstract releaseConnection(connection: PhysicalConnection): Promise<void> | undefined;
  /** Registers the strategy's teardowns on a new scope; the default has none. */
  protected onScopeStart(_scope: RequestScope): void {}
  /** Closes every connection still open; called once, after draining. */
  protected abstract closeConnections(): Promise<void>;

  async #close(): Promise<void> {
    // First let in-flight work finish on its own: requests end their scopes
    // when their responses close.
    await this.#quiet(this.#closeTimeoutMs);
    // Then end what is still open; each teardown releases its connection.
    await settleWithin(
      Promise.all([...this.scopes.openScopes].map((scope) => scope.end())),
      this.#closeTimeoutMs,
    );
    await this.closeConnections();
  }

  /** Resolves when no scope is open and no query holds a connection, or after `ms`. */
  #quiet(ms: number): Promise<void> {
    const deadline = performance.now() + ms;
    return new Promise<void>((resolve) => {
      const check = () => {
        const quiet = this.#inFlight === 0 && this.scopes.openScopes.size === 0;
        if (quiet || performance.now() >= deadline) resolve();
        else setTimeout(check, 10);
      };
      check();
    });
  }

  #settled(): void {
    this.#inFlight--;
  }
}
