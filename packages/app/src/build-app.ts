import { randomBytes } from 'node:crypto';
import type { Database } from '@lifetimes/schema';
import type { MultiTenantStrategy } from '@lifetimes/tenants';
import express, { type Express } from 'express';
import type { AppConfig, TenantAdmin } from './app-config.js';
import { deploymentIssuer } from './auth/deployment-issuer.js';
import { LoginLimiter } from './auth/login-limiter.js';
import { SCRYPT_PASSWORDS } from './auth/password-hash.js';
import { TokenSigner } from './auth/token-signer.js';
import { BODY_LIMIT, errorHandler, notFound } from './http/error-handler.js';
import { serverTiming } from './http/server-timing.js';
import { LiveFeed } from './live/live-feed.js';
import { liveRoutes } from './live/live-routes.js';
import { RequestCounter } from './request-counter.js';
import { accountRoutes } from './routes/account-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { benchmarkRoutes } from './routes/benchmark-routes.js';
import { lifetimeRoutes } from './routes/lifetime-routes.js';
import { postRoutes } from './routes/post-routes.js';
import { tenantRoutes } from './routes/tenant-routes.js';

/**
 * An app's createApp() passes its whole config (`{ ...config, strategy }`):
 * every field but `strategy` is optional and documented on AppConfig.
 */
export interface BuildAppOptions
  extends Partial<
    Pick<
      AppConfig,
      'databaseUrl' | 'secret' | 'issuer' | 'loginLimits' | 'passwords' | 'liveView' | 'shutdown'
    >
  > {
  /**
   * Where every route's connections come from, for the default database and
   * each tenant's; the app never closes it (its creator does).
   */
  readonly strategy: MultiTenantStrategy<Database>;
  /** Who may create tenants, and how many. */
  readonly tenants: TenantAdmin;
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
  const { strategy } = options;
  const tokens = new TokenSigner({
    secret: options.secret,
    // Without a database URL to name the deployment, one name per process,
    // like the default secret.
    issuer:
      options.issuer ??
      (options.databaseUrl === undefined
        ? randomBytes(16).toString('base64url')
        : deploymentIssuer(options.databaseUrl)),
  });
  const passwords = options.passwords ?? SCRYPT_PASSWORDS;
  const logins = new LoginLimiter(options.loginLimits);
  const requests = new RequestCounter();
  const live = options.liveView
    ? new LiveFeed(strategy, options.shutdown, options.databaseUrl)
    : undefined;
  const app = express();
  app.disable('x-powered-by');
  app.use(serverTiming());
  // Before the scope opens: a viewer's stream lasts as long as it watches,
  // and as a scope it would count in scopesOpen all that time.
  if (live) app.use(liveRoutes(live));
  app.use(requests.middleware());
  // Parsed before the scope opens: a malformed or oversized body is refused
  // before the strategy does anything for the request.
  app.use(express.json({ limit: BODY_LIMIT }));
  // Resolves x-tenant (400 bad, 404 unknown) before it opens the request's scope.
  app.use(strategy.middleware());
  app.use(tenantRoutes(strategy, options.tenants));
  app.use(lifetimeRoutes(strategy, requests, live));
  app.use(benchmarkRoutes(strategy));
  app.use(accountRoutes(strategy));
  app.use(authRoutes(strategy, { tokens, passwords, logins }));
  app.use(postRoutes(strategy, tokens));
  app.use(notFound());
  app.use(errorHandler(options.log));
  return app;
}
