import type { LifetimeEvent, LifetimeEventType } from '@lifetimes/core';

/**
 * A lifetime event as the live view streams it: ids and timings only. The
 * strategy's free-text `detail` is never sent (an error message can quote a
 * statement or a value from it, a leak carries a stack), except an engine's
 * database name, reduced to a name and checked.
 */
export interface LiveEvent {
  readonly type: LifetimeEventType;
  /** The server's `performance.now()` when it happened, in milliseconds. */
  readonly t: number;
  readonly scope?: number;
  readonly conn?: string;
  /** For engine events: the database's name (a PostgreSQL database, a SQLite file's name). */
  readonly engine?: string;
}

/** Events whose detail is an engine's (redacted) database URL. */
const ENGINE_EVENTS: ReadonlySet<LifetimeEventType> = new Set([
  'engine-create',
  'engine-close',
  'evict',
]);

/** What a database or file name may look like to be shown; anything else is left out. */
const SAFE_NAME = /^[A-Za-z0-9_.~-]{1,128}$/;

export function toLiveEvent(event: LifetimeEvent): LiveEvent {
  const live: { -readonly [K in keyof LiveEvent]: LiveEvent[K] } = {
    type: event.type,
    t: Math.round(event.time * 1000) / 1000,
  };
  if (event.scopeId !== undefined) live.scope = event.scopeId;
  if (event.connectionId !== undefined) live.conn = event.connectionId;
  if (ENGINE_EVENTS.has(event.type)) {
    const engine = databaseName(event.detail);
    if (engine !== undefined) live.engine = engine;
  }
  return live;
}

/**
 * The last segment of a database URL's path: never its host, user or
 * directories, which say where the data is, and only if it looks like a name.
 */
export function databaseName(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let path: string;
  if (url.startsWith('sqlite:')) {
    path = url.slice('sqlite:'.length).split('?')[0] ?? '';
  } else {
    try {
      path = decodeURIComponent(new URL(url).pathname);
    } catch {
      return undefined;
    }
  }
  const name = path.split(/[\\/]/).pop() ?? '';
  return SAFE_NAME.test(name) ? name : undefined;
}
