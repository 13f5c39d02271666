import { randomBytes } from 'node:crypto';
import type { ConnectionStrategy, DialectName } from '@lifetimes/core';
import {
  queryOnce,
  type ServedHandler,
  serveOnFreePort,
  type TestDatabase,
} from '@lifetimes/databases';
import { suiteDatabase } from '@lifetimes/databases/suite';
// Brings in the typing of what the global setup provides to inject().
import type {} from '@lifetimes/databases/vitest-setup';
import type { Database as Schema } from '@lifetimes/schema';
import type { AppConfig } from '../app-config.js';
import { migrateAndSeed } from '../migrate-and-seed.js';
import type { AppSuiteSpec } from './app-suite-spec.js';

/** An app listening on a free port, on the context's database. */
export interface ServedApp {
  readonly base: string;
  readonly strategy: ConnectionStrategy<Schema>;
  readonly applicationName: string;
}

/** The admin credential every served app is given unless a case says otherwise. */
export const ADMIN_TOKEN = 'contract-admin-token';

/** What createApp() gets when a case says nothing else: test-sized, and quick to give up. */
interface Limits {
  readonly maxConnections: number;
  readonly acquireTimeoutMs: number;
  /** Default ADMIN_TOKEN; undefined serves an app without one. */
  readonly adminToken: string | undefined;
  /** Default 50. */
  readonly maxTenants: number;
  /** PostgreSQL's connect timeout, SQLite's busy timeout. */
  readonly connectTimeoutMs: number;
  /** Default false: GET /live and /live/events are then 404. */
  readonly liveView: boolean;
  /** Databases one strategy keeps connections to at once (the registry's maxEngines). Default 4. */
  readonly maxDatabases: number;
}

/** What a case may set on top of its limits: the app's auth settings. */
export type ServeOptions = Partial<Limits> &
  Pick<AppConfig, 'secret' | 'loginLimits' | 'passwords'>;

/** One app on one dialect: a seeded database, the apps served on it, and a view from outside them. */
export class AppContext {
  readonly spec: AppSuiteSpec;
  readonly dialect: DialectName;
  /** The administration credential served apps get (ADMIN_TOKEN); cases send it to create tenants. */
  readonly adminToken: string;
  #main: TestDatabase | undefined;
  readonly #databases: TestDatabase[] = [];
  readonly #served: ServedHandler[] = [];
  readonly #strategies: ConnectionStrategy<Schema>[] = [];

  constructor(spec: AppSuiteSpec, dialect: DialectName) {
    this.spec = spec;
    this.dialect = dialect;
    this.adminToken = ADMIN_TOKEN;
  }

  /** Headers that create a tenant: the administration credential. */
  get adminHeaders(): Record<string, string> {
    return { authorization: `Bearer ${this.adminToken}` };
  }

  /** The URL of the database every served app shares. */
  get url(): string {
    if (!this.#main) throw new Error('AppContext.setup() has not run.');
    return this.#main.url;
  }

  /** Creates the shared database and seeds it through the app's own strategy. */
  async setup(): Promise<void> {
    this.#main = await this.newDatabase();
    const { strategy } = this.#create({}, this.url);
    try {
      await migrateAndSeed(strategy);
    } finally {
      await strategy.close();
    }
  }

  /** An empty database of its own (the shutdown case starts a real server on one). */
  async newDatabase(): Promise<TestDatabase> {
    const database = await suiteDatabase(this.dialect, 'app');
    this.#databases.push(database);
    return database;
  }

  /** Builds the app with createApp() and serves it on 127.0.0.1 at a free port, on `url` (default: the shared database). */
  async serve(limits: ServeOptions = {}, url = this.url): Promise<ServedApp> {
    const { app, strategy, applicationName } = this.#create(limits, url);
    const served = await serveOnFreePort(app);
    this.#served.push(served);
    return { base: served.base, strategy, applicationName };
  }

  /** Closes every server and strategy a case made. */
  async closeAll(): Promise<void> {
    for (const served of this.#served.splice(0)) await served.destroy();
    await Promise.all(this.#strategies.splice(0).map((strategy) => strategy.close()));
  }

  async teardown(): Promise<void> {
    await this.closeAll();
    for (const database of this.#databases.splice(0)) await database.remove();
  }

  /** Runs SQL on `url` (default: the shared database) outside every app, on a connection of its own. */
  adminQuery<R>(sql: string, parameters: unknown[] = [], url = this.url): Promise<R[]> {
    return queryOnce<R>(url, sql, parameters, 'lifetimes-app-admin');
  }

  /** Writes `sql` with $1, $2... placeholders for PostgreSQL, ? for SQLite. */
  placeholder(index: number): string {
    return this.dialect === 'postgres' ? `$${index}` : '?';
  }

  #create(limits: ServeOptions, url: string) {
    const applicationName = `lt-app-${this.spec.name}-${randomBytes(4).toString('hex')}`;
    const { app, strategy } = this.spec.createApp({
      databaseUrl: url,
      tenants: {
        adminToken: 'adminToken' in limits ? limits.adminToken : ADMIN_TOKEN,
        maxTenants: limits.maxTenants ?? 50,
      },
      strategyOptions: {
        maxConnections: limits.maxConnections ?? 10,
        acquireTimeoutMs: limits.acquireTimeoutMs ?? 5000,
        maxDatabases: limits.maxDatabases ?? 4,
        applicationName,
        closeTimeoutMs: 2000,
        ...(limits.connectTimeoutMs === undefined
          ? {}
          : { connectTimeoutMs: limits.connectTimeoutMs }),
      },
      secret: limits.secret,
      loginLimits: limits.loginLimits,
      passwords: limits.passwords,
      liveView: limits.liveView,
    });
    this.#strategies.push(strategy);
    return { app, strategy, applicationName };
  }
}
