import { parseDatabaseUrl } from '@lifetimes/core';
import { migrate, type Database as Schema, seed } from '@lifetimes/schema';
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import { CountedPgPool } from '../shared/counted-pg-pool.js';

export interface World {
  readonly id: number;
  readonly randomNumber: number;
}

/** The driver, straight: one prepared statement or one pooled query per row, counted. */
export interface FloorDatabase {
  readonly dialect: 'sqlite' | 'postgres';
  world(id: number): Promise<World>;
  stats(): { opened: number; closed: number; active: number; queries: number };
  close(): Promise<void>;
}

/** The schema and seed every app starts with, through a handle of its own closed before serving. */
async function prepare(dialect: Kysely<Schema>, name: 'sqlite' | 'postgres'): Promise<void> {
  try {
    await migrate(dialect, name);
    await seed(dialect);
  } finally {
    await dialect.destroy();
  }
}

export async function openFloorDatabase(
  url: string,
  poolSize: number,
  applicationName: string,
): Promise<FloorDatabase> {
  const target = parseDatabaseUrl(url);
  let queries = 0;
  let active = 0;
  if (target.dialect === 'sqlite') {
    await prepare(
      new Kysely<Schema>({ dialect: new SqliteDialect({ database: new Database(target.file) }) }),
      'sqlite',
    );
    const database = new Database(target.file, { timeout: 5000 });
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    const select = database.prepare<[number], World>(
      'select "id", "randomNumber" from "world" where "id" = ?',
    );
    let closed = 0;
    return {
      dialect: 'sqlite',
      world: async (id) => {
        queries++;
        const row = select.get(id);
        if (!row) throw new Error(`World row ${id} is missing: the seed did not run.`);
        return row;
      },
      stats: () => ({ opened: 1, closed, active: 0, queries }),
      close: async () => {
        database.close();
        closed = 1;
      },
    };
  }
  await prepare(
    new Kysely<Schema>({
      dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: target.url, max: 1 }) }),
    }),
    'postgres',
  );
  const pool = new pg.Pool({
    connectionString: target.url,
    max: poolSize,
    application_name: applicationName,
  });
  const counted = new CountedPgPool(pool);
  return {
    dialect: 'postgres',
    world: async (id) => {
      queries++;
      active++;
      try {
        const { rows } = await pool.query<World>({
          name: 'floor-world',
          text: 'select "id", "randomNumber" from "world" where "id" = $1',
          values: [id],
        });
        const row = rows[0];
        if (!row) throw new Error(`World row ${id} is missing: the seed did not run.`);
        return row;
      } finally {
        active--;
      }
    },
    stats: () => ({ opened: counted.opened, closed: counted.closed, active, queries }),
    close: async () => {
      await pool.end();
      await counted.allClosed();
    },
  };
}
