import type { LifetimeEvent } from '@lifetimes/core';

export interface Span {
  readonly from: number;
  readonly to: number;
}

/** A connection held by one request, from acquire to release. */
export interface Hold extends Span {
  /** The connection's lane number, 1 for the first connection the run touched. */
  readonly lane: number;
}

export interface RequestRow {
  readonly label: string;
  readonly scope: Span;
  /** From a `wait` to the `wait-end` (or `timeout`) that ended it. */
  readonly waits: readonly Span[];
  /** From a `connect` to the `open` it led to: what opening a connection cost this request. */
  readonly openings: readonly Span[];
  readonly holds: readonly Hold[];
  readonly queries: readonly number[];
}

export interface ConnectionLane {
  readonly lane: number;
  /** The database of the first request that held it, when the run names databases. */
  readonly tenant: string | undefined;
  /** From its first appearance (its `connect`, or its first use when it was opened before the run) to its close or the end. */
  readonly life: Span;
  readonly opening: Span | undefined;
  readonly opened: number | undefined;
  readonly closed: number | undefined;
  readonly holds: readonly Span[];
}

/** An engine (one database's pool) taken out of service, or closed once its requests drained. */
export interface EngineMark {
  readonly type: 'evict' | 'engine-close';
  readonly time: number;
  readonly tenant: string;
}

/** What a picture claims, embedded in it so a test can compare a committed picture with a fresh run. */
export interface TimelineFacts {
  readonly opened: number;
  readonly lanes: number;
  readonly holds: number;
  readonly waits: number;
  readonly evicted: number;
  readonly enginesClosed: number;
  /** Each lane's database, in lane order; empty when the run names none. */
  readonly tenants: readonly string[];
}

export interface TimelineModel {
  readonly start: number;
  readonly end: number;
  readonly rows: readonly RequestRow[];
  readonly lanes: readonly ConnectionLane[];
  readonly engines: readonly EngineMark[];
  readonly facts: TimelineFacts;
}

export interface TimelineRun {
  readonly events: readonly LifetimeEvent[];
  /** Row label per scope id; scopes without one are left out of the rows. */
  readonly labels: ReadonlyMap<number, string>;
  /** The database each scope used, for a strategy that serves many. */
  readonly tenants?: ReadonlyMap<number, string>;
  /** The database an engine event's detail (its redacted URL) names. */
  readonly engineTenant?: (detail: string) => string;
}

/** Pairs each `start` event of a scope with the next `end` event of the same scope. */
function spansOf(
  events: readonly LifetimeEvent[],
  scopeId: number | undefined,
  start: LifetimeEvent['type'],
  ends: ReadonlySet<LifetimeEvent['type']>,
): Array<Span & { readonly endEvent: LifetimeEvent | undefined }> {
  const spans: Array<Span & { endEvent: LifetimeEvent | undefined }> = [];
  let from: number | undefined;
  for (const event of events) {
    if (event.scopeId !== scopeId) continue;
    if (event.type === start) from = event.time;
    else if (from !== undefined && ends.has(event.type)) {
      spans.push({ from, to: event.time, endEvent: event });
      from = undefined;
    }
  }
  return spans;
}

/**
 * Reads a run's lifetime events into what the picture draws: a row per
 * request, a lane per connection numbered in order of first appearance
 * (the process-wide ids are meaningless to a reader and differ per run),
 * and the registry's engine events.
 */
export function timelineModel(run: TimelineRun): TimelineModel {
  const { events, labels } = run;
  const start = Math.min(...events.map((e) => e.time));
  const end = Math.max(...events.map((e) => e.time));
  const laneOf = new Map<string, number>();
  for (const event of events) {
    if (event.connectionId && !laneOf.has(event.connectionId))
      laneOf.set(event.connectionId, laneOf.size + 1);
  }
  const lane = (id: string) => laneOf.get(id) ?? 0;
  const waitEnds = new Set<LifetimeEvent['type']>(['wait-end', 'timeout']);
  const opens = new Set<LifetimeEvent['type']>(['open']);
  const scopeIds = new Set(events.map((e) => e.scopeId));
  const openings = new Map<string, Span>();
  for (const scopeId of scopeIds) {
    for (const span of spansOf(events, scopeId, 'connect', opens)) {
      if (span.endEvent?.connectionId) openings.set(span.endEvent.connectionId, span);
    }
  }
  const holdsOf = (scopeId: number | undefined, connectionId?: string): Hold[] => {
    const from = new Map<string, number>();
    const holds: Hold[] = [];
    for (const event of events) {
      if (!event.connectionId) continue;
      if (connectionId ? event.connectionId !== connectionId : event.scopeId !== scopeId) continue;
      if (event.type === 'acquire') from.set(event.connectionId, event.time);
      if (event.type === 'release') {
        const at = from.get(event.connectionId);
        if (at !== undefined)
          holds.push({ lane: lane(event.connectionId), from: at, to: event.time });
        from.delete(event.connectionId);
      }
    }
    for (const [id, at] of from) holds.push({ lane: lane(id), from: at, to: end });
    return holds;
  };
  const rows: RequestRow[] = [...labels.keys()]
    .sort((a, b) => a - b)
    .map((scopeId) => {
      const mine = events.filter((e) => e.scopeId === scopeId);
      return {
        label: labels.get(scopeId) ?? '',
        scope: {
          from: mine.find((e) => e.type === 'scope-start')?.time ?? start,
          to: mine.find((e) => e.type === 'scope-end')?.time ?? end,
        },
        waits: spansOf(events, scopeId, 'wait', waitEnds),
        openings: spansOf(events, scopeId, 'connect', opens),
        holds: holdsOf(scopeId),
        queries: mine.filter((e) => e.type === 'query').map((e) => e.time),
      };
    });
  const tenantOfLane = (connectionId: string) => {
    const first = events.find(
      (e) => e.type === 'acquire' && e.connectionId === connectionId && e.scopeId !== undefined,
    );
    return first?.scopeId === undefined ? undefined : run.tenants?.get(first.scopeId);
  };
  const lanes: ConnectionLane[] = [...laneOf].map(([connectionId, number]) => {
    const mine = events.filter((e) => e.connectionId === connectionId);
    const opening = openings.get(connectionId);
    const opened = mine.find((e) => e.type === 'open')?.time;
    const closed = mine.find((e) => e.type === 'close')?.time;
    return {
      lane: number,
      tenant: tenantOfLane(connectionId),
      life: { from: opening?.from ?? opened ?? start, to: closed ?? end },
      opening,
      opened,
      closed,
      holds: holdsOf(undefined, connectionId),
    };
  });
  const engines: EngineMark[] = events.flatMap((e) =>
    (e.type === 'evict' || e.type === 'engine-close') && e.detail !== undefined
      ? [{ type: e.type, time: e.time, tenant: run.engineTenant?.(e.detail) ?? e.detail }]
      : [],
  );
  const count = (type: LifetimeEvent['type']) => events.filter((e) => e.type === type).length;
  return {
    start,
    end,
    rows,
    lanes,
    engines,
    facts: {
      opened: count('open'),
      lanes: lanes.length,
      holds: count('acquire'),
      waits: count('wait'),
      evicted: count('evict'),
      enginesClosed: count('engine-close'),
      tenants: run.tenants ? lanes.map((l) => l.tenant ?? '?') : [],
    },
  };
}
