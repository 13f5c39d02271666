import { AsyncLocalStorage } from 'node:async_hooks';
import {
  type ConnectionStrategy,
  type DialectName,
  type LifetimeListener,
  type LifetimeStats,
  parseDatabaseUrl,
  StrategyClosedError,
} from '@lifetimes/core';
import type { RequestHandler } from 'express';
import type { Kysely } from 'kysely';
import { adminQuery } from './admin-query.js';
import type { MultiTenantStrategy } from './multi-tenant-strategy.js';
import { sumStats } from './sum-stats.js';
import { createTenantCatalog, type TenantCatalog } from './tenant-catalog.js';
import { parseTenantId } from './tenant-id.js';
import { TENANT_HEADER, TenantResolver } from './tenant-resolver.js';

/** Builds the strategy for one database URL; called once per database. */
export type OpenStrategy<DB> = (databaseUrl: string) => ConnectionStrategy<DB>;

/** One database's strategy, and its middleware built once. */
interface Served<DB> {
  readonly strategy: ConnectionStrategy<DB>;
  readonly middleware: RequestHandler;
}

/**
 * Tenants for a strategy that serves one database: one instance of it per
 * database, the default one at once and a tenant's on the first request that
 * names it, each with its own connections, kept until close(). Inside a
 * request `db` and commit() are the request's database's.
 *
 * Nothing bounds it: N tenants keep N strategies, and each may hold its own
 * connections (a pool, or baseline's one SQLite handle). That unbounded
 * growth is the problem pooled-registry's LRU of engines exists to solve.
 */
export class StrategyPerTenant<DB> implements MultiTenantStrategy<DB> {
  readonly name: string;
  readonly dialect: DialectName;
  readonly #open: OpenStrategy<DB>;
  readonly #default: Served<DB>;
  /** Tenants' strategies by database URL. */
  readonly #tenants = new Map<string, Served<DB>>();
  readonly #current = new AsyncLocalStorage<ConnectionStrategy<DB>>();
  readonly #catalog: TenantCatalog;
  readonly #resolver: TenantResolver;
  /** Listeners, and how to detach each from every strategy it was given to. */
  readonly #listeners = new Map<LifetimeListener, Array<() => void>>();
  #closing: Promise<void> | undefined;

  constructor(url: string, open: OpenStrategy<DB>) {
    const target = parseDatabaseUrl(url);
    this.#open = open;
    this.#default = this.#serve(open(target.url));
    this.name = this.#default.strategy.name;
    this.dialect = this.#default.strategy.dialect;
    this.#catalog = createTenantCatalog(target, adminQuery(target));
    this.#resolver = new TenantResolver(target.url, this.#catalog, (tenantUrl) =>
      this.#tenants.has(tenantUrl),
    );
  }

  /** Where tenants live. */
  get catalog(): TenantCatalog {
    return this.#catalog;
  }

  /** The current request's database's handle: read it inside the request, never keep it across requests. */
  get db(): Kysely<DB> {
    return this.#strategy().db;
  }

  commit(): Promise<void> {
    return this.#strategy().commit();
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const header = req.headers[TENANT_HEADER];
      // The common case stays synchronous: no lookup, no extra context.
      if (header === undefined) {
        this.#default.middleware(req, res, next);
        return;
      }
      let served: Promise<Served<DB>>;
      try {
        served = this.#resolve(header);
      } catch (error) {
        next(error);
        return;
      }
      served.then(
        ({ strategy, middleware }) => this.#current.run(strategy, () => middleware(req, res, next)),
        next,
      );
    };
  }

  scope<T>(fn: () => Promise<T> | T): Promise<T> {
    const { strategy } = this.#default;
    return this.#current.run(strategy, () => strategy.scope(fn));
  }

  async scopeFor<T>(id: string | undefined, fn: () => Promise<T> | T): Promise<T> {
    const { strategy } = await this.#resolve(id);
    return this.#current.run(strategy, () => strategy.scope(fn));
  }

  async provision(id: string): Promise<string> {
    const tenant = parseTenantId(id);
    if (this.#closing) throw new StrategyClosedError(this.name);
    return this.#catalog.provision(tenant);
  }

  /**
   * Every database's counters added up. `peakActive` is the sum of each
   * database's own peak, so an upper bound of connections held at once.
   */
  stats(): LifetimeStats {
    return sumStats(this.#all().map((strategy) => strategy.stats()));
  }

  listen(listener: LifetimeListener): () => void {
    this.#listeners.set(
      listener,
      this.#all().map((strategy) => strategy.listen(listener)),
    );
    return () => {
      for (const stop of this.#listeners.get(listener) ?? []) stop();
      this.#listeners.delete(listener);
    };
  }

  close(): Promise<void> {
    this.#closing ??= Promise.all(this.#all().map((strategy) => strategy.close())).then(
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

  #all(): ConnectionStrategy<DB>[] {
    return [this.#default, ...this.#tenants.values()].map(({ strategy }) => strategy);
  }

  /** Throws at once for a closed strategy or a bad id; rejects for an unknown tenant. */
  #resolve(header: string | readonly string[] | undefined): Promise<Served<DB>> {
    if (this.#closing) throw new StrategyClosedError(this.name);
    const id = this.#resolver.parse(header);
    return this.#resolver.urlOf(id).then((url) => {
      if (id === undefined) return this.#default;
      // Checked again: close() may have begun during the catalog lookup, and
      // a strategy opened now would never be closed.
      if (this.#closing) throw new StrategyClosedError(this.name);
      let served = this.#tenants.get(url);
      if (!served) {
        served = this.#serve(this.#open(url));
        this.#tenants.set(url, served);
        for (const [listener, stops] of this.#listeners)
          stops.push(served.strategy.listen(listener));
      }
      return served;
    });
  }

  #serve(strategy: ConnectionStrategy<DB>): Served<DB> {
    return { strategy, middleware: strategy.middleware() };
  }
}
