export interface AbortTally {
  readonly sent: number;
  /** Aborted before any answer came: the app saw its client go away mid-request. */
  readonly aborted: number;
  /** Requests not meant to be aborted that were answered 200. */
  readonly completed: number;
  /** Any other end: a status other than 200, an error, or an answer that beat its abort. */
  readonly failed: number;
  /** Statuses and errors of the failed ones, counted. */
  readonly failures: ReadonlyMap<string, number>;
}

export interface AbortingClientsOptions {
  readonly path: string;
  readonly clients: number;
  /** Every `abortEvery`-th request is aborted (3: a third of them). */
  readonly abortEvery: number;
  /** ...at a random moment in this range after it was sent. */
  readonly abortAfterMs: readonly [number, number];
}

/**
 * Clients that send `path` in a loop and abort every n-th request
 * mid-flight, as a browser does when its user navigates away: the socket
 * closes, the app's response `close` fires, and whatever the request held
 * must be given back. The other requests must be answered as usual.
 */
export function startAbortingClients(
  url: string,
  options: AbortingClientsOptions,
): { stop(): Promise<AbortTally> } {
  let running = true;
  let sent = 0;
  let aborted = 0;
  let completed = 0;
  const failures = new Map<string, number>();
  const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
  const [min, max] = options.abortAfterMs;
  const loop = async () => {
    while (running) {
      const toAbort = sent++ % options.abortEvery === options.abortEvery - 1;
      const controller = new AbortController();
      const timer = toAbort
        ? setTimeout(() => controller.abort(), min + Math.random() * (max - min))
        : undefined;
      try {
        const response = await fetch(`${url}${options.path}`, { signal: controller.signal });
        await response.arrayBuffer();
        if (toAbort) fail('answered before its abort');
        else if (response.status === 200) completed++;
        else fail(String(response.status));
      } catch (error) {
        if (toAbort && controller.signal.aborted) aborted++;
        else fail(error instanceof Error ? error.message : String(error));
      } finally {
        clearTimeout(timer);
      }
    }
  };
  const loops = Array.from({ length: options.clients }, loop);
  let stopped: Promise<AbortTally> | undefined;
  return {
    stop: () => {
      running = false;
      stopped ??= Promise.all(loops).then(() => ({
        sent,
        aborted,
        completed,
        failed: [...failures.values()].reduce((a, b) => a + b, 0),
        failures,
      }));
      return stopped;
    },
  };
}
