import type { CommonStrategyOptions, StrategyProfile } from '@lifetimes/core';
import { inOwnTerms } from '@lifetimes/core/authoring';
import { BaselineStrategy } from './strategy.js';

/** baseline, declared once for the contract suite, the apps, the benchmark, the pictures and the docs. */
export const baselineProfile = {
  name: 'baseline',
  lifetime: 'baseline: one process-wide connection, borrowed per query',
  color: '#546e7a',
  connectionPer: 'shared',
  requiresScope: false,
  pools: true,
  create: <DB>(url: string, options: CommonStrategyOptions = {}) =>
    new BaselineStrategy<DB>(url, inOwnTerms(options, { maxConnections: 'poolSize' })),
} as const satisfies StrategyProfile;
