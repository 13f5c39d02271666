import { runContractSuite } from '@lifetimes/core/contract';
import { PerRequestStrategy } from '../src/index.js';

runContractSuite({
  name: 'per-request',
  create: (url, options) =>
    new PerRequestStrategy(url, {
      applicationName: options.applicationName,
      maxOpen: options.maxConnections,
      acquireTimeoutMs: options.acquireTimeoutMs,
      closeTimeoutMs: options.closeTimeoutMs,
      ...(options.leakDetectionThresholdMs
        ? { leakDetectionThresholdMs: options.leakDetectionThresholdMs }
        : {}),
    }),
  connectionPer: 'scope',
  requiresScope: true,
  pools: false,
});
