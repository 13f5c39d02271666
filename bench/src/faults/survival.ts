import type { FaultOutcome } from './fault-results.js';

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
