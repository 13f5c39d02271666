import { type AppConfig, buildApp, type SampleApp, StrategyPerTenant } from '@lifetimes/app';
import { baselineProfile } from '@lifetimes/baseline';
import type { Database } from '@lifetimes/schema';

/**
 * baseline: every query borrows the process-wide connection (SQLite) or a
 * client of the one pool (PostgreSQL) for just as long as it runs.
 */
export function createApp(config: AppConfig): SampleApp {
  // One strategy per database: the default one and, on first use, each tenant's.
  const strategy = new StrategyPerTenant<Database>(config.databaseUrl, (databaseUrl) =>
    baselineProfile.create<Database>(databaseUrl, config.strategyOptions),
  );
  return { app: buildApp({ ...config, strategy }), strategy };
}
