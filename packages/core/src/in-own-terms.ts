import type { CommonStrategyOptions } from './strategy-profile.js';

/** The common settings a strategy takes under names of its own, with those names in place. */
export type OwnTerms<Names extends string> = Omit<
  CommonStrategyOptions,
  'maxConnections' | 'maxDatabases'
> & { readonly [name in Names]?: number };

/**
 * The common settings in a strategy's own words, for its profile's
 * `create()`: `maxConnections` under the name of its cap or pool (`maxOpen`,
 * `poolSize`), `maxDatabases` under the registry's (`maxEngines`) or dropped
 * where the strategy serves one database. A setting left out stays out, so
 * the strategy's own default applies.
 */
export function inOwnTerms<Connections extends string, Databases extends string = never>(
  { maxConnections, maxDatabases, ...shared }: CommonStrategyOptions,
  names: { readonly maxConnections: Connections; readonly maxDatabases?: Databases },
): NoInfer<OwnTerms<Connections | Databases>> {
  const own: Record<string, unknown> = { ...shared };
  if (maxConnections !== undefined) own[names.maxConnections] = maxConnections;
  if (maxDatabases !== undefined && names.maxDatabases !== undefined) {
    own[names.maxDatabases] = maxDatabases;
  }
  return own as OwnTerms<Connections | Databases>;
}
