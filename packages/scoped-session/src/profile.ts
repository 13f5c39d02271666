import type { CommonStrategyOptions, StrategyProfile } from '@lifetimes/core';
import { inOwnTerms } from '@lifetimes/core/authoring';
import { ScopedSessionStrategy } from './strategy.js';

/** scoped-session, declared once for the contract suite, the apps, the benchmark, the pictures and the docs. */
export const scopedSessionProfile = {
  name: 'scoped-session',
  lifetime: 'scoped-session: a pooled connection per unit of work, removed at scope end',
  color: '#43a047',
  connectionPer: 'scope',
  requiresScope: true,
  pools: true,
  unitOfWork: true,
  create: <DB>(url: string, options: CommonStrategyOptions = {}) =>
    new ScopedSessionStrategy<DB>(url, inOwnTerms(options, { maxConnections: 'poolSize' })),
} as const satisfies StrategyProfile;
