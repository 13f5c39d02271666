import { randomBytes } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import type { Server } from 'node:http';
import { type DialectName, LifetimeError, type LifetimeEvent } from '@lifetimes/core';
import {
  backends,
  createScratchDatabase,
  createTempDir,
  type ScratchDatabase,
  type TempDir,
} from '@lifetimes/databases';
// Brings in the typing of what the global setup provides to inject().
import type {} from '@lifetimes/databases/vitest-setup';
import { parseTenantId } from '@lifetimes/tenants';
import express, { type NextFunction, type Request, type Response } from 'express';
import { sql } from 'kysely';
import pg from 'pg';
import { inject } from 'vitest';
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
  #url = '';
  #scratch: ScratchDatabase | undefined;
  #dir: TempDir | undefined;
  #admin: pg.Client | undefined;
  readonly #subjects: Subject[] = [];
  readonly #servers: Server[] = [];

  constructor(dialect: DialectName) {
    this.dialect = dialect;
  }

  /** The default database, whose notes table holds one row: `main`. */
  get url(): string {
    return this.#url;
  }

  async setup(): Promise<void> {
    if (this.dialect === 'postgres') {
      // A short prefix leaves room in PostgreSQL's 63 bytes for tenant ids.
      this.#scratch = await createScratchDatabase(inject('pgAdminUrl'), 'lt_reg');
      this.#url = this.#scratch.url;
      this.#admin = new pg.Client({
        connectionString: this.#url,
        application_name: 'lt-registry-admin',
      });
      this.#admin.on('error', () => {});
      await this.#admin.connect();
    } else {
      this.#dir = await createTempDir('lt-registry');
      this.#url = this.#dir.sqliteUrl('main.db');
    }
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
    const strategy = new PooledRegistryStrategy<RegistryDb>(this.#url, {
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
    const server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    this.#servers.push(server);
    const address = server.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    return `http://127.0.0.1:${port}`;
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
    if (this.#dir) return (await readdir(this.#dir.path, { recursive: true })).sort();
    const { rows } = await this.#adminClient().query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1) order by datname',
      [this.#scratch?.name ?? ''],
    );
    return rows.map((row) => row.datname);
  }

  /** Server-side count of the connections named `applicationName`. */
  async backends(applicationName: string): Promise<number> {
    return (await backends(this.#adminClient(), { applicationName })).length;
  }

  async closeAll(): Promise<void> {
    for (const server of this.#servers.splice(0)) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    await Promise.all(this.#subjects.splice(0).map((subject) => subject.strategy.close()));
  }

  /** Closes everything, then drops every tenant database and the default one, or the directory. */
  async teardown(): Promise<void> {
    await this.closeAll();
    if (this.#admin && this.#scratch) {
      for (const name of await this.footprint()) {
        if (name === this.#scratch.name) continue;
        await this.#admin.query(`drop database if exists "${name}" with (force)`);
      }
      await this.#admin.end();
    }
    await this.#scratch?.drop();
    await this.#dir?.remove();
  }

  #adminClient(): pg.Client {
    if (!this.#admin) throw new Error('Server-side views are for PostgreSQL only.');
    return this.#admin;
  }

  async #withSetupStrategy(
    work: (setup: PooledRegistryStrategy<RegistryDb>) => Promise<void>,
  ): Promise<void> {
    const setup = new PooledRegistryStrategy<RegistryDb>(this.#url, {
      applicationName: 'lt-registry-setup',
    });
    try {
      await work(setup);
    } finally {
      await setup.close();
    }
  }
}
