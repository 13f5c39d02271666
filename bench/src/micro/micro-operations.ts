import { AsyncLocalStorage } from 'node:async_hooks';
import type { ConnectionStrategy } from '@lifetimes/core';
import { openConnection, UNOBSERVED } from '@lifetimes/core/authoring';
import type { Database } from '@lifetimes/schema';
import { PROFILES, type Profile } from '@lifetimes/strategies';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { MICRO_OPERATIONS } from './micro-options.js';
import {
  MICRO_STRATEGIES,
  type MicroStrategyName,
  type MicroSubjects,
  openSqlite,
} from './micro-subjects.js';

/** One way of doing an operation; a block runs it for a while and records µs/op. */
export interface MicroRow {
  readonly name: string;
  readonly run: () => Promise<unknown>;
}

/** subject / reference, per block. */
export interface MicroComparison {
  readonly subject: string;
  readonly reference: string;
}

export type MicroOperationName = (typeof MICRO_OPERATIONS)[number];

/** Rows compared with one another, measured in the same blocks. */
export interface MicroOperation {
  readonly name: MicroOperationName;
  /** What one op is, for the report. */
  readonly description: string;
  readonly rows: readonly MicroRow[];
  /** Runs a whole block inside it: the scopes the rows' queries run in. */
  readonly around?: <T>(block: () => Promise<T>) => Promise<T>;
  readonly comparisons: readonly MicroComparison[];
}

const SELECT = 'select "id", "randomNumber" from "world" where "id" = ?';
const UPDATE = 'update "world" set "randomNumber" = ? where "id" = ?';
const WORLD_ROWS = 10_000;

/** Ids walk the table, so every row reads a different World row each time, the same for every row. */
function idCycle(): () => number {
  let id = 0;
  return () => (id = (id % WORLD_ROWS) + 1);
}

function selectWorld(db: Kysely<Database>, id: number) {
  return db
    .selectFrom('world')
    .select(['id', 'randomNumber'])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

async function smallTransaction(db: Kysely<Database>, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const row = await selectWorld(trx, id);
    await trx
      .updateTable('world')
      .set({ randomNumber: (row.randomNumber % WORLD_ROWS) + 1 })
      .where('id', '=', id)
      .execute();
  });
}

/** Runs `block` inside a scope of every strategy: each strategy's store sees its own. */
function inScopesOf(strategies: readonly ConnectionStrategy<Database>[]) {
  return <T>(block: () => Promise<T>): Promise<T> =>
    strategies.reduceRight<() => Promise<T>>(
      (inner, strategy) => () => strategy.scope(inner),
      block,
    )();
}

const toPg = (sql: string) => {
  let n = 0;
  return sql.replaceAll('?', () => `$${++n}`);
};

/**
 * The operations of the micro layer on one driver, each with the rows it
 * compares and the ratios the report gives.
 */
