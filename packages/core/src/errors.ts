/**
 * Every error a strategy raises on purpose is a LifetimeError with a stable
 * `code`, so route code and the HTTP layer can map it to a status without
 * matching on message text.
 */
export class LifetimeError extends Error {
  readonly code: string;
  /** HTTP status the sample apps answer with when this error reaches them. */
  readonly status: number;

  constructor(code: string, status: number, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.status = status;
  }
}

/** A scoped strategy was asked for a connection with no request scope around the call. */
export class OutsideScopeError extends LifetimeError {
  constructor(strategy: string) {
    super(
      'OUTSIDE_SCOPE',
      500,
      `${strategy}: a query ran outside any request scope. Run it inside the strategy's ` +
        'middleware() for HTTP, or inside strategy.scope(fn) for jobs, scripts and tests.',
    );
  }
}

/**
 * A query ran after its scope ended: typically a timer or promise that
 * outlived the response. Failing here is the point: the connection it would
 * have used is closed or already serves someone else.
 */
export class ScopeClosedError extends LifetimeError {
  constructor(strategy: string, scopeId: number) {
    super(
      'SCOPE_CLOSED',
      500,
      `${strategy}: a query ran after scope ${scopeId} ended (the response was sent or the ` +
        'client went away). Await all database work before the handler returns, or start ' +
        'background work in its own strategy.scope(fn).',
    );
  }
}

/** No connection became free within the acquire timeout. */
export class AcquireTimeoutError extends LifetimeError {
  readonly retryAfterSeconds: number;

  constructor(what: string, timeoutMs: number, hint: string) {
    super('ACQUIRE_TIMEOUT', 503, `Timed out after ${timeoutMs} ms waiting for ${what}. ${hint}`);
    this.retryAfterSeconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  }
}

/** The strategy was closed; it opens nothing new. */
export class StrategyClosedError extends LifetimeError {
  constructor(strategy: string) {
    super(
      'STRATEGY_CLOSED',
      503,
      `${strategy}: the strategy is closed and opens no new connections. ` +
        'Create a new strategy instance, or stop sending work after close().',
    );
  }
}

/** A database URL this project cannot open. */
export class BadDatabaseUrlError extends LifetimeError {
  /** `problem`: what is wrong with a URL of a known kind; without it, the kinds that work. */
  constructor(url: string, problem?: string) {
    super(
      'BAD_DATABASE_URL',
      500,
      problem
        ? `Cannot use database URL "${url}": ${problem}.`
        : `Cannot use database URL "${url}": use sqlite:<path to a file> or postgres://user@host:port/db. ` +
            'SQLite ":memory:" is refused because every connection would see its own empty database.',
    );
  }
}
