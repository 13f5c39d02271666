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

/**
 * The write ledger, then autocannon, on the subject: what most scenarios
 * inject their fault into. Both are stopped by the runner should the
 * scenario end early; a scenario that ends normally stops them itself.
 */
export async function startLoadWithLedger(
  context: FaultContext,
  subject: Subject,
  options: TrackedLoadOptions,
): Promise<LoadWithLedger> {
  const before = await subject.database.balances();
  const ledger = new Ledger();
  context.defer(() => ledger.stop());
  ledger.start(subject.url, LEDGER_CLIENTS, LEDGER_PAUSE_MS);
  const load = startTrackedLoad(subject.url, options);
  context.defer(() => load.stop());
  return { before, ledger, load };
}
