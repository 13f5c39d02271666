import { type AppConfig, buildApp, type SampleApp } from '@lifetimes/app';
import type { Database } from '@lifetimes/schema';
import { PlainKyselyStrategy } from './plain-kysely-strategy.js';

/** The control app: the same routes on plain Kysely. */
export function createApp(config: AppConfig): SampleApp {
  const strategy = new PlainKyselyStrategy<Database>(config.databaseUrl, {
    poolSize: config.maxConnections,
    applicationName: config.strategyOptions.applicationName ?? 'lifetimes-app-kysely-plain',
  });
  return { app: buildApp({ strategy, secret: config.secret }), strategy };
}
