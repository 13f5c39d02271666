import { setTimeout as sleep } from 'node:timers/promises';
import { expectAlive, expectDrained, expectLedger } from './checks.js';
import { readSqlite } from './fault-database.js';
import type { FaultScenario } from './fault-scenario.js';
import { startLoadWithLedger } from './load-with-ledger.js';
import { ResultBuilder } from './result-builder.js';
import { Subject } from './subject.js';
import { failureSummary } from './tracked-load.js';

/** Pages the database may grow by: a few dozen registrations' worth. */
const HEADROOM_PAGES = 24;
/** Each registration's username: two pages of row, so the headroom fills quickly. */
const NAME_PADDING = 'x'.repeat(6000);
const FILLERS = 2;
/** Refusals each filler collects before it stops: the database has been full a while by then. */
const REFUSALS_PER_FILLER = 4;
const LOAD_CONNECTIONS = 2;
/** What a write refused for space answers: the classifier's words, then the handler's. */
const FULL = /^The database or its disk is full/;

interface Registration {
  readonly username: string;
  readonly status: number | undefined;
  readonly retryAfter: string | null;
  readonly error: string;
  /** When the answer came, performance.now() milliseconds. */
  readonly at: number;
}

/** Registers users with long names, one after another, until the app has refused `refusals` of them. */
async function fill(url: string, filler: number, refusals: number): Promise<Registration[]> {
  const registrations: Registration[] = [];
  const deadline = performance.now() + 30_000;
  for (let i = 0; performance.now() < deadline; i++) {
    const username = `fill-${filler}-${i}-${NAME_PADDING}`;
    try {
      const response = await fetch(`${url}/auth/register`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: 'pw' }),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json().catch(() => ({}))) as { error?: unknown };
      registrations.push({
        username,
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        error: typeof body.error === 'string' ? body.error : '',
        at: performance.now(),
      });
    } catch (error) {
      registrations.push({
        username,
        status: undefined,
        retryAfter: null,
        error: String(error),
        at: performance.now(),
      });
    }
    if (registrations.filter((r) => r.status !== 201).length >= refusals) break;
  }
  return registrations;
}

