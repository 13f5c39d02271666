import { type AppConfig, buildApp, type SampleApp, StrategyPerTenant } from '@lifetimes/app';
import { perRequestProfile } from '@lifetimes/per-request';
import type { Database } from '@lifetimes/schema';

/**
 * per-request: a request opens its connection at its first query and closes
 * it when the response closes; /whoami shows both queries on one connection.
 */
export function createApp(config: AppConfig): SampleApp {
  // One strategy per database: the default one and, on first use, each tenant's.
  const strategy = new StrategyPerTenant<Database>(config.databaseUrl, (databaseUrl) =>
    perRequestProfile.create<Database>(databaseUrl, config.strategyOptions),
  );
  return { app: buildApp({ ...config, strategy }), strategy };
}
