import type { LifetimeStats } from '@lifetimes/core';

/** Adds up several strategies' counters, field by field. */
export function sumStats([first, ...rest]: readonly LifetimeStats[]): LifetimeStats {
  if (!first) throw new Error('sumStats needs at least one strategy.');
  const total: { -readonly [K in keyof LifetimeStats]: number } = { ...first };
  const keys = Object.keys(total) as (keyof LifetimeStats)[];
  for (const stats of rest) for (const key of keys) total[key] += stats[key];
  return total;
}
