import type { ConnectionStrategy } from '@lifetimes/core';
import type { Database } from '@lifetimes/schema';
import express, { type Express, type RequestHandler } from 'express';
import { TokenSigner } from './auth/token-signer.js';
import { BODY_LIMIT, errorHandler, notFound } from './http/error-handler.js';
import { HttpError } from './http/http-error.js';
import { serverTiming } from './http/server-timing.js';
import { RequestCounter } from './request-counter.js';
import { accountRoutes } from './routes/account-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { benchmarkRoutes } from './routes/benchmark-routes.js';
import { lifetimeRoutes } from './routes/lifetime-routes.js';
import { postRoutes } from './routes/post-routes.js';
import type { Tenancy } from './tenancy.js';

export interface BuildAppOptions {
  /** Where every route's connections come from; the app never closes it (its creator does). */
  readonly strategy: ConnectionStrategy<Database>;
  /** Signs login tokens. Default: a random secret per process, so tokens die with it. */
  readonly secret?: string | undefined;
  /** Tenant selection and routes. Default: none, and a request naming a tenant is a 400. */
  readonly tenancy?: Tenancy | undefined;
  /** Where unexpected errors are logged. Default: console.error. */
  readonly log?: ((line: string) => void) | undefined;
}

/**
 * The app contract's routes, written once against ConnectionStrategy: they
 * ask `strategy.db` for queries and call `strategy.commit()` after each unit
 * of writes, and never learn how long their connection lives. Returns an
 * express app that is not listening.
 */
export function buildApp(options: BuildAppOptions): Express {
  const { strategy, tenancy } = options;
  const tokens = new TokenSigner(options.secret);
  const requests = new RequestCounter();
  const app = express();
  app.disable('x-powered-by');
  app.use(serverTiming());
  app.use(requests.middleware());
  // Parsed before the scope opens: a malformed or oversized body is refused
  // before the strategy does anything for the request.
  app.use(express.json({ limit: BODY_LIMIT }));
  if (!tenancy) app.use(refuseTenants);
  else if (tenancy.select) app.use(tenancy.select);
  app.use(strategy.middleware());
  if (tenancy) app.use(tenancy.routes);
  app.use(lifetimeRoutes(strategy, requests));
  app.use(benchmarkRoutes(strategy));
  app.use(accountRoutes(strategy));
  app.use(authRoutes(strategy, tokens));
  app.use(postRoutes(strategy, tokens));
  app.use(notFound());
  app.use(errorHandler(options.log));
  return app;
}

/** Without tenancy, naming a tenant is an error: the default database is nobody's tenant database. */
const refuseTenants: RequestHandler = (req, _res, next) => {
  if (req.get('x-tenant') === undefined) {
    next();
    return;
  }
  next(
    new HttpError(
      400,
      'This app serves a single database and has no tenants: drop the x-tenant header, ' +
        'or send it to the pooled-registry app.',
    ),
  );
};
