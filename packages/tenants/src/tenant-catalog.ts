import type { DatabaseTarget } from '@lifetimes/core';
import { PgTenantStore } from './pg-tenant-store.js';
import { SqliteTenantStore } from './sqlite-tenant-store.js';
import type { TenantId } from './tenant-id.js';
import type { AdminQuery, BuildTenant, TenantStore } from './tenant-store.js';

export interface TenantCatalogOptions {
  /**
   * How long the list of tenants is trusted, unknown ids included. Default
   * 1000 ms. Without it every request naming an unknown tenant would cost a
   * catalog query (a new server session for a per-request strategy); longer
   * means a tenant provisioned by another process stays a 404 here longer.
   */
  readonly ttlMs?: number;
}

/**
 * Which tenants exist, where their databases are, and how to make one.
 * Lookups answer from one list of tenants, read at most once per `ttlMs`
 * (concurrent readers share the read), so a stream of unknown ids costs the
 * server nothing; a tenant this process provisions is known at once.
 */
export class TenantCatalog {
  readonly #store: TenantStore;
  readonly #ttlMs: number;
  #known: Set<TenantId> | undefined;
  #knownAt = 0;
  #reading: Promise<Set<TenantId>> | undefined;
  /** Bumped by each provision: a list read before it finished must not be kept as the truth. */
  #generation = 0;

  constructor(store: TenantStore, options: TenantCatalogOptions = {}) {
    this.#store = store;
    this.#ttlMs = options.ttlMs ?? 1000;
  }

  /** Where tenant `id`'s database is, or would be. Touches no file and no server. */
  urlOf(id: TenantId): string {
    return this.#store.urlOf(id);
  }

  /** Whether the tenant's database was complete at most `ttlMs` ago. */
  async exists(id: TenantId): Promise<boolean> {
    return (await this.#snapshot()).has(id);
  }

  /** How many tenants exist now, read afresh (MAX_TENANTS is checked against it). */
  async count(): Promise<number> {
    return (await this.#read()).size;
  }

  /** See TenantStore.provision; without `build` the tenant's database is left empty. */
  async provision(id: TenantId, build: BuildTenant = async () => {}): Promise<string> {
    try {
      const url = await this.#store.provision(id, build);
      this.#known?.add(id);
      return url;
    } finally {
      this.#generation++;
    }
  }

  #snapshot(): Promise<Set<TenantId>> {
    if (this.#known && performance.now() - this.#knownAt < this.#ttlMs) {
      return Promise.resolve(this.#known);
    }
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<Set<TenantId>> {
    const generation = this.#generation;
    const known = new Set(await this.#store.list());
    if (generation === this.#generation) {
      this.#known = known;
      this.#knownAt = performance.now();
    }
    return known;
  }
}

/**
 * Tenant files next to a SQLite default database, tenant databases on a
 * PostgreSQL default database's server. On PostgreSQL `lookup` reads the
 * list of databases and `admin` creates, renames and drops them (it must run
 * outside any transaction); both run on the default database.
 */
export function createTenantCatalog(
  target: DatabaseTarget,
  admin: AdminQuery,
  lookup: AdminQuery = admin,
  options: TenantCatalogOptions = {},
): TenantCatalog {
  const store =
    target.dialect === 'sqlite'
      ? new SqliteTenantStore(target)
      : new PgTenantStore(target.url, admin, lookup);
  return new TenantCatalog(store, options);
}
