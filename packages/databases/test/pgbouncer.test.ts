import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PostgresServer } from '../src/index.js';
import {
  backends,
  createScratchDatabase,
  findPgBouncer,
  PGBOUNCER_MISSING,
  startPgBouncer,
  startPostgres,
} from '../src/index.js';

const installed = findPgBouncer() !== undefined;
if (!installed) console.warn(`Skipping the PgBouncer tests. ${PGBOUNCER_MISSING}`);

async function query<Row extends pg.QueryResultRow>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  await client.connect();
  try {
    return (await client.query<Row>(sql)).rows;
  } finally {
    await client.end();
  }
}

// Both auth kinds: trust behind a PG_URL server that trusts (the default
// when PG_URL is set), SCRAM with a generated userlist in front of the
// embedded server, which wants a password.
describe.skipIf(!installed).each([
  { kind: 'the run’s server (PG_URL or embedded)', embedded: false },
  { kind: 'an embedded server (password auth)', embedded: true },
])('startPgBouncer in front of $kind', ({ embedded }) => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres({ embedded });
  }, 60_000);
  afterAll(() => server?.stop());

  it('forwards any database, pools at its size in transaction mode, and stops', async () => {
    await using scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_bouncer');
    const bouncer = await startPgBouncer({ serverUrl: server.adminUrl, poolSize: 2 });
    try {
      expect(new URL(bouncer.url(scratch.url)).port).toBe(String(bouncer.port));
      // Eight clients at once, each holding its transaction open for a while:
      // PostgreSQL sees at most the pool's two backends on this database.
      const clients = Array.from(
        { length: 8 },
        () => new pg.Client({ connectionString: bouncer.url(scratch.url) }),
      );
      await Promise.all(clients.map((client) => client.connect()));
      const peak = { n: 0 };
      const watching = setInterval(() => {
        backends(server.adminUrl, { database: scratch.name }).then(
          (sessions) => (peak.n = Math.max(peak.n, sessions.length)),
          () => {},
        );
      }, 20);
      const rows = await Promise.all(
        clients.map((client) =>
          client.query<{ db: string }>('select current_database() as db, pg_sleep(0.1)'),
        ),
      );
      clearInterval(watching);
      await Promise.all(clients.map((client) => client.end()));
      expect(rows.map((result) => result.rows[0]?.db)).toEqual(Array(8).fill(scratch.name));
      expect(peak.n).toBeGreaterThan(0);
      expect(peak.n).toBeLessThanOrEqual(2);
      const pools = await query<{ database: string; pool_mode: string }>(
        bouncer.adminUrl,
        'show pools',
      );
      expect(pools.find((pool) => pool.database === scratch.name)?.pool_mode).toBe('transaction');
    } finally {
      await bouncer.stop();
    }
    await expect(query(bouncer.url(scratch.url), 'select 1')).rejects.toThrow(/ECONNREFUSED/);
  });

  // What an app gives up behind a pooler in transaction mode: a server
  // connection serves whichever client has a statement to run, so whatever
  // a statement leaves on its session is met by the next client there.
  it('in transaction mode, hands one client the session state another left: SET and advisory locks', async () => {
    await using scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_bouncer');
    // One server connection, so both clients are sure to share it.
    const bouncer = await startPgBouncer({ serverUrl: server.adminUrl, poolSize: 1 });
    const [a, b] = [0, 1].map(() => new pg.Client({ connectionString: bouncer.url(scratch.url) }));
    try {
      await a?.connect();
      await b?.connect();
      const pid = async (client: pg.Client | undefined) =>
        (await client?.query<{ pid: number }>('select pg_backend_pid() as pid'))?.rows[0]?.pid;
      expect(await pid(a)).toBe(await pid(b));

      await a?.query("set statement_timeout = '1234ms'");
      const seen = await b?.query<{ statement_timeout: string }>('show statement_timeout');
      expect(seen?.rows[0]?.statement_timeout).toBe('1234ms');

      // a takes a session lock; b, another client, is granted the same lock
      // at once: the lock belongs to the server session both of them use.
      await a?.query('select pg_advisory_lock(42)');
      const granted = await b?.query<{ ok: boolean }>('select pg_try_advisory_lock(42) as ok');
      expect(granted?.rows[0]?.ok).toBe(true);
      // Unnamed statements with parameters (what pg and Kysely send) work.
      const echoed = await b?.query<{ n: number }>('select $1::int as n', [7]);
      expect(echoed?.rows[0]?.n).toBe(7);
    } finally {
      await a?.end().catch(() => {});
      await b?.end().catch(() => {});
      await bouncer.stop();
    }
  });

  it('restarts on the same port, cutting its clients', async () => {
    const bouncer = await startPgBouncer({ serverUrl: server.adminUrl, poolMode: 'session' });
    try {
      const client = new pg.Client({ connectionString: bouncer.url() });
      const lost: Error[] = [];
      client.on('error', (error) => lost.push(error));
      await client.connect();
      await bouncer.restart(100);
      await client.query('select 1').catch(() => {});
      await client.end().catch(() => {});
      expect(lost.length).toBeGreaterThan(0);
      expect(await query<{ ok: number }>(bouncer.url(), 'select 1 as ok')).toEqual([{ ok: 1 }]);
    } finally {
      await bouncer.stop();
    }
  });
});

describe('startPgBouncer without the binary', () => {
  it('says how to install it', async () => {
    const saved = process.env.PGBOUNCER_BIN;
    process.env.PGBOUNCER_BIN = '/nonexistent/pgbouncer';
    try {
      await expect(
        startPgBouncer({ serverUrl: 'postgres://postgres@127.0.0.1:1/postgres' }),
      ).rejects.toThrow(/apt-get install -y pgbouncer/);
    } finally {
      if (saved === undefined) delete process.env.PGBOUNCER_BIN;
      else process.env.PGBOUNCER_BIN = saved;
    }
  });
});
