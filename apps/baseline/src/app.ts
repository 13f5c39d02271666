import { type AppConfig, buildApp, type SampleApp } from '@lifetimes/app';
import { BaselineStrategy } from '@lifetimes/baseline';
import type { Database } from '@lifetimes/schema';

/**
 * baseline: every query borrows the process-wide connection (SQLite) or a
 * client of the one pool (PostgreSQL) for just as long as it runs.
 */
export function createApp(config: AppConfig): SampleApp {
  const strategy = new BaselineStrategy<Database>(config.databaseUrl, {
    ...config.strategyOptions,
    poolSize: config.maxConnections,
    acquireTimeoutMs: config.acquireTimeoutMs,
  });
  return { app: buildApp({ strategy, secret: config.secret }), strategy };
}
