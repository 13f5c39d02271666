import type { RunStamp } from '../shared/machine-info.js';
import type { RatioInterval } from '../shared/paired-ratio.js';
import type { MicroDriver } from './micro-options.js';

export interface MicroRowResult {
  readonly name: string;
  /** The block's median op in µs, one figure per block. */
  readonly usPerOp: readonly number[];
  /** This process's CPU µs per op, one per block: garbage collection included, waiting excluded. */
  readonly cpuUsPerOp: readonly number[];
  readonly iterations: readonly number[];
  /** Median over the blocks of usPerOp, with its 95% bootstrap interval. */
  readonly median: number;
  readonly low: number;
  readonly high: number;
  /** Median over the blocks of cpuUsPerOp. */
  readonly cpu: number;
  /** Promises the op makes, counted apart from the timed blocks (countPromises). */
  readonly promisesPerOp: number;
}

export interface MicroComparisonResult {
  readonly subject: string;
  readonly reference: string;
  /** On usPerOp; null when no block had both sides. */
  readonly ratio: RatioInterval | null;
  /** On cpuUsPerOp. */
  readonly cpuRatio: RatioInterval | null;
  /** subject − reference in µs per op, the median of the per-block differences with its interval. */
  readonly extraUs: { readonly median: number; readonly low: number; readonly high: number } | null;
}

export interface MicroOperationResult {
  readonly name: string;
  readonly description: string;
  readonly rows: readonly MicroRowResult[];
  readonly comparisons: readonly MicroComparisonResult[];
}

export interface MicroDriverResult {
  readonly driver: MicroDriver;
  /** Where PostgreSQL came from; undefined for SQLite. */
  readonly server: 'PG_URL' | 'embedded' | undefined;
  readonly operations: readonly MicroOperationResult[];
}

export interface MicroResults extends RunStamp {
  readonly kind: 'micro';
  /** 1, 5 and 15 minute load averages when the run started and ended: the machine is shared. */
  readonly load: { readonly start: readonly number[]; readonly end: readonly number[] };
  readonly plan: {
    readonly quick: boolean;
    readonly blocks: number;
    readonly blockMs: number;
    readonly minIterations: number;
  };
  readonly drivers: readonly MicroDriverResult[];
}
