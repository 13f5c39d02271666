import Database from 'better-sqlite3';
import type pg from 'pg';
import { type Backend, type BackendFilter, backends } from './backends.js';
import { connectAdmin, withAdmin } from './connect-admin.js';
import { createScratchDatabase } from './scratch-database.js';
import { createTempDir } from './temp-dir.js';

export interface TestDatabaseOptions {
  /** PostgreSQL: the server's admin URL (in a suite, `inject('pgAdminUrl')`). */
  readonly adminUrl?: string | undefined;
  /**
   * What names it, so a run that was killed leaves places a reader can
   * tell apart: `<prefix>_…` databases, `<prefix>-…` folders (with `_` as `-`).
   */
  readonly prefix: string;
  /** SQLite: the file's name in its folder. Default `test.db`. */
  readonly file?: string;
  /** PostgreSQL: the admin connection's application_name, so a count of the subject's sessions never counts it. */
  readonly applicationName: string;
}

/**
 * A database that exists for one test file or bench row, either driver,
 * with a view from outside every strategy under test: what the contract,
 * registry, app and tenant suites and the bench all need, written once.
 */
export interface TestDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  /** The URL the code under test is given. */
  readonly url: string;
  /** PostgreSQL: the database's name. */
  readonly name: string | undefined;
  /** SQLite: the folder the file is in, with whatever the code under test put beside it. */
  readonly dir: string | undefined;
  /**
   * Runs SQL outside every strategy: on one admin connection (PostgreSQL,
   * opened on first use), or on a handle of its own for each call (SQLite,
   * which then holds no lock between calls).
   */
  adminQuery<R>(sql: string, parameters?: readonly unknown[]): Promise<R[]>;
  /** The server's sessions that `filter` picks, the admin connection left out; none on SQLite. */
  sessions(filter: BackendFilter): Promise<Backend[]>;
  /** Kills a backend the way an operator or a failover would. PostgreSQL only. */
  terminate(pid: number): Promise<void>;
  /** Closes the admin connection and drops the database (and those named after it), or deletes the folder. */
  remove(): Promise<void>;
}

export async function createTestDatabase(
  dialect: 'sqlite' | 'postgres',
  options: TestDatabaseOptions,
): Promise<TestDatabase> {
  return dialect === 'postgres' ? postgresDatabase(options) : sqliteDatabase(options);
}

async function postgresDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  if (options.adminUrl === undefined) {
    throw new Error(
      'A PostgreSQL test database needs the server: pass adminUrl (inject("pgAdminUrl") in a suite).',
    );
  }
  const scratch = await createScratchDatabase(options.adminUrl, options.prefix);
  let admin: Promise<pg.Client> | undefined;
  const client = () => {
    admin ??= connectAdmin(scratch.url, options.applicationName);
    return admin;
  };
  return {
    dialect: 'postgres',
    url: scratch.url,
    name: scratch.name,
    dir: undefined,
    adminQuery: async <R>(sql: string, parameters: readonly unknown[] = []) =>
      (await (await client()).query(sql, [...parameters])).rows as R[],
    sessions: async (filter) => backends(await client(), filter),
    terminate: async (pid) => {
      await (await client()).query('select pg_terminate_backend($1)', [pid]);
    },
    remove: async () => {
      if (admin) await (await admin).end();
      await scratch.drop();
    },
  };
}

async function sqliteDatabase(options: TestDatabaseOptions): Promise<TestDatabase> {
  const dir = await createTempDir(options.prefix.replaceAll('_', '-'));
  const url = dir.sqliteUrl(options.file ?? 'test.db');
  return {
    dialect: 'sqlite',
    url,
    name: undefined,
    dir: dir.path,
    adminQuery: <R>(sql: string, parameters: readonly unknown[] = []) =>
      queryOnce<R>(url, sql, parameters, options.applicationName),
    sessions: async () => [],
    terminate: async () => {
      throw new Error('terminate() is for PostgreSQL only: a SQLite database has no backends.');
    },
    remove: () => dir.remove(),
  };
}

/**
 * Runs one statement on `url` (PostgreSQL or `sqlite:`) outside all code
 * under test, on a connection of its own that is closed before it returns:
 * for a database a test reaches only now and then (a tenant's, say).
 */
export async function queryOnce<R>(
  url: string,
  sql: string,
  parameters: readonly unknown[] = [],
  applicationName = 'lifetimes-test-admin',
): Promise<R[]> {
  if (url.startsWith('sqlite:')) {
    const handle = new Database(url.slice('sqlite:'.length), { timeout: 5000 });
    try {
      const statement = handle.prepare(sql);
      if (statement.reader) return statement.all(...parameters) as R[];
      statement.run(...parameters);
      return [];
    } finally {
      handle.close();
    }
  }
  return withAdmin(
    url,
    async (client) => (await client.query(sql, [...parameters])).rows as R[],
    applicationName,
  );
}
