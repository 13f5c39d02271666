/** Counters every strategy keeps; tests and the bench assert on them. */
export interface LifetimeStats {
  /** Physical connections opened (connect handshake done) since start. */
  readonly opened: number;
  /** Physical connections closed since start. `opened - closed` are open now. */
  readonly closed: number;
  /** Times a request, query or job took a connection for its use. */
  readonly acquires: number;
  /** Times it gave one back (to a pool) or was done with it (closed). */
  readonly releases: number;
  /** Connections held right now: `acquires - releases`. */
  readonly active: number;
  /** The highest `active` ever seen. */
  readonly peakActive: number;
  /** Acquires that could not be served at once and queued. */
  readonly waits: number;
  /** Acquires that gave up after the acquire timeout. */
  readonly timeouts: number;
  readonly queries: number;
  readonly commits: number;
  readonly rollbacks: number;
  /** Connection errors: broken connections, failed teardowns, driver error events. */
  readonly errors: number;
  readonly scopesStarted: number;
  /** Scopes started and not yet ended. 0 when the app is idle, or something leaked. */
  readonly scopesOpen: number;
  /** Engines (pools) open now, created and evicted since start. */
  readonly enginesOpen: number;
  readonly enginesCreated: number;
  readonly enginesEvicted: number;
  /** Connections held past the leak-detection threshold, ever. */
  readonly leaks: number;
}
