import { setTimeout as sleep } from 'node:timers/promises';
import { until } from '../shared/until.js';
import { expectAlive, expectDrained, expectLedger } from './checks.js';
import type { FaultScenario } from './fault-scenario.js';
import { MID_WRITE, startLoadWithLedger, untilWritesInFlight } from './load-with-ledger.js';
import { ResultBuilder } from './result-builder.js';

const WORKERS = 2;
/** How long the primary may take to fork a replacement and have it serve. */
const REPLACE_MS = 20_000;
const CLEAN_TAIL_MS = 1000;

interface FleetStats {
  readonly workers?: readonly { readonly pid: number }[];
}

export const workerKill: FaultScenario = {
  name: 'worker-kill',
  number: '6d',
  title: 'A fleet worker killed mid-write',
  drivers: ['sqlite', 'postgres'],
  setup: `The app as a fleet of ${WORKERS} processes on one port (WORKERS=${WORKERS}, node:cluster). ${MID_WRITE.clients} ledger clients send transfers back to back, autocannon adds GET /db on 4 connections.`,
  fault:
    'SIGKILL to one worker while transfers are in flight on it; the primary and the other worker go on, and the load with them.',
  expected: `The primary replaces the worker; the fleet keeps serving, and its last ${CLEAN_TAIL_MS / 1000} s under load are clean; the only requests lost are those the dead worker held (their connections reset); the transfers cut off, retried with their Idempotency-Key, each take effect exactly once; no connection leaked; the ledger holds.`,
  figure:
    'Transfers in flight at the kill, requests whose connection the kill reset, seconds until the replacement served, transfers retried.',
  byDesign: {},
  columns: ['inFlightAtKill', 'reset', 'replacedSec', 'retried', 'accountsOff'],
  headline: (f) => `replaced in ${f.replacedSec} s · ${f.accountsOff} accounts off`,
  async run(context) {
    const result = new ResultBuilder();
    const subject = await context.own({ WORKERS: String(WORKERS) });
    const pids = async () =>
      ((await subject.stats()) as FleetStats).workers?.map((worker) => worker.pid) ?? [];
    if (!(await until(async () => (await pids()).length === WORKERS, REPLACE_MS))) {
      throw new Error(`The fleet did not report ${WORKERS} workers in /stats.`);
    }
    const { before, ledger, load } = await startLoadWithLedger(
      context,
      subject,
      { paths: ['/db'], connections: 4 },
      MID_WRITE,
    );
    await untilWritesInFlight(ledger, 'The fleet');
    const [victim] = await pids();
    if (victim === undefined) throw new Error('The fleet listed no worker to kill.');
    const inFlightAtKill = ledger.inFlight;
    const killedAt = performance.now();
    process.kill(victim, 'SIGKILL');
    const replaced = await until(async () => {
      const now = await pids();
      return now.length === WORKERS && !now.includes(victim);
    }, REPLACE_MS);
    const replacedAt = performance.now();
    await sleep(context.quick ? 1500 : 3000);
    const endAt = performance.now();
    const trace = await load.stop();
    await ledger.stop();

    result.figures.inFlightAtKill = inFlightAtKill;
    result.figures.reset = trace.errors.length;
    result.figures.replacedSec = replaced
      ? Number(((replacedAt - killedAt) / 1000).toFixed(1))
      : 'never';
    result.expect(
      'the primary replaced the killed worker',
      replaced,
      replaced
        ? `a new worker served ${Math.round(replacedAt - killedAt)} ms after the kill`
        : `no replacement within ${REPLACE_MS / 1000} s`,
    );
    const tail = trace.responses.filter((r) => r.at >= endAt - CLEAN_TAIL_MS);
    const tailErrors = trace.errors.filter((e) => e.at >= endAt - CLEAN_TAIL_MS);
    result.expect(
      'the fleet kept serving: its last second under load is clean',
      tail.length > 0 && tail.every((r) => r.status === 200) && tailErrors.length === 0,
      `last ${CLEAN_TAIL_MS} ms: ${tail.filter((r) => r.status === 200).length} served, ${tail.filter((r) => r.status !== 200).length} failed, ${tailErrors.length} errors`,
    );
    // Requests answered with a status are the live workers' answers: a 5xx
    // there would be a failure the kill does not excuse.
    const wrong = trace.responses.filter(
      (r) => r.status !== 200 && (r.status !== 503 || r.retryAfter === undefined),
    );
    result.expect(
      'only the dead worker lost requests: every answer a 200 or a 503 with Retry-After',
      wrong.length === 0 && trace.timeouts === 0,
      `${wrong.length} other answers, ${trace.timeouts} timed out, ${trace.errors.length} connections reset by the kill`,
    );
    // The transfers cut off by the kill, sent again with their keys, as a client would.
    const retried = await ledger.retryUnknown(subject.url);
    result.figures.retried = retried;
    result.expect(
      'transfers cut off by the kill settle on a retry with their Idempotency-Key',
      ledger.counts().unknown === 0,
      `${retried} retried, ${ledger.counts().unknown} still unknown`,
    );
    await expectAlive(result, subject);
    await expectDrained(result, subject, context.backends);
    expectLedger(
      result,
      before,
      ledger,
      await subject.database.balances(),
      'the write ledger holds across the kill',
    );
    return result.result();
  },
};
