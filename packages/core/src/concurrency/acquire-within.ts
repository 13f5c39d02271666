import type { ConnectionObserver } from '../connection/physical-connection.js';
import { AcquireTimeoutError } from '../errors.js';
import { type Semaphore, SemaphoreTimeout } from './semaphore.js';

/** How one caller waits for a permit, and what its timeout error says. */
export interface BoundedWait {
  /** How long to wait for the permit before giving up. */
  readonly timeoutMs: number;
  /** Counts the wait and the timeout; none where nothing counts them (the SQLite write lock). */
  readonly observer?: Pick<ConnectionObserver, 'onWait' | 'onWaitEnd' | 'onTimeout'>;
  /** What the wait was for, as the error names it: "request 12's connection". */
  readonly what: string;
  /** What to do about it, for the error. */
  readonly hint: string;
}

const ACQUIRED = Promise.resolve();

/**
 * Takes a permit of `semaphore` within `wait.timeoutMs`, or counts a
 * timeout and throws AcquireTimeoutError naming what was waited for: a 503
 * with Retry-After, never a hang. A free permit, the usual case, hands back
 * one settled promise: under AsyncLocalStorage every promise a request
 * makes costs it a copy of its context.
 */
export function acquireWithin(semaphore: Semaphore, wait: BoundedWait): Promise<void> {
  if (semaphore.tryAcquire()) return ACQUIRED;
  return semaphore.acquire(wait.timeoutMs, wait.observer).catch((error: unknown) => {
    if (!(error instanceof SemaphoreTimeout)) throw error;
    wait.observer?.onTimeout();
    throw new AcquireTimeoutError(wait.what, wait.timeoutMs, wait.hint);
  });
}
