import { randomBytes } from 'node:crypto';
import {
  type Backend,
  type ServedHandler,
  serveOnFreePort,
  type TestDatabase,
} from '@lifetimes/databases';
import { suiteDatabase } from '@lifetimes/databases/suite';
// Brings in the typing of what the global setup provides to inject().
import type {} from '@lifetimes/databases/vitest-setup';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { Kysely } from 'kysely';
import pg from 'pg';
import type { ConnectionStrategy } from '../connection-strategy.js';
import type { DialectName } from '../database-url.js';
import type { LifetimeEvent } from '../stats/lifetime-events.js';
import type { ContractDb, ContractSpec, ContractStrategyOptions } from './contract-spec.js';
import { eventually } from './eventually.js';

/** A strategy under test, with every event it emitted since it was created. */
export interface Subject {
  readonly strategy: ConnectionStrategy<ContractDb>;
  readonly db: Kysely<ContractDb>;
  readonly applicationName: string;
  readonly events: LifetimeEvent[];
}

export type Served = Pick<ServedHandler, 'base' | 'close'>;

const SCHEMA = 'create table probe (tag text primary key, n integer not null)';

/** One strategy on one dialect: its database, its subjects, and server-side views of them. */
export class ContractContext {
  readonly spec: ContractSpec;
  readonly dialect: DialectName;
  #database: TestDatabase | undefined;
  readonly #subjects: Subject[] = [];
  readonly #served: ServedHandler[] = [];

  constructor(spec: ContractSpec, dialect: DialectName) {
    this.spec = spec;
    this.dialect = dialect;
  }

  get url(): string {
    return this.#db().url;
  }

  async setup(): Promise<void> {
    this.#database = await suiteDatabase(this.dialect, 'contract');
    if (this.dialect === 'sqlite') await this.adminQuery('pragma journal_mode = WAL');
    await this.adminQuery(SCHEMA);
  }

  /** Empties the probe table, outside any strategy. */
  async reset(): Promise<void> {
    await this.adminQuery('delete from probe');
  }

  async teardown(): Promise<void> {
    await this.closeAll();
    await this.#database?.remove();
  }

  /** A new strategy instance with test-sized limits; closed after the test. */
  create(overrides: Partial<ContractStrategyOptions> = {}): Subject {
    const applicationName = `lt-${this.spec.name}-${randomBytes(4).toString('hex')}`;
    const options: ContractStrategyOptions = {
      applicationName,
      maxConnections: 10,
      acquireTimeoutMs: 5000,
      closeTimeoutMs: 2000,
      ...overrides,
    };
    const strategy = this.spec.create<ContractDb>(this.url, options);
    const events: LifetimeEvent[] = [];
    strategy.listen((event) => events.push(event));
    const subject = { strategy, db: strategy.db, applicationName, events };
    this.#subjects.push(subject);
    return subject;
  }

  /** Serves `register`'s routes behind the strategy's middleware on a free port. */
  async serve(subject: Subject, register: (app: Express) => void): Promise<Served> {
    const app = express();
    app.use(subject.strategy.middleware());
    register(app);
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      res.status(500).json({ error: error.message, name: error.name });
    });
    const served = await serveOnFreePort(app);
    this.#served.push(served);
    return served;
  }

  /**
   * Waits until every scope of the subject has ended and nothing is held.
   * A scope counts as open until its strategy's teardown has finished
   * (rolled back, committed, released), so an outcome read after this sees
   * what teardown did; a registry count or the response alone can reach
   * zero while teardown is still running.
   */
  async scopesEnded(subject: Subject): Promise<void> {
    await eventually('every scope ended and nothing held', () => {
      const stats = subject.strategy.stats();
      return stats.scopesOpen === 0 && stats.active === 0;
    });
  }

  async closeAll(): Promise<void> {
    for (const served of this.#served.splice(0)) await served.destroy();
    await Promise.all(this.#subjects.splice(0).map((subject) => subject.strategy.close()));
  }

  /** Server-side count of the subject's connections (PostgreSQL); SQLite has no server, so 0. */
  async backends(subject: Subject): Promise<number> {
    return (await this.sessions(subject)).length;
  }

  /** The subject's sessions on the server (PostgreSQL); none on SQLite. */
  sessions(subject: Subject): Promise<Backend[]> {
    return this.#db().sessions({ applicationName: subject.applicationName });
  }

  /** Kills a backend the way an operator or a failover would. */
  terminate(pid: string): Promise<void> {
    return this.#db().terminate(Number(pid));
  }

  /**
   * Kills every backend of the subject, then waits until the strategy has
   * heard (its error count rose), so the next query meets a connection the
   * strategy knows is dead.
   */
  async killBackends(subject: Subject): Promise<void> {
    const errorsBefore = subject.strategy.stats().errors;
    const sessions = await this.sessions(subject);
    for (const { pid } of sessions) await this.terminate(String(pid));
    if (sessions.length > 0) {
      await eventually(
        'the error reached the client',
        () => subject.strategy.stats().errors > errorsBefore,
      );
    }
  }

  /**
   * Sets a server parameter for every new session of the scratch database
   * (ALTER DATABASE ... SET), or resets it with `undefined`. Sessions already
   * open keep what they had. PostgreSQL only.
   */
  async setDatabaseSetting(name: string, value: string | undefined): Promise<void> {
    if (this.dialect !== 'postgres')
      throw new Error('setDatabaseSetting() is for PostgreSQL only.');
    if (!/^[a-z_]+$/.test(name)) throw new Error(`Not a parameter name: ${name}`);
    const [{ db } = { db: '' }] = await this.adminQuery<{ db: string }>(
      'select quote_ident(current_database()) as db',
    );
    await this.adminQuery(
      value === undefined
        ? `alter database ${db} reset ${name}`
        : `alter database ${db} set ${name} = ${pg.escapeLiteral(value)}`,
    );
  }

  /** Runs SQL outside every strategy (the admin connection or a throwaway SQLite handle). */
  adminQuery<R>(sql: string, parameters: unknown[] = []): Promise<R[]> {
    return this.#db().adminQuery<R>(sql, parameters);
  }

  #db(): TestDatabase {
    if (!this.#database) throw new Error('ContractContext.setup() has not run.');
    return this.#database;
  }
}
