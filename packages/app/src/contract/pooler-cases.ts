import { eventually } from '@lifetimes/core/contract';
import {
  findPgBouncer,
  PGBOUNCER_MISSING,
  type PoolMode,
  startPgBouncer,
} from '@lifetimes/databases';
import { ACCOUNTS, OPENING_BALANCE } from '@lifetimes/schema';
import pg from 'pg';
import { expect, it } from 'vitest';
import type { AppContext } from './app-context.js';
import { call, getJson } from './http-call.js';

const installed = findPgBouncer() !== undefined;
// Long enough for the other client to connect and begin on a loaded machine.
const SLOW_MS = 1000;
const MAX_CONNECTIONS = 10;

/** Waits until PgBouncer links no client to a server connection and none is being reset. */
async function serverConnectionsIdle(adminUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await eventually('PgBouncer has no server connection in use', async () => {
      // The admin console speaks the simple protocol only.
      const pools = await admin.query<{ database: string; sv_active: string; sv_tested: string }>(
        'SHOW POOLS',
      );
      return pools.rows
        .filter((pool) => pool.database !== 'pgbouncer')
        .every((pool) => Number(pool.sv_active) === 0 && Number(pool.sv_tested) === 0);
    });
  } finally {
    await admin.end();
  }
}

/**
 * Whether the server connection behind a request stays the same across
 * /slow's wait, behind PgBouncer. PgBouncer ties a client connection to a
 * server connection for the client's whole life in session mode, but only
 * for a transaction in transaction mode. So the same server session is kept
 * by a strategy that keeps its client connection through the wait (the
 * scoped ones, and baseline's pool, which hands its one idle client back) in
 * session mode, and in transaction mode only by the one that keeps a
 * transaction open through the request: scoped-session's unit of work.
 */
function keepsServerConnection(ctx: AppContext, mode: PoolMode): boolean {
  const { connectionPer, unitOfWork } = ctx.spec;
  if (connectionPer === 'query') return false;
  if (mode === 'session') return true;
  return connectionPer === 'scope' && unitOfWork === true;
}

/** The app behind a real PgBouncer in each pool mode: what a request's connection still means there. */
export function poolerCases(ctx: AppContext): void {
  if (ctx.dialect !== 'postgres') return;
  if (!installed) console.warn(`Skipping the app suite's PgBouncer cases. ${PGBOUNCER_MISSING}`);

  for (const mode of ['session', 'transaction'] as const) {
    const keeps = keepsServerConnection(ctx, mode);
    it.skipIf(!installed)(
      `behind PgBouncer in ${mode} mode: /slow ${keeps ? 'keeps' : 'does not keep'} one server connection across its wait, and /db and /transfer work`,
      async () => {
        // In session mode every client connection of the app's pool pins a
        // server connection while it stays open, idle or not, so the
        // pooler's pool has to hold the app's whole pool (a smaller one
        // queues the app's other clients until they time out: 503s). In
        // transaction mode two server connections serve them all.
        const bouncer = await startPgBouncer({
          serverUrl: ctx.url,
          poolMode: mode,
          poolSize: mode === 'session' ? 2 * MAX_CONNECTIONS : 2,
        });
        const through = bouncer.url(ctx.url);
        const other = new pg.Client({ connectionString: through });
        other.on('error', () => {});
        try {
          // Both server connections exist before the request, so which one
          // the other client gets is PgBouncer's choice (the most recently
          // used idle one), not a connect.
          const warm = [0, 1].map(() => new pg.Client({ connectionString: through }));
          await Promise.all(warm.map((client) => client.connect()));
          await Promise.all(warm.map((client) => client.query('begin')));
          await Promise.all(warm.map((client) => client.query('commit')));
          await Promise.all(warm.map((client) => client.end()));

          const { base, strategy } = await ctx.serve({ maxConnections: MAX_CONNECTIONS }, through);
          const queriesBefore = strategy.stats().queries;
          const slow = call(base, 'GET', `/slow?ms=${SLOW_MS}`);
          // Once the request's first query has run, another client takes a
          // server connection and holds it in a transaction for the rest
          // of the wait: the one the request just used, unless its client
          // still holds it.
          await eventually(
            "the request's first query ran",
            () => strategy.stats().queries > queriesBefore,
          );
          // per-query closed the client connection of that query; until
          // PgBouncer has seen the close (and, in session mode, reset its
          // server connection), that server connection is not idle, and the
          // other client would get a different one by chance.
          if (ctx.spec.connectionPer === 'query') await serverConnectionsIdle(bouncer.adminUrl);
          await other.connect();
          await other.query('begin');
          const { status, body } = await slow;
          expect(status).toBe(200);
          const [before, after] = (body as { connections: [string, string] }).connections;
          if (keeps)
            expect(after, 'the same server session before and after the wait').toBe(before);
          else expect(after, 'another server session after the wait').not.toBe(before);
          await other.query('commit');

          // Unnamed statements with parameters (what pg sends for Kysely)
          // and transactions work through the pooler in either mode.
          const answers = await Promise.all(
            Array.from({ length: 8 }, (_, i) =>
              i % 2 === 0
                ? call(base, 'GET', '/db')
                : call(base, 'POST', '/transfer', { json: { from: i, to: i + 1, amount: 1 } }),
            ),
          );
          expect(answers.map((answer) => answer.status)).toEqual(answers.map(() => 200));
          expect(await getJson(base, '/accounts/total')).toEqual({
            total: ACCOUNTS * OPENING_BALANCE,
            count: ACCOUNTS,
          });
        } finally {
          await other.end().catch(() => {});
          await bouncer.stop();
        }
      },
      60_000,
    );
  }
}
