import type { CommonStrategyOptions, StrategyProfile } from '@lifetimes/core';
import { inOwnTerms } from '@lifetimes/core/authoring';
import { PerRequestStrategy } from './strategy.js';

/** per-request, declared once for the contract suite, the apps, the benchmark, the pictures and the docs. */
export const perRequestProfile = {
  name: 'per-request',
  lifetime: "per-request: opened on the request's first query, closed at teardown",
  color: '#fb8c00',
  connectionPer: 'scope',
  requiresScope: true,
  pools: false,
  create: <DB>(url: string, options: CommonStrategyOptions = {}) =>
    new PerRequestStrategy<DB>(url, inOwnTerms(options, { maxConnections: 'maxOpen' })),
} as const satisfies StrategyProfile;
