import { parseDatabaseUrl } from '@lifetimes/core';
import {
  createPool,
  type PhysicalConnection,
  type RequestScope,
  type ScopeHold,
  ScopeHolds,
  StrategyBase,
} from '@lifetimes/core/authoring';
import {
  createTenantCatalog,
  type MultiTenantStrategy,
  type TenantCatalog,
  TenantRouter,
} from '@lifetimes/tenants';
import type { RequestHandler } from 'express';
import { CompiledQuery } from 'kysely';
import { checkConnectionBudget } from './connection-budget.js';
import { EngineRegistry, type Lease } from './engine-registry.js';
import type { PooledRegistryOptions } from './options.js';

/** What a scope holds: at most one lease, and the lock that gives it to one query at a time. */
interface Held extends ScopeHold {
  lease: Lease | undefined;
  /** The scope's database when it is not the default one. */
  url: string | undefined;
}

/**
 * SQLAlchemy's SessionRegistry of engines keyed by URL, in Node: one pool per
 * database (the default one, or a tenant's from the `x-tenant` header), kept
 * in an LRU of at most `maxEngines`. A request leases one connection from
 * its database's pool on its first query, keeps it for every query, and
 * gives it back to the pool exactly once at teardown. A request that never
 * queries leases nothing. A query outside any scope, or after its scope
 * ended, throws instead of borrowing someone else's connection.
 *
 * The scope's connection is locked per query (and for a whole transaction),
 * so concurrent queries of one request take turns and never run inside each
 * other's transactions.
 */
