import type { TenantId } from './tenant-id.js';

/** Runs one statement on the default database and returns its rows. */
export type AdminQuery = (
  sql: string,
  parameters: readonly unknown[],
) => Promise<readonly unknown[]>;

/**
 * Fills a tenant's database before anyone can see it: given the database's
 * URL under its building name, it creates the schema and seed, commits, and
 * closes every connection it opened there before it resolves.
 */
export type BuildTenant = (url: string) => Promise<void>;

/** Where tenant databases live, one kind per dialect; TenantCatalog puts a short-lived cache in front. */
export interface TenantStore {
  /** Where tenant `id`'s database is, or would be. Touches no file and no server. */
  urlOf(id: TenantId): string;
  /** Every tenant whose database is complete; one being built is not among them. */
  list(): Promise<TenantId[]>;
  /**
   * Creates the database under a name no request can reach, has `build` fill
   * it, and only then gives it the tenant's name, atomically. TenantExistsError
   * (409) when the tenant exists or is being provisioned; on any failure the
   * building database is removed.
   */
  provision(id: TenantId, build: BuildTenant): Promise<string>;
}
