import type { CommonStrategyOptions, StrategyProfile } from '@lifetimes/core';
import { BaselineStrategy } from './strategy.js';

/** baseline, declared once for the contract suite, the apps, the benchmark, the pictures and the docs. */
export const baselineProfile = {
  name: 'baseline',
  lifetime: 'baseline: one process-wide connection, borrowed per query',
  color: '#546e7a',
  connectionPer: 'shared',
  requiresScope: false,
  pools: true,
  create: <DB>(
    url: string,
    { maxConnections, maxDatabases: _, ...options }: CommonStrategyOptions = {},
  ) =>
    new BaselineStrategy<DB>(url, {
      ...options,
      ...(maxConnections === undefined ? {} : { poolSize: maxConnections }),
    }),
} as const satisfies StrategyProfile;
