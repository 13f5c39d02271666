import type { RatioInterval } from '../shared/paired-ratio.js';
import type { MicroResults } from './micro-results.js';

/** A bound on a paired ratio that the micro layer reports on each driver. */
export interface MicroTarget {
  readonly operation: string;
  readonly subject: string;
  readonly reference: string;
  /** The ratio subject/reference should not exceed. */
  readonly max: number;
  readonly label: string;
  /**
   * What the subject does beyond the reference that only the server can
   * make cheaper: said where the target is missed, beside what it costs in
   * round trips of the driver's own query.
   */
  readonly serverWork?: string;
}

export const MICRO_TARGETS: readonly MicroTarget[] = [
  {
    operation: 'query',
    subject: 'baseline',
    reference: 'kysely-plain',
    max: 1.05,
    label: "baseline's machinery per query",
  },
  {
    operation: 'query',
    subject: 'pooled-registry',
    reference: 'baseline',
    max: 1.05,
    label: 'pooled-registry (one database) per query',
  },
  {
    operation: 'request',
    subject: 'pooled-registry',
    reference: 'baseline',
    max: 1.05,
    label: 'pooled-registry (one database) per request',
  },
  {
    operation: 'request',
    subject: 'scoped-session',
    reference: 'baseline',
    max: 1.25,
    label: "scoped-session's scope per request",
    serverWork:
      'its unit of work is a transaction: BEGIN before the first query and ROLLBACK (or COMMIT) at the end, two statements more per request, each a round trip to the server',
  },
];

/**
 * met: the whole interval is at or under the bound; missed: the whole
 * interval is over it; unresolved: the interval straddles it, and the run
 * cannot tell.
 */
export type Verdict = 'met' | 'missed' | 'unresolved' | 'not measured';

export function verdict(ratio: RatioInterval | null | undefined, max: number): Verdict {
  if (!ratio) return 'not measured';
  if (ratio.high <= max) return 'met';
  if (ratio.low > max) return 'missed';
  return 'unresolved';
}

export interface TargetOutcome {
  readonly driver: string;
  readonly target: MicroTarget;
  readonly ratio: RatioInterval | null;
  /** What the subject costs beyond the reference, in µs per op (median per-block difference). */
  readonly extraUs: number | undefined;
  /** The driver's own query on this driver, µs per op: one round trip, for scale. */
  readonly driverQueryUs: number | undefined;
  readonly verdict: Verdict;
  /** The same comparison on CPU time per op: garbage collection included. */
  readonly cpuRatio: RatioInterval | null;
  readonly cpuVerdict: Verdict;
}

export function targetOutcomes(results: MicroResults): TargetOutcome[] {
  return results.drivers.flatMap(({ driver, operations }) =>
    MICRO_TARGETS.map((target) => {
      const comparison = operations
        .find((op) => op.name === target.operation)
        ?.comparisons.find((c) => c.subject === target.subject && c.reference === target.reference);
      const ratio = comparison?.ratio ?? null;
      const cpuRatio = comparison?.cpuRatio ?? null;
      return {
        driver,
        target,
        ratio,
        extraUs: comparison?.extraUs?.median,
        driverQueryUs: operations
          .find((op) => op.name === 'query')
          ?.rows.find((row) => row.name === 'driver')?.median,
        verdict: verdict(ratio, target.max),
        cpuRatio,
        cpuVerdict: verdict(cpuRatio, target.max),
      };
    }),
  );
}
