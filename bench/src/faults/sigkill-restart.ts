import { setTimeout as sleep } from 'node:timers/promises';
import { checkLedger } from './check-ledger.js';
import { expectAlive, expectDrained, expectLedger, LEDGER_PAUSE_MS } from './checks.js';
import type { FaultScenario } from './fault-scenario.js';
import { MID_WRITE, startLoadWithLedger, untilWritesInFlight } from './load-with-ledger.js';
import { ResultBuilder } from './result-builder.js';

export const sigkillRestart: FaultScenario = {
  name: 'sigkill-restart',
  number: '6b',
  title: 'SIGKILL mid-write, then restart',
  drivers: ['sqlite'],
  setup: `The app as it ships (WAL, synchronous=NORMAL). ${MID_WRITE.clients} ledger clients send transfers back to back, autocannon adds GET /updates?queries=2 on 2 connections.`,
  fault:
    'SIGKILL to the app process while transfers are in flight; then the app is started again on the same file and takes transfers again.',
  expected:
    'PRAGMA integrity_check is ok after the kill; every transfer acknowledged before the kill is in the file, none refused is, the total is unchanged (the ones in flight may or may not have landed, whole); the restarted app serves, the transfers in flight at the kill, retried with their Idempotency-Key, each take effect exactly once, and the ledger holds across both lives.',
  figure:
    'Transfers acknowledged before the kill and in flight at the kill, integrity_check after it, seconds to restart, transfers retried after it, and the ledger checked on the file after the kill and again after the restart.',
  byDesign: {},
  columns: [
    'acknowledgedBeforeKill',
    'inFlightAtKill',
    'integrity',
    'restartSec',
    'retriedAfterRestart',
    'acknowledgedAfterRestart',
    'accountsOff',
  ],
  headline: (f) => `${f.accountsOff} accounts off · ${f.integrity}`,
  async run(context) {
    const result = new ResultBuilder();
    const subject = await context.shared();
    const { before, ledger, load } = await startLoadWithLedger(
      context,
      subject,
      { paths: ['/updates?queries=2'], connections: 2 },
      MID_WRITE,
    );
    await untilWritesInFlight(ledger, 'The app');
    await sleep(Math.random() * 50);
    const inFlightAtKill = ledger.inFlight;
    const acknowledgedBeforeKill = ledger.counts().acknowledged;
    subject.app.kill('SIGKILL');
    const exit = await subject.app.whenExited();
    await load.stop();
    await ledger.stop();

    const integrity = await subject.database.integrityCheck();
    const afterKill = checkLedger(before, ledger.records, await subject.database.balances());
    result.figures.acknowledgedBeforeKill = acknowledgedBeforeKill;
    result.figures.inFlightAtKill = inFlightAtKill;
    result.figures.integrity = integrity;
    result.expect(
      'killed mid-write',
      exit.signal === 'SIGKILL' && inFlightAtKill > 0,
      `ended by ${exit.signal ?? `exit ${exit.code}`} with ${inFlightAtKill} transfers in flight, ${acknowledgedBeforeKill} acknowledged before`,
    );
    result.expect(
      'no corruption after the kill',
      integrity === 'ok',
      `PRAGMA integrity_check: ${integrity}`,
    );
    result.expect(
      'acknowledged writes present after the kill',
      afterKill.passed,
      afterKill.summary,
    );

    const restartMs = await subject.restart();
    result.figures.restartSec = Number((restartMs / 1000).toFixed(1));
    // The transfers cut off by the kill, sent again with their keys, as a client would.
    const retried = await ledger.retryUnknown(subject.url);
    result.figures.retriedAfterRestart = retried;
    result.expect(
      'transfers cut off by the kill settle on a retry with their Idempotency-Key',
      ledger.counts().unknown === 0,
      `${retried} retried, ${ledger.counts().unknown} still unknown`,
    );
    const acknowledgedAtRestart = ledger.counts().acknowledged;
    ledger.start(subject.url, 2, LEDGER_PAUSE_MS);
    await sleep(context.quick ? 600 : 3000);
    await ledger.stop();
    result.figures.acknowledgedAfterRestart = ledger.counts().acknowledged - acknowledgedAtRestart;
    result.expect(
      'the restarted app takes writes',
      ledger.counts().acknowledged > acknowledgedAtRestart,
      `${ledger.counts().acknowledged - acknowledgedAtRestart} transfers acknowledged after the restart`,
    );
    await expectAlive(result, subject);
    await expectDrained(result, subject, undefined);
    expectLedger(
      result,
      before,
      ledger,
      await subject.database.balances(),
      'the write ledger holds across the kill and the restart',
    );
    return result.result();
  },
};
