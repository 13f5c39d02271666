import { profileNamed } from '@lifetimes/strategies';
import { percentile } from '../shared/load.js';
import { expectAlive, expectDrained, expectLedger } from './checks.js';
import type { FaultScenario } from './fault-scenario.js';
import { startLoadWithLedger } from './load-with-ledger.js';
import type { FaultStrategy } from './options.js';
import { ResultBuilder } from './result-builder.js';
import { failureSummary } from './tracked-load.js';

const ACQUIRE_TIMEOUT_MS = 1000;
const SLOW_MS = 200;
const LOAD_CONNECTIONS = 8;
/** What a loaded 2-core machine adds to a request's time on top of its waits. */
const SLACK_MS = 1000;

/**
 * Connection acquires one /slow request makes: one for the strategies that
 * hold a connection for the whole request, one per query (two) for those
 * that borrow one per query.
 */
function acquires(strategy: FaultStrategy): number {
  return profileNamed(strategy).connectionPer === 'scope' ? 1 : 2;
}

const PER_QUERY_REASON =
  "holds a connection only while a query runs: /slow's 200 ms wait holds none, so the one connection " +
  'serves this load with short waits and the acquire timeout is not reached. 503s are not expected of it; ' +
  'what is asserted is that every request is answered, 200 or a 503 with Retry-After, within the bound.';

export const exhaustion: FaultScenario = {
  name: 'exhaustion',
  number: '4',
  title: 'Pool exhaustion',
  drivers: ['sqlite', 'postgres'],
  setup: `The app on a fresh database with MAX_CONNECTIONS=1 and ACQUIRE_TIMEOUT_MS=${ACQUIRE_TIMEOUT_MS}; the write ledger sends transfers.`,
  fault: `autocannon keeps ${LOAD_CONNECTIONS} connections on GET /slow?ms=${SLOW_MS}: ${LOAD_CONNECTIONS} requests want the one connection, each for ${SLOW_MS} ms where the strategy holds it across the wait.`,
  expected: `A request that cannot get the connection within the acquire timeout is answered 503 with Retry-After; no request hangs: each is answered within its waits for a connection (ACQUIRE_TIMEOUT_MS per acquire) plus the ${SLOW_MS} ms wait plus ${SLACK_MS} ms for the machine; nothing but 200 and 503; no connection leaked; the ledger holds.`,
  figure:
    'p99 latency under exhaustion, over every response (200 and 503 alike), as the load generator measured it; and how many 503s came, all with Retry-After.',
  byDesign: { baseline: PER_QUERY_REASON, 'per-query': PER_QUERY_REASON },
  columns: ['responses', 'status503', 'withRetryAfter', 'p99Ms', 'maxMs', 'boundMs', 'appTimeouts'],
  headline: (f) => `p99 ${f.p99Ms} ms · ${f.status503} × 503`,
  async run(context) {
    const result = new ResultBuilder();
    const subject = await context.own({
      MAX_CONNECTIONS: '1',
      ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
    });
    const durationSec = context.quick ? 2 : 6;
    const boundMs = acquires(context.strategy) * ACQUIRE_TIMEOUT_MS + SLOW_MS + SLACK_MS;
    const statsBefore = await subject.stats();
    const { before, ledger, load } = await startLoadWithLedger(context, subject, {
      paths: [`/slow?ms=${SLOW_MS}`],
      connections: LOAD_CONNECTIONS,
      durationSec,
      timeoutSec: boundMs / 1000,
    });
    const trace = await load.done;
    await ledger.stop();
    const statsAfter = await subject.stats();

    const latencies = trace.responses.map((r) => r.latencyMs).sort((a, b) => a - b);
    const unavailable = trace.responses.filter((r) => r.status === 503);
    const withRetryAfter = unavailable.filter((r) => /^[1-9]\d*$/.test(r.retryAfter ?? ''));
    const other = trace.responses.filter((r) => r.status !== 200 && r.status !== 503);
    const transfersLate = ledger.records.filter((r) => r.latencyMs > boundMs).length;
    const maxMs = Math.round(latencies.at(-1) ?? 0);
    result.figures.responses = trace.responses.length;
    result.figures.status503 = unavailable.length;
    result.figures.withRetryAfter = withRetryAfter.length;
    result.figures.p99Ms = Math.round(percentile(latencies, 99) ?? 0);
    result.figures.maxMs = maxMs;
    result.figures.boundMs = boundMs;
    result.figures.appWaits = statsAfter.waits - statsBefore.waits;
    result.figures.appTimeouts = statsAfter.timeouts - statsBefore.timeouts;

    if (acquires(context.strategy) === 1) {
      result.expect(
        'exhaustion answered 503 with Retry-After',
        unavailable.length > 0,
        `${unavailable.length} of ${trace.responses.length} answers were 503`,
      );
    }
    result.expect(
      'every 503 carries Retry-After',
      withRetryAfter.length === unavailable.length,
      `${withRetryAfter.length} of ${unavailable.length} 503s had a Retry-After of whole seconds`,
    );
    result.expect(
      'no request hung past its acquire timeouts',
      trace.timeouts === 0 && maxMs <= boundMs && transfersLate === 0,
      `slowest answer ${maxMs} ms of ${boundMs} ms allowed, ${trace.timeouts} requests unanswered, ${transfersLate} transfers over the bound`,
    );
    result.expect(
      'nothing but 200 and 503',
      other.length === 0 && trace.errors.length === 0,
      `${failureSummary(trace, (s) => s === 200 || s === 503)}`,
    );
    await expectAlive(result, subject);
    await expectDrained(result, subject, context.backends);
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
