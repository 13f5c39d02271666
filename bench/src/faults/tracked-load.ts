import type { IncomingHttpHeaders } from 'node:http';
import { withResolvers } from '@lifetimes/databases';
import autocannon from 'autocannon';

export interface TrackedResponse {
  /** When it completed, performance.now() milliseconds. */
  readonly at: number;
  readonly status: number;
  readonly latencyMs: number;
  /** The Retry-After header, if the app sent one. */
  readonly retryAfter: string | undefined;
}

export interface TrackedError {
  readonly at: number;
  /** A socket error, or "request timed out" when no answer came within the timeout. */
  readonly message: string;
}

export interface LoadTrace {
  readonly responses: readonly TrackedResponse[];
  readonly errors: readonly TrackedError[];
  /** Requests that had no answer within the timeout: autocannon dropped their connection. */
  readonly timeouts: number;
}

export interface TrackedLoadOptions {
  readonly paths: readonly string[];
  readonly connections: number;
  /** Default UNTIL_STOPPED_SEC: a load the scenario ends with stop() once the fault has played out. */
  readonly durationSec?: number;
  /** A request with no answer after this long counts as hung. At least 1 (autocannon's floor); default HUNG_AFTER_SEC. */
  readonly timeoutSec?: number;
}

/** The bound on a load the scenario stops itself: no scenario's fault plays out for this long. */
export const UNTIL_STOPPED_SEC = 60;

/** An answer later than this is a hung request, whatever the scenario. */
export const HUNG_AFTER_SEC = 10;

export interface TrackedLoad {
  /** Resolves when the load ends, by its duration or by stop(). */
  readonly done: Promise<LoadTrace>;
  /** Ends the load early: autocannon closes its connections, in-flight requests included. */
  stop(): Promise<LoadTrace>;
}

/**
 * autocannon GETting `paths` in turn, with every response and error kept
 * with its time, status and Retry-After: a fault's damage and the recovery
 * after it show only request by request, not in autocannon's totals.
 */
export function startTrackedLoad(url: string, options: TrackedLoadOptions): TrackedLoad {
  const responses: TrackedResponse[] = [];
  const errors: TrackedError[] = [];
  // autocannon hands headers to a request's onResponse and the latency to
  // the 'response' event right after it, synchronously, for the same
  // response: the first keeps the header for the second.
  let retryAfter: string | undefined;
  const onResponse = (
    _status: number,
    _body: string,
    _context: object,
    headers?: IncomingHttpHeaders,
  ) => {
    const key = Object.keys(headers ?? {}).find((name) => name.toLowerCase() === 'retry-after');
    const value = key ? headers?.[key] : undefined;
    retryAfter = Array.isArray(value) ? value.join(',') : value;
  };
  const trace = withResolvers<LoadTrace>();
  const instance = autocannon(
    {
      url,
      connections: options.connections,
      duration: options.durationSec ?? UNTIL_STOPPED_SEC,
      timeout: Math.max(1, options.timeoutSec ?? HUNG_AFTER_SEC),
      // How often autocannon looks whether to stop: stop() takes this long at most.
      sampleInt: 100,
      requests: options.paths.map((path) => ({ method: 'GET' as const, path, onResponse })),
    },
    (error, result) => {
      if (error) trace.reject(error);
      else trace.resolve({ responses, errors, timeouts: result.timeouts });
    },
  );
  instance.on('response', (_client, status, _bytes, latencyMs) => {
    responses.push({ at: performance.now(), status, latencyMs, retryAfter });
    retryAfter = undefined;
  });
  instance.on('reqError', (error) => {
    errors.push({ at: performance.now(), message: error.message });
  });
  return {
    done: trace.promise,
    stop: () => {
      instance.stop();
      return trace.promise;
    },
  };
}

/** What went wrong in a trace, counted: "3 × 503, 1 × request timed out"; "none" when nothing did. */
export function failureSummary(
  trace: LoadTrace,
  ok: (status: number) => boolean = (s) => s === 200,
): string {
  const counts = new Map<string, number>();
  for (const response of trace.responses) {
    if (!ok(response.status)) {
      counts.set(String(response.status), (counts.get(String(response.status)) ?? 0) + 1);
    }
  }
  for (const error of trace.errors) counts.set(error.message, (counts.get(error.message) ?? 0) + 1);
  return counts.size === 0
    ? 'none'
    : [...counts].map(([what, count]) => `${count} × ${what}`).join(', ');
}
