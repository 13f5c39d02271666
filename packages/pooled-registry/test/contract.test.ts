import { runContractSuite } from '@lifetimes/core/contract';
import { PooledRegistryStrategy } from '../src/index.js';

runContractSuite({
  name: 'pooled-registry',
  create: (url, options) =>
    new PooledRegistryStrategy(url, {
      applicationName: options.applicationName,
      poolSize: options.maxConnections,
      acquireTimeoutMs: options.acquireTimeoutMs,
      closeTimeoutMs: options.closeTimeoutMs,
      ...(options.leakDetectionThresholdMs
        ? { leakDetectionThresholdMs: options.leakDetectionThresholdMs }
        : {}),
      maxEngines: 2,
      connectionBudget: 2 * options.maxConnections,
    }),
  connectionPer: 'scope',
  requiresScope: true,
  pools: true,
});
