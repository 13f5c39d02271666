import { type AppConfig, buildApp, type SampleApp, StrategyPerTenant } from '@lifetimes/app';
import type { Database } from '@lifetimes/schema';
import { scopedSessionProfile } from '@lifetimes/scoped-session';

/**
 * scoped-session: a request's session checks a connection out of the pool at
 * its first query and holds it, in one transaction, until the request ends;
 * routes commit() their writes, and whatever they did not commit is rolled back.
 */
export function createApp(config: AppConfig): SampleApp {
  // One strategy per database: the default one and, on first use, each tenant's.
  const strategy = new StrategyPerTenant<Database>(config.databaseUrl, (databaseUrl) =>
    scopedSessionProfile.create<Database>(databaseUrl, config.strategyOptions),
  );
  return { app: buildApp({ ...config, strategy }), strategy };
}
