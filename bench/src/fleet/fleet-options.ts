import { PROFILE_NAMES, type ProfileName } from '@lifetimes/strategies';
import type { BenchOptions } from '../matrix/options.js';

/** How many app processes a fleet runs, from one to past the server's limit. */
export const FLEET_SIZES = [1, 2, 4, 8] as const;
/** Straight at the server, or through PgBouncer in transaction mode. */
export const FLEET_MODES = ['direct', 'pgbouncer'] as const;
export type FleetMode = (typeof FLEET_MODES)[number];
/**
 * Load before each measured round, seconds: every process opens its pool.
 * Its answers are kept and checked: all the pools opening at once is where
 * a fleet past the server's room meets the limit most surely.
 */
export const FLEET_WARM_SEC = 1;

export interface FleetOptions {
  readonly quick: boolean;
  readonly strategies: readonly ProfileName[];
  readonly sizes: readonly number[];
  /** Length of one measured round, seconds. */
  readonly roundSec: number;
  /** MAX_CONNECTIONS of every process. */
  readonly poolSize: number;
  /** default_pool_size of PgBouncer: the server connections the whole fleet shares. */
  readonly bouncerPoolSize: number;
  /**
   * max_connections of the embedded server: small, so a fleet of a few
   * processes reaches it, as a fleet of dozens reaches a real server's.
   */
  readonly embeddedMaxConnections: number;
  /** Processes of the fleet a deploy doubles. */
  readonly deployWorkers: number;
  readonly resultsDir: string;
  /** Where fleet.md and its chart go; undefined: not written. */
  readonly docsDir: string | undefined;
}

/**
 * `--fleet`: the fleet bench on the strategies the command line picked, on
 * PostgreSQL only (a SQLite file is one machine's, and has no server
 * connections to count). A quick run measures one fleet within the limit
 * and one past it, in short rounds, and writes no report unless --docs.
 */
export function fleetOptionsFromBench(options: BenchOptions): FleetOptions {
  const strategies = options.strategies.filter((name): name is ProfileName =>
    (PROFILE_NAMES as readonly string[]).includes(name),
  );
  return {
    quick: options.quick,
    strategies,
    sizes: options.quick ? [1, 4] : [...FLEET_SIZES],
    roundSec: options.quick ? 0.5 : 2,
    poolSize: 10,
    bouncerPoolSize: 20,
    embeddedMaxConnections: 40,
    deployWorkers: 2,
    resultsDir: options.resultsDir,
    docsDir: options.docsDir,
  };
}

/** The strategies the default run's fleet section shows: a pool held per process, and a connection per request. */
export const SECTION_STRATEGIES: readonly ProfileName[] = ['baseline', 'per-request'];

/**
 * The default run's short fleet section: one process and four (past the
 * embedded server's room of 37 at a pool of 10), for the section's
 * strategies among those picked, in 1 s rounds, direct and through
 * PgBouncer. Its JSON goes beside the matrix's; the course's fleet report
 * stays the full `--fleet` run's.
 */
export function fleetSectionOptions(options: BenchOptions): FleetOptions {
  return {
    ...fleetOptionsFromBench(options),
    strategies: SECTION_STRATEGIES.filter((name) => options.strategies.includes(name)),
    sizes: [1, 4],
    roundSec: 1,
    docsDir: undefined,
  };
}
