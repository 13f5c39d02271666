import type { StrategyName } from '../shared/rows.js';
import { WORKLOADS, type WorkloadName } from '../shared/workloads.js';
import type { BenchOptions } from './options.js';

/** The rows that run `workload`: the driver floor serves only /db and /queries. */
export function rowsFor(
  workload: WorkloadName,
  strategies: readonly StrategyName[],
): StrategyName[] {
  return strategies.filter((s) => s !== 'driver-floor' || WORKLOADS[workload].floor);
}

/**
 * The order of the rows in pass `pass` (from 1): forward, then reversed, and
 * so on, so that no row is always measured first or last; a row's round is
 * paired with the reference's round of the same pass.
 */
export function passOrder<T>(rows: readonly T[], pass: number): T[] {
  return pass % 2 === 1 ? [...rows] : [...rows].reverse();
}

/**
 * What a run costs beyond its measured rounds, seconds, on 2 shared cores:
 * settling, counters and checks around a round; starting the apps of a
 * driver (concurrently); the /whoami checks and SIGTERM of its apps (also
 * concurrently). A quick run starts the server and every driver's apps
 * while the first driver is measured, so it pays for the starts once.
 */
export const COSTS = {
  perRound: 0.3,
  appsStart: 12,
  appsFinish: 3,
  postgresStart: 6,
} as const;

type PlanOptions = Pick<
  BenchOptions,
  'quick' | 'roundSec' | 'passes' | 'warmupMaxSec' | 'strategies' | 'drivers' | 'workloads'
>;

/**
 * How long a run of `options` takes, seconds: every measured round and one
 * unmeasured calibration round per row and workload, each warm-up at its
 * bound, and the costs above. Printed at the start; a test holds the
 * default's within the budget.
 */
export function estimateSeconds(options: PlanOptions): number {
  const rowRounds = options.workloads.reduce(
    (sum, workload) => sum + rowsFor(workload, options.strategies).length,
    0,
  );
  const rounds = rowRounds * (options.passes + 1);
  const perDriver =
    COSTS.appsFinish +
    options.strategies.length * options.warmupMaxSec +
    rounds * (options.roundSec + COSTS.perRound);
  const starts =
    COSTS.appsStart * (options.quick ? 1 : options.drivers.length) +
    (options.drivers.includes('postgres') && !options.quick ? COSTS.postgresStart : 0);
  return options.drivers.length * perDriver + starts;
}

/** Rounds of a run, calibration included: the progress line's steps. */
export function roundCount(options: PlanOptions): number {
  return (
    options.drivers.length *
    options.workloads.reduce(
      (sum, workload) => sum + rowsFor(workload, options.strategies).length * (options.passes + 1),
      0,
    )
  );
}
