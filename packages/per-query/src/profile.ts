import type { CommonStrategyOptions, StrategyProfile } from '@lifetimes/core';
import { inOwnTerms } from '@lifetimes/core/authoring';
import { PerQueryStrategy } from './strategy.js';

/** per-query, declared once for the contract suite, the apps, the benchmark, the pictures and the docs. */
export const perQueryProfile = {
  name: 'per-query',
  lifetime: 'per-query: a new connection for every query',
  color: '#e53935',
  connectionPer: 'query',
  requiresScope: false,
  pools: false,
  create: <DB>(url: string, options: CommonStrategyOptions = {}) =>
    new PerQueryStrategy<DB>(url, inOwnTerms(options, { maxConnections: 'maxOpen' })),
} as const satisfies StrategyProfile;
