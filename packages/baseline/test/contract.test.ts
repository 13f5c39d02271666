import { runContractSuite } from '@lifetimes/core/contract';
import { BaselineStrategy } from '../src/index.js';

runContractSuite({
  name: 'baseline',
  create: (url, options) =>
    new BaselineStrategy(url, {
      applicationName: options.applicationName,
      poolSize: options.maxConnections,
      acquireTimeoutMs: options.acquireTimeoutMs,
      closeTimeoutMs: options.closeTimeoutMs,
      ...(options.leakDetectionThresholdMs
        ? { leakDetectionThresholdMs: options.leakDetectionThresholdMs }
        : {}),
    }),
  connectionPer: 'shared',
  requiresScope: false,
  pools: true,
});