export const sqliteDiskFull: FaultScenario = {
  name: 'sqlite-disk-full',
  number: '6c',
  title: 'SQLite disk full',
  drivers: ['sqlite'],
  setup: `The app on a fresh database, restarted with a size quota: DATABASE_URL sqlite:<file>?max_page_count=<its pages + ${HEADROOM_PAGES}>, so every connection of the app sets PRAGMA max_page_count. autocannon keeps ${LOAD_CONNECTIONS} connections on GET /db; the write ledger sends transfers (they change rows in place and need no new page); ${FILLERS} clients register users with ${NAME_PADDING.length}-character names, one after another.`,
  fault: `The registrations grow the file until it reaches its quota: the next write that needs a page fails with SQLITE_FULL, as it would on a full disk. Each filler stops after ${REFUSALS_PER_FILLER} refusals.`,
  expected:
    'A write that needs space is refused with a 503 with Retry-After that says the database is full, never a 500; reads go on, and transfers either go on or (once their Idempotency-Key needs a page) are refused the same way; PRAGMA integrity_check is ok; every acknowledged registration is in the database and no refused one is; no connection leaked; the ledger holds.',
  figure:
    'Registrations acknowledged and refused, answers that were not clear, reads served while full, acknowledged registrations missing, and integrity_check.',
  byDesign: {},
  columns: [
    'quotaPages',
    'registered',
    'refusedFull',
    'unclear',
    'readsWhileFull',
    'missing',
    'integrity',
  ],
  headline: (f) => `${f.refusedFull} refused · ${f.missing} missing · ${f.integrity}`,
  async run(context) {
    const result = new ResultBuilder();
    const owned = await context.own({});
    const file = owned.database.file;
    if (!file) throw new Error('sqlite-disk-full runs on SQLite only.');
    // The first app made the database (schema and seed); a second one on
    // the same file runs with the quota.
    await owned.app.stop();
    const pages = readSqlite(file, (db) => db.pragma('page_count', { simple: true }) as number);
    const quotaPages = pages + HEADROOM_PAGES;
    const subject = await Subject.start(context.strategy, {
      ...owned.database,
      url: `${owned.database.url}?max_page_count=${quotaPages}`,
    });
    context.defer(() => subject.app.stop());

    const { before, ledger, load } = await startLoadWithLedger(context, subject, {
      paths: ['/db'],
      connections: LOAD_CONNECTIONS,
      durationSec: 90,
    });
    const fillers = await Promise.all(
      Array.from({ length: FILLERS }, (_, i) => fill(subject.url, i, REFUSALS_PER_FILLER)),
    );
    await sleep(context.quick ? 300 : 1000);
    const trace = await load.stop();
    await ledger.stop();

    const registrations = fillers.flat();
    const acknowledged = registrations.filter((r) => r.status === 201);
    const refusedFull = registrations.filter(
      (r) => r.status === 503 && FULL.test(r.error) && Number(r.retryAfter) >= 1,
    );
    const unclearRegistrations = registrations.filter(
      (r) => r.status !== 201 && !refusedFull.includes(r),
    );
    // A transfer stores its Idempotency-Key in its own transaction, so once
    // the file is full it needs a page too: a 503 with Retry-After is a clear
    // refusal (nothing applied; the ledger's balances check proves it).
    const unclearTransfers = ledger.records.filter(
      (r) =>
        r.status === undefined ||
        !(r.status === 200 || r.status === 409 || (r.status === 503 && Number(r.retryAfter) >= 1)),
    );
    const unclearReads = trace.responses.filter((r) => r.status !== 200).length;
    const unclear =
      unclearRegistrations.length + unclearTransfers.length + unclearReads + trace.errors.length;
    const fullSince = refusedFull.length > 0 ? Math.min(...refusedFull.map((r) => r.at)) : Infinity;
    const readsWhileFull = trace.responses.filter(
      (r) => r.at > fullSince && r.status === 200,
    ).length;
    const stored = readSqlite(
      file,
      (db) =>
        new Set(
          (
            db.prepare("select username from user where username like 'fill-%'").all() as {
              username: string;
            }[]
          ).map((row) => row.username),
        ),
    );
    const missing = acknowledged.filter((r) => !stored.has(r.username));
    const appliedRefused = registrations.filter((r) => r.status !== 201 && stored.has(r.username));
    const integrity = await subject.database.integrityCheck();

    result.figures.quotaPages = quotaPages;
    result.figures.registered = acknowledged.length;
    result.figures.refusedFull = refusedFull.length;
    result.figures.unclear = unclear;
    result.figures.readsWhileFull = readsWhileFull;
    result.figures.missing = missing.length;
    result.figures.integrity = integrity;

    result.expect(
      'the database filled up',
      acknowledged.length > 0 && refusedFull.length > 0,
      `${acknowledged.length} registrations acknowledged, then ${refusedFull.length} refused as full`,
    );
    result.expect(
      'a write that needs space gets a 503 with Retry-After saying so, never a 500',
      unclear === 0,
      unclear === 0
        ? 'every registration 201 or 503 "full", every transfer 200, 409 or 503 with Retry-After, every read 200'
        : `registrations: ${unclearRegistrations
            .slice(0, 3)
            .map((r) => `${r.status ?? 'no answer'} ${r.error.slice(0, 120)}`)
            .join('; ')}; transfers: ${unclearTransfers.length} unclear (${unclearTransfers
            .slice(0, 3)
            .map((r) => r.status ?? 'no answer')
            .join(', ')}); reads: ${failureSummary(trace)}`,
    );
    result.expect(
      'reads served while full',
      readsWhileFull > 0,
      `${readsWhileFull} GET /db served after the first refusal`,
    );
    result.expect('no corruption', integrity === 'ok', `PRAGMA integrity_check: ${integrity}`);
    result.expect(
      'every acknowledged registration present, no refused one',
      missing.length === 0 && appliedRefused.length === 0,
      `${missing.length} acknowledged missing, ${appliedRefused.length} refused but stored`,
    );
    await expectAlive(result, subject);
    await expectDrained(result, subject, undefined);
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
