import type { RequestHandler } from 'express';

/**
 * Where tenants plug in: the `x-tenant` header and `POST /tenants` of the
 * app contract. An app built without a tenancy refuses every request that
 * names a tenant: answering it from the default database would show one
 * tenant another's rows.
 */
export interface Tenancy {
  /**
   * Mounted before the strategy's scope opens, so an invalid (400) or
   * unknown (404) tenant is refused before any file or connection is
   * touched. Leave it out when the strategy's own middleware() resolves the
   * header (pooled-registry does).
   */
  readonly select?: RequestHandler | undefined;
  /** The tenant routes (`POST /tenants`), mounted inside the request's scope before the app's own. */
  readonly routes: RequestHandler;
}
