import type { ConnectionStrategy } from '@lifetimes/core';

/**
 * A strategy that serves many databases: the default one, and one per
 * tenant. Its middleware() reads the `x-tenant` header (400 for a bad id,
 * 404 for an unknown one, both before any scope opens) and runs the request
 * on that tenant's database; `db` is that database's handle inside the request.
 */
export interface MultiTenantStrategy<DB> extends ConnectionStrategy<DB> {
  /**
   * Validates `id` (400 when bad) and creates the tenant's empty database
   * (409 when it exists); returns its URL. Creating the schema is the
   * caller's job, in scopeFor(id).
   */
  provision(id: string): Promise<string>;
  /** scope(fn) on tenant `id`'s database, with the middleware's checks; undefined is the default database. */
  scopeFor<T>(id: string | undefined, fn: () => Promise<T> | T): Promise<T>;
}
