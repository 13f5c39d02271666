import { setTimeout as sleep } from 'node:timers/promises';
import { expectAlive, expectDrained, expectLedger } from './checks.js';
import type { FaultScenario } from './fault-scenario.js';
import { holdSqliteLock } from './hold-sqlite-lock.js';
import { startLoadWithLedger } from './load-with-ledger.js';
import { ResultBuilder } from './result-builder.js';
import { failureSummary } from './tracked-load.js';

const LOCK_MS = 2000;
const LOAD_CONNECTIONS = 4;
/** Statuses that are a clear answer under a lock: done, refused for funds, or busy with Retry-After. */
const CLEAR = new Set([200, 409, 503]);

export const sqliteLock: FaultScenario = {
  name: 'sqlite-lock',
  number: '6a',
  title: 'SQLite lock held by another process',
  drivers: ['sqlite'],
  setup: `The app as it ships (busy_timeout 5 s, WAL, BEGIN IMMEDIATE for writes). autocannon keeps ${LOAD_CONNECTIONS} connections on GET /db and GET /updates?queries=2 in turn; the write ledger sends transfers.`,
  fault: `Another process opens the same file, takes the write lock (BEGIN IMMEDIATE), holds it ${LOCK_MS / 1000} s, and rolls back.`,
  expected:
    "The app's writes wait for the lock (busy_timeout) or are refused with a clear 503 with Retry-After, never a 500; PRAGMA integrity_check is ok; no connection leaked; every acknowledged write is present.",
  figure:
    'The longest answer while the lock was held (the busy wait), the answers that were not clear (anything but 200, 409 for funds, or 503 with Retry-After), and integrity_check.',
  byDesign: {},
  columns: ['lockMs', 'blockedWrites', 'longestMs', 'status503', 'unclear', 'integrity'],
  headline: (f) => `waited ${f.longestMs} ms · ${f.unclear} unclear · ${f.integrity}`,
  async run(context) {
    const result = new ResultBuilder();
    const subject = await context.shared();
    const file = subject.database.file;
    if (!file) throw new Error('sqlite-lock runs on SQLite only.');
    const { before, ledger, load } = await startLoadWithLedger(context, subject, {
      paths: ['/db', '/updates?queries=2'],
      connections: LOAD_CONNECTIONS,
    });
    await sleep(500);
    const hold = await holdSqliteLock(file, LOCK_MS);
    const releasedAt = await hold.released;
    await sleep(context.quick ? 600 : 3000);
    const trace = await load.stop();
    await ledger.stop();

    const lockMs = Math.round(releasedAt - hold.lockedAt);
    // Writes in flight while the other process held the lock: answered only after it let go, or refused.
    const duringLock = ledger.records.filter(
      (r) => r.sentAt < releasedAt && r.sentAt + r.latencyMs > hold.lockedAt,
    );
    const blocked = duringLock.filter(
      (r) => r.status === 503 || r.sentAt + r.latencyMs >= releasedAt - 50,
    );
    const unclearLoad = trace.responses.filter(
      (r) => !CLEAR.has(r.status) || (r.status === 503 && !r.retryAfter),
    );
    const unclearTransfers = ledger.records.filter(
      (r) => r.status === undefined || !CLEAR.has(r.status) || (r.status === 503 && !r.retryAfter),
    );
    const unclear = unclearLoad.length + trace.errors.length + unclearTransfers.length;
    const longest = Math.max(
      0,
      ...trace.responses.map((r) => r.latencyMs),
      ...ledger.records.map((r) => r.latencyMs),
    );
    const integrity = await subject.database.integrityCheck();
    result.figures.lockMs = lockMs;
    result.figures.blockedWrites = blocked.length;
    result.figures.longestMs = Math.round(longest);
    result.figures.status503 =
      trace.responses.filter((r) => r.status === 503).length +
      ledger.records.filter((r) => r.status === 503).length;
    result.figures.unclear = unclear;
    result.figures.integrity = integrity;

    result.expect(
      "the lock held up the app's writes",
      blocked.length > 0,
      `${duringLock.length} transfers in flight during the ${lockMs} ms lock, ${blocked.length} answered only after it or refused`,
    );
    result.expect(
      'busy waits or clear 503s, never a 500',
      unclear === 0,
      unclear === 0
        ? `longest answer ${Math.round(longest)} ms`
        : `load: ${failureSummary(trace, (s) => CLEAR.has(s))}; transfers: ${unclearTransfers.length} unclear (${unclearTransfers
            .slice(0, 3)
            .map((r) => r.status ?? 'no answer')
            .join(', ')})`,
    );
    result.expect('no corruption', integrity === 'ok', `PRAGMA integrity_check: ${integrity}`);
    await expectAlive(result, subject);
    await expectDrained(result, subject, undefined);
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
