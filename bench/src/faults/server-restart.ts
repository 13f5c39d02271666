import { startPostgres } from '@lifetimes/databases';
import { expectAlive, expectDrained, expectLedger } from './checks.js';
import { createFaultDatabase } from './fault-database.js';
import type { FaultScenario } from './fault-scenario.js';
import {
  loadThroughOutage,
  OUTAGE_CLEAN_TAIL_MS,
  OUTAGE_LOAD_CONNECTIONS,
  outageReport,
} from './load-through-outage.js';
import { expectOutageHandled } from './outage-checks.js';
import { PgBackends } from './pg-backends.js';
import { ResultBuilder } from './result-builder.js';
import { Subject } from './subject.js';

export const serverRestart: FaultScenario = {
  name: 'server-restart',
  number: '3',
  title: 'Server restart',
  drivers: ['postgres'],
  setup: `The app on a PostgreSQL server of the suite's own: an embedded one, even when PG_URL is set, because a server someone else runs is not the suite's to restart. autocannon keeps ${OUTAGE_LOAD_CONNECTIONS} connections on GET /db and GET /queries?queries=3 in turn; the write ledger sends transfers.`,
  fault:
    'The server is stopped with a fast shutdown (every backend ends at once, idle or mid-query), stays down, and starts again on the same port and data, while the load goes on.',
  expected: `No hang: every request during the outage is answered, and a failed one with 503 and Retry-After, never a 500; the app recovers by itself, without a restart, and its last ${OUTAGE_CLEAN_TAIL_MS / 1000} s are clean; no connection leaked; the ledger holds.`,
  ...outageReport('server'),
  async run(context) {
    const result = new ResultBuilder();
    const server = await startPostgres({ embedded: true });
    const owned: { subject?: Subject; backends?: PgBackends } = {};
    context.defer(async () => {
      await owned.backends?.close();
      await owned.subject?.dispose();
      await server.stop();
    });
    const restart = server.restart;
    if (!restart) throw new Error('The embedded PostgreSQL cannot be restarted.');
    const database = await createFaultDatabase('postgres', server);
    try {
      owned.subject = await Subject.start(context.strategy, database);
    } catch (error) {
      await database.remove();
      throw error;
    }
    const subject = owned.subject;
    const { before, ledger, trace, times } = await loadThroughOutage(context, subject, restart);
    // Connected now: a connection made before the restart would have ended with it.
    owned.backends = await PgBackends.connect(server.adminUrl);

    expectOutageHandled(result, trace, ledger, times);
    await expectAlive(result, subject);
    await expectDrained(result, subject, owned.backends);
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
