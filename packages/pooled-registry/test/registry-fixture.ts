import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { type DialectName, LifetimeError, type LifetimeEvent } from '@lifetimes/core';
import { type ServedHandler, serveOnFreePort, type TestDatabase } from '@lifetimes/databases';
import { suiteDatabase } from '@lifetimes/databases/suite';
// Brings in the typing of what the global setup provides to inject().
import type {} from '@lifetimes/databases/vitest-setup';
import { parseTenantId } from '@lifetimes/tenants';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sql } from 'kysely';
import { type PooledRegistryOptions, PooledRegistryStrategy } from '../src/index.js';

export interface RegistryDb {
  notes: { body: string };
}

/** A strategy under test, with every event it emitted since it was created. */
export interface Subject {
  readonly strategy: PooledRegistryStrategy<RegistryDb>;
  readonly applicationName: string;
  readonly events: LifetimeEvent[];
}

/** Fills the current scope's database with a notes table holding `rows`. */
async function fillNotes(strategy: PooledRegistryStrategy<RegistryDb>, rows: readonly string[]) {
  await sql`create table notes (body text not null)`.execute(strategy.db);
  for (const body of rows) await strategy.db.insertInto('notes').values({ body }).execute();
}

/** One dialect's default database, its tenants, and outside views of both. */
export class RegistryFixture {
  readonly dialect: DialectName;
  #database: TestDatabase | undefined;
  readonly #subjects: Subject[] = [];
  readonly #served: ServedHandler[] = [];

  constructor(dialect: DialectName) {
    this.dialect = dialect;
  }

  /** The default database, whose notes table holds one row: `main`. */
  get url(): string {
    return this.#db().url;
  }

  async setup(): Promise<void> {
    this.#database = await suiteDatabase(this.dialect, 'registry', {
      // A short prefix leaves room in PostgreSQL's 63 bytes for tenant ids.
      prefix: 'lt_reg',
      file: 'main.db',
    });
    await this.#withSetupStrategy((setup) => setup.scope(() => fillNotes(setup, ['main'])));
  }

  /**
   * Provisions each tenant with a notes table holding its rows, through a
   * strategy closed right after, so subjects start with no engine open.
   */
  async provision(tenants: Record<string, readonly string[]>): Promise<void> {
    await this.#withSetupStrategy(async (setup) => {
      for (const [id, rows] of Object.entries(tenants)) {
        await setup.catalog.provision(parseTenantId(id));
        await setup.scopeFor(id, () => fillNotes(setup, rows));
      }
    });
  }

  /** A new strategy on the default database; closed after the test. */
  create(options: PooledRegistryOptions = {}): Subject {
    const applicationName = `lt-registry-${randomBytes(4).toString('hex')}`;
    const strategy = new PooledRegistryStrategy<RegistryDb>(this.url, {
      applicationName,
      closeTimeoutMs: 2000,
      ...options,
    });
    const events: LifetimeEvent[] = [];
    strategy.listen((event) => events.push(event));
    const subject = { strategy, applicationName, events };
    this.#subjects.push(subject);
    return subject;
  }

  /** Serves GET /notes (the notes of the request's database) behind the middleware; returns the base URL. */
  async serve(subject: Subject): Promise<string> {
    const { strategy } = subject;
    const app = express();
    app.use(strategy.middleware());
    app.get('/notes', async (_req, res) => {
      const rows = await strategy.db.selectFrom('notes').select('body').orderBy('body').execute();
      res.json(rows.map((row) => row.body));
    });
    app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
      const status = error instanceof LifetimeError ? error.status : 500;
      const code = error instanceof LifetimeError ? error.code : 'INTERNAL';
      res.status(status).json({ code, error: error.message });
    });
    const served = await serveOnFreePort(app);
    this.#served.push(served);
    return served.base;
  }

  /** How an engine for tenant `id` is named in events: the end of its redacted URL. */
  engineSuffix(id: string): string {
    return this.dialect === 'sqlite' ? `/tenants/${id}.db` : `__${id}`;
  }

  /**
   * Everything a tenant could leave behind: every file under the default
   * database's directory (SQLite), or every database named after the
   * default one (PostgreSQL).
   */
  async footprint(): Promise<string[]> {
    const { dir, name } = this.#db();
    if (dir !== undefined) return (await readdir(dir, { recursive: true })).sort();
    const rows = await this.#db().adminQuery<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1) order by datname',
      [name],
    );
    return rows.map((row) => row.datname);
  }

  /** Server-side count of the connections named `applicationName`. */
  async backends(applicationName: string): Promise<number> {
    if (this.dialect !== 'postgres') throw new Error('Server-side views are for PostgreSQL only.');
    return (await this.#db().sessions({ applicationName })).length;
  }

  async closeAll(): Promise<void> {
    for (const served of this.#served.splice(0)) await served.destroy();
    await Promise.all(this.#subjects.splice(0).map((subject) => subject.strategy.close()));
  }

  /** Closes everything, then drops the default database and every tenant database named after it, or the directory. */
  async teardown(): Promise<void> {
    await this.closeAll();
    await this.#database?.remove();
  }

  #db(): TestDatabase {
    if (!this.#database) throw new Error('RegistryFixture.setup() has not run.');
    return this.#database;
  }

  async #withSetupStrategy(
    work: (setup: PooledRegistryStrategy<RegistryDb>) => Promise<void>,
  ): Promise<void> {
    const setup = new PooledRegistryStrategy<RegistryDb>(this.url, {
      applicationName: 'lt-registry-setup',
    });
    try {
      await work(setup);
    } finally {
      await setup.close();
    }
  }
}
