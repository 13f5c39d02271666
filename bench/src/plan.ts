import type { BenchOptions, Driver, StrategyName } from './bench-options.js';

export interface AppStart {
  readonly trial: number;
  readonly driver: Driver;
  readonly strategy: StrategyName;
}

/**
 * The order apps run in. Each trial reverses the previous trial's order of
 * drivers and strategies, so that no strategy is always measured first on a
 * cold machine or last on a hot one.
 */
export function plan(options: Pick<BenchOptions, 'trials' | 'drivers' | 'strategies'>): AppStart[] {
  const starts: AppStart[] = [];
  for (let trial = 1; trial <= options.trials; trial++) {
    const forward = trial % 2 === 1;
    const drivers = forward ? options.drivers : [...options.drivers].reverse();
    for (const driver of drivers) {
      const strategies = forward ? options.strategies : [...options.strategies].reverse();
      for (const strategy of strategies) starts.push({ trial, driver, strategy });
    }
  }
  return starts;
}
