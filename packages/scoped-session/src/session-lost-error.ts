import { LifetimeError } from '@lifetimes/core';

/**
 * The session's connection broke while its unit of work was open, so that
 * work is gone. Carrying on would commit only the statements after the
 * break: a partial unit of work. Like SQLAlchemy after a failed flush, the
 * session refuses until rollback() (or the end of the scope) starts it over.
 */
export class SessionLostError extends LifetimeError {
  constructor(cause: Error) {
    super(
      'SESSION_LOST',
      503,
      `The session's connection broke mid-transaction (${cause.message}); its uncommitted work is lost. ` +
        'Call rollback() to start a new unit of work, or let the request end and retry it.',
      { cause },
    );
  }
}
