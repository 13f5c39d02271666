import { join } from 'node:path';
import { createTestDatabase } from '@lifetimes/databases';
import type { Driver } from './rows.js';

/** Where one app under test keeps its data: a scratch PostgreSQL database, or a SQLite file in a temp folder. */
export interface ScratchPlace {
  readonly driver: Driver;
  /** The app's DATABASE_URL. */
  readonly url: string;
  /** PostgreSQL: the database's name, to tell its backends from others'. */
  readonly name: string | undefined;
  /** SQLite: the database file. */
  readonly file: string | undefined;
  /** Drops the database, or deletes the folder. */
  remove(): Promise<void>;
}

/**
 * A new, empty place for one app of `driver`, named after `purpose`
 * (`lifetimes_<purpose>_…` databases, `lifetimes-<purpose>-…` folders), so a
 * run that was killed leaves places a reader can tell apart.
 */
export async function scratchPlace(
  driver: Driver,
  adminUrl: string | undefined,
  purpose: string,
): Promise<ScratchPlace> {
  if (driver === 'postgres' && adminUrl === undefined) {
    throw new Error(`A PostgreSQL row of the ${purpose} bench ran without a PostgreSQL server.`);
  }
  const database = await createTestDatabase(driver, {
    adminUrl,
    prefix: `lifetimes_${purpose}`,
    file: 'app.db',
    applicationName: `lifetimes-${purpose}-admin`,
  });
  return {
    driver,
    url: database.url,
    name: database.name,
    file: database.dir === undefined ? undefined : join(database.dir, 'app.db'),
    remove: () => database.remove(),
  };
}
