import { until } from '../shared/until.js';
import { LEDGER_CLIENTS, LEDGER_PAUSE_MS } from './checks.js';
import type { FaultContext } from './fault-scenario.js';
import { Ledger } from './ledger.js';
import type { Subject } from './subject.js';
import { startTrackedLoad, type TrackedLoad, type TrackedLoadOptions } from './tracked-load.js';

export interface LoadWithLedger {
  /** Every account's balance before the first transfer: what the ledger is checked against. */
  readonly before: Map<number, number>;
  readonly ledger: Ledger;
  readonly load: TrackedLoad;
}

/** The ledger's writers; a kill that must land mid-write wants more of them, without pauses. */
export interface LedgerWriters {
  readonly clients: number;
  readonly pauseMs: number;
}

/** Six writers and no pause: enough transfers in flight at any moment for a kill to land mid-write. */
export const MID_WRITE: LedgerWriters = { clients: 6, pauseMs: 0 };

/**
 * The write ledger, then autocannon, on the subject: what most scenarios
 * inject their fault into. Both are stopped by the runner should the
 * scenario end early; a scenario that ends normally stops them itself.
 */
export async function startLoadWithLedger(
  context: FaultContext,
  subject: Subject,
  options: TrackedLoadOptions,
  writers: LedgerWriters = { clients: LEDGER_CLIENTS, pauseMs: LEDGER_PAUSE_MS },
): Promise<LoadWithLedger> {
  const before = await subject.database.balances();
  const ledger = new Ledger();
  context.defer(() => ledger.stop());
  ledger.start(subject.url, writers.clients, writers.pauseMs);
  const load = startTrackedLoad(subject.url, options);
  context.defer(() => load.stop());
  return { before, ledger, load };
}

/**
 * Waits until writes have been acknowledged and some are in flight: late
 * enough for a kill to have something to lose, at a moment it can lose it.
 * `who` names the server in the error ("The app", "The fleet").
 */
export async function untilWritesInFlight(ledger: Ledger, who: string): Promise<void> {
  const busy = await until(
    async () => ledger.counts().acknowledged >= 20 && ledger.inFlight > 0,
    10_000,
  );
  if (!busy) {
    throw new Error(
      `${who} acknowledged only ${ledger.counts().acknowledged} transfers in 10 s: nothing to kill mid-write.`,
    );
  }
}
