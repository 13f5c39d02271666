import type { Mutation } from './mutation.js';

const CONTRACT = 'test/contract.test.ts';

/**
 * Every lifetime bug the suites are known to catch, each with the fastest
 * suite run that catches it: one test file, filtered to the cases that
 * fail, on one driver unless the bug is driver-specific.
 */
export const CATALOGUE: readonly Mutation[] = [
  {
    name: 'scope-ends-on-finish',
    file: 'packages/core/src/scope/scope-store.ts',
    edits: [{ find: "res.once('close', () => {", replace: "res.once('finish', () => {" }],
    suite: {
      workspace: 'packages/per-request',
      file: CONTRACT,
      cases: ['release-on-abort'],
      drivers: ['sqlite'],
    },
    reference: 'https://nodejs.org/api/http.html#event-finish',
    explanation:
      "A request's scope ends on the response's `finish`, which never fires when the client aborts, so every aborted request leaks its connection.",
  },
  {
    name: 'scope-entered-not-run',
    file: 'packages/core/src/scope/scope-store.ts',
    edits: [
      {
        find: '      return await this.#storage.run(scope, fn);',
        replace: '      this.#storage.enterWith(scope);\n      return await fn();',
      },
    ],
    suite: {
      workspace: 'packages/core',
      file: 'test/async-context.test.ts',
      cases: ['leaves nothing behind in its caller'],
      drivers: [],
    },
    reference: 'https://nodejs.org/api/async_context.html#asynclocalstorageenterwithstore',
    explanation:
      "A scope entered with `enterWith` instead of run with `run` stays current in the caller after it ended, so the caller's next query runs in a scope that is gone.",
  },
  {
    name: 'waiter-runs-after-scope',
    file: 'packages/core/src/scope/scope-holds.ts',
    edits: [{ find: '    this.stillOpen(hold);\n', replace: '' }],
    suite: {
      workspace: 'packages/per-request',
      file: CONTRACT,
      cases: ['waiting-at-scope-end'],
      drivers: ['sqlite'],
    },
    reference: 'https://flask.palletsprojects.com/en/stable/appcontext/#lifetime-of-the-context',
    explanation:
      "A query that waited for its request's connection runs once it gets it, even when the request ended while it waited: work of a finished request runs on its connection after teardown began.",
  },
  {
    name: 'per-request-teardown-keeps-open',
    file: 'packages/per-request/src/strategy.ts',
    edits: [
      {
        find: `        await connection.rollback().catch(() => {});
      }
      await this.#drop(held, connection);`,
        replace: `        await connection.rollback().catch(() => {});
      }
      held.connection = undefined;
      this.gaveBack(connection, held.scope.id);`,
      },
    ],
    suite: {
      workspace: 'packages/per-request',
      file: CONTRACT,
      cases: ['release-on-finish'],
      drivers: ['sqlite'],
    },
    reference: 'https://flask.palletsprojects.com/en/stable/tutorial/database/',
    explanation:
      "Teardown forgets the request's connection without closing it: Flask's `get_db()` without `close_db` on `teardown_appcontext`.",
  },
  {
    name: 'per-request-without-lock',
    file: 'packages/per-request/src/strategy.ts',
    edits: [
      { find: '    if (!held.lock.tryTake()) return this.#acquireAfterWait(held);\n', replace: '' },
      {
        find: `  #unlock(held: Held, connection: PhysicalConnection): void {
    held.lock.release();
`,
        replace: '  #unlock(held: Held, connection: PhysicalConnection): void {\n',
      },
    ],
    suite: {
      workspace: 'packages/per-request',
      file: CONTRACT,
      cases: ['concurrent-in-scope'],
      drivers: ['sqlite', 'postgres'],
    },
    reference: 'https://node-postgres.com/features/transactions',
    explanation:
      "Two concurrent queries of one request share its connection unguarded, so one runs inside the other's transaction and is rolled back with it.",
  },
  {
    name: 'per-query-never-closes',
    file: 'packages/per-query/src/strategy.ts',
    edits: [{ find: '      await connection.close();\n', replace: '' }],
    suite: {
      workspace: 'packages/per-query',
      file: CONTRACT,
      cases: ['release-on-finish'],
      drivers: ['sqlite'],
    },
    reference:
      'https://github.com/kysely-org/kysely/blob/master/src/driver/default-connection-provider.ts',
    explanation:
      'Each query opens a connection and releases it without closing it: one leaked connection per query.',
  },
  {
    name: 'scoped-session-commits-at-teardown',
    file: 'packages/scoped-session/src/strategy.ts',
    edits: [
      {
        find: 'await connection.rollback().catch(() => {});',
        replace: 'await connection.commit().catch(() => {});',
      },
    ],
    suite: {
      workspace: 'packages/scoped-session',
      file: CONTRACT,
      cases: ['failed-request-outcome'],
      drivers: ['postgres'],
    },
    reference: 'https://flask-sqlalchemy.readthedocs.io/en/stable/changes/#version-3-0-0',
    explanation:
      'The session commits what is left at teardown, so a request that failed halfway keeps half its work (Flask-SQLAlchemy removed COMMIT_ON_TEARDOWN for this).',
  },
  {
    name: 'broken-connection-pooled',
    file: 'packages/core/src/pool/connection-pool.ts',
    edits: [
      {
        find: '  return !connection.broken && !connection.isClosed && !connection.inTransaction;',
        replace: '  return !connection.isClosed && !connection.inTransaction;',
      },
    ],
    suite: {
      workspace: 'packages/baseline',
      file: CONTRACT,
      cases: ['release-broken'],
      drivers: ['postgres'],
    },
    reference: 'https://node-postgres.com/apis/pool#releasing-clients',
    explanation:
      'A connection released broken goes back to the pool as idle instead of being destroyed (pg-pool: release the client with the error).',
  },
  {
    name: 'per-request-reuses-broken',
    file: 'packages/per-request/src/strategy.ts',
    edits: [
      {
        find: `    if (connection.broken && held.connection === connection) {
      // Never reused: the next query of this request opens a new connection.
      return this.#drop(held, connection).then(() => this.#unlock(held, connection));
    }
`,
        replace: '',
      },
      {
        find: '      const dead = held.connection?.broken ? held.connection : undefined;\n',
        replace: '      const dead = undefined;\n',
      },
    ],
    suite: {
      workspace: 'packages/per-request',
      file: CONTRACT,
      cases: ['broken-reconnects'],
      drivers: ['postgres'],
    },
    reference: 'https://node-postgres.com/apis/client#error',
    explanation:
      'A request keeps its connection after the server killed it, so every later query of that request fails on the dead connection.',
  },
  {
    name: 'per-request-meets-known-broken',
    file: 'packages/per-request/src/strategy.ts',
    edits: [
      {
        find: '      const dead = held.connection?.broken ? held.connection : undefined;\n',
        replace: '      const dead = undefined;\n',
      },
    ],
    suite: {
      workspace: 'packages/per-request',
      file: CONTRACT,
      cases: ['broken-known-replaced'],
      drivers: ['postgres'],
    },
    reference: 'https://node-postgres.com/apis/client#error',
    explanation:
      "A request's next query runs on a connection whose `error` event already arrived, so it fails for nothing instead of running on a new connection.",
  },
  {
    name: 'pooled-registry-meets-known-broken',
    file: 'packages/pooled-registry/src/strategy.ts',
    edits: [
      {
        find: '      if (held.lease?.connection.broken) await this.#drop(held, held.lease);\n',
        replace: '',
      },
    ],
    suite: {
      workspace: 'packages/pooled-registry',
      file: CONTRACT,
      cases: ['broken-known-replaced'],
      drivers: ['postgres'],
    },
    reference: 'https://node-postgres.com/apis/client#error',
    explanation:
      "A request's next query runs on a leased connection whose `error` event already arrived, so it fails for nothing instead of leasing another.",
  },
  {
    name: 'scoped-session-pools-abandoned',
    file: 'packages/scoped-session/src/strategy.ts',
    edits: [{ find: '        await this.abandon(connection, session.scopeId);\n', replace: '' }],
    suite: {
      workspace: 'packages/scoped-session',
      file: CONTRACT,
      cases: ['teardown-gives-up'],
      drivers: ['sqlite', 'postgres'],
    },
    reference: 'https://node-postgres.com/apis/pool#releasing-clients',
    explanation:
      'Teardown that gave up waiting returns the connection to the pool while a query still owns it, so the next request shares it with that query and its transaction.',
  },
  {
    name: 'evicted-engine-closed-early',
    file: 'packages/pooled-registry/src/engine-registry.ts',
    edits: [
      {
        find: '    await settleWithin(engine.idle(), this.#options.evictTimeoutMs);\n',
        replace: '',
      },
    ],
    suite: {
      workspace: 'packages/pooled-registry',
      file: 'test/registry.test.ts',
      cases: ['lets a query on an evicted engine finish, then closes the engine'],
      drivers: ['postgres'],
    },
    reference:
      'https://docs.sqlalchemy.org/en/20/core/connections.html#sqlalchemy.engine.Engine.dispose',
    explanation:
      'An evicted engine closes its pool at once, cutting off the requests still running on it, instead of after its leases return.',
  },
  {
    name: 'registry-quick-lease-uncounted',
    file: 'packages/pooled-registry/src/engine-registry.ts',
    edits: [
      {
        find: '    this.#touch(url, engine);\n    engine.borrow();\n',
        replace: '    this.#touch(url, engine);\n',
      },
    ],
    suite: {
      workspace: 'packages/pooled-registry',
      file: 'test/registry.test.ts',
      cases: ['lets a query on an evicted engine finish, then closes the engine'],
      drivers: ['sqlite'],
    },
    reference:
      'https://docs.sqlalchemy.org/en/20/core/connections.html#sqlalchemy.engine.Engine.dispose',
    explanation:
      "A connection leased at once from a live engine's idle ones is not counted as borrowed, so evicting the engine closes its pool under the request still using it.",
  },
  {
    name: 'baseline-sqlite-without-mutex',
    file: 'packages/baseline/src/strategy.ts',
    edits: [
      {
        find: '    await acquireWithin(this.#mutex, this.#mutexWait);\n',
        replace: '',
      },
    ],
    suite: {
      workspace: 'packages/baseline',
      file: CONTRACT,
      cases: ['concurrent-in-scope'],
      drivers: ['sqlite'],
    },
    reference: 'https://www.sqlite.org/lang_transaction.html',
    explanation:
      "Every request shares the one SQLite handle without a mutex, so a query of one request runs inside another request's transaction.",
  },
  {
    name: 'leak-detector-silenced',
    file: 'packages/core/src/stats/leak-detector.ts',
    edits: [{ find: '}, this.#thresholdMs).unref(),', replace: '}, 2 ** 31 - 1).unref(),' }],
    suite: {
      workspace: 'packages/per-query',
      file: CONTRACT,
      cases: ['leak-detection'],
      drivers: ['sqlite'],
    },
    reference: 'https://github.com/brettwooldridge/HikariCP#infrequently-used',
    explanation:
      "The leak timer never fires, so a connection held past leakDetectionThresholdMs goes unreported (HikariCP's leakDetectionThreshold).",
  },
  {
    name: 'per-query-transaction-unpinned',
    file: 'packages/per-query/src/strategy.ts',
    edits: [
      {
        find: '  protected async closeConnections(): Promise<void> {',
        replace: `  async beginTransaction(): Promise<void> {
    const own = await this.acquireConnection();
    try {
      await own.begin();
    } finally {
      await this.releaseConnection(own);
    }
  }

  protected async closeConnections(): Promise<void> {`,
      },
    ],
    suite: {
      workspace: 'packages/per-query',
      file: CONTRACT,
      cases: ['transaction-pins', 'transaction-rollback'],
      drivers: ['postgres'],
    },
    reference: 'https://node-postgres.com/features/transactions',
    explanation:
      "BEGIN runs on a connection of its own and the statements on another, as with `pool.query('BEGIN')`: nothing is atomic and a rollback undoes nothing.",
  },
  {
    name: 'pool-returns-dirty',
    file: 'packages/core/src/pool/connection-pool.ts',
    edits: [
      {
        find: '  return !connection.broken && !connection.isClosed && !connection.inTransaction;',
        replace: '  return !connection.broken && !connection.isClosed;',
      },
    ],
    suite: {
      workspace: 'packages/core',
      file: 'test/connection-pool.test.ts',
      cases: ['rolls back a connection released inside a transaction'],
      drivers: ['sqlite'],
    },
    reference: 'https://docs.sqlalchemy.org/en/20/core/pooling.html#reset-on-return',
    explanation:
      'A connection released inside a transaction is pooled as it is, so the next borrower inherits the open transaction and its uncommitted writes.',
  },
  {
    name: 'registry-stampede',
    file: 'packages/pooled-registry/src/engine-registry.ts',
    edits: [
      {
        find: `    const engine = new Engine(url, this.#create(url));
    this.#engines.set(url, engine);`,
        replace: `    const engine = new Engine(url, this.#create(url));
    engine.pool.then(
      () => this.#engines.set(url, engine),
      () => {},
    );`,
      },
    ],
    suite: {
      workspace: 'packages/pooled-registry',
      file: 'test/registry.test.ts',
      cases: ['makes one engine per URL when 50 first requests arrive together'],
      drivers: ['sqlite'],
    },
    reference: 'https://en.wikipedia.org/wiki/Cache_stampede',
    explanation:
      'The registry caches an engine only once its pool is made, so a burst of first requests for one URL each creates an engine of its own.',
  },
  {
    name: 'pg-checkout-without-timeout',
    file: 'packages/core/src/pg/pg-pool.ts',
    edits: [
      {
        find: '    if (pool.idleCount <= pool.waitingCount) return pool.connect();',
        replace: '    if (pool.idleCount === 0) return pool.connect();',
      },
    ],
    suite: {
      workspace: 'packages/core',
      file: 'test/pg-pool.test.ts',
      cases: ['times out the second of two calls in one tick for one idle connection'],
      drivers: [],
    },
    reference: 'https://node-postgres.com/apis/pool',
    explanation:
      "The pool drops pg.Pool's acquire timeout whenever a connection is idle, though calls ahead may take it: the one left over waits in the queue with no bound, and a request hangs instead of getting its 503.",
  },
];
