import type { Check } from '../shared/check.js';
import type { LoadResult } from '../shared/load.js';
import type { RunStamp } from '../shared/machine-info.js';
import type { RatioInterval } from '../shared/paired-ratio.js';
import type { Driver, StrategyName } from '../shared/rows.js';
import type { WorkloadName } from '../shared/workloads.js';

export type { RatioInterval } from '../shared/paired-ratio.js';

/** One measured round: a workload on one app, in one pass over the rows. */
export interface Round {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  readonly workload: WorkloadName;
  /** The pass over the rows, from 1: rounds of one pass are the pairs the ratios are made of. */
  readonly pass: number;
  /** Place in its pass, from 0: passes alternate forward and reverse order. */
  readonly position: number;
  readonly load: LoadResult;
  /** Connections the app opened during the round, per request started; undefined when none started. */
  readonly connectionsPerRequest: number | undefined;
  /** CPU (user + system) of the app process per 2xx answer, µs; undefined when none finished. */
  readonly appCpuUsPerRequest: number | undefined;
  /** CPU of every PostgreSQL process per 2xx answer, µs; undefined for SQLite or a remote server. */
  readonly serverCpuUsPerRequest: number | undefined;
  /** Most sessions on the round's databases during the round (PostgreSQL). */
  readonly peakServerConnections: number | undefined;
  readonly peakRssMb: number | undefined;
  readonly checks: {
    readonly bodies: Check;
    readonly no5xx: Check;
    readonly totalKept: Check;
    readonly statementCount: Check;
  };
  readonly notes: readonly string[];
}

/** What one app process proved over its whole life. */
export interface AppRun {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  /** Seconds of load before its throughput settled (or the bound, when it did not). */
  readonly warmupSec: number;
  /** True when two consecutive warm-up windows agreed within 5%. */
  readonly warmupSettled: boolean;
  readonly checks: {
    /** /whoami under load: both queries of a request on one connection, where the strategy promises it. */
    readonly sameConnection: Check;
    /** Idle after the load: nothing held (stats.active 0). */
    readonly idle: Check;
    /** SIGTERM: exit 0, every connection closed, no backend left on the server. */
    readonly drained: Check;
  };
  readonly notes: readonly string[];
}

export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

/** The rounds of one row on one workload and driver, summarized. */
export interface Cell {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  readonly workload: WorkloadName;
  readonly rounds: number;
  /**
   * False when not one request finished in any round: such a cell has no
   * figures and no ratios (undefined below), and its answer checks are n/a.
   */
  readonly finished: boolean;
  readonly requestsPerSec: Spread | undefined;
  readonly p50Ms: Spread | undefined;
  readonly p99Ms: Spread | undefined;
  readonly serverP50Us: Spread | undefined;
  readonly serverP99Us: Spread | undefined;
  readonly connectionsPerRequest: Spread | undefined;
  readonly appCpuUsPerRequest: Spread | undefined;
  readonly serverCpuUsPerRequest: Spread | undefined;
  readonly peakServerConnections: Spread | undefined;
  readonly peakRssMb: Spread | undefined;
  readonly errors: number;
  readonly non2xx: number;
  readonly timeouts: number;
  /** Throughput over the baseline's, pass by pass: the median and its 95% bootstrap interval. */
  readonly ratioToBaseline: RatioInterval | undefined;
  readonly ratioToKyselyPlain: RatioInterval | undefined;
  readonly checks: Round['checks'] & AppRun['checks'];
  readonly passed: boolean;
}

export interface BenchResults extends RunStamp {
  readonly method: {
    readonly quick: boolean;
    /** Target length of a measured round; each round's real length is in its load. */
    readonly roundSec: number;
    readonly passes: number;
    readonly warmupMaxSec: number;
    readonly connections: number;
    readonly pinned: boolean;
    readonly postgres: string;
    /** The plan's estimate of the run's length, and what it took. */
    readonly estimatedSec: number;
    readonly tookSec: number;
  };
  readonly cells: readonly Cell[];
  readonly rounds: readonly Round[];
  readonly appRuns: readonly AppRun[];
  readonly passed: boolean;
}
