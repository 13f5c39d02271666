import type { RequestHandler } from 'express';

/**
 * Adds `Server-Timing: app;dur=<ms>` to every response: the time from this
 * middleware to the response headers, measured in the server with
 * sub-millisecond precision. The bench reads it, because autocannon's own
 * latencies come in whole milliseconds and include the network.
 */
export function serverTiming(): RequestHandler {
  return (_req, res, next) => {
    const start = process.hrtime.bigint();
    const writeHead = res.writeHead;
    // writeHead is the last moment a header can still be set.
    res.writeHead = function (this: typeof res, ...args: unknown[]) {
      if (!this.headersSent) {
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        this.setHeader('Server-Timing', `app;dur=${ms.toFixed(3)}`);
      }
      return (writeHead as (...a: unknown[]) => typeof res).apply(this, args);
    } as typeof res.writeHead;
    next();
  };
}
