/**
 * What happened to a connection, and when. Strategies emit these; tests
 * compare ordered lists of them, and the docs draw lifetime timelines from them.
 */
export type LifetimeEventType =
  | 'scope-start'
  | 'scope-end'
  | 'connect'
  | 'open'
  | 'acquire'
  | 'wait'
  | 'wait-end'
  | 'timeout'
  | 'begin'
  | 'query'
  | 'commit'
  | 'rollback'
  | 'release'
  | 'close'
  | 'error'
  | 'engine-create'
  | 'engine-close'
  | 'evict'
  | 'leak'
  | 'leak-returned';

export interface LifetimeEvent {
  readonly type: LifetimeEventType;
  /** `performance.now()` when it happened, in milliseconds with sub-millisecond precision. */
  readonly time: number;
  /** The scope (request, job) it happened in; undefined outside any scope. */
  readonly scopeId: number | undefined;
  /** The physical connection involved, when there is one. */
  readonly connectionId: string | undefined;
  /** Free text: the error message, the evicted engine, the leak's acquiring stack. */
  readonly detail?: string;
}

export type LifetimeListener = (event: LifetimeEvent) => void;
