import { checkLedger } from './check-ledger.js';
import { drainState } from './drain-state.js';
import type { Ledger } from './ledger.js';
import type { PgBackends } from './pg-backends.js';
import type { ResultBuilder } from './result-builder.js';
import type { Subject } from './subject.js';

/** How many clients the ledger runs beside a scenario's own load, and their pause between transfers. */
export const LEDGER_CLIENTS = 2;
export const LEDGER_PAUSE_MS = 5;

/** The process still runs and answers /health. */
export async function expectAlive(result: ResultBuilder, subject: Subject): Promise<void> {
  const alive = await subject.alive();
  result.expect(
    'the process survived',
    alive,
    alive
      ? 'running and answering /health'
      : `not answering: ${subject.app.running ? 'its /health fails' : 'the process exited'}`,
  );
}

/** Once idle, no connection is held, kept beyond the pool, or left on the server unknown to the app. */
export async function expectDrained(
  result: ResultBuilder,
  subject: Subject,
  backends: PgBackends | undefined,
): Promise<void> {
  const drain = await drainState(subject, backends);
  result.figures.leaked = drain.leaked;
  result.figures.openAfterDrain = drain.open;
  if (drain.serverBackends !== undefined) result.figures.serverBackends = drain.serverBackends;
  const problems = [
    drain.held > 0 ? `${drain.held} still held by no request` : '',
    drain.scopesOpen > 0 ? `${drain.scopesOpen} scopes still open` : '',
    drain.open > drain.idleAllowed
      ? `${drain.open} open where the strategy keeps at most ${drain.idleAllowed}`
      : '',
    drain.disagreement ?? '',
  ].filter(Boolean);
  result.expect(
    'no leaked connection after the drain',
    problems.length === 0,
    problems.length === 0
      ? `nothing held, ${drain.open} open (at most ${drain.idleAllowed} kept idle)` +
          (drain.serverBackends === undefined
            ? ''
            : `, ${drain.serverBackends} backends on the server`)
      : problems.join('; '),
  );
}

/** Every acknowledged transfer is in the database, no refused one is, and the total is unchanged. */
export function expectLedger(
  result: ResultBuilder,
  before: ReadonlyMap<number, number>,
  ledger: Ledger,
  after: ReadonlyMap<number, number>,
  name = 'the write ledger holds',
): void {
  const check = checkLedger(before, ledger.records, after);
  result.figures.acknowledged = check.acknowledged;
  result.figures.refused = check.refused;
  result.figures.unknown = check.unknown;
  result.figures.accountsOff = check.accountsOff.length;
  result.expect(name, check.passed, check.summary);
}
