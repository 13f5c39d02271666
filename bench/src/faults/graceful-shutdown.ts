import { setTimeout as sleep } from 'node:timers/promises';
import { until } from '../shared/until.js';
import { expectLedger } from './checks.js';
import type { FaultScenario } from './fault-scenario.js';
import { type FreshOutcome, freshGet } from './fresh-get.js';
import { startLoadWithLedger } from './load-with-ledger.js';
import { ResultBuilder } from './result-builder.js';

const IN_FLIGHT = 4;
const SLOW_MS = 1000;
const EXIT_DEADLINE_MS = 10_000;
const NEW_REQUEST_EVERY_MS = 50;

export const gracefulShutdown: FaultScenario = {
  name: 'graceful-shutdown',
  number: '8',
  title: 'Graceful shutdown',
  drivers: ['sqlite', 'postgres'],
  setup: `The app as it ships. autocannon keeps 4 connections on GET /db, the write ledger sends transfers, and ${IN_FLIGHT} clients have GET /slow?ms=${SLOW_MS} in flight.`,
  fault: `SIGTERM to the app; from then until it exits, a new client every ${NEW_REQUEST_EVERY_MS} ms sends GET /db on a connection of its own.`,
  expected:
    'The in-flight /slow requests finish with their answer; new clients are refused cleanly (connection refused, or 503), never a 500 or a hang; every connection is closed (the app counts as many closed as opened, and on PostgreSQL no backend is left); exit 0 within 10 s; the ledger holds.',
  figure:
    "Seconds from SIGTERM to exit and the exit code, in-flight requests finished, new ones refused, and the connections the app's last line reports opened and closed.",
  byDesign: {},
  columns: [
    'inFlightFinished',
    'newRefused',
    'newAnswered',
    'newBad',
    'exitCode',
    'exitSec',
    'connectionsLeft',
  ],
  headline: (f) => `exit ${f.exitCode} in ${f.exitSec} s · ${f.connectionsLeft} left`,
  async run(context) {
    const result = new ResultBuilder();
    const subject = await context.shared();
    const { before, ledger, load } = await startLoadWithLedger(context, subject, {
      paths: ['/db'],
      connections: 4,
    });
    await sleep(500);
    const inFlight = Array.from({ length: IN_FLIGHT }, () =>
      freshGet(`${subject.url}/slow?ms=${SLOW_MS}`, EXIT_DEADLINE_MS + 2000),
    );
    // They reach the app and start their wait.
    await sleep(300);
    const sigtermAt = performance.now();
    subject.app.kill('SIGTERM');
    let exited = false;
    const exit = subject.app.whenExited().then((exitInfo) => {
      exited = true;
      return { ...exitInfo, ms: performance.now() - sigtermAt };
    });
    const newClients: Promise<FreshOutcome>[] = [];
    while (!exited && performance.now() - sigtermAt < EXIT_DEADLINE_MS + 2000) {
      newClients.push(freshGet(`${subject.url}/db`, 3000));
      await Promise.race([sleep(NEW_REQUEST_EVERY_MS), exit]);
    }
    const ended = await exit;
    const trace = await load.stop();
    await ledger.stop();
    const finished = await Promise.all(inFlight);
    const outcomes = await Promise.all(newClients);

    const finishedOk = finished.filter(
      (o) => 'status' in o && o.status === 200 && o.body.includes(`"waitedMs":${SLOW_MS}`),
    ).length;
    const refused = outcomes.filter(
      (o) =>
        ('error' in o && (o.error === 'ECONNREFUSED' || o.error === 'ECONNRESET')) ||
        ('status' in o && o.status === 503),
    ).length;
    const answered = outcomes.filter((o) => 'status' in o && o.status === 200).length;
    const bad = outcomes.length - refused - answered;
    const counted = /(\d+) connections opened, (\d+) closed, (\d+) scopes open/.exec(ended.output);
    const opened = Number(counted?.[1] ?? Number.NaN);
    const closed = Number(counted?.[2] ?? Number.NaN);
    const database = subject.database.name;
    const backends = context.backends;
    let serverLeft = 0;
    if (backends && database) {
      const count = () => backends.count(subject.applicationName, database);
      await until(async () => (await count()) === 0, 2000);
      serverLeft = await count();
    }
    const load5xx = trace.responses.filter((r) => r.status >= 500 && r.status !== 503).length;

    result.figures.inFlightFinished = `${finishedOk}/${IN_FLIGHT}`;
    result.figures.newRefused = refused;
    result.figures.newAnswered = answered;
    result.figures.newBad = bad;
    result.figures.exitCode = ended.code ?? String(ended.signal);
    result.figures.exitSec = Number((ended.ms / 1000).toFixed(2));
    result.figures.connectionsLeft = Number.isNaN(opened - closed)
      ? 'not reported'
      : opened - closed + serverLeft;

    result.expect(
      'in-flight requests finished',
      finishedOk === IN_FLIGHT,
      `${finishedOk} of ${IN_FLIGHT} /slow?ms=${SLOW_MS} answered in full (${finished
        .map((o) => ('status' in o ? o.status : o.error))
        .join(', ')})`,
    );
    result.expect(
      'new requests refused cleanly',
      bad === 0 && refused > 0,
      `${refused} refused, ${answered} answered before the listener closed, ${bad} otherwise (${[
        ...new Set(
          outcomes
            .filter((o) => !('status' in o && (o.status === 200 || o.status === 503)))
            .map((o) => ('status' in o ? String(o.status) : o.error)),
        ),
      ].join(', ')})`,
    );
    result.expect(
      'no 5xx for the load while it drained',
      load5xx === 0,
      `${load5xx} 5xx answers other than 503 during the shutdown`,
    );
    result.expect(
      'every connection closed',
      counted !== null && opened === closed && serverLeft === 0,
      counted
        ? `the app: ${counted[0]}${database ? `; backends left on the server: ${serverLeft}` : ''}`
        : `the app did not report its connections: ${ended.output.trim().split('\n').slice(-2).join(' | ')}`,
    );
    result.expect(
      'exit 0 within 10 s',
      ended.code === 0 && ended.ms <= EXIT_DEADLINE_MS,
      `exit ${ended.code ?? ended.signal} after ${(ended.ms / 1000).toFixed(2)} s`,
    );
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
