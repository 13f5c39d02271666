import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { FleetServer } from './fleet-results.js';

async function withClient<T>(url: string, use: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await use(client);
  } finally {
    await client.end();
  }
}

/**
 * How many sessions a fleet may open on the server: max_connections less
 * the slots kept for superusers (and, from PostgreSQL 16, for
 * pg_use_reserved_connections) less what other clients hold already.
 */
export async function readFleetServer(adminUrl: string, embedded: boolean): Promise<FleetServer> {
  return withClient(adminUrl, async (client) => {
    const { rows } = await client.query<{ name: string; setting: string }>(
      `select name, setting from pg_settings
        where name in ('max_connections', 'superuser_reserved_connections', 'reserved_connections')`,
    );
    const setting = (name: string) => Number(rows.find((row) => row.name === name)?.setting ?? 0);
    const others = await client.query<{ n: string }>(
      // This session closes as soon as the limits are read: not one of the others.
      `select count(*) as n from pg_stat_activity
        where backend_type = 'client backend' and pid <> pg_backend_pid()`,
    );
    const maxConnections = setting('max_connections');
    const reserved = setting('superuser_reserved_connections') + setting('reserved_connections');
    const othersAtStart = Number(others.rows[0]?.n ?? 0);
    return {
      embedded,
      maxConnections,
      reserved,
      othersAtStart,
      room: maxConnections - reserved - othersAtStart,
    };
  });
}

/** A login role for the apps that is not a superuser, so the reserved slots stay reserved. */
export interface AppRole extends AsyncDisposable {
  /** Makes the role the owner of `database`, so the apps can migrate it. */
  own(database: string): Promise<void>;
  /** `databaseUrl` with this role's name and password. */
  urlFor(databaseUrl: string): string;
}

/**
 * Creates a login role that is not a superuser: apps that connect as one
 * would also take the superuser-reserved slots, and the limit a fleet meets
 * would not be the one a real deployment meets. Dropping it needs the
 * databases it owns gone first: dispose of them before it.
 */
export async function createAppRole(adminUrl: string): Promise<AppRole> {
  const name = `lifetimes_fleet_${randomBytes(4).toString('hex')}`;
  const password = randomBytes(16).toString('hex');
  try {
    await withClient(adminUrl, (client) =>
      client.query(`create role "${name}" login password '${password}'`),
    );
  } catch (error) {
    throw new Error(
      `The fleet bench could not create a login role for its apps (${error instanceof Error ? error.message : error}). ` +
        'Point PG_URL at a role with CREATEROLE and CREATEDB, or unset it to use the embedded server.',
    );
  }
  return {
    own: async (database) => {
      await withClient(adminUrl, (client) =>
        client.query(`alter database "${database}" owner to "${name}"`),
      );
    },
    urlFor: (databaseUrl) => {
      const url = new URL(databaseUrl);
      url.username = name;
      url.password = password;
      return url.toString();
    },
    [Symbol.asyncDispose]: async () => {
      await withClient(adminUrl, (client) => client.query(`drop role if exists "${name}"`));
    },
  };
}
