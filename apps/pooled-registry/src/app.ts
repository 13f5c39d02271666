import { type AppConfig, buildApp, type SampleApp } from '@lifetimes/app';
import { PooledRegistryStrategy } from '@lifetimes/pooled-registry';
import type { Database } from '@lifetimes/schema';

/**
 * pooled-registry: one pool per database (the default one, or the tenant's
 * named by x-tenant), at most maxEngines of them; a request holds a
 * connection of its pool until it ends.
 */
export function createApp(config: AppConfig): SampleApp {
  const strategy = new PooledRegistryStrategy<Database>(config.databaseUrl, {
    ...config.strategyOptions,
    poolSize: config.maxConnections,
    maxEngines: config.maxEngines,
    acquireTimeoutMs: config.acquireTimeoutMs,
  });
  return { app: buildApp({ strategy, secret: config.secret, tenants: config.tenants }), strategy };
}
