import { runContractSuite } from '@lifetimes/core/contract';
import { ScopedSessionStrategy } from '../src/index.js';

runContractSuite({
  name: 'scoped-session',
  create: (url, options) =>
    new ScopedSessionStrategy(url, {
      applicationName: options.applicationName,
      poolSize: options.maxConnections,
      acquireTimeoutMs: options.acquireTimeoutMs,
      closeTimeoutMs: options.closeTimeoutMs,
      ...(options.leakDetectionThresholdMs
        ? { leakDetectionThresholdMs: options.leakDetectionThresholdMs }
        : {}),
    }),
  connectionPer: 'scope',
  requiresScope: true,
  pools: true,
  unitOfWork: true,
});
