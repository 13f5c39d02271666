import { migrateAndSeed } from '@lifetimes/app';
import { baselineProfile } from '@lifetimes/baseline';
import {
  type ConnectionPool,
  type ConnectionStrategy,
  createPool,
  type DatabaseTarget,
  parseDatabaseUrl,
  UNOBSERVED,
} from '@lifetimes/core';
import {
  createScratchDatabase,
  createTempDir,
  type PostgresServer,
  startPostgres,
} from '@lifetimes/databases';
import { perQueryProfile } from '@lifetimes/per-query';
import { perRequestProfile } from '@lifetimes/per-request';
import { pooledRegistryProfile } from '@lifetimes/pooled-registry';
import type { Database } from '@lifetimes/schema';
import { scopedSessionProfile } from '@lifetimes/scoped-session';
import type { ProfileName } from '@lifetimes/strategies';
import BetterSqlite from 'better-sqlite3';
import pg from 'pg';
import { PlainKyselyStrategy } from '../kysely-plain/plain-kysely-strategy.js';
import type { MicroDriver } from './micro-options.js';

/**
 * The strategies the micro layer measures, in report order, each built by
 * its profile. Pools are small: the operations run one at a time, so only
 * idle connections would differ.
 */
const SETTINGS = { maxConnections: 2, maxDatabases: 1 } as const;
const STRATEGY_FACTORIES = {
  baseline: (url: string) => baselineProfile.create<Database>(url, SETTINGS),
  'per-query': (url: string) => perQueryProfile.create<Database>(url, SETTINGS),
  'per-request': (url: string) => perRequestProfile.create<Database>(url, SETTINGS),
  'scoped-session': (url: string) => scopedSessionProfile.create<Database>(url, SETTINGS),
  'pooled-registry': (url: string) => pooledRegistryProfile.create<Database>(url, SETTINGS),
} satisfies Record<ProfileName, (url: string) => ConnectionStrategy<Database>>;

export type MicroStrategyName = keyof typeof STRATEGY_FACTORIES;
export const MICRO_STRATEGIES = Object.keys(STRATEGY_FACTORIES) as MicroStrategyName[];
type MicroStrategies = {
  [name in MicroStrategyName]: ReturnType<(typeof STRATEGY_FACTORIES)[name]>;
};

/** What one driver's operations run on: one seeded database, every way of reaching it. */
export interface MicroSubjects extends AsyncDisposable {
  readonly driver: MicroDriver;
  readonly target: DatabaseTarget;
  readonly strategies: Readonly<MicroStrategies>;
  readonly plain: ConnectionStrategy<Database>;
  /** This project's pool, as baseline (PostgreSQL), scoped-session and pooled-registry use it. */
  readonly corePool: ConnectionPool;
  /** The driver alone: a handle (SQLite) or a pg.Pool (PostgreSQL), no Kysely. */
  readonly sqlite: BetterSqlite.Database | undefined;
  readonly pgPool: pg.Pool | undefined;
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
    MICRO_STRATEGIES.map((name) => [name, STRATEGY_FACTORIES[name](url)]),
  ) as MicroStrategies;
  const plain = new PlainKyselyStrategy<Database>(url, {
    poolSize: 2,
    applicationName: 'lifetimes-micro-plain',
  });
  const corePool = createPool(target, UNOBSERVED, { max: 2 });
  let sqlite: BetterSqlite.Database | undefined;
  let pgPool: pg.Pool | undefined;
  if (target.dialect === 'sqlite') {
    sqlite = openSqlite(target.file);
  } else {
    pgPool = new pg.Pool({ connectionString: url, max: 2 });
    pgPool.on('error', () => {});
  }
  // Strategies first, in reverse: the database goes last.
  cleanups.push(async () => {
    for (const strategy of [...Object.values(strategies), plain].reverse()) await strategy.close();
    await corePool.close();
    sqlite?.close();
    await pgPool?.end();
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
