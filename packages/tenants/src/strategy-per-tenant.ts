import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type ConnectionStrategy,
  type DialectName,
  type LifetimeListener,
  type LifetimeStats,
  parseDatabaseUrl,
} from '@lifetimes/core';
import type { RequestHandler } from 'express';
import { CompiledQuery, type Kysely } from 'kysely';
import { adminQuery } from './admin-query.js';
import type { MultiTenantStrategy } from './multi-tenant-strategy.js';
import { sumStats } from './sum-stats.js';
import {
  createTenantCatalog,
  type TenantCatalog,
  type TenantCatalogOptions,
} from './tenant-catalog.js';
import { TenantRouter } from './tenant-router.js';

/** Builds the strategy for one database URL; called once per database while it is in use. */
export type OpenStrategy<DB> = (databaseUrl: string) => ConnectionStrategy<DB>;

export interface StrategyPerTenantOptions extends TenantCatalogOptions {
  /**
   * How long a tenant's strategy may sit with no request before it is
   * closed, with its connections. Default 30000 ms. Without it every tenant
   * ever served keeps a strategy (and a pool, for pooled strategies) for the
   * life of the process; shorter frees them sooner, and the tenant's next
   * request pays for a new strategy and new connections.
   */
  readonly idleMs?: number;
}

/** One database's strategy, its middleware built once, and who is using it. */
interface Served<DB> {
  readonly strategy: ConnectionStrategy<DB>;
  readonly middleware: RequestHandler;
  /** How to detach each listener given to this strategy. */
  readonly detach: Map<LifetimeListener, () => void>;
  /** Requests and scopes running on it now; it is closed only at zero. */
  users: number;
  /** When the last user left (performance.now()). */
  idleSince: number;
}

/**
 * Tenants for a strategy that serves one database: one instance of it per
 * database, the default one at once and a tenant's on the first request that
 * names it, each with its own connections. Inside a request `db` and
 * commit() are the request's database's.
 *
 * A tenant's strategy unused for `idleMs` is closed, so idle tenants hold no
 * connections; but nothing bounds the tenants active at once: N busy tenants
 * keep N strategies, each with its own connections. That is the problem
 * pooled-registry's LRU of engines exists to solve.
 */
export class StrategyPerTenant<DB> implements MultiTenantStrategy<DB> {
  readonly name: string;
  readonly dialect: DialectName;
  readonly #open: OpenStrategy<DB>;
  readonly #defaultUrl: string;
  readonly #default: Served<DB>;
  /** Tenants' strategies by database URL. */
  readonly #tenants = new Map<string, Served<DB>>();
  /** Idle tenants' strategies being closed: their counters still count. */
  readonly #retiring = new Set<Served<DB>>();
  /** The counters of every tenant strategy closed for idleness, so stats() never goes back. */
  #retired: LifetimeStats | undefined;
  readonly #current = new AsyncLocalStorage<ConnectionStrategy<DB>>();
  readonly #router: TenantRouter;
  readonly #listeners = new Set<LifetimeListener>();
  readonly #idleMs: number;
  readonly #sweeper: NodeJS.Timeout;
  #closing: Promise<void> | undefined;

