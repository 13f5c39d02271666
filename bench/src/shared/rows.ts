import { PROFILE_NAMES } from '@lifetimes/strategies';

/**
 * The rows of the matrix: two references that are not lifetimes (the driver
 * alone, and Kysely on one plain connection or pool), then every profile.
 */
export const STRATEGIES = ['driver-floor', 'kysely-plain', ...PROFILE_NAMES] as const;
export type StrategyName = (typeof STRATEGIES)[number];
export const DRIVERS = ['sqlite', 'postgres'] as const;
export type Driver = (typeof DRIVERS)[number];
