import { type AppConfig, buildApp, type SampleApp, StrategyPerTenant } from '@lifetimes/app';
import { PerQueryStrategy } from '@lifetimes/per-query';
import type { Database } from '@lifetimes/schema';

/**
 * per-query: every query opens a fresh connection and closes it as soon as
 * it returns; /whoami shows its two queries on two different connections.
 */
export function createApp(config: AppConfig): SampleApp {
  // One strategy per database: the default one and, on first use, each tenant's.
  const strategy = new StrategyPerTenant<Database>(
    config.databaseUrl,
    (databaseUrl) =>
      new PerQueryStrategy<Database>(databaseUrl, {
        ...config.strategyOptions,
        maxOpen: config.maxConnections,
        acquireTimeoutMs: config.acquireTimeoutMs,
      }),
  );
  return { app: buildApp({ strategy, secret: config.secret, tenants: config.tenants }), strategy };
}
