import { startAbortingClients } from './aborting-clients.js';
import { expectAlive, expectDrained, expectLedger } from './checks.js';
import type { FaultScenario } from './fault-scenario.js';
import { startLoadWithLedger } from './load-with-ledger.js';
import { ResultBuilder } from './result-builder.js';
import { failureSummary } from './tracked-load.js';

const SLOW_MS = 200;
const SLOW_CLIENTS = 6;
const LOAD_CONNECTIONS = 4;

export const clientAborts: FaultScenario = {
  name: 'client-aborts',
  number: '1',
  title: 'Client aborts',
  drivers: ['sqlite', 'postgres'],
  setup: `The app as it ships (MAX_CONNECTIONS=10). autocannon keeps ${LOAD_CONNECTIONS} connections on GET /db; the write ledger sends transfers.`,
  fault: `${SLOW_CLIENTS} clients send GET /slow?ms=${SLOW_MS} (a query, a ${SLOW_MS} ms wait, a query) in a loop and abort every third request at a random moment 20 to 180 ms in, while the app waits between its queries.`,
  expected:
    'No crash; the /slow requests not aborted and the /db load are all answered 200; once the load has drained, no connection is held for no request, none open beyond what the strategy keeps idle, and on PostgreSQL the server has as many backends of the app as the app counts.',
  figure:
    'Connections leaked after the drain: held by no request (/stats active), open beyond what the strategy keeps idle (opened - closed), plus backends on the server the app does not count (pg_stat_activity by application_name and database).',
  byDesign: {},
  columns: ['aborted', 'abortedShare', 'completed', 'failed', 'leaked', 'openAfterDrain'],
  headline: (f) => `${f.leaked} leaked · ${f.aborted} aborted`,
  async run(context) {
    const result = new ResultBuilder();
    const subject = await context.shared();
    const durationSec = context.quick ? 1.5 : 6;
    const { before, ledger, load } = await startLoadWithLedger(context, subject, {
      paths: ['/db'],
      connections: LOAD_CONNECTIONS,
      durationSec,
    });
    const aborting = startAbortingClients(subject.url, {
      path: `/slow?ms=${SLOW_MS}`,
      clients: SLOW_CLIENTS,
      abortEvery: 3,
      abortAfterMs: [20, 180],
    });
    context.defer(() => aborting.stop());
    const trace = await load.done;
    const tally = await aborting.stop();
    await ledger.stop();

    const loadFailed = trace.responses.filter((r) => r.status !== 200).length + trace.errors.length;
    result.figures.aborted = tally.aborted;
    result.figures.abortedShare = `${Math.round((100 * tally.aborted) / Math.max(1, tally.sent))}%`;
    result.figures.completed = tally.completed;
    result.figures.failed = tally.failed + loadFailed;
    result.expect(
      'requests were aborted mid-flight',
      tally.aborted > 0,
      `${tally.aborted} of ${tally.sent} /slow requests aborted before their answer`,
    );
    await expectAlive(result, subject);
    result.expect(
      'the requests not aborted were answered',
      tally.failed === 0 && loadFailed === 0 && tally.completed > 0,
      `/slow: ${tally.completed} answered 200, ${tally.failed} did not (${
        [...tally.failures].map(([what, n]) => `${n} × ${what}`).join(', ') || 'none'
      }); /db: ${trace.responses.filter((r) => r.status === 200).length} answered 200, ${loadFailed} did not (${failureSummary(trace)})`,
    );
    await expectDrained(result, subject, context.backends);
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
