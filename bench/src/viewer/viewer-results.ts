import { pairedRatio, pairSide, type RatioInterval } from '../shared/paired-ratio.js';
import type { Driver, StrategyName } from '../shared/rows.js';

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
  /** Whether the apps ran on core 0 and the bench, its load and its viewer on core 1. */
  readonly pinned: boolean;
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
  const watched = (round: ViewerRound) => round.viewer;
  const alone = (round: ViewerRound) => !round.viewer;
  const rate = (round: ViewerRound) => round.requestsPerSec;
  const cpu = (round: ViewerRound) => round.appCpuUsPerRequest;
  const viewed = rounds.filter(watched);
  const requests = viewed.reduce((sum, round) => sum + round.ok, 0);
  const events = viewed.reduce((sum, round) => sum + round.events, 0);
  return {
    strategy,
    driver,
    rounds,
    rateRatio: pairedRatio(pairSide(rounds, watched, rate), pairSide(rounds, alone, rate)),
    cpuRatio: pairedRatio(pairSide(rounds, watched, cpu), pairSide(rounds, alone, cpu)),
    eventsPerRequest: requests > 0 ? events / requests : 0,
  };
}
