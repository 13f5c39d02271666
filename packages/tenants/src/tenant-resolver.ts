import { UnknownTenantError } from './errors.js';
import type { TenantCatalog } from './tenant-catalog.js';
import { parseTenantId, type TenantId } from './tenant-id.js';

/** The request header that names the tenant; without it a request uses the default database. */
export const TENANT_HEADER = 'x-tenant';

/**
 * Turns a tenant header into the URL of the database a request's queries
 * go to. Validation is synchronous and comes first, so a bad id touches no
 * file and no server; only a valid id reaches the catalog.
 */
export class TenantResolver {
  readonly #defaultUrl: string;
  readonly #catalog: TenantCatalog;
  readonly #isOpen: (url: string) => boolean;

  /** @param isOpen whether an engine for the URL is open, which proves the tenant existed. */
  constructor(defaultUrl: string, catalog: TenantCatalog, isOpen: (url: string) => boolean) {
    this.#defaultUrl = defaultUrl;
    this.#catalog = catalog;
    this.#isOpen = isOpen;
  }

  /** The header's tenant id, validated, or undefined without a header. Throws BadTenantIdError. */
  parse(header: string | readonly string[] | undefined): TenantId | undefined {
    if (header === undefined) return undefined;
    // A repeated header arrives joined; joined it fails the pattern, as it should.
    return parseTenantId(typeof header === 'string' ? header : header.join(', '));
  }

  /** The database URL for `id`, the default one for none; UnknownTenantError (404) if the catalog lacks it. */
  async urlOf(id: TenantId | undefined): Promise<string> {
    if (id === undefined) return this.#defaultUrl;
    const url = this.#catalog.urlOf(id);
    // An open engine proves the tenant existed when the engine was made, and
    // spares PostgreSQL a catalog query per request. The price: a tenant
    // deleted while its engine is open is still routed to until eviction,
    // so delete tenants only with no strategy serving them.
    if (this.#isOpen(url)) return url;
    // The catalog answers from a short-lived list of tenants: concurrent
    // and repeated lookups, unknown ids included, share one read of it.
    if (!(await this.#catalog.exists(id))) throw new UnknownTenantError(id);
    return url;
  }
}
