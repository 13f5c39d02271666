import type { CommonStrategyOptions, StrategyProfile } from '@lifetimes/core';
import { inOwnTerms } from '@lifetimes/core/authoring';
import { PooledRegistryStrategy } from './strategy.js';

/** pooled-registry, declared once for the contract suite, the apps, the benchmark, the pictures and the docs. */
export const pooledRegistryProfile = {
  name: 'pooled-registry',
  lifetime: "pooled-registry: a lease per request from the database's pool",
  color: '#1e88e5',
  connectionPer: 'scope',
  requiresScope: true,
  pools: true,
  servesManyDatabases: true,
  create: <DB>(url: string, options: CommonStrategyOptions = {}) =>
    new PooledRegistryStrategy<DB>(
      url,
      inOwnTerms(options, { maxConnections: 'poolSize', maxDatabases: 'maxEngines' }),
    ),
} as const satisfies StrategyProfile;
