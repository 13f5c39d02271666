import type { LifetimeEvent } from '../stats/lifetime-events.js';

/** [scope, connection] holds from acquire to release, read off the events. */
export interface Hold {
  readonly scopeId: number | undefined;
  readonly connectionId: string;
  readonly from: number;
  readonly to: number;
}

/** Pairs each acquire with the next release of the same connection. Unreleased holds end at Infinity. */
export function holds(events: readonly LifetimeEvent[]): Hold[] {
  const open = new Map<string, LifetimeEvent>();
  const result: Hold[] = [];
  for (const event of events) {
    if (!event.connectionId) continue;
    if (event.type === 'acquire') open.set(event.connectionId, event);
    if (event.type === 'release') {
      const start = open.get(event.connectionId);
      if (start) {
        result.push({
          scopeId: start.scopeId,
          connectionId: event.connectionId,
          from: start.time,
          to: event.time,
        });
        open.delete(event.connectionId);
      }
    }
  }
  for (const [connectionId, start] of open) {
    result.push({
      scopeId: start.scopeId,
      connectionId,
      from: start.time,
      to: Number.POSITIVE_INFINITY,
    });
  }
  return result;
}

/** Pairs of holds where two different scopes held one connection at the same time. */
export function sharedHolds(events: readonly LifetimeEvent[]): Array<[Hold, Hold]> {
  const byConnection = new Map<string, Hold[]>();
  for (const hold of holds(events)) {
    const list = byConnection.get(hold.connectionId) ?? [];
    list.push(hold);
    byConnection.set(hold.connectionId, list);
  }
  const clashes: Array<[Hold, Hold]> = [];
  for (const list of byConnection.values()) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 1; i < list.length; i++) {
      const previous = list[i - 1];
      const current = list[i];
      if (
        previous &&
        current &&
        current.from < previous.to &&
        current.scopeId !== previous.scopeId
      ) {
        clashes.push([previous, current]);
      }
    }
  }
  return clashes;
}

/**
 * Connections that were closed while a transaction was open on them.
 * Nested units (savepoints) emit begin/commit/rollback too, so this counts
 * depth rather than a flag.
 */
export function closedInTransaction(events: readonly LifetimeEvent[]): string[] {
  const depth = new Map<string, number>();
  const offenders: string[] = [];
  for (const event of events) {
    const id = event.connectionId;
    if (!id) continue;
    const current = depth.get(id) ?? 0;
    if (event.type === 'begin') depth.set(id, current + 1);
    if (event.type === 'commit' || event.type === 'rollback')
      depth.set(id, Math.max(0, current - 1));
    if (event.type === 'close' && current > 0) offenders.push(id);
  }
  return offenders;
}

/** For each scope, how many acquires and releases it made. */
export function acquireReleaseCounts(
  events: readonly LifetimeEvent[],
): Map<number | undefined, { acquires: number; releases: number }> {
  const counts = new Map<number | undefined, { acquires: number; releases: number }>();
  for (const event of events) {
    if (event.type !== 'acquire' && event.type !== 'release') continue;
    const entry = counts.get(event.scopeId) ?? { acquires: 0, releases: 0 };
    if (event.type === 'acquire') entry.acquires++;
    else entry.releases++;
    counts.set(event.scopeId, entry);
  }
  return counts;
}
