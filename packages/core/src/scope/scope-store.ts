import { AsyncLocalStorage } from 'node:async_hooks';
import type { RequestHandler } from 'express';
import type { LifetimeRecorder } from '../stats/lifetime-recorder.js';
import { RequestScope } from './request-scope.js';

export interface ScopeHooks {
  /** Called for every new scope, to register the strategy's teardowns. */
  start(scope: RequestScope): void;
  /** An error when no new scope may start (the strategy is closing). */
  refuse(): Error | undefined;
}

/**
 * Where a strategy keeps "the current request": AsyncLocalStorage plays
 * Flask's `g`, a store that follows one request through every await and
 * never leaks into another. Each strategy has its own store, so two
 * strategies in one process never see each other's scopes.
 */
export class ScopeStore {
  readonly #storage = new AsyncLocalStorage<RequestScope>();
  readonly #recorder: LifetimeRecorder;
  readonly #open = new Set<RequestScope>();
  readonly #hooks: ScopeHooks;

  constructor(recorder: LifetimeRecorder, hooks: ScopeHooks) {
    this.#recorder = recorder;
    this.#hooks = hooks;
  }

  /** The scope of the calling code, or undefined outside any scope. */
  current(): RequestScope | undefined {
    return this.#storage.getStore();
  }

  /** Scopes started and not yet ended. */
  get openScopes(): ReadonlySet<RequestScope> {
    return this.#open;
  }

  /**
   * Runs `fn` in a new scope and ends the scope when `fn` settles, whatever
   * the outcome. `init` runs on the new scope before `fn`, for callers that
   * attach what they resolved (a tenant, a job id) to it.
   */
  async run<T>(fn: () => Promise<T> | T, init?: (scope: RequestScope) => void): Promise<T> {
    const refused = this.#hooks.refuse();
    if (refused) throw refused;
    const scope = this.#start();
    init?.(scope);
    try {
      return await this.#storage.run(scope, fn);
    } finally {
      await scope.end();
    }
  }

  /**
   * Express middleware: opens a scope for the request and ends it when the
   * response emits `close`. `close` fires after `finish` on success, and also
   * when the client aborts or the socket breaks, where `finish` never comes:
   * ending on `finish` leaks the connection of every aborted request.
   */
  middleware(init?: (scope: RequestScope) => void): RequestHandler {
    return (_req, res, next) => {
      // Middleware that resolved something asynchronously first (a tenant)
      // can arrive after the client left: its `close` has fired already and
      // would never end a scope opened now.
      if (res.closed) return;
      const refused = this.#hooks.refuse();
      if (refused) {
        next(refused);
        return;
      }
      const scope = this.#start();
      init?.(scope);
      res.once('close', () => {
        void scope.end();
      });
      this.#storage.run(scope, next);
    };
  }

  #start(): RequestScope {
    const scope = new RequestScope((error) => {
      this.#recorder.record('error', scope.id, undefined, `teardown: ${error.message}`);
    });
    this.#open.add(scope);
    this.#recorder.record('scope-start', scope.id, undefined);
    // Registered first so it runs last: the scope counts as open until every
    // strategy teardown has released what it held.
    scope.onTeardown(() => {
      this.#open.delete(scope);
      this.#recorder.record('scope-end', scope.id, undefined);
    });
    this.#hooks.start(scope);
    return scope;
  }
}
