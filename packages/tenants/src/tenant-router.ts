import { StrategyClosedError } from '@lifetimes/core';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { TenantCatalog } from './tenant-catalog.js';
import { parseTenantId } from './tenant-id.js';
import { TENANT_HEADER, TenantResolver } from './tenant-resolver.js';

/** How a strategy serves one request once its database is known. */
export type ServeOn = (url: string, req: Request, res: Response, next: NextFunction) => void;

/** How a strategy runs a new tenant's build step on the database being built, with nothing left open on it after. */
export type BuildOn = (buildingUrl: string, build: () => Promise<void>) => Promise<void>;

/** What a TenantRouter needs of the strategy it routes for. */
export interface TenantRouterOptions {
  /** The strategy's name, for the error a closed strategy answers with. */
  readonly name: string;
  /** The default database: a request without a tenant uses it. */
  readonly defaultUrl: string;
  /** Where tenants live: createTenantCatalog() for the default database's dialect. */
  readonly catalog: TenantCatalog;
  /** Whether the strategy holds connections to `url` now, which proves the tenant existed. */
  readonly isOpen: (url: string) => boolean;
  /** Whether the strategy's close() has begun: it then routes nothing. */
  readonly isClosed: () => boolean;
}

/**
 * What tenancy adds to a lifetime, written once for both ways of serving
 * tenants (a strategy per tenant database, and the registry's bounded LRU
 * of pools): the `x-tenant` header to a database URL, a bad id a 400 and an
 * unknown one a 404 before any scope opens, the catalog of tenants, and
 * provisioning a tenant's database behind its build step. What a strategy
 * does with the URL (a strategy of its own, an engine in its LRU) stays in
 * the strategy, which is the lesson.
 */
export class TenantRouter {
  /** Where tenants live, and how many there are. */
  readonly catalog: TenantCatalog;
  readonly #name: string;
  readonly #defaultUrl: string;
  readonly #resolver: TenantResolver;
  readonly #isClosed: () => boolean;

  constructor(options: TenantRouterOptions) {
    this.catalog = options.catalog;
    this.#name = options.name;
    this.#defaultUrl = options.defaultUrl;
    this.#isClosed = options.isClosed;
    this.#resolver = new TenantResolver(options.defaultUrl, options.catalog, options.isOpen);
  }

  /**
   * The database URL for tenant `id` (a header's value; undefined is the
   * default database). Throws at once for a closed strategy or a bad id, so
   * neither touches a file or a server; rejects for an unknown tenant.
   */
  urlFor(id: string | readonly string[] | undefined): Promise<string> {
    this.#refuseIfClosed();
    return this.#resolver.urlOf(this.#resolver.parse(id)).then((url) => {
      // Checked again: close() may have begun during the catalog lookup,
      // and whatever the strategy opened for the URL now would never close.
      this.#refuseIfClosed();
      return url;
    });
  }

  /**
   * The middleware in front of the strategy's scope: a request reaches
   * `serve` with its database's URL, or next() with the tenant error. A
   * request without the header is served in the same turn: no lookup, no
   * promise.
   */
  middleware(serve: ServeOn): RequestHandler {
    return (req, res, next) => {
      const header = req.headers[TENANT_HEADER];
      let url: Promise<string>;
      try {
        if (header === undefined) {
          this.#refuseIfClosed();
          serve(this.#defaultUrl, req, res, next);
          return;
        }
        url = this.urlFor(header);
      } catch (error) {
        next(error);
        return;
      }
      url.then((resolved) => serve(resolved, req, res, next), next);
    };
  }

  /**
   * Validates `id` (400 when bad) and creates the tenant's database (409
   * when it exists or is being built); with `build`, runs it on the new
   * database through `buildOn` before any request can reach it. Returns its URL.
   */
  async provision(
    id: string,
    build: (() => Promise<void>) | undefined,
    buildOn: BuildOn,
  ): Promise<string> {
    const tenant = parseTenantId(id);
    this.#refuseIfClosed();
    if (!build) return this.catalog.provision(tenant);
    return this.catalog.provision(tenant, (buildingUrl) => buildOn(buildingUrl, build));
  }

  #refuseIfClosed(): void {
    if (this.#isClosed()) throw new StrategyClosedError(this.#name);
  }
}