  constructor(url: string, open: OpenStrategy<DB>, options: StrategyPerTenantOptions = {}) {
    const target = parseDatabaseUrl(url);
    this.#open = open;
    this.#defaultUrl = target.url;
    this.#default = this.#serve(open(target.url));
    this.name = this.#default.strategy.name;
    this.dialect = this.#default.strategy.dialect;
    // Lookups run through the default database's own strategy, so /stats
    // counts their connections and its cap bounds them; creating, renaming
    // and dropping databases cannot run inside the transaction a
    // unit-of-work strategy's connection is always in, so they get short
    // connections of their own (POST /tenants is rare and guarded).
    this.#router = new TenantRouter({
      name: this.name,
      defaultUrl: target.url,
      catalog: createTenantCatalog(
        target,
        adminQuery(target),
        (sql, parameters) => this.#lookup(sql, parameters),
        options,
      ),
      isOpen: (tenantUrl) => this.#tenants.has(tenantUrl),
      isClosed: () => this.#closing !== undefined,
    });
    this.#idleMs = options.idleMs ?? 30_000;
    this.#sweeper = setInterval(() => this.#sweep(), Math.max(10, this.#idleMs / 2));
    this.#sweeper.unref();
  }

  /** Where tenants live. */
  get catalog(): TenantCatalog {
    return this.#router.catalog;
  }

  /** Tenants with a strategy open now (idle ones are closed after idleMs). */
  get tenantsOpen(): number {
    return this.#tenants.size;
  }

  /** The current request's database's handle: read it inside the request, never keep it across requests. */
  get db(): Kysely<DB> {
    return this.#strategy().db;
  }

  commit(): Promise<void> {
    return this.#strategy().commit();
  }

  middleware(): RequestHandler {
    return this.#router.middleware((url, req, res, next) => {
      // The common case: no lookup, no extra context, no user to count.
      if (url === this.#defaultUrl) {
        this.#default.middleware(req, res, next);
        return;
      }
      const tenant = this.#enter(url);
      // 'close' covers finish, error and abort alike, so the count cannot leak.
      res.once('close', () => this.#leave(tenant));
      this.#current.run(tenant.strategy, () => tenant.middleware(req, res, next));
    });
  }

  scope<T>(fn: () => Promise<T> | T): Promise<T> {
    const { strategy } = this.#default;
    return this.#current.run(strategy, () => strategy.scope(fn));
  }

  async scopeFor<T>(id: string | undefined, fn: () => Promise<T> | T): Promise<T> {
    const url = await this.#router.urlFor(id);
    if (url === this.#defaultUrl) return this.scope(fn);
    const served = this.#enter(url);
    try {
      return await this.#current.run(served.strategy, () => served.strategy.scope(fn));
    } finally {
      this.#leave(served);
    }
  }

  provision(id: string, build?: () => Promise<void>): Promise<string> {
    return this.#router.provision(id, build, async (buildingUrl, run) => {
      // A strategy of its own, closed before the database is renamed.
      const strategy = this.#open(buildingUrl);
      try {
        await this.#current.run(strategy, () => strategy.scope(run));
      } finally {
        await strategy.close();
      }
    });
  }

  /**
   * Every database's counters added up, tenants closed for idleness
   * included. `peakActive` is the sum of each database's own peak, so an
   * upper bound of connections held at once.
   */
  stats(): LifetimeStats {
    const live = this.#all().map((served) => served.strategy.stats());
    return sumStats(this.#retired ? [...live, this.#retired] : live);
  }

  listen(listener: LifetimeListener): () => void {
    this.#listeners.add(listener);
    for (const served of this.#all()) served.detach.set(listener, served.strategy.listen(listener));
    return () => {
      this.#listeners.delete(listener);
      for (const served of this.#all()) {
        served.detach.get(listener)?.();
        served.detach.delete(listener);
      }
    };
  }

  close(): Promise<void> {
    clearInterval(this.#sweeper);
    this.#closing ??= Promise.all(this.#all().map(({ strategy }) => strategy.close())).then(
      () => undefined,
    );
    return this.#closing;
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }

  #strategy(): ConnectionStrategy<DB> {
    return this.#current.getStore() ?? this.#default.strategy;
  }

  #all(): Served<DB>[] {
    return [this.#default, ...this.#tenants.values(), ...this.#retiring];
  }

  /** One catalog statement, in a scope of the default database's strategy. */
  #lookup(sql: string, parameters: readonly unknown[]): Promise<readonly unknown[]> {
    const { strategy } = this.#default;
    return strategy.scope(async () => {
      const { rows } = await strategy.db.executeQuery(CompiledQuery.raw(sql, [...parameters]));
      return rows;
    });
  }

  /**
   * Tenant `url`'s strategy, opened on its first request, counting one more
   * user: the caller must #leave() it. Called in the same turn the router
   * resolved the URL, so a sweep cannot close it in between.
   */
  #enter(url: string): Served<DB> {
    let served = this.#tenants.get(url);
    if (!served) {
      served = this.#serve(this.#open(url));
      this.#tenants.set(url, served);
      for (const listener of this.#listeners) {
        served.detach.set(listener, served.strategy.listen(listener));
      }
    }
    served.users++;
    return served;
  }

  #leave(served: Served<DB>): void {
    served.users--;
    served.idleSince = performance.now();
  }

  /** Closes every tenant strategy that has had no user for idleMs. */
  #sweep(): void {
    const now = performance.now();
    for (const [url, served] of this.#tenants) {
      if (served.users > 0 || now - served.idleSince < this.#idleMs) continue;
      this.#tenants.delete(url);
      this.#retiring.add(served);
      void served.strategy.close().finally(() => {
        this.#retiring.delete(served);
        for (const detach of served.detach.values()) detach();
        const stats = served.strategy.stats();
        this.#retired = this.#retired ? sumStats([this.#retired, stats]) : stats;
      });
    }
  }

  #serve(strategy: ConnectionStrategy<DB>): Served<DB> {
    return {
      strategy,
      middleware: strategy.middleware(),
      detach: new Map(),
      users: 0,
      idleSince: performance.now(),
    };
  }
}
