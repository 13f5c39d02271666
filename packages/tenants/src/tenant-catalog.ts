import type { DatabaseTarget } from '@lifetimes/core';
import { PgTenantCatalog } from './pg-tenant-catalog.js';
import { SqliteTenantCatalog } from './sqlite-tenant-catalog.js';
import type { TenantId } from './tenant-id.js';

/** Runs one statement on the default database and returns its rows. */
export type AdminQuery = (
  sql: string,
  parameters: readonly unknown[],
) => Promise<readonly unknown[]>;

/** Which tenants exist, where their databases are, and how to make one. */
export interface TenantCatalog {
  /** Where tenant `id`'s database is, or would be. Touches no file and no server. */
  urlOf(id: TenantId): string;
  /** Whether the tenant's database exists now. */
  exists(id: TenantId): Promise<boolean>;
  /**
   * Creates the tenant's empty database and returns its URL; TenantExistsError
   * (409) when it is already there. Creating the schema is the caller's job.
   */
  provision(id: TenantId): Promise<string>;
}

/**
 * Tenant files next to a SQLite default database, tenant databases on a
 * PostgreSQL default database's server. `query` runs on the default
 * database; only the PostgreSQL catalog needs it, to read pg_database.
 */
export function createTenantCatalog(target: DatabaseTarget, query: AdminQuery): TenantCatalog {
  return target.dialect === 'sqlite'
    ? new SqliteTenantCatalog(target)
    : new PgTenantCatalog(target.url, query);
}
