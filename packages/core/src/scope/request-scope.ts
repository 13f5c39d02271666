let nextScopeId = 1;

/** Returns a promise while it has work left, or nothing when it finished at once. */
type Teardown = () => Promise<void> | void;

/**
 * One request, job or test run: the Node counterpart of Flask's application
 * context. Strategies hang per-scope state on it and register teardowns the
 * way Flask's `teardown_appcontext` functions run when the context pops.
 */
export class RequestScope {
  readonly id = nextScopeId++;
  readonly #teardowns: Teardown[] = [];
  #ending: Promise<void> | undefined;
  readonly #onError: (error: Error) => void;

  constructor(onError: (error: Error) => void) {
    this.#onError = onError;
  }

  /** True from the moment end() is called: no new work may start in this scope. */
  get closed(): boolean {
    return this.#ending !== undefined;
  }

  /** Registers work to run when the scope ends, most recent first. */
  onTeardown(teardown: Teardown): void {
    if (this.closed) {
      throw new Error(`Scope ${this.id} has ended; a teardown registered now would never run.`);
    }
    this.#teardowns.push(teardown);
  }

  /**
   * Ends the scope exactly once: later calls return the first call's promise.
   * Never rejects: a failing teardown is reported and the others still run,
   * because one broken connection must not leak the rest.
   */
  end(): Promise<void> {
    this.#ending ??= this.#runTeardowns();
    return this.#ending;
  }

  async #runTeardowns(): Promise<void> {
    for (const teardown of this.#teardowns.reverse()) {
      try {
        // Awaited only when there is something to wait for: awaiting a
        // teardown that finished at once would make promises for nothing.
        const pending = teardown();
        if (pending) await pending;
      } catch (error) {
        this.#onError(error instanceof Error ? error : new Error(String(error)));
      }
    }
  }
}
