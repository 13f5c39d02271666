/**
 * A lifetime broken on purpose, for a learner: one mutation of the
 * catalogue, told as the real-world bug it reproduces, what the suite
 * does to catch it, and what the shipped code does instead. The mutation
 * holds the patch, the cases and the public reference; the exercise adds
 * only the lesson.
 */
export interface Exercise {
  /** What `npm run exercise -- NAME` takes. */
  readonly name: string;
  /** The catalogue entry it applies. */
  readonly mutation: string;
  readonly title: string;
  /** Where this bug is met outside this project (markdown). */
  readonly seenIn: string;
  /** How the named cases catch it (markdown). */
  readonly whyItFails: string;
  /** What the shipped code does instead (markdown). */
  readonly fix: string;
}

export const EXERCISES: readonly Exercise[] = [
  {
    name: 'release-on-finish',
    mutation: 'scope-ends-on-finish',
    title: 'Release on `finish` instead of `close`',
    seenIn:
      "Middleware that returns a connection in `res.on('finish')`. Node emits `finish` only once the response has been handed to the operating system, so a client that hangs up first (a timeout, a closed tab, a load balancer's health check) never fires it: the [`on-finished`](https://github.com/jshttp/on-finished) package exists because of this.",
    whyItFails:
      '`release-on-abort` starts five requests that hold a connection and sleep, aborts them from the client side, and requires every connection back within 300 ms, while the handlers are still asleep. With the scope ending on `finish`, no aborted request ever ends its scope, so all five connections stay held.',
    fix: "`ScopeStore` ends a request's scope on the response's `close` event, which fires once for every response: sent, failed or aborted.",
  },
  {
    name: 'commit-at-teardown',
    mutation: 'scoped-session-commits-at-teardown',
    title: 'Commit at teardown',
    seenIn:
      'Flask-SQLAlchemy\'s `SQLALCHEMY_COMMIT_ON_TEARDOWN`, removed in version 3.0 because a request that failed after its first write still committed that write. The same shape appears wherever an "after request" hook calls `commit()` unconditionally.',
    whyItFails:
      "`failed-request-outcome` runs a handler that writes a row and then throws. Once the request's scope is gone it reads the table: the unit of work must have left nothing behind. With the commit at teardown, the half-done write is there.",
    fix: '`remove()` at teardown only rolls back. A handler commits explicitly when its unit of work is whole, so a failure before that point leaves the database as it was.',
  },
  {
    name: 'reuse-broken-connection',
    mutation: 'per-request-reuses-broken',
    title: 'Reuse a broken connection',
    seenIn:
      "A backend killed by `pg_terminate_backend`, a failover or an idle timeout in a proxy: node-postgres reports it once, on the client's `error` event or the failing query, and the client is unusable from then on. Code that caches the client for the rest of the request (or forever) fails every later query with `Connection terminated`.",
    whyItFails:
      "`broken-reconnects` terminates the request's backend from another session in the middle of a request. The next query may fail with it, but the one after must run on a new connection. With the broken connection kept, it goes to the dead one again and fails.",
    fix: 'When a query fails on a broken connection, per-request closes and forgets it; the next query of the same request opens a new one.',
  },
  {
    name: 'drop-drain-on-eviction',
    mutation: 'evicted-engine-closed-early',
    title: "Drop the registry's drain on eviction",
    seenIn:
      "An LRU cache of pools that calls `pool.end()` in its eviction callback. SQLAlchemy's `Engine.dispose()` documents the opposite: connections still checked out are not closed, but discarded when they come back, so the work on them finishes.",
    whyItFails:
      "In a registry of two engines, a request for one tenant holds its lease through a slow query while requests for two other tenants push that tenant's engine out. The slow request must finish with its rows, and the engine close only after it. With the pool ended at eviction, the running request is cut off.",
    fix: 'An evicted engine leaves the registry at once, so no new request can lease from it, and is closed only when its last lease returns.',
  },
  {
    name: 'share-one-connection',
    mutation: 'baseline-sqlite-without-mutex',
    title: 'Share one connection across concurrent requests',
    seenIn:
      "One process-wide SQLite handle used by every request with no discipline. A connection has one transaction state, so while one request is between `BEGIN` and `COMMIT`, another request's statement on the same handle runs inside that transaction. Kysely's own `SqliteDriver` guards its single handle with a mutex for this reason.",
    whyItFails:
      '`concurrent-in-scope` opens a transaction, inserts a row, and while it sleeps issues a second insert through `db`, outside the transaction; then the transaction rolls back. The second row must survive. Without the mutex it ran inside the other transaction and was rolled back with it.',
    fix: "Baseline's SQLite connection lets one query or one whole transaction use the handle at a time; the others wait their turn.",
  },
  {
    name: 'forget-the-lock',
    mutation: 'per-request-without-lock',
    title: 'Forget the lock in per-request',
    seenIn:
      "A request that runs queries concurrently on its own connection (`Promise.all` over two queries while a `db.transaction()` is open), on a `pg.Client` or a per-request handle. node-postgres's transaction guide warns that every statement of a transaction must go through the same client, and the same goes the other way: nothing else may go through it meanwhile.",
    whyItFails:
      '`concurrent-in-scope`, the case of the exercise above, on per-request: two queries of one request meet on the one connection the request holds. Without the per-scope lock, the one issued beside the transaction joins it and is rolled back with it, on SQLite and on PostgreSQL.',
    fix: "per-request takes the scope's lock for every query (core's `ScopeHolds` finds the scope's hold, as it does for pooled-registry), and holds it from a transaction's `BEGIN` to its end, so the request's own queries take turns on its connection.",
  },
];
