import type { ConnectionStrategy } from '@lifetimes/core';
import type { TenantCatalog } from './tenant-catalog.js';

/**
 * A strategy that serves many databases: the default one, and one per
 * tenant. Its middleware() reads the `x-tenant` header (400 for a bad id,
 * 404 for an unknown one, both before any scope opens) and runs the request
 * on that tenant's database; `db` is that database's handle inside the request.
 */
export interface MultiTenantStrategy<DB> extends ConnectionStrategy<DB> {
  /** Where tenants live, and how many there are. */
  readonly catalog: TenantCatalog;
  /**
   * Validates `id` (400 when bad) and creates the tenant's database (409 when
   * it exists or is being provisioned); returns its URL. `build` runs in a
   * scope on the new database, where `db` and commit() are its own, before
   * any request can reach it: the tenant exists only once `build` has
   * committed, and a `build` that throws leaves no database behind.
   */
  provision(id: string, build?: () => Promise<void>): Promise<string>;
  /** scope(fn) on tenant `id`'s database, with the middleware's checks; undefined is the default database. */
  scopeFor<T>(id: string | undefined, fn: () => Promise<T> | T): Promise<T>;
}
