import { type AppConfig, buildApp, type SampleApp } from '@lifetimes/app';
import { PerRequestStrategy } from '@lifetimes/per-request';
import type { Database } from '@lifetimes/schema';

/**
 * per-request: a request opens its connection at its first query and closes
 * it when the response closes; /whoami shows both queries on one connection.
 */
export function createApp(config: AppConfig): SampleApp {
  const strategy = new PerRequestStrategy<Database>(config.databaseUrl, {
    ...config.strategyOptions,
    maxOpen: config.maxConnections,
    acquireTimeoutMs: config.acquireTimeoutMs,
  });
  return { app: buildApp({ strategy, secret: config.secret }), strategy };
}