export function microOperations(subjects: MicroSubjects): MicroOperation[] {
  const { strategies, plain, sqlite, pgPool, pgPoolWithTimeout, corePool, target } = subjects;
  const { baseline } = strategies;
  const all = (op: (strategy: ConnectionStrategy<Database>) => () => Promise<unknown>) =>
    MICRO_STRATEGIES.map((name) => ({ name, run: op(strategies[name]) }));
  const versus = (reference: string, subjects: readonly string[]) =>
    subjects.map((subject) => ({ subject, reference }));

  const driverSelect = (): MicroRow => {
    const next = idCycle();
    if (sqlite) {
      const statement = sqlite.prepare(SELECT);
      return { name: 'driver', run: async () => statement.get(next()) };
    }
    const pool = pgPool as pg.Pool;
    return { name: 'driver', run: () => pool.query(toPg(SELECT), [next()]) };
  };
  const plainSelect = (): MicroRow => {
    const next = idCycle();
    return { name: 'kysely-plain', run: () => selectWorld(plain.db, next()) };
  };
  const selects = (names: readonly MicroStrategyName[]): MicroRow[] =>
    names.map((name) => {
      const next = idCycle();
      return { name, run: () => selectWorld(strategies[name].db, next()) };
    });
  const requests = (names: readonly MicroStrategyName[]): MicroRow[] =>
    names.map((name) => {
      const strategy = strategies[name];
      const next = idCycle();
      return { name, run: () => strategy.scope(() => selectWorld(strategy.db, next())) };
    });
  // Rows that open a connection per query or per request are measured apart:
  // the server and the kernel are still tearing the last one down when the
  // next row in the block starts, which would tax that row.
  const held = namesOf((profile) => profile.connectionPer !== 'query');
  const pooled = namesOf((profile) => profile.pools);
  const openingPerQuery = namesOf((profile) => profile.connectionPer === 'query');
  const opening = namesOf((profile) => !profile.pools);

  const query: MicroOperation = {
    name: 'query',
    description:
      "one select of a World row by id, in a scope of every strategy opened once per block: each strategy's cost per query, with its connection already held",
    rows: [driverSelect(), plainSelect(), ...selects(held)],
    around: inScopesOf(held.map((name) => strategies[name])),
    comparisons: [
      { subject: 'kysely-plain', reference: 'driver' },
      ...versus('kysely-plain', held),
      ...versus('baseline', held.slice(1)),
    ],
  };

  const queryOpening: MicroOperation = {
    name: 'query-opening',
    description: `the same select through the strategies that open and close a connection for each query (${openingPerQuery.join(', ')}), in a scope opened once per block`,
    rows: [plainSelect(), ...selects(openingPerQuery)],
    around: inScopesOf(openingPerQuery.map((name) => strategies[name])),
    comparisons: versus('kysely-plain', openingPerQuery),
  };

  const request: MicroOperation = {
    name: 'request',
    description:
      "a request's worth: open a scope, one select, end the scope (plain Kysely has no scope: just the select)",
    rows: [plainSelect(), ...requests(pooled)],
    comparisons: [...versus('kysely-plain', pooled), ...versus('baseline', pooled.slice(1))],
  };

  const requestOpening: MicroOperation = {
    name: 'request-opening',
    description:
      'the same request through the strategies that open a connection for it and close it at the end',
    rows: [plainSelect(), ...requests(opening)],
    comparisons: versus('kysely-plain', opening),
  };

  const als = new AsyncLocalStorage<object>();
  const scope: MicroOperation = {
    name: 'scope',
    description:
      'open and end a scope with no query: AsyncLocalStorage, the scope record, the teardowns (`als`: AsyncLocalStorage.run alone)',
    rows: [
      { name: 'als', run: () => als.run({}, async () => undefined) },
      ...all((strategy) => () => strategy.scope(async () => undefined)),
    ],
    comparisons: [
      { subject: 'baseline', reference: 'als' },
      ...versus('baseline', MICRO_STRATEGIES.slice(1)),
    ],
  };

  const acquireRows: MicroRow[] = [];
  if (pgPool && pgPoolWithTimeout) {
    acquireRows.push(
      { name: 'pg.Pool', run: async () => (await pgPool.connect()).release() },
      {
        name: 'pg.Pool + timeout',
        run: async () => (await pgPoolWithTimeout.connect()).release(),
      },
    );
  }
  acquireRows.push(
    { name: 'core pool', run: async () => corePool.release(await corePool.acquire()) },
    { name: 'baseline', run: async () => baseline.release(await baseline.acquire()) },
  );
  const acquire: MicroOperation = {
    name: 'acquire+release',
    description:
      "take a connection and give it back: pg's own pool, without and with an acquire timeout (connectionTimeoutMillis, which sets and clears a timer on every checkout), this project's pool (which has the timeout but sets no timer to hand out an idle connection), and baseline's acquire()/release() as Kysely calls them (its pool on PostgreSQL, its mutex on SQLite)",
    rows: acquireRows,
    comparisons: [
      ...(pgPool
        ? [
            { subject: 'core pool', reference: 'pg.Pool' },
            { subject: 'pg.Pool + timeout', reference: 'pg.Pool' },
          ]
        : []),
      { subject: 'baseline', reference: 'core pool' },
    ],
  };

  const connect: MicroOperation = {
    name: 'connect',
    description:
      'open and close one physical connection: the driver alone, and openConnection() as per-query and per-request do',
    rows: [
      {
        name: 'driver',
        run:
          target.dialect === 'sqlite'
            ? async () => openSqlite(target.file).close()
            : async () => {
                const client = new pg.Client({ connectionString: target.url });
                await client.connect();
                await client.end();
              },
      },
      {
        name: 'openConnection',
        run: async () => (await openConnection(target, UNOBSERVED)).close(),
      },
    ],
    comparisons: [{ subject: 'openConnection', reference: 'driver' }],
  };

  const transaction: MicroOperation = {
    name: 'transaction',
    description:
      'a small transaction: select a World row and update it. scoped-session: the same two statements as its unit of work, then commit()',
    rows: [
      driverTransaction(subjects),
      { name: 'kysely-plain', run: cycled((id) => smallTransaction(plain.db, id)) },
      { name: 'baseline', run: cycled((id) => smallTransaction(baseline.db, id)) },
      {
        name: 'scoped-session',
        run: cycled((id) => {
          const session = strategies['scoped-session'];
          return session.scope(async () => {
            const row = await selectWorld(session.db, id);
            await session.db
              .updateTable('world')
              .set({ randomNumber: (row.randomNumber % WORLD_ROWS) + 1 })
              .where('id', '=', id)
              .execute();
            await session.commit();
          });
        }),
      },
    ],
    comparisons: [
      { subject: 'kysely-plain', reference: 'driver' },
      { subject: 'baseline', reference: 'kysely-plain' },
      { subject: 'scoped-session', reference: 'baseline' },
    ],
  };

  return [query, queryOpening, request, requestOpening, scope, acquire, connect, transaction];
}

/**
 * The names of the profiles `has` picks, in report order: an operation's rows
 * follow the strategies' declared traits, so a new profile joins every
 * operation its traits call for.
 */
function namesOf(has: (profile: Profile) => boolean): MicroStrategyName[] {
  return PROFILES.filter(has).map((profile) => profile.name);
}

function cycled(run: (id: number) => Promise<unknown>): () => Promise<unknown> {
  const next = idCycle();
  return () => run(next());
}

function driverTransaction({ sqlite, pgPool }: MicroSubjects): MicroRow {
  if (sqlite) {
    const select = sqlite.prepare<[number], { randomNumber: number }>(SELECT);
    const update = sqlite.prepare(UPDATE);
    const write = sqlite.transaction((id: number) => {
      const row = select.get(id);
      update.run(((row?.randomNumber ?? 0) % WORLD_ROWS) + 1, id);
    });
    // IMMEDIATE, as the project's adapter begins a transaction that will write.
    return { name: 'driver', run: cycled(async (id) => write.immediate(id)) };
  }
  const pool = pgPool as pg.Pool;
  return {
    name: 'driver',
    run: cycled(async (id) => {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const { rows } = await client.query<{ randomNumber: number }>(toPg(SELECT), [id]);
        await client.query(toPg(UPDATE), [((rows[0]?.randomNumber ?? 0) % WORLD_ROWS) + 1, id]);
        await client.query('commit');
      } finally {
        client.release();
      }
    }),
  };
}
