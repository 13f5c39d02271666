import { randomBytes } from 'node:crypto';
import { withAdmin } from './connect-admin.js';

/** A PostgreSQL database that exists for one test file or bench run. */
export interface ScratchDatabase extends AsyncDisposable {
  readonly name: string;
  readonly url: string;
  /**
   * Drops the database, and the databases named after it (`<name>__<suffix>`,
   * e.g. a registry's tenant databases), disconnecting anyone still on them.
   * Idempotent.
   */
  drop(): Promise<void>;
}

/**
 * Creates a database with a unique name on the server at `adminUrl`, so
 * parallel runs never share tables, and a crash leaves only a clearly named
 * `lifetimes_*` database behind.
 */
export async function createScratchDatabase(
  adminUrl: string,
  prefix = 'lifetimes',
): Promise<ScratchDatabase> {
  const name = `${prefix}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  await admin(adminUrl, `create database "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  let dropping: Promise<void> | undefined;
  const drop = () => {
    dropping ??= dropWithDerived(adminUrl, name);
    return dropping;
  };
  return { name, url: url.toString(), drop, [Symbol.asyncDispose]: drop };
}

function dropWithDerived(adminUrl: string, name: string): Promise<void> {
  return withAdmin(adminUrl, async (client) => {
    const { rows } = await client.query<{ datname: string }>(
      'select datname from pg_database where starts_with(datname, $1)',
      [`${name}__`],
    );
    for (const datname of [...rows.map((row) => row.datname), name]) {
      await client.query(`drop database if exists "${datname.replaceAll('"', '""')}" with (force)`);
    }
  });
}

async function admin(adminUrl: string, sql: string): Promise<void> {
  await withAdmin(adminUrl, (client) => client.query(sql));
}
