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

/** One app on one driver, as measured: its rounds. */
export interface ViewerRounds {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  readonly rounds: readonly ViewerRound[];
}

/** What a viewer cost, as paired ratios of with over without. */
export interface ViewerCost {
  /** Throughput with a viewer over throughput without, per pair. */
  readonly rateRatio: RatioInterval | undefined;
  /** CPU per request with a viewer over CPU per request without, per pair. */
  readonly cpuRatio: RatioInterval | undefined;
}

/** One app on one driver: its rounds, and the viewer's cost to it. */
export interface ViewerCell extends ViewerRounds, ViewerCost {
  /** Events per request a viewer received: how much it had to watch. */
  readonly eventsPerRequest: number;
}

/** The cells of a run, and what a viewer cost all apps together. */
export interface ViewerSummary {
  /**
   * The level of each cell's intervals: 95% for the cells together, so
   * each one's is wider (Bonferroni). Ten apps each compared at 95% would
   * resolve one of them by chance in about two runs of five with no cost at all.
   */
  readonly cellLevel: number;
  readonly cells: readonly ViewerCell[];
  /** Every pair of every cell at once, at 95%: a cost too small to resolve in any one app shows here. */
  readonly overall: ViewerCost;
}

export interface ViewerResults extends ViewerSummary {
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
}

/** The level the cells' intervals hold at together. */
const FAMILY_LEVEL = 0.95;

/** Each cell's cost at the level that holds for all of them together, and the cost over all their pairs. */
export function summarizeViewer(measured: readonly ViewerRounds[]): ViewerSummary {
  const cellLevel = 1 - (1 - FAMILY_LEVEL) / Math.max(1, measured.length);
  return {
    cellLevel,
    cells: measured.map((cell) => ({
      ...cell,
      ...viewerCost([cell.rounds], cellLevel),
      eventsPerRequest: eventsPerRequest(cell.rounds),
    })),
    overall: viewerCost(
      measured.map((cell) => cell.rounds),
      FAMILY_LEVEL,
    ),
  };
}

const watched = (round: ViewerRound) => round.viewer;
const alone = (round: ViewerRound) => !round.viewer;
const rate = (round: ViewerRound) => round.requestsPerSec;
const cpu = (round: ViewerRound) => round.appCpuUsPerRequest;

/** Pairs each viewer round with the round without one of the same pair, in each cell, and pools the pairs. */
function viewerCost(cells: readonly (readonly ViewerRound[])[], level: number): ViewerCost {
  const side = (
    onSide: (round: ViewerRound) => boolean,
    pick: (round: ViewerRound) => number | undefined,
  ) => cells.flatMap((rounds) => pairSide(rounds, onSide, pick));
  return {
    rateRatio: pairedRatio(side(watched, rate), side(alone, rate), { level }),
    cpuRatio: pairedRatio(side(watched, cpu), side(alone, cpu), { level }),
  };
}

function eventsPerRequest(rounds: readonly ViewerRound[]): number {
  const viewed = rounds.filter(watched);
  const requests = viewed.reduce((sum, round) => sum + round.ok, 0);
  const events = viewed.reduce((sum, round) => sum + round.events, 0);
  return requests > 0 ? events / requests : 0;
}
