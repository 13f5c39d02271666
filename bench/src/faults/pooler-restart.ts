import {
  findPgBouncer,
  PGBOUNCER_MISSING,
  type PgBouncer,
  startPgBouncer,
  startPostgres,
} from '@lifetimes/databases';
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
import { ResultBuilder } from './result-builder.js';
import { Subject } from './subject.js';

/**
 * Without PgBouncer on the machine this scenario applies to no driver, so
 * the suite leaves it out (and says so, with how to install it).
 */
export const poolerRestart: FaultScenario = {
  name: 'pooler-restart',
  number: '3b',
  title: 'Pooler restart',
  drivers: findPgBouncer() ? ['postgres'] : [],
  ...(findPgBouncer() ? {} : { unavailable: PGBOUNCER_MISSING }),
  setup: `The app behind a PgBouncer of the suite's own in transaction mode (pool of 10), on PostgreSQL. autocannon keeps ${OUTAGE_LOAD_CONNECTIONS} connections on GET /db and GET /queries?queries=3 in turn; the write ledger sends transfers.`,
  fault:
    'PgBouncer is stopped (every client connection of the app is cut, in a query or idle), stays down, and starts again on the same port, while the load goes on; the server itself never stops.',
  expected: `As for a server restart: no hang, every failure a 503 with Retry-After, never a 500; the app recovers by itself, without a restart, and its last ${OUTAGE_CLEAN_TAIL_MS / 1000} s are clean; no connection leaked; the ledger holds.`,
  ...outageReport('pooler'),
  async run(context) {
    const result = new ResultBuilder();
    const server = await startPostgres();
    const owned: { subject?: Subject; bouncer?: PgBouncer } = {};
    context.defer(async () => {
      await owned.subject?.dispose();
      await owned.bouncer?.stop();
      await server.stop();
    });
    owned.bouncer = await startPgBouncer({
      serverUrl: server.adminUrl,
      poolMode: 'transaction',
      poolSize: 10,
    });
    const bouncer = owned.bouncer;
    const database = await createFaultDatabase('postgres', server);
    try {
      // The app reaches its database only through the pooler; the ledger's
      // balances are read straight from the server.
      owned.subject = await Subject.start(context.strategy, {
        ...database,
        url: bouncer.url(database.url),
      });
    } catch (error) {
      await database.remove();
      throw error;
    }
    const subject = owned.subject;
    const { before, ledger, trace, times } = await loadThroughOutage(context, subject, (downMs) =>
      bouncer.restart(downMs),
    );
    expectOutageHandled(result, trace, ledger, times);
    await expectAlive(result, subject);
    // The server's backends belong to PgBouncer, not the app: the app's own
    // counters say whether it leaked.
    await expectDrained(result, subject, undefined);
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
