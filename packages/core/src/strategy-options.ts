import type { ConnectionOptions } from './connection/connection-options.js';

/** Options every strategy takes. */
export interface StrategyOptions extends ConnectionOptions {
  /**
   * How long close() lets in-flight scopes and queries finish before it ends
   * them and closes their connections. Default 5000 ms; at 0 close() cuts
   * in-flight work off at once.
   */
  readonly closeTimeoutMs?: number;
  /**
   * Report a connection held longer than this: a `leak` event with the stack
   * of the code that acquired it, then `leak-returned` when it comes back.
   * Default undefined: off, and acquiring captures no stack.
   */
  readonly leakDetectionThresholdMs?: number;
}
