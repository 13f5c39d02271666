import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type ConnectionStrategy, whichConnection } from '@lifetimes/core';
import { PROFILES } from '@lifetimes/strategies';
import { type MultiTenantStrategy, parseTenantId } from '@lifetimes/tenants';
import { sql } from 'kysely';
import { databaseName } from './database-name.js';
import { BURST_SIZE, SCRIPT, scriptedRun, TENANTS, type TimelineDb } from './scripted-run.js';
import { createTimelineDatabase, type TimelineDriver } from './timeline-database.js';
import { timelineModel } from './timeline-model.js';
import { timelineSvg } from './timeline-svg.js';

/** PostgreSQL first: there opening a connection costs a handshake, and the pictures show it. */
export const DRIVERS: readonly TimelineDriver[] = ['postgres', 'sqlite'];

/** At most two connections per database: the burst of four then has to wait. */
const MAX_CONNECTIONS = 2;
/** A registry keeps two engines for three databases, so one is evicted mid-run. */
const MAX_DATABASES = 2;

type Factory = (url: string) => ConnectionStrategy<TimelineDb>;

/** Every strategy, as its timeline is titled and built. */
export const STRATEGIES: ReadonlyArray<{
  name: string;
  title: string;
  servesManyDatabases: boolean;
  create: Factory;
}> = PROFILES.map((profile) => ({
  name: profile.name,
  title: profile.lifetime,
  servesManyDatabases: 'servesManyDatabases' in profile && profile.servesManyDatabases,
  create: (url: string) =>
    profile.create<TimelineDb>(url, {
      maxConnections: MAX_CONNECTIONS,
      maxDatabases: MAX_DATABASES,
    }),
}));

export interface DrawOptions {
  /** Admin URL of the PostgreSQL server the postgres pictures run on. */
  readonly pgAdminUrl: string | undefined;
  readonly drivers?: readonly TimelineDriver[];
  readonly only?: readonly string[];
}

const DRIVER_NAMES: Record<TimelineDriver, string> = { postgres: 'PostgreSQL', sqlite: 'SQLite' };

const NOTE =
  'Time in ms from the first request. Query dots closer than their width are set side by side, so every query of a one-millisecond burst shows; hover a bar for its duration.';

/**
 * The registry's tenants, each with the script's table, and its default
 * database's engine warmed with one request: on PostgreSQL its tenant
 * catalog reads through that engine, and that read must not land in the
 * middle of the run. Returns the database each engine URL belongs to.
 */
async function prepareRegistry(
  registry: MultiTenantStrategy<TimelineDb>,
  mainUrl: string,
): Promise<(detail: string) => string> {
  const byName = new Map([[databaseName(mainUrl), 'main']]);
  for (const tenant of TENANTS) {
    if (tenant === 'main') continue;
    const url = await registry.provision(tenant, async () => {
      await sql`create table note (id integer primary key, body text not null)`.execute(
        registry.db,
      );
      await registry.commit();
    });
    byName.set(databaseName(url), tenant);
  }
  await registry.scopeFor(undefined, () => whichConnection(registry.db, registry.dialect));
  await registry.catalog.exists(parseTenantId('north'));
  return (detail) => byName.get(databaseName(detail)) ?? databaseName(detail);
}

/** Runs the script once per strategy and driver, and writes `timeline-<strategy>-<driver>.svg` into `dir`. */
export async function drawTimelines(dir: string, options: DrawOptions): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const requests = SCRIPT.reduce((sum, phase) => sum + phase.length, 0);
  for (const driver of options.drivers ?? DRIVERS) {
    for (const { name, title, servesManyDatabases, create } of STRATEGIES) {
      if (options.only && !options.only.includes(name)) continue;
      await using database = await createTimelineDatabase(driver, options.pgAdminUrl);
      const strategy = create(database.url);
      try {
        const registry = servesManyDatabases
          ? (strategy as MultiTenantStrategy<TimelineDb>)
          : undefined;
        const engineTenant = registry && (await prepareRegistry(registry, database.url));
        const run = await scriptedRun(strategy, registry);
        const model = timelineModel({
          events: run.events,
          labels: run.labels,
          ...(registry && engineTenant ? { tenants: run.tenants, engineTenant } : {}),
        });
        const where = registry
          ? `three databases behind at most ${MAX_DATABASES} engines of ${MAX_CONNECTIONS} connections each, main's engine warmed by one request before the run`
          : `at most ${MAX_CONNECTIONS} connections`;
        const svg = timelineSvg({
          title: `${title} (${DRIVER_NAMES[driver]})`,
          subtitle: `${DRIVER_NAMES[driver]}: ${requests} requests, four overlapping then a burst of ${BURST_SIZE}, ${where}; ${model.facts.opened} connection(s) opened.`,
          note: NOTE,
          strategy: name,
          driver,
          model,
        });
        const file = join(dir, `timeline-${name}-${driver}.svg`);
        await writeFile(file, svg);
        written.push(file);
      } finally {
        await strategy.close();
      }
    }
  }
  return written;
}
