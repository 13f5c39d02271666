import type pg from 'pg';
import { withAdmin } from './connect-admin.js';

/** One session on the server, as pg_stat_activity shows it. */
export interface Backend {
  readonly pid: number;
  /** null for the server's own background processes. */
  readonly database: string | null;
  readonly applicationName: string;
  /** `active`, `idle`, `idle in transaction`…; null for background processes. */
  readonly state: string | null;
  /** The session's current or last statement. */
  readonly query: string;
}

/** Which sessions to list: those of one application_name, on one database, or both. */
export interface BackendFilter {
  readonly applicationName?: string;
  readonly database?: string;
}

/**
 * The sessions of the PostgreSQL server `admin` reaches (a URL, on a
 * connection of its own, or a connected client), narrowed by `filter`,
 * leaving out the asking session itself. A test proves that a lifetime
 * opened, kept or closed a connection by asking the server: a strategy's
 * own stats could be wrong, the server's list cannot. Each strategy under
 * test connects with an application_name of its own, which is what makes
 * its sessions findable.
 */
export async function backends(
  admin: string | pg.ClientBase,
  filter: BackendFilter = {},
): Promise<Backend[]> {
  const sql = `select pid, datname, application_name, state, query from pg_stat_activity
    where pid <> pg_backend_pid()
      and ($1::text is null or application_name = $1)
      and ($2::text is null or datname = $2)`;
  const parameters = [filter.applicationName ?? null, filter.database ?? null];
  type Row = {
    pid: number;
    datname: string | null;
    application_name: string;
    state: string | null;
    query: string;
  };
  let rows: Row[];
  if (typeof admin === 'string') {
    rows = await withAdmin(
      admin,
      async (client) => (await client.query<Row>(sql, parameters)).rows,
      'lifetimes-admin',
    );
  } else {
    rows = (await admin.query<Row>(sql, parameters)).rows;
  }
  return rows.map((row) => ({
    pid: row.pid,
    database: row.datname,
    applicationName: row.application_name,
    state: row.state,
    query: row.query,
  }));
}

/** The database a PostgreSQL URL names, as pg_stat_activity's datname shows it. */
export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}
