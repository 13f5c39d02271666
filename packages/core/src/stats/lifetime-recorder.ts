import type { LifetimeEvent, LifetimeEventType, LifetimeListener } from './lifetime-events.js';
import type { LifetimeStats } from './lifetime-stats.js';

type Counter = Exclude<keyof LifetimeStats, 'active' | 'peakActive' | 'scopesOpen' | 'enginesOpen'>;

/** Which counter each event type advances. Events with no counter only reach listeners. */
const COUNTED: Partial<Record<LifetimeEventType, Counter>> = {
  'scope-start': 'scopesStarted',
  open: 'opened',
  close: 'closed',
  acquire: 'acquires',
  release: 'releases',
  wait: 'waits',
  timeout: 'timeouts',
  query: 'queries',
  commit: 'commits',
  rollback: 'rollbacks',
  error: 'errors',
  'engine-create': 'enginesCreated',
  evict: 'enginesEvicted',
  leak: 'leaks',
};

/**
 * Keeps a strategy's counters and fans its lifetime events out to listeners.
 * Counting happens even with no listener, so stats() is always exact; event
 * objects are only built when someone listens, so an unobserved strategy pays
 * a counter increment per event and nothing more.
 */
export class LifetimeRecorder {
  readonly #counts: Record<Counter, number> = {
    opened: 0,
    closed: 0,
    acquires: 0,
    releases: 0,
    waits: 0,
    timeouts: 0,
    queries: 0,
    commits: 0,
    rollbacks: 0,
    errors: 0,
    scopesStarted: 0,
    enginesCreated: 0,
    enginesEvicted: 0,
    leaks: 0,
  };
  #scopesEnded = 0;
  #enginesClosed = 0;
  #peakActive = 0;
  readonly #listeners = new Set<LifetimeListener>();

  record(
    type: LifetimeEventType,
    scopeId: number | undefined,
    connectionId: string | undefined,
    detail?: string,
  ): void {
    const counter = COUNTED[type];
    if (counter) this.#counts[counter]++;
    if (type === 'scope-end') this.#scopesEnded++;
    if (type === 'engine-close') this.#enginesClosed++;
    if (type === 'acquire') {
      const active = this.#counts.acquires - this.#counts.releases;
      if (active > this.#peakActive) this.#peakActive = active;
    }
    if (this.#listeners.size === 0) return;
    const event: LifetimeEvent =
      detail === undefined
        ? { type, time: performance.now(), scopeId, connectionId }
        : { type, time: performance.now(), scopeId, connectionId, detail };
    for (const listener of this.#listeners) listener(event);
  }

  /** Subscribes to every event; returns the function that unsubscribes. */
  listen(listener: LifetimeListener): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  stats(): LifetimeStats {
    const c = this.#counts;
    return {
      ...c,
      active: c.acquires - c.releases,
      peakActive: this.#peakActive,
      scopesOpen: c.scopesStarted - this.#scopesEnded,
      enginesOpen: c.enginesCreated - this.#enginesClosed,
    };
  }
}
