import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  type PostgresServer,
  queryOnce,
  serveOnFreePort,
  startPostgres,
  withResolvers,
} from '../src/index.js';

describe('createTestDatabase', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  }, 60_000);
  afterAll(() => server?.stop());

  it.each(['sqlite', 'postgres'] as const)(
    'on %s: a database of its own, SQL from outside, and nothing left after remove()',
    async (dialect) => {
      const database = await createTestDatabase(dialect, {
        adminUrl: server.adminUrl,
        prefix: 'lifetimes_kit',
        file: 'kit.db',
        applicationName: 'lifetimes-kit-admin',
      });
      await database.adminQuery('create table t (x integer)');
      await database.adminQuery('insert into t values (1)');
      // Another connection sees it: the admin's statements commit as they run.
      expect(await queryOnce(database.url, 'select x from t')).toEqual([{ x: 1 }]);
      if (dialect === 'sqlite') {
        expect(database.url).toBe(`sqlite:${join(database.dir ?? '', 'kit.db')}`);
        expect(database.dir).toMatch(/lifetimes-kit/);
        expect(await database.sessions({})).toEqual([]);
        await expect(database.terminate(1)).rejects.toThrow(/PostgreSQL only/);
        await database.remove();
        expect(existsSync(database.dir ?? '')).toBe(false);
        return;
      }
      expect(database.name).toMatch(/^lifetimes_kit_/);
      const [{ pid } = { pid: 0 }] = await queryOnce<{ pid: number }>(
        server.adminUrl,
        "select pid from pg_stat_activity where application_name = 'lifetimes-kit-admin'",
      );
      expect(pid).toBeGreaterThan(0);
      // Its own admin connection is never among the sessions it lists.
      expect(await database.sessions({ applicationName: 'lifetimes-kit-admin' })).toEqual([]);
      await database.remove();
      const left = await queryOnce(
        server.adminUrl,
        'select 1 from pg_database where datname = $1',
        [database.name],
      );
      expect(left).toEqual([]);
    },
  );

  it('kills a backend with terminate(), and lists sessions by name', async () => {
    const database = await createTestDatabase('postgres', {
      adminUrl: server.adminUrl,
      prefix: 'lifetimes_kit',
      applicationName: 'lifetimes-kit-admin',
    });
    try {
      const pg = await import('pg');
      const victim = new pg.default.Client({
        connectionString: database.url,
        application_name: 'lifetimes-kit-victim',
      });
      // Every error it reports ends here: the test expects its connection to be cut.
      const ended = new Promise<void>((resolve) => victim.on('error', () => resolve()));
      await victim.connect();
      const [session] = await database.sessions({ applicationName: 'lifetimes-kit-victim' });
      expect(session).toBeDefined();
      await database.terminate(Number(session?.pid));
      await ended;
      expect(await database.sessions({ applicationName: 'lifetimes-kit-victim' })).toEqual([]);
    } finally {
      await database.remove();
    }
  });

  it('refuses a PostgreSQL database without the server, saying what to pass', async () => {
    await expect(
      createTestDatabase('postgres', { prefix: 'lifetimes_kit', applicationName: 'x' }),
    ).rejects.toThrow(/pass adminUrl/);
  });
});

describe('serveOnFreePort', () => {
  it('serves on 127.0.0.1; close() waits for a request in flight, destroy() does not', async () => {
    const held = withResolvers();
    const slowArrived = withResolvers();
    const served = await serveOnFreePort((req, res) => {
      if (req.url !== '/slow') {
        res.end('ok');
        return;
      }
      slowArrived.resolve();
      void held.promise.then(() => res.end('late'));
    });
    expect(served.base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(await (await fetch(`${served.base}/`)).text()).toBe('ok');
    const slow = fetch(`${served.base}/slow`).then((response) => response.text());
    await slowArrived.promise;
    const closed = served.close();
    held.resolve();
    expect(await slow).toBe('late');
    await closed;

    const neverArrived = withResolvers();
    const cut = await serveOnFreePort(() => neverArrived.resolve());
    const hanging = fetch(`${cut.base}/never`).then(
      () => 'answered',
      () => 'cut',
    );
    await neverArrived.promise;
    await cut.destroy();
    expect(await hanging).toBe('cut');
  });
});
