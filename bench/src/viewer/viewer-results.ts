import type { Driver, StrategyName } from '../bench-options.js';
import { pairedRatio, type RatioInterval } from '../shared/paired-ratio.js';

/** One measured round of `/db`, with or without a viewer attached. */
export interface ViewerRound {
  readonly pair: number;
  readonly viewer: boolean;
  /** 2xx answers in the round. */
  readonly ok: number;
  readonly requestsPerSec: number;
  /** The app's CPU (user + system) over the round, per 2xx answer. */
  readonly appCpuUsPerRequest: number | undefined;
  /** Events the viewer received during the round; 0 without one. */
  readonly events: number;
}

/** One app on one driver: its rounds, and the viewer's cost as paired ratios. */
export interface ViewerCell {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  readonly rounds: readonly ViewerRound[];
  /** Throughput with a viewer over throughput without, per pair. */
  readonly rateRatio: RatioInterval | undefined;
  /** CPU per request with a viewer over CPU per request without, per pair. */
  readonly cpuRatio: RatioInterval | undefined;
  /** Events per request a viewer received: how much it had to watch. */
  readonly eventsPerRequest: number;
}

export interface ViewerResults {
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly quick: boolean;
  readonly node: string;
  readonly cpus: number;
  readonly roundSec: number;
  readonly pairs: number;
  readonly connections: number;
  readonly postgres: 'PG_URL' | 'embedded' | 'not used';
  readonly cells: readonly ViewerCell[];
}

/** Pairs each viewer round with the round without one of the same pair. */
export function summarizeViewer(
  strategy: StrategyName,
  driver: Driver,
  rounds: readonly ViewerRound[],
): ViewerCell {
  const pairs = [...new Set(rounds.map((r) => r.pair))];
  const side = (viewer: boolean) =>
    pairs.map((pair) => rounds.find((r) => r.pair === pair && r.viewer === viewer));
  const watched = side(true);
  const alone = side(false);
  const values = (list: typeof watched, pick: (r: ViewerRound) => number | undefined) =>
    list.map((r) => (r ? (pick(r) ?? Number.NaN) : Number.NaN));
  const requests = watched.reduce((sum, r) => sum + (r?.ok ?? 0), 0);
  const events = watched.reduce((sum, r) => sum + (r?.events ?? 0), 0);
  return {
    strategy,
    driver,
    rounds,
    rateRatio: pairedRatio(
      values(watched, (r) => r.requestsPerSec),
      values(alone, (r) => r.requestsPerSec),
    ),
    cpuRatio: pairedRatio(
      values(watched, (r) => r.appCpuUsPerRequest),
      values(alone, (r) => r.appCpuUsPerRequest),
    ),
    eventsPerRequest: requests > 0 ? events / requests : 0,
  };
}
