import type { ConnectionLock, PhysicalConnection } from '@lifetimes/core/authoring';

/** What a session holds: its pooled connection (`real`), wrapped so that every statement autobegins. */
export interface HeldConnection extends PhysicalConnection {
  readonly real: PhysicalConnection;
}

/**
 * One unit of work: at most one pooled connection, checked out on first
 * use and held until remove(), and the lock that lets one query of the
 * session run at a time so concurrent queries never interleave across its
 * transaction.
 */
export class Session {
  readonly key: unknown;
  /** The scope id for events: the request's, or undefined for a custom key. */
  readonly scopeId: number | undefined;
  readonly lock: ConnectionLock;
  connection: HeldConnection | undefined;
  /** Set when the connection broke inside the unit of work; cleared by rollback(). */
  lost: Error | undefined;
  /** Set by remove(): a query still waiting on this session must not revive it. */
  removed = false;
  /** How many `db.transaction()` savepoints are open inside the session's transaction. */
  savepoints = 0;

  constructor(key: unknown, scopeId: number | undefined, lock: ConnectionLock) {
    this.key = key;
    this.scopeId = scopeId;
    this.lock = lock;
  }
}
