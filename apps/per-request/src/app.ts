import { type AppConfig, buildApp, type SampleApp, StrategyPerTenant } from '@lifetimes/app';
import { PerRequestStrategy } from '@lifetimes/per-request';
import type { Database } from '@lifetimes/schema';

/**
 * per-request: a request opens its connection at its first query and closes
 * it when the response closes; /whoami shows both queries on one connection.
 */
export function createApp(config: AppConfig): SampleApp {
  // One strategy per database: the default one and, on first use, each tenant's.
  const strategy = new StrategyPerTenant<Database>(
    config.databaseUrl,
    (databaseUrl) =>
      new PerRequestStrategy<Database>(databaseUrl, {
        ...config.strategyOptions,
        maxOpen: config.maxConnections,
        acquireTimeoutMs: config.acquireTimeoutMs,
      }),
  );
  return { app: buildApp({ strategy, secret: config.secret, tenants: config.tenants }), strategy };
}
