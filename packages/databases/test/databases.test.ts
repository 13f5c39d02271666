import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { PostgresServer } from '../src/index.js';
import {
  backends,
  createScratchDatabase,
  createTempDir,
  databaseName,
  startPostgres,
} from '../src/index.js';

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('startPostgres', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => server?.stop());

  it('uses PG_URL when set, and starts an embedded server otherwise', () => {
    expect(server.embedded).toBe(!process.env.PG_URL);
    // A server someone else runs is not ours to restart.
    expect(server.restart === undefined).toBe(!server.embedded);
    expect(server.maxConnections).toBeGreaterThan(10);
  });

  it('creates a scratch database that accepts connections and drops it', async () => {
    const scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_selftest');
    const client = new pg.Client({ connectionString: scratch.url });
    // drop() terminates this client's backend; without a listener pg would
    // raise that as an uncaught exception.
    const terminated: Error[] = [];
    client.on('error', (error) => terminated.push(error));
    await client.connect();
    const { rows } = await client.query<{ db: string }>('select current_database() as db');
    expect(rows[0]?.db).toBe(scratch.name);
    // Dropping must succeed even with this client still connected.
    await scratch.drop();
    await client.end().catch(() => {});
    expect(terminated.map((error) => error.message).join()).toMatch(/terminat/);
    expect(await databaseExists(server.adminUrl, scratch.name)).toBe(false);
    await scratch.drop();
  });

  it('drops the databases named after a scratch database with it', async () => {
    const scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_selftest');
    const derived = `${scratch.name}__tenant-1`;
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    await admin.query(`create database "${derived}"`);
    await admin.end();
    await scratch.drop();
    expect(await databaseExists(server.adminUrl, derived)).toBe(false);
    expect(await databaseExists(server.adminUrl, scratch.name)).toBe(false);
  });

  it("lists an application's sessions as the server sees them, by name and by database", async () => {
    const scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_selftest');
    const applicationName = `lifetimes-backends-${process.pid}`;
    const client = new pg.Client({
      connectionString: scratch.url,
      application_name: applicationName,
    });
    client.on('error', () => {});
    await client.connect();
    let ended = false;
    try {
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      const mine = await backends(server.adminUrl, { applicationName });
      expect(mine).toEqual([
        expect.objectContaining({
          pid: rows[0]?.pid,
          database: scratch.name,
          applicationName,
          state: 'idle',
          query: 'select pg_backend_pid() as pid',
        }),
      ]);
      expect(databaseName(scratch.url)).toBe(scratch.name);
      expect(await backends(server.adminUrl, { database: scratch.name })).toHaveLength(1);
      expect(await backends(server.adminUrl, { applicationName, database: 'postgres' })).toEqual(
        [],
      );
      // The asking session is never in its own answer, even on the same database.
      const admin = new pg.Client({
        connectionString: scratch.url,
        application_name: applicationName,
      });
      await admin.connect();
      try {
        expect(await backends(admin, { applicationName })).toHaveLength(1);
      } finally {
        await admin.end();
      }
      await client.end();
      ended = true;
      await vi.waitFor(async () =>
        expect(await backends(server.adminUrl, { applicationName })).toEqual([]),
      );
    } finally {
      if (!ended) await client.end();
      await scratch.drop();
    }
  });

  it('explains what to do when PG_URL points nowhere', async () => {
    await expect(startPostgres({ url: 'postgres://nobody@127.0.0.1:1/none' })).rejects.toThrow(
      /PG_URL is set but its server does not answer.*unset it/,
    );
  });
});

describe('startPostgres embedded', () => {
  it('stops the server and removes its files', async () => {
    const server = await startPostgres({ url: '' });
    expect(server.embedded).toBe(true);
    const client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
    await client.end();
    await server.stop();
    const after = new pg.Client({ connectionString: server.adminUrl });
    after.on('error', () => {});
    await expect(after.connect()).rejects.toThrow();
  }, 60_000);
});

describe('createTempDir', () => {
  it('gives sqlite URLs inside itself and removes everything', async () => {
    const dir = await createTempDir('lifetimes-selftest');
    const url = dir.sqliteUrl('a.db');
    expect(url).toBe(`sqlite:${dir.path}/a.db`);
    await writeFile(url.slice('sqlite:'.length), 'x');
    await dir.remove();
    expect(existsSync(dir.path)).toBe(false);
  });
});

describe('an embedded server, even with PG_URL set', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres({ embedded: true });
  }, 60_000);
  afterAll(() => server?.stop());

  it('restarts on the same port and data, refusing connections while down', async () => {
    const scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_restart');
    const client = new pg.Client({ connectionString: scratch.url });
    const lost: Error[] = [];
    client.on('error', (error) => lost.push(error));
    await client.connect();
    await client.query('create table kept (n int); insert into kept values (42)');
    const refusedWhileDown = (async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      const probe = new pg.Client({ connectionString: scratch.url });
      probe.on('error', () => {});
      return probe.connect().then(
        () => probe.end().then(() => false),
        () => true,
      );
    })();
    await server.restart?.(1000);
    expect(await refusedWhileDown).toBe(true);
    expect(lost.length).toBeGreaterThan(0);
    await client.end().catch(() => {});
    const after = new pg.Client({ connectionString: scratch.url });
    await after.connect();
    const { rows } = await after.query<{ n: number }>('select n from kept');
    await after.end();
    expect(rows).toEqual([{ n: 42 }]);
    await scratch.drop();
  });
});
