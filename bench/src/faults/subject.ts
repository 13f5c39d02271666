import type { LifetimeStats } from '@lifetimes/core';
import { appEntry } from '../shared/app-entry.js';
import { AppProcess } from '../shared/app-process.js';
import { getJson } from '../shared/get-json.js';
import type { Driver } from '../shared/rows.js';
import type { FaultDatabase } from './fault-database.js';
import type { FaultStrategy } from './options.js';

/** The settings every app under test starts with, unless a scenario says otherwise. */
export const DEFAULT_SETTINGS = { MAX_CONNECTIONS: '10', ACQUIRE_TIMEOUT_MS: '5000' } as const;

/** An app under test: one strategy's app process and the database it runs on. */
export class Subject {
  readonly strategy: FaultStrategy;
  readonly driver: Driver;
  readonly database: FaultDatabase;
  /** The environment the app was started with, over DEFAULT_SETTINGS. */
  readonly env: Readonly<Record<string, string>>;
  #app: AppProcess;

  private constructor(
    strategy: FaultStrategy,
    driver: Driver,
    database: FaultDatabase,
    env: Record<string, string>,
    app: AppProcess,
  ) {
    this.strategy = strategy;
    this.driver = driver;
    this.database = database;
    this.env = env;
    this.#app = app;
  }

  static async start(
    strategy: FaultStrategy,
    database: FaultDatabase,
    settings: Record<string, string> = {},
  ): Promise<Subject> {
    const env = { ...DEFAULT_SETTINGS, ...settings, DATABASE_URL: database.url };
    const app = await AppProcess.start({ ...appEntry(strategy), env, core: undefined });
    return new Subject(strategy, database.driver, database, env, app);
  }

  get app(): AppProcess {
    return this.#app;
  }

  get url(): string {
    return this.#app.url;
  }

  /** The app's PostgreSQL application_name. */
  get applicationName(): string {
    return `lifetimes-app-${this.strategy}`;
  }

  get maxConnections(): number {
    return Number(this.env.MAX_CONNECTIONS);
  }

  /** Processes serving the app: WORKERS, 1 unless a scenario runs a fleet. */
  get workers(): number {
    return Number(this.env.WORKERS ?? 1);
  }

  get acquireTimeoutMs(): number {
    return Number(this.env.ACQUIRE_TIMEOUT_MS);
  }

  stats(): Promise<LifetimeStats> {
    return getJson<LifetimeStats>(`${this.url}/stats`);
  }

  /** True when the process runs and answers /health. */
  async alive(): Promise<boolean> {
    if (!this.#app.running) return false;
    try {
      return (await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(5000) })).ok;
    } catch {
      return false;
    }
  }

  /** Starts the app again on the same database, after its process ended; returns how long that took. */
  async restart(): Promise<number> {
    if (this.#app.running) {
      throw new Error(`${this.strategy} still runs: stop or kill it before restarting it.`);
    }
    const started = performance.now();
    this.#app = await AppProcess.start({
      ...appEntry(this.strategy),
      env: this.env,
      core: undefined,
    });
    return performance.now() - started;
  }

  /** Stops the app if it still runs and removes its database. */
  async dispose(): Promise<void> {
    try {
      if (this.#app.running) await this.#app.stop();
    } finally {
      await this.database.remove();
    }
  }
}
