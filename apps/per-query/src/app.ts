import { type AppConfig, buildApp, type SampleApp, StrategyPerTenant } from '@lifetimes/app';
import { perQueryProfile } from '@lifetimes/per-query';
import type { Database } from '@lifetimes/schema';

/**
 * per-query: every query opens a fresh connection and closes it as soon as
 * it returns; /whoami shows its two queries on two different connections.
 */
export function createApp(config: AppConfig): SampleApp {
  // One strategy per database: the default one and, on first use, each tenant's.
  const strategy = new StrategyPerTenant<Database>(config.databaseUrl, (databaseUrl) =>
    perQueryProfile.create<Database>(databaseUrl, config.strategyOptions),
  );
  return { app: buildApp({ ...config, strategy }), strategy };
}
