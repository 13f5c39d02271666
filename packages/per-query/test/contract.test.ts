import { runContractSuite } from '@lifetimes/core/contract';
import { PerQueryStrategy } from '../src/index.js';

runContractSuite({
  name: 'per-query',
  create: (url, options) =>
    new PerQueryStrategy(url, {
      applicationName: options.applicationName,
      maxOpen: options.maxConnections,
      acquireTimeoutMs: options.acquireTimeoutMs,
      closeTimeoutMs: options.closeTimeoutMs,
      ...(options.leakDetectionThresholdMs
        ? { leakDetectionThresholdMs: options.leakDetectionThresholdMs }
        : {}),
    }),
  connectionPer: 'query',
  requiresScope: false,
  pools: false,
});
