import { median, pairedRatio, pairSide, type RatioInterval } from '../shared/paired-ratio.js';
import type { Driver, StrategyName } from '../shared/rows.js';

/** One measured round of `/db` on one row's app under one runtime. */
export interface RuntimeHttpRound {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  /** The pair, from 1: one round under each runtime, back to back. */
  readonly pair: number;
  readonly version: string;
  /** 2xx answers in the round. */
  readonly ok: number;
  /** Answers that were not 2xx, and requests that got no answer. */
  readonly failed: number;
  readonly requestsPerSec: number;
  /** The app's CPU (user + system) over the round, per 2xx answer. */
  readonly appCpuUsPerRequest: number | undefined;
}

/** One row on one driver under every runtime. */
export interface RuntimeHttpCell {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  /** Per runtime, in the comparison's order: the median over its rounds. */
  readonly requestsPerSec: readonly number[];
  readonly appCpuUsPerRequest: readonly (number | null)[];
  /** Per runtime after the first: its throughput over the first's, one ratio per pair. */
  readonly rateRatios: readonly (RatioInterval | null)[];
  /** Per runtime after the first: its CPU per request over the first's, per pair. */
  readonly cpuRatios: readonly (RatioInterval | null)[];
  /** Every round under every runtime answered every request with a 2xx. */
  readonly passed: boolean;
}

/** The HTTP half of a runtime comparison: the chosen rows' apps, each under every runtime. */
export interface RuntimeHttpComparison {
  readonly versions: readonly string[];
  readonly roundSec: number;
  readonly pairs: number;
  readonly connections: number;
  readonly cells: readonly RuntimeHttpCell[];
  readonly rounds: readonly RuntimeHttpRound[];
}

/**
 * One row's rounds, paired: each runtime after the first against the first,
 * round for round within a pair, so the machine's drift between pairs
 * cancels in the ratio.
 */
export function summarizeRuntimeHttp(
  strategy: StrategyName,
  driver: Driver,
  versions: readonly string[],
  rounds: readonly RuntimeHttpRound[],
): RuntimeHttpCell {
  const side = (version: string, pick: (round: RuntimeHttpRound) => number | undefined) =>
    pairSide(rounds, (round) => round.version === version, pick);
  const middle = (values: readonly number[]) => {
    const present = values.filter(Number.isFinite);
    return present.length === 0 ? undefined : median(present);
  };
  const rate = (round: RuntimeHttpRound) => round.requestsPerSec;
  const cpu = (round: RuntimeHttpRound) => round.appCpuUsPerRequest;
  const [reference = '', ...others] = versions;
  return {
    strategy,
    driver,
    requestsPerSec: versions.map((version) => middle(side(version, rate)) ?? 0),
    appCpuUsPerRequest: versions.map((version) => middle(side(version, cpu)) ?? null),
    rateRatios: others.map(
      (version) => pairedRatio(side(version, rate), side(reference, rate)) ?? null,
    ),
    cpuRatios: others.map(
      (version) => pairedRatio(side(version, cpu), side(reference, cpu)) ?? null,
    ),
    passed: rounds.length > 0 && rounds.every((round) => round.ok > 0 && round.failed === 0),
  };
}
