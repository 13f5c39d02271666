import type { LifetimeRecorder } from './lifetime-recorder.js';

interface Watch {
  readonly timer: NodeJS.Timeout;
  readonly since: number;
  leaked: boolean;
}

/**
 * HikariCP's leakDetectionThreshold, which no Node pool offers: a
 * connection held longer than the threshold emits a `leak` event carrying
 * the stack of the code that acquired it, and a `leak-returned` event when
 * it finally comes back. It reports, never reclaims: taking a connection
 * away from code that still uses it would turn a slow request into a wrong one.
 */
export class LeakDetector {
  readonly #thresholdMs: number;
  readonly #recorder: LifetimeRecorder;
  readonly #watches = new Map<string, Watch>();

  constructor(thresholdMs: number, recorder: LifetimeRecorder) {
    if (!(thresholdMs > 0)) {
      throw new RangeError(
        `leakDetectionThresholdMs must be a positive number of milliseconds, got ${thresholdMs}. Leave it unset to turn detection off.`,
      );
    }
    this.#thresholdMs = thresholdMs;
    this.#recorder = recorder;
  }

  acquired(connectionId: string, scopeId: number | undefined): void {
    // Captured now, while the acquiring code is on the stack; by the time
    // the timer fires only the timer would be.
    const stack = new Error('acquired here').stack ?? '(no stack)';
    const watch: Watch = {
      since: performance.now(),
      leaked: false,
      timer: setTimeout(() => {
        watch.leaked = true;
        this.#recorder.record(
          'leak',
          scopeId,
          connectionId,
          `held for more than ${this.#thresholdMs} ms; acquired at:\n${stack}`,
        );
      }, this.#thresholdMs).unref(),
    };
    this.#watches.set(connectionId, watch);
  }

  released(connectionId: string, scopeId: number | undefined): void {
    const watch = this.#watches.get(connectionId);
    if (!watch) return;
    this.#watches.delete(connectionId);
    clearTimeout(watch.timer);
    if (watch.leaked) {
      const heldMs = Math.round(performance.now() - watch.since);
      this.#recorder.record('leak-returned', scopeId, connectionId, `returned after ${heldMs} ms`);
    }
  }
}
