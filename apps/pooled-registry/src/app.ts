import { type AppConfig, buildApp, type SampleApp } from '@lifetimes/app';
import { pooledRegistryProfile } from '@lifetimes/pooled-registry';
import type { Database } from '@lifetimes/schema';

/**
 * pooled-registry: one pool per database (the default one, or the tenant's
 * named by x-tenant), at most maxEngines of them; a request holds a
 * connection of its pool until it ends.
 */
export function createApp(config: AppConfig): SampleApp {
  const strategy = pooledRegistryProfile.create<Database>(
    config.databaseUrl,
    config.strategyOptions,
  );
  return { app: buildApp({ ...config, strategy }), strategy };
}
