import { migrateAndSeed } from '@lifetimes/app';
import { type ConnectionStrategy, type DatabaseTarget, parseDatabaseUrl } from '@lifetimes/core';
import {
  type ConnectionPool,
  type ConnectionSource,
  createPool,
  UNOBSERVED,
} from '@lifetimes/core/authoring';
import {
  createScratchDatabase,
  createTempDir,
  type PostgresServer,
  startPostgres,
} from '@lifetimes/databases';
import type { Database } from '@lifetimes/schema';
import { PROFILE_NAMES, PROFILES, type ProfileName } from '@lifetimes/strategies';
import BetterSqlite from 'better-sqlite3';
import pg from 'pg';
import { PlainKyselyStrategy } from '../kysely-plain/plain-kysely-strategy.js';
import type { MicroDriver } from './micro-options.js';

/**
 * The strategies the micro layer measures: every profile, in report order,
 * each built by its own create(). Pools are small: the operations run one at
 * a time, so only idle connections would differ.
 */
const SETTINGS = { maxConnections: 2, maxDatabases: 1 } as const;

/** A strategy as the micro layer drives it: through `db`, and through acquire()/release() as Kysely calls them. */
export type MicroStrategy = ConnectionStrategy<Database> & ConnectionSource;
export type MicroStrategyName = ProfileName;
export const MICRO_STRATEGIES: readonly MicroStrategyName[] = PROFILE_NAMES;

/** What one driver's operations run on: one seeded database, every way of reaching it. */
export interface MicroSubjects extends AsyncDisposable {
  readonly driver: MicroDriver;
  readonly target: DatabaseTarget;
  readonly strategies: Readonly<Record<MicroStrategyName, MicroStrategy>>;
  readonly plain: ConnectionStrategy<Database>;
  /** This project's pool, as baseline (PostgreSQL), scoped-session and pooled-registry use it. */
  readonly corePool: ConnectionPool;
  /** The driver alone: a handle (SQLite) or a pg.Pool (PostgreSQL), no Kysely. */
  readonly sqlite: BetterSqlite.Database | undefined;
  readonly pgPool: pg.Pool | undefined;
  /** pg.Pool with an acquire timeout (connectionTimeoutMillis), as this project's pool sets one. */
  readonly pgPoolWithTimeout: pg.Pool | undefined;
}

/** The PostgreSQL server both drivers' runs share; started once per run, stopped by the caller. */
export function microPostgres(): Promise<PostgresServer> {
  return startPostgres();
}

/** A fresh, seeded database for `driver` (a temp SQLite file, or a scratch database on `server`) and every subject on it. */
export async function createMicroSubjects(
  driver: MicroDriver,
  server: PostgresServer | undefined,
): Promise<MicroSubjects> {
  const cleanups: (() => Promise<void>)[] = [];
  let url: string;
  if (driver === 'sqlite') {
    const dir = await createTempDir('lifetimes-micro');
    cleanups.push(() => dir.remove());
    url = dir.sqliteUrl('micro.db');
  } else {
    if (!server) throw new Error('The PostgreSQL operations need a server: pass microPostgres().');
    const scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_micro');
    cleanups.push(() => scratch.drop());
    url = scratch.url;
  }
  const target = parseDatabaseUrl(url);
  const strategies = Object.fromEntries(
    PROFILES.map((profile): [ProfileName, MicroStrategy] => [
      profile.name,
      profile.create<Database>(url, SETTINGS),
    ]),
  ) as Record<MicroStrategyName, MicroStrategy>;
  const plain = new PlainKyselyStrategy<Database>(url, {
    poolSize: 2,
    applicationName: 'lifetimes-micro-plain',
  });
  const corePool = createPool(target, UNOBSERVED, { max: 2 });
  let sqlite: BetterSqlite.Database | undefined;
  let pgPool: pg.Pool | undefined;
  let pgPoolWithTimeout: pg.Pool | undefined;
  if (target.dialect === 'sqlite') {
    sqlite = openSqlite(target.file);
  } else {
    const driverPool = (config: pg.PoolConfig) => {
      const pool = new pg.Pool({ connectionString: url, max: 2, ...config });
      pool.on('error', () => {});
      return pool;
    };
    pgPool = driverPool({});
    // This project's pools wait 5 s by default; any value sets the timer.
    pgPoolWithTimeout = driverPool({ connectionTimeoutMillis: 5000 });
  }
  // Strategies first, in reverse: the database goes last.
  cleanups.push(async () => {
    for (const strategy of [...Object.values(strategies), plain].reverse()) await strategy.close();
    await corePool.close();
    sqlite?.close();
    await pgPool?.end();
    await pgPoolWithTimeout?.end();
  });
  await migrateAndSeed(strategies.baseline);
  const close = async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  };
  return {
    driver,
    target,
    strategies,
    plain,
    corePool,
    sqlite,
    pgPool,
    pgPoolWithTimeout,
    [Symbol.asyncDispose]: close,
  };
}

/** A better-sqlite3 handle set up as SqliteConnection and Kysely's plain row set theirs up. */
export function openSqlite(file: string): BetterSqlite.Database {
  const database = new BetterSqlite(file, { timeout: 5000 });
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  return database;
}
