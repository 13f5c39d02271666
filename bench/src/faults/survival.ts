import type { Driver } from '../shared/rows.js';
import { FAULT_STRATEGIES } from './options.js';
import type { FaultOutcome, FaultResults } from './results.js';
import { SCENARIOS } from './scenarios.js';

const sum = (outcomes: readonly FaultOutcome[], key: string) =>
  outcomes.reduce((total, o) => {
    const value = o.figures[key];
    return total + (typeof value === 'number' ? value : 0);
  }, 0);

/** Accounts the write ledger could not explain, over the scenarios of one strategy on one driver. */
export function writesLost(outcomes: readonly FaultOutcome[]): number {
  return sum(outcomes, 'accountsOff');
}

/** Connections leaked after each scenario's drain, plus those left open at the graceful shutdown. */
export function connectionsLeaked(outcomes: readonly FaultOutcome[]): number {
  return sum(outcomes, 'leaked') + sum(outcomes, 'connectionsLeft');
}

/** How a summary marks a scenario that did not run on a strategy, and one whose outcome failed. */
export interface SurvivalMarks {
  readonly missing: string;
  readonly failed: string;
}

/**
 * One row per strategy that ran on `driver`: its name, each scenario's
 * headline (marked when it failed), the connections it leaked and the writes
 * it lost over all of them. The markdown report and the terminal table both
 * print these rows, each in its own format.
 */
export function survivalRows(
  results: FaultResults,
  driver: Driver,
  scenarios: readonly FaultResults['scenarios'][number][],
  marks: SurvivalMarks,
): string[][] {
  return FAULT_STRATEGIES.filter((strategy) =>
    results.outcomes.some((o) => o.strategy === strategy && o.driver === driver),
  ).map((strategy) => {
    const mine = results.outcomes.filter((o) => o.strategy === strategy && o.driver === driver);
    return [
      strategy,
      ...scenarios.map((s) => {
        const outcome = mine.find((o) => o.scenario === s.name);
        if (!outcome) return marks.missing;
        const headline = SCENARIOS[s.name].headline(outcome.figures);
        return outcome.passed ? headline : `${marks.failed}${headline}`;
      }),
      String(connectionsLeaked(mine)),
      String(writesLost(mine)),
    ];
  });
}
