import { type AppConfig, buildApp, type SampleApp, StrategyPerTenant } from '@lifetimes/app';
import { BaselineStrategy } from '@lifetimes/baseline';
import type { Database } from '@lifetimes/schema';

/**
 * baseline: every query borrows the process-wide connection (SQLite) or a
 * client of the one pool (PostgreSQL) for just as long as it runs.
 */
export function createApp(config: AppConfig): SampleApp {
  // One strategy per database: the default one and, on first use, each tenant's.
  const strategy = new StrategyPerTenant<Database>(
    config.databaseUrl,
    (databaseUrl) =>
      new BaselineStrategy<Database>(databaseUrl, {
        ...config.strategyOptions,
        poolSize: config.maxConnections,
        acquireTimeoutMs: config.acquireTimeoutMs,
      }),
  );
  return { app: buildApp({ strategy, secret: config.secret, tenants: config.tenants }), strategy };
}
