import { setTimeout as sleep } from 'node:timers/promises';
import { expectAlive, expectDrained, expectLedger } from './checks.js';
import type { FaultScenario } from './fault-scenario.js';
import { startLoadWithLedger } from './load-with-ledger.js';
import type { Terminated } from './pg-backends.js';
import { recoverySeconds, successRate } from './recovery.js';
import { ResultBuilder } from './result-builder.js';
import { failureSummary } from './tracked-load.js';

const LOAD_CONNECTIONS = 8;
const KILL_EVERY_MS = 1000;
const WINDOW_MS = 500;
/** How long each kill may wait for a moment when some backend is mid-query. */
const CATCH_ACTIVE_MS = 300;
/** The first moments of a load are connection setup, not its steady rate. */
const RAMP_MS = 500;

export const backendKill: FaultScenario = {
  name: 'backend-kill',
  number: '2',
  title: 'Backend kill',
  drivers: ['postgres'],
  setup: `The app as it ships (MAX_CONNECTIONS=10). autocannon keeps ${LOAD_CONNECTIONS} connections on GET /queries?queries=5 and GET /slow?ms=20 in turn, the write ledger sends transfers beside it; the rate before the first kill is the reference.`,
  fault: `Every ${KILL_EVERY_MS / 1000} s, pg_terminate_backend on every backend of the app (by application_name, in its database) at once: idle ones, idle in a transaction, and active ones mid-query. Queries are short, so each kill waits up to ${CATCH_ACTIVE_MS} ms for a moment when at least one backend is active.`,
  expected:
    'The process survives; a broken connection is never used again, so each terminated backend fails at most the one request using it; throughput recovers after every kill; no connection leaked; the ledger holds.',
  figure: `Requests failed (5xx or no answer, load and ledger together), and seconds to recover: from a kill to the start of the first ${WINDOW_MS} ms stretch with no failed request and at least a quarter of the rate before the kills (the slowest strategy serves a handful of requests a second, so a stricter share would measure chance, not recovery), looked for every 50 ms (0 when the stretch right after the kill already qualifies); the worst over all kills.`,
  byDesign: {},
  columns: [
    'kills',
    'terminated',
    'terminatedActive',
    'failed',
    'recoverSec',
    'ratePerSec',
    'leaked',
  ],
  headline: (f) => `${f.failed} failed · ${f.recoverSec} s to recover`,
  async run(context) {
    const result = new ResultBuilder();
    const subject = await context.shared();
    const backends = context.backends;
    const database = subject.database.name;
    if (!backends || !database) throw new Error('backend-kill runs on PostgreSQL only.');
    const kills = context.quick ? 3 : 8;
    const warmMs = context.quick ? 1500 : 3000;
    const tailMs = context.quick ? 1200 : 3000;
    const totalMs = warmMs + (kills - 1) * KILL_EVERY_MS + tailMs;
    const statsBefore = await subject.stats();
    const { before, ledger, load } = await startLoadWithLedger(context, subject, {
      paths: ['/queries?queries=5', '/slow?ms=20'],
      connections: LOAD_CONNECTIONS,
      durationSec: totalMs / 1000 + 5,
    });
    const started = performance.now();
    const killedAt: number[] = [];
    const terminated: Terminated[] = [];
    await sleep(warmMs);
    for (let i = 0; i < kills; i++) {
      const killing = performance.now();
      terminated.push(await backends.terminate(subject.applicationName, database, CATCH_ACTIVE_MS));
      // The moment of the kill: the end of the call, give or take its last round trip.
      killedAt.push(Math.max(killing, performance.now() - 2));
      const next = started + warmMs + (i + 1) * KILL_EVERY_MS;
      await sleep(Math.max(0, next - performance.now()));
    }
    await sleep(Math.max(0, started + totalMs - performance.now()));
    const endAt = performance.now();
    const trace = await load.stop();
    await ledger.stop();

    const sum = (pick: (t: Terminated) => number) => terminated.reduce((n, t) => n + pick(t), 0);
    const total = sum((t) => t.active + t.idle + t.idleInTransaction + t.other);
    const completions = trace.responses
      .filter((r) => r.at <= endAt)
      .map((r) => ({ at: r.at, ok: r.status < 500 }))
      .concat(trace.errors.filter((e) => e.at <= endAt).map((e) => ({ at: e.at, ok: false })));
    const firstKill = killedAt[0] ?? endAt;
    const rate = successRate(completions, started + RAMP_MS, firstKill);
    const recovery = recoverySeconds(completions, killedAt, endAt, {
      windowMs: WINDOW_MS,
      stepMs: 50,
      minRatePerMs: rate / 4,
    });
    const recovered = recovery.filter((s): s is number => s !== undefined);
    const loadFailed = trace.responses.filter((r) => r.status >= 500).length + trace.errors.length;
    const ledgerFailed = ledger.records.filter(
      (r) => r.status === undefined || r.status >= 500,
    ).length;
    const failed = loadFailed + ledgerFailed;
    const statsAfter = await subject.stats().catch(() => undefined);

    result.figures.kills = kills;
    result.figures.terminated = total;
    result.figures.terminatedActive = sum((t) => t.active);
    result.figures.terminatedIdle = sum((t) => t.idle + t.idleInTransaction);
    result.figures.failed = failed;
    result.figures.ratePerSec = Math.round(rate * 1000);
    result.figures.recoverSec =
      recovered.length === recovery.length ? Math.max(0, ...recovered) : 'not recovered';
    if (statsAfter) result.figures.connectionErrors = statsAfter.errors - statsBefore.errors;

    result.expect(
      'backends were terminated',
      total > 0,
      `${total} terminated over ${kills} kills: ${sum((t) => t.active)} active, ${sum((t) => t.idle)} idle, ` +
        `${sum((t) => t.idleInTransaction)} idle in a transaction, ${sum((t) => t.other)} connecting`,
    );
    await expectAlive(result, subject);
    result.expect(
      'a broken connection is never reused',
      failed <= total,
      `${failed} requests failed (${loadFailed} of the load: ${failureSummary(trace, (s) => s < 500)}; ${ledgerFailed} transfers) for ${total} backends terminated`,
    );
    result.expect(
      'throughput recovered after every kill',
      recovered.length === recovery.length && rate > 0,
      `seconds to recover per kill: ${recovery.map((s) => (s === undefined ? 'not before the next' : s.toFixed(2))).join(', ')}; reference rate ${Math.round(rate * 1000)} req/s`,
    );
    await expectDrained(result, subject, backends);
    expectLedger(result, before, ledger, await subject.database.balances());
    return result.result();
  },
};
