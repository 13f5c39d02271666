import type { Ledger } from './ledger.js';
import type { ResultBuilder } from './result-builder.js';
import { failureSummary, type LoadTrace } from './tracked-load.js';

/** When the outage began and ended, and when the run stopped, as performance.now() times. */
export interface OutageTimes {
  readonly downAt: number;
  readonly upAt: number;
  readonly endAt: number;
  /** The end of the run that must be clean: the app has recovered by then. */
  readonly cleanTailMs: number;
}

/**
 * What every outage of something between the app and its data (the server
 * restarting, the pooler restarting) must show, from the load's trace and
 * the ledger: requests failed while it was down, every failure a 503 with
 * Retry-After and none a hang, and the app served again by itself with a
 * clean tail. Figures: the outage, the requests failed, the gap from the
 * first failure to the first request served after the last, the slowest
 * answer.
 */
export function expectOutageHandled(
  result: ResultBuilder,
  trace: LoadTrace,
  ledger: Ledger,
  times: OutageTimes,
): void {
  const { downAt, upAt, endAt, cleanTailMs } = times;
  const completions = [
    ...trace.responses.map((r) => ({ at: r.at, ok: r.status === 200 })),
    ...trace.errors.map((e) => ({ at: e.at, ok: false })),
    ...ledger.records.map((r) => ({
      at: r.sentAt + r.latencyMs,
      ok: r.status !== undefined && r.status < 500,
    })),
  ].sort((a, b) => a.at - b.at);
  const failures = completions.filter((c) => !c.ok);
  const firstFailure = failures[0]?.at;
  // A request that finished its query before the outage can still be
  // answered after the first failure: the app is back only after the last.
  const lastFailure = failures.at(-1)?.at;
  const servedAgain =
    lastFailure === undefined ? undefined : completions.find((c) => c.ok && c.at > lastFailure);
  const tail = completions.filter((c) => c.at >= endAt - cleanTailMs && c.at <= endAt);
  const wrong = trace.responses.filter(
    (r) => r.status !== 200 && (r.status !== 503 || !/^[1-9]\d*$/.test(r.retryAfter ?? '')),
  );
  const wrongTransfers = ledger.records.filter(
    (r) => r.status === undefined || (r.status >= 500 && r.status !== 503),
  );
  const slowest = Math.max(
    0,
    ...trace.responses.map((r) => r.latencyMs),
    ...ledger.records.map((r) => r.latencyMs),
  );
  result.figures.downMs = Math.round(upAt - downAt);
  result.figures.failed = failures.length;
  result.figures.gapSec =
    firstFailure === undefined || !servedAgain
      ? 'none'
      : ((servedAgain.at - firstFailure) / 1000).toFixed(2);
  result.figures.slowestMs = Math.round(slowest);

  result.expect(
    'requests failed while it was down',
    failures.length > 0 && firstFailure !== undefined && firstFailure < upAt,
    `${failures.length} failed, the first ${firstFailure === undefined ? 'never' : `${Math.round(firstFailure - downAt)} ms after the stop`}`,
  );
  result.expect(
    'every failure was a 503 with Retry-After: no 500, no hang',
    wrong.length === 0 &&
      trace.errors.length === 0 &&
      trace.timeouts === 0 &&
      wrongTransfers.length === 0,
    `load: ${failureSummary(trace, (s) => s === 200 || s === 503)}, ${wrong.filter((r) => r.status === 503).length} × 503 without Retry-After, ${trace.timeouts} timed out; transfers without an answer or with another 5xx: ${wrongTransfers.length}; slowest answer ${Math.round(slowest)} ms`,
  );
  result.expect(
    'recovered without restarting the app',
    servedAgain !== undefined && tail.length > 0 && tail.every((c) => c.ok),
    `served again ${servedAgain ? `${Math.round(servedAgain.at - upAt)} ms after it was back` : 'never'}; last ${cleanTailMs} ms: ${tail.filter((c) => c.ok).length} served, ${tail.filter((c) => !c.ok).length} failed`,
  );
}
