import type { Driver, StrategyName } from './bench-options.js';
import type { LoadResult } from './load.js';
import type { WorkloadName } from './workloads.js';

/** pass/fail of one correctness check; `n/a` where it does not apply, with the reason in `notes`. */
export type Check = 'pass' | 'fail' | 'n/a';

/** One measured round: a workload on one app process, in one trial. */
export interface Round {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  readonly workload: WorkloadName;
  readonly trial: number;
  readonly load: LoadResult;
  /** Connections the app opened during the round, per response. */
  readonly connectionsPerRequest: number;
  /** Most connections the server saw from the app during the round (PostgreSQL). */
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
  readonly trial: number;
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

/** The trials of one cell, summarized. */
export interface Cell {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  readonly workload: WorkloadName;
  readonly trials: number;
  readonly requestsPerSec: Spread;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  readonly serverP50Us: Spread | undefined;
  readonly serverP99Us: Spread | undefined;
  readonly connectionsPerRequest: Spread;
  readonly peakServerConnections: Spread | undefined;
  readonly peakRssMb: Spread | undefined;
  readonly errors: number;
  readonly non2xx: number;
  readonly timeouts: number;
  /** Median throughput over the baseline's median in the same run; undefined without a baseline row. */
  readonly ratioToBaseline: number | undefined;
  readonly ratioToKyselyPlain: number | undefined;
  readonly checks: Round['checks'] & AppRun['checks'];
  readonly passed: boolean;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly machine: {
    readonly cpus: number;
    readonly cpuModel: string;
    readonly memoryGiB: number;
    readonly node: string;
    readonly platform: string;
  };
  readonly method: {
    readonly quick: boolean;
    readonly durationSec: number;
    readonly warmupSec: number;
    readonly connections: number;
    readonly trials: number;
    readonly pinned: boolean;
    readonly postgres: string;
  };
  readonly cells: readonly Cell[];
  readonly rounds: readonly Round[];
  readonly appRuns: readonly AppRun[];
  readonly passed: boolean;
}
