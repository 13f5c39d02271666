import type { IncomingHttpHeaders } from 'node:http';
import autocannon, { type Request } from 'autocannon';
import type { Workload } from './workloads.js';

export interface LoadResult {
  /** Requests written to the app, answered or not. */
  readonly sent: number;
  /** Responses of any status. */
  readonly responses: number;
  readonly ok: number;
  /** How long the load really ran, as autocannon measured it (not the length asked for). */
  readonly durationSec: number;
  /** 2xx responses over the measured duration. */
  readonly requestsPerSec: number;
  /** autocannon's latency percentiles, whole milliseconds. */
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** The app's own route time (Server-Timing), microseconds; undefined if the app sent none. */
  readonly serverP50Us: number | undefined;
  readonly serverP99Us: number | undefined;
  readonly non2xx: number;
  /** Responses with a 5xx status: never acceptable. */
  readonly status5xx: number;
  /** 503s: the app refused for now and said so. */
  readonly status503: number;
  /** 503s without a Retry-After header: a refusal that does not say when to retry. */
  readonly refusedWithoutRetryAfter: number;
  readonly errors: number;
  readonly timeouts: number;
  /** Responses whose body was not a correct answer. */
  readonly mismatches: number;
}

/** Picks `app;dur=<ms>` out of a Server-Timing header, as microseconds. */
export function serverTimingUs(header: string | undefined): number | undefined {
  const ms = header ? /(?:^|,)\s*app;dur=([\d.]+)/.exec(header)?.[1] : undefined;
  return ms === undefined ? undefined : Number(ms) * 1000;
}

export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const at = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[at];
}

/**
 * How long a load runs: for `seconds`, or until exactly `requests` were sent
 * and answered. A counted load leaves nothing in flight, so whatever the app
 * counted during it belongs to those requests; `capSec` bounds it all the same.
 */
export type LoadLength =
  | { readonly seconds: number }
  | { readonly requests: number; readonly capSec: number };

/**
 * autocannon looks at its clock once per sample interval and stops only
 * then: at its default of 1 s a 1.5 s round ran 2 s. A short interval keeps
 * the overrun small, and the throughput divides by the measured time anyway.
 */
const SAMPLE_INTERVAL_MS = 10;

/** Runs one round of `workload` against the app at `url`. */
export async function runLoad(
  url: string,
  workload: Workload,
  tenantIds: readonly string[],
  length: LoadLength,
  connections: number,
): Promise<LoadResult> {
  const serverTimes: number[] = [];
  let refusedWithoutRetryAfter = 0;
  const requests: Request[] = workload.requests(tenantIds).map((request) => ({
    ...request,
    onResponse: (
      status: number,
      _body: string,
      _context: object,
      headers?: IncomingHttpHeaders,
    ) => {
      // Header names arrive as the server wrote them: match case-insensitively.
      const header = (wanted: string) => {
        const key = Object.keys(headers ?? {}).find((name) => name.toLowerCase() === wanted);
        return key ? headers?.[key] : undefined;
      };
      if (status === 503 && header('retry-after') === undefined) refusedWithoutRetryAfter++;
      const timing = header('server-timing');
      const us = serverTimingUs(Array.isArray(timing) ? timing.join(',') : timing);
      if (us !== undefined) serverTimes.push(us);
    },
  }));
  const counted = 'requests' in length;
  let cap: NodeJS.Timeout | undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url,
        connections: counted ? Math.min(connections, length.requests) : connections,
        ...(counted ? { amount: length.requests } : { duration: length.seconds }),
        sampleInt: SAMPLE_INTERVAL_MS,
        requests,
        verifyBody: (body) => workload.verify(String(body ?? '')),
        timeout: 10,
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    if (counted) cap = setTimeout(() => instance.stop(), length.capSec * 1000);
  }).finally(() => clearTimeout(cap));
  serverTimes.sort((a, b) => a - b);
  const status5xx = Object.entries(result.statusCodeStats ?? {})
    .filter(([code]) => code.startsWith('5'))
    .reduce((sum, [, stats]) => sum + (stats as { count: number }).count, 0);
  return {
    sent: result.requests.sent,
    responses: result['1xx'] + result['2xx'] + result['3xx'] + result['4xx'] + result['5xx'],
    ok: result['2xx'],
    durationSec: result.duration,
    requestsPerSec: result.duration > 0 ? result['2xx'] / result.duration : 0,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    serverP50Us: percentile(serverTimes, 50),
    serverP99Us: percentile(serverTimes, 99),
    non2xx: result.non2xx,
    status5xx,
    status503: result.statusCodeStats?.['503']?.count ?? 0,
    refusedWithoutRetryAfter,
    errors: result.errors,
    timeouts: result.timeouts,
    mismatches: (result as unknown as { mismatches?: number }).mismatches ?? 0,
  };
}
