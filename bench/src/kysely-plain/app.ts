import { type AppConfig, buildApp, type SampleApp, StrategyPerTenant } from '@lifetimes/app';
import type { Database } from '@lifetimes/schema';
import { PlainKyselyStrategy } from './plain-kysely-strategy.js';

/** The control app: the same routes on plain Kysely. */
export function createApp(config: AppConfig): SampleApp {
  // Tenants as the baseline app serves them, so the two differ only in the strategy.
  const strategy = new StrategyPerTenant<Database>(
    config.databaseUrl,
    (databaseUrl) =>
      new PlainKyselyStrategy<Database>(databaseUrl, {
        // The server always sets it; 10 is pg.Pool's own default.
        poolSize: config.strategyOptions.maxConnections ?? 10,
        applicationName: config.strategyOptions.applicationName ?? 'lifetimes-app-kysely-plain',
      }),
  );
  return { app: buildApp({ strategy, secret: config.secret, tenants: config.tenants }), strategy };
}
