import type { LifetimeStats } from '@lifetimes/core';
import { profileNamed } from '@lifetimes/strategies';
import { settle } from '../shared/settle.js';
import { until } from '../shared/until.js';
import type { PgBackends } from './pg-backends.js';
import type { Subject } from './subject.js';

/** The app's connections once the load has drained, from its own counters and the server's view. */
export interface DrainState {
  /** Connections the app still counts as taken by a request: none is running. */
  readonly held: number;
  /** Request scopes still open, besides the one of the /stats request that counted them. */
  readonly scopesOpen: number;
  /** Connections open now (opened - closed): idle in a pool, or kept for nobody. */
  readonly open: number;
  /** How many may stay open idle: a pool's size; 0 for the strategies that keep none. */
  readonly idleAllowed: number;
  /** PostgreSQL: the app's backends on the server; undefined on SQLite. */
  readonly serverBackends: number | undefined;
  /**
   * Connections held for no request, open beyond what the strategy keeps,
   * or alive on the server without the app knowing them.
   */
  readonly leaked: number;
  /** The server and the app disagree on how many connections the app has. */
  readonly disagreement: string | undefined;
}

/** Waits for the app to go idle, then counts what is left; the app must still run. */
export async function drainState(
  subject: Subject,
  backends: PgBackends | undefined,
): Promise<DrainState> {
  await settle(subject.url);
  const database = subject.database.name;
  const serverCount =
    backends && database ? () => backends.count(subject.applicationName, database) : undefined;
  let seen = await look(subject, serverCount);
  if (seen.server !== undefined && seen.server !== seen.open) {
    // A backend the server ended leaves pg_stat_activity at once, but a pool
    // notices its client's 'error' a moment later: give it that moment.
    await until(async () => {
      seen = await look(subject, serverCount);
      return seen.server === seen.open;
    }, 3000);
  }
  const { stats, open, server } = seen;
  // A pool keeps idle connections between requests; a shared one on SQLite
  // is one handle. Each process of a fleet keeps its own.
  const { pools, connectionPer } = profileNamed(subject.strategy);
  const perProcess = !pools
    ? 0
    : subject.driver === 'sqlite' && connectionPer === 'shared'
      ? 1
      : subject.maxConnections;
  const idleAllowed = perProcess * subject.workers;
  return {
    held: stats.active,
    // The /stats request that reads the counters has a scope of its own.
    scopesOpen: stats.scopesOpen - 1,
    open,
    idleAllowed,
    serverBackends: server,
    leaked: stats.active + Math.max(0, open - idleAllowed) + Math.max(0, (server ?? open) - open),
    disagreement:
      server === undefined || server === open
        ? undefined
        : `the server has ${server} backends of the app, the app counts ${open} open connections`,
  };
}

async function look(
  subject: Subject,
  serverCount: (() => Promise<number>) | undefined,
): Promise<{ stats: LifetimeStats; open: number; server: number | undefined }> {
  const stats = await subject.stats();
  return { stats, open: stats.opened - stats.closed, server: await serverCount?.() };
}
