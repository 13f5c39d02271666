import { createScratchDatabase, createTempDir } from '@lifetimes/databases';
import Database from 'better-sqlite3';
import pg from 'pg';

export type TimelineDriver = 'postgres' | 'sqlite';

/** A database with the script's one table, for one strategy's run, removed on dispose. */
export interface TimelineDatabase extends AsyncDisposable {
  readonly url: string;
}

const NOTE_TABLE = 'create table note (id integer primary key, body text not null)';

/**
 * A fresh database per run: a scratch database on the PostgreSQL server at
 * `pgAdminUrl` (dropped with any tenant databases named after it), or a
 * SQLite file in a temporary folder. The table is made through the driver
 * itself, not the strategy, so no connection of the strategy is open before
 * the run.
 */
export async function createTimelineDatabase(
  driver: TimelineDriver,
  pgAdminUrl: string | undefined,
): Promise<TimelineDatabase> {
  if (driver === 'postgres') {
    if (!pgAdminUrl) throw new Error('A PostgreSQL timeline needs the admin URL of a server.');
    const scratch = await createScratchDatabase(pgAdminUrl, 'lifetimes_timeline');
    const client = new pg.Client({ connectionString: scratch.url });
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(NOTE_TABLE);
    } catch (error) {
      await scratch.drop();
      throw error;
    } finally {
      await client.end();
    }
    return { url: scratch.url, [Symbol.asyncDispose]: () => scratch.drop() };
  }
  const temp = await createTempDir('lifetimes-timeline');
  const url = temp.sqliteUrl('timeline.db');
  const setup = new Database(url.slice('sqlite:'.length));
  setup.pragma('journal_mode = WAL');
  setup.exec(NOTE_TABLE);
  setup.close();
  return { url, [Symbol.asyncDispose]: () => temp.remove() };
}
