import { ConnectionLock } from '../concurrency/connection-lock.js';
import type { ConnectionObserver } from '../connection/physical-connection.js';
import { OutsideScopeError, ScopeClosedError } from '../errors.js';
import type { RequestScope } from './request-scope.js';
import type { ScopeStore } from './scope-store.js';

/** What a scope holds in a strategy where it keeps one connection: its scope, and the lock that gives the connection to one query at a time. */
export interface ScopeHold {
  /** The request the hold belongs to. */
  readonly scope: RequestScope;
  /** Taken by each query for its length (a transaction's for all of it), so the scope's queries take turns. */
  readonly lock: ConnectionLock;
}

/**
 * One hold per request scope, for the strategies whose request keeps one
 * connection from its first query to its teardown (per-request opens it,
 * pooled-registry leases it). This is the part they share: the hold made
 * when the scope starts and forgotten when it ends, and a query let in only
 * inside a live scope, one at a time. What a strategy does with the hold,
 * open and close or lease and return, stays in its own file.
 */
export class ScopeHolds<H extends ScopeHold> {
  readonly #strategyName: string;
  readonly #scopes: ScopeStore;
  readonly #lockTimeoutMs: number;
  readonly #observer: ConnectionObserver;
  /**
   * A Map emptied at teardown, not a WeakMap: V8's young-generation GC keeps
   * the keys of a WeakMap alive, so every request's scope, lock and hold
   * would survive into the old generation and cost a full GC later (the
   * micro bench measured several times the cost of a scope).
   */
  readonly #holds = new Map<RequestScope, H>();

  constructor(
    strategyName: string,
    scopes: ScopeStore,
    lockTimeoutMs: number,
    observer: ConnectionObserver,
  ) {
    this.#strategyName = strategyName;
    this.#scopes = scopes;
    this.#lockTimeoutMs = lockTimeoutMs;
    this.#observer = observer;
  }

  /**
   * For onScopeStart(): the hold `make` builds for `scope` around the lock
   * made for it, kept until the scope ends; then it is forgotten, and
   * `teardown` runs with it.
   */
  start(
    scope: RequestScope,
    make: (lock: ConnectionLock) => H,
    teardown: (hold: H) => Promise<void> | undefined,
  ): void {
    const lock = new ConnectionLock(
      `request ${scope.id}'s connection`,
      this.#lockTimeoutMs,
      this.#observer,
    );
    const hold = make(lock);
    this.#holds.set(scope, hold);
    // Forgotten as teardown starts, with no wrapper promise per request:
    // once end() has returned the scope reads closed, and current() turns a
    // query away before it looks for a hold.
    scope.onTeardown(() => {
      this.#holds.delete(scope);
      return teardown(hold);
    });
  }

  /** The hold of `scope`, while it lasts. */
  of(scope: RequestScope): H | undefined {
    return this.#holds.get(scope);
  }

  /**
   * For acquireConnection(), before it takes the hold's lock: the current
   * scope's hold. A query outside any scope, or after its scope ended,
   * throws instead of borrowing someone else's connection.
   */
  current(): H {
    const scope = this.#scopes.current();
    if (!scope) throw new OutsideScopeError(this.#strategyName);
    if (scope.closed) throw new ScopeClosedError(this.#strategyName, scope.id);
    const hold = this.#holds.get(scope);
    if (!hold) throw new OutsideScopeError(this.#strategyName);
    return hold;
  }

  /**
   * For acquireConnection(), once it holds the lock: the scope may have ended
   * while the query waited for it. Then the lock is given back and the query
   * throws. Apart from current(), and not one async step around both, so a
   * query costs no promise beyond the lock's own.
   */
  stillOpen(hold: H): void {
    if (!hold.scope.closed) return;
    hold.lock.release();
    throw new ScopeClosedError(this.#strategyName, hold.scope.id);
  }

  /**
   * For acquireConnection() when another query of the scope holds the lock:
   * waits its turn, then checks as stillOpen() does.
   */
  async takeInTurn(hold: H): Promise<void> {
    await hold.lock.take();
    this.stillOpen(hold);
  }
}
