import { HttpError } from '../http/http-error.js';

/** How many failed logins are allowed before a 429; every field has a default. */
export interface LoginLimits {
  /** Failed logins one client address may make for one username per window. Default 5. */
  readonly perUserAndClient: number;
  /**
   * Failed logins one client address may make, whatever the usernames, per
   * window. Default 50. Without it a client could try one password on
   * every username.
   */
  readonly perClient: number;
  /** The window, in ms: a client's count starts again this long after its first failure. Default 15 minutes. */
  readonly windowMs: number;
  /**
   * Counters kept at most; past it the oldest window is forgotten. Default
   * 10000. Bounds the memory a client sending endless usernames can take
   * (perClient already stops one address after that many).
   */
  readonly maxTracked: number;
}

export const DEFAULT_LOGIN_LIMITS: LoginLimits = {
  perUserAndClient: 5,
  perClient: 50,
  windowMs: 15 * 60 * 1000,
  maxTracked: 10_000,
};

interface Window {
  count: number;
  readonly resetAt: number;
}

/** One login under way: counted as a failure unless it says it succeeded. */
export interface LoginAttempt {
  succeeded(): void;
}

/**
 * Counts failed logins per (username, client) and per client, in memory, per
 * process. An attempt counts from the moment it starts, so fifty concurrent
 * guesses cannot all pass the check before the first one fails; a login
 * that succeeds takes its count back, so correct logins are never limited.
 */
export class LoginLimiter {
  readonly #limits: LoginLimits;
  /** In insertion order, which is the order windows end in: the first entry ends first. */
  readonly #windows = new Map<string, Window>();

  constructor(limits: Partial<LoginLimits> = {}) {
    this.#limits = { ...DEFAULT_LOGIN_LIMITS, ...limits };
  }

  /** Counts an attempt for `username` from `client`; a 429 with Retry-After when either limit is spent. */
  begin(username: string, client: string, now = Date.now()): LoginAttempt {
    const byClient = this.#window(`client\u0000${client}`, now);
    const byUser = this.#window(`user\u0000${client}\u0000${username}`, now);
    if (byClient.count >= this.#limits.perClient) {
      throw tooMany('from this address', byClient.resetAt, now);
    }
    if (byUser.count >= this.#limits.perUserAndClient) {
      throw tooMany(`for ${username} from this address`, byUser.resetAt, now);
    }
    byClient.count += 1;
    byUser.count += 1;
    return {
      succeeded: () => {
        byClient.count = Math.max(0, byClient.count - 1);
        byUser.count = Math.max(0, byUser.count - 1);
      },
    };
  }

  /** Counters held now. */
  get size(): number {
    return this.#windows.size;
  }

  #window(key: string, now: number): Window {
    const found = this.#windows.get(key);
    if (found && found.resetAt > now) return found;
    this.#windows.delete(key);
    const fresh: Window = { count: 0, resetAt: now + this.#limits.windowMs };
    this.#windows.set(key, fresh);
    for (const oldest of this.#windows.keys()) {
      if (this.#windows.size <= this.#limits.maxTracked) break;
      this.#windows.delete(oldest);
    }
    return fresh;
  }
}

function tooMany(whose: string, resetAt: number, now: number): HttpError {
  const seconds = Math.max(1, Math.ceil((resetAt - now) / 1000));
  const at = new Date(now + seconds * 1000).toISOString();
  return new HttpError(
    429,
    `Too many failed logins ${whose}: try again in ${seconds} s (at ${at}).`,
    seconds,
  );
}
