import { setTimeout as sleep } from 'node:timers/promises';
import type { FaultContext, FaultScenario } from './fault-scenario.js';
import type { Ledger } from './ledger.js';
import { startLoadWithLedger } from './load-with-ledger.js';
import type { OutageTimes } from './outage-checks.js';
import type { Subject } from './subject.js';
import type { LoadTrace } from './tracked-load.js';

/** autocannon's connections while something between the app and its data goes down. */
export const OUTAGE_LOAD_CONNECTIONS = 4;
/** The end of the run that must be clean: the app has recovered by then. */
export const OUTAGE_CLEAN_TAIL_MS = 1000;

/**
 * How an outage is reported, whatever went down (`what`: the server, the
 * pooler): the same figure, columns and headline, so the two scenarios'
 * rows read side by side.
 */
export function outageReport(
  what: string,
): Pick<FaultScenario, 'figure' | 'byDesign' | 'columns' | 'headline'> {
  return {
    figure: `How long the ${what} was down; the gap: from the first failed request to the first one served after the last failure; the requests failed; the slowest answer.`,
    byDesign: {},
    columns: ['downMs', 'failed', 'gapSec', 'slowestMs', 'leaked'],
    headline: (f) => `${f.gapSec} s gap · ${f.failed} failed`,
  };
}

export interface OutageRun {
  /** Every account's balance before the first transfer. */
  readonly before: Map<number, number>;
  readonly ledger: Ledger;
  readonly trace: LoadTrace;
  readonly times: OutageTimes;
}

/**
 * The load and the write ledger on `subject` through an outage: a second of
 * load, then `restart` (which stops something, waits `downMs`, and starts
 * it again), then load until the app has had time to recover. Both loads
 * are stopped before it returns.
 */
export async function loadThroughOutage(
  context: FaultContext,
  subject: Subject,
  restart: (downMs: number) => Promise<void>,
): Promise<OutageRun> {
  const downMs = context.quick ? 1000 : 3000;
  const { before, ledger, load } = await startLoadWithLedger(context, subject, {
    paths: ['/db', '/queries?queries=3'],
    connections: OUTAGE_LOAD_CONNECTIONS,
  });
  await sleep(1000);
  const downAt = performance.now();
  await restart(downMs);
  const upAt = performance.now();
  await sleep(context.quick ? 2500 : 4000);
  const endAt = performance.now();
  const trace = await load.stop();
  await ledger.stop();
  return {
    before,
    ledger,
    trace,
    times: { downAt, upAt, endAt, cleanTailMs: OUTAGE_CLEAN_TAIL_MS },
  };
}