export class PooledRegistryStrategy<DB>
  extends StrategyBase<DB>
  implements MultiTenantStrategy<DB>
{
  readonly #registry: EngineRegistry;
  readonly #tenants: TenantRouter;
  readonly #held: ScopeHolds<Held>;
  readonly #byConnection = new WeakMap<PhysicalConnection, Held>();

  constructor(url: string, options: PooledRegistryOptions = {}) {
    const maxEngines = options.maxEngines ?? 10;
    const poolSize = options.poolSize ?? 5;
    // Before super(): a refused configuration creates nothing.
    checkConnectionBudget(maxEngines, poolSize, options.connectionBudget ?? 100);
    super('pooled-registry', parseDatabaseUrl(url), options);
    const acquireTimeoutMs = options.acquireTimeoutMs ?? 5000;
    this.#held = new ScopeHolds(this.name, this.scopes, acquireTimeoutMs, this.observer);
    this.#registry = new EngineRegistry({
      maxEngines,
      evictTimeoutMs: options.evictTimeoutMs ?? 5000,
      slotTimeoutMs: acquireTimeoutMs,
      createPool: (engineUrl) =>
        createPool(parseDatabaseUrl(engineUrl), this.observer, {
          max: poolSize,
          acquireTimeoutMs,
          applicationName: this.applicationName,
          busyTimeoutMs: this.connectTimeoutMs,
        }),
      observer: this.observer,
      record: (type, detail) => this.recorder.record(type, this.scopeId(), undefined, detail),
    });
    // The PostgreSQL catalog reads pg_database through the default engine,
    // so its connections count against the same budget as everyone else's.
    this.#tenants = new TenantRouter({
      name: this.name,
      defaultUrl: this.target.url,
      catalog: createTenantCatalog(this.target, (sql, parameters) =>
        this.#adminQuery(sql, parameters),
      ),
      isOpen: (engineUrl) => this.#registry.has(engineUrl),
      isClosed: () => this.isClosed,
    });
  }

  /** Where tenants live. */
  get catalog(): TenantCatalog {
    return this.#tenants.catalog;
  }

  /**
   * Creates tenant `id`'s database and runs `build` in a scope on it before
   * any request can reach it; its engine is closed before the database takes
   * the tenant's name, so nothing stays open on the building name.
   */
  provision(id: string, build?: () => Promise<void>): Promise<string> {
    return this.#tenants.provision(id, build, async (buildingUrl, run) => {
      try {
        await this.scopes.run(run, (scope) => this.#route(scope, buildingUrl));
      } finally {
        await this.#registry.discard(buildingUrl);
      }
    });
  }

  /** Engines requests are routed to now. `stats().enginesOpen` also counts evicted ones still draining. */
  get engineCount(): number {
    return this.#registry.size;
  }

  /** The scope middleware, on the database the request's `x-tenant` names (400 bad, 404 unknown, before any scope opens). */
  override middleware(): RequestHandler {
    return this.#tenants.middleware((url, req, res, next) => {
      // The scope middleware opens nothing if the client left meanwhile.
      this.scopes.middleware((scope) => this.#route(scope, url))(req, res, next);
    });
  }

  /** scope(fn) for tenant `tenantId`'s database, with the middleware's checks; undefined is the default database. */
  async scopeFor<T>(tenantId: string | undefined, fn: () => Promise<T> | T): Promise<T> {
    const url = await this.#tenants.urlFor(tenantId);
    return this.scopes.run(fn, (scope) => this.#route(scope, url));
  }

  protected override onScopeStart(scope: RequestScope): void {
    this.#held.start(
      scope,
      (lock) => ({ scope, lock, lease: undefined, url: undefined }),
      (held) => this.#teardown(held),
    );
  }

  protected acquireConnection(): PhysicalConnection | Promise<PhysicalConnection> {
    const held = this.#held.current();
    if (!held.lock.tryTake()) return this.#acquireAfterWait(held);
    this.#held.stillOpen(held);
    // A request's every query after its first: its lease, at once.
    if (held.lease && !held.lease.connection.broken) return held.lease.connection;
    return this.#acquireLocked(held);
  }

  protected releaseConnection(connection: PhysicalConnection): Promise<void> | undefined {
    const held = this.#byConnection.get(connection);
    if (!held) throw new Error(`Connection ${connection.id} was not leased by this strategy.`);
    if (connection.broken && held.lease) {
      // The pool destroys it; the next query of this request leases another.
      const dropping = this.#drop(held, held.lease);
      if (dropping) return dropping.then(() => held.lock.release());
    }
    held.lock.release();
    return undefined;
  }

  protected async closeConnections(): Promise<void> {
    await this.#registry.close();
  }

  async #acquireAfterWait(held: Held): Promise<PhysicalConnection> {
    await this.#held.takeInTurn(held);
    return this.#acquireLocked(held);
  }

  /** With the lock taken: the request's lease, replaced when dead or taken first. */
  async #acquireLocked(held: Held): Promise<PhysicalConnection> {
    try {
      // Known dead before this query starts (the server ended it between
      // two queries): the query gets a new lease instead of a sure failure.
      if (held.lease?.connection.broken) await this.#drop(held, held.lease);
      if (!held.lease) {
        const url = held.url ?? this.target.url;
        held.lease = this.#registry.tryAcquire(url) ?? (await this.#registry.acquire(url));
        this.#byConnection.set(held.lease.connection, held);
        this.took(held.lease.connection, held.scope.id);
      }
      return held.lease.connection;
    } catch (error) {
      held.lock.release();
      throw error;
    }
  }

  /** Sends a new scope's queries to `url`; runs right after onScopeStart(). */
  #route(scope: RequestScope, url: string): void {
    const held = this.#held.of(scope);
    if (held) held.url = url;
  }

  /**
   * Gives the connection back to its pool. The usual request ends with no
   * query in flight and a connection its pool takes back as it is: then
   * teardown finishes at once, with no promise.
   */
  #teardown(held: Held): Promise<void> | undefined {
    if (!held.lock.tryTake()) return this.#teardownAfterQuery(held);
    const returning = held.lease && this.#drop(held, held.lease);
    if (!returning) {
      held.lock.release();
      return undefined;
    }
    return returning.finally(() => held.lock.release());
  }

  /** Waits for the query in flight, then gives the connection back. */
  async #teardownAfterQuery(held: Held): Promise<void> {
    const locked = await held.lock.takeForTeardown();
    try {
      const lease = held.lease;
      if (!lease) return;
      // Still running after the wait, the query owns the connection
      // mid-statement: it must never reach the next borrower.
      if (!locked) await this.abandon(lease.connection, held.scope.id);
      await this.#drop(held, lease);
    } finally {
      if (locked) held.lock.release();
    }
  }

  /** Returns the lease: at once when its pool takes it as it is, or a promise. */
  #drop(held: Held, lease: Lease): Promise<void> | undefined {
    held.lease = undefined;
    this.gaveBack(lease.connection, held.scope.id);
    if (this.#registry.tryRelease(lease)) return undefined;
    // The pool rolls back a transaction left open, or destroys the connection.
    return this.#registry.release(lease);
  }

  async #adminQuery(sql: string, parameters: readonly unknown[]): Promise<readonly unknown[]> {
    const lease = await this.#registry.acquire(this.target.url);
    try {
      const { rows } = await lease.connection.executeQuery(CompiledQuery.raw(sql, [...parameters]));
      return rows;
    } finally {
      await this.#registry.release(lease);
    }
  }
}
