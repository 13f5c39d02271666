import { backends, connectAdmin } from '@lifetimes/databases';
import type pg from 'pg';

/** Backends pg_terminate_backend ended, by the state pg_stat_activity showed them in. */
export interface Terminated {
  readonly active: number;
  /** Idle, between queries: in a pool, or held by a request across an await. */
  readonly idle: number;
  /** Idle inside an open transaction. */
  readonly idleInTransaction: number;
  /** Still connecting, or any other state. */
  readonly other: number;
}

/**
 * The server's side of an app's connections: its backends in one database
 * (by application_name and database name, so that other runs on a shared
 * PG_URL server are neither counted nor killed), and the means to kill them.
 */
export class PgBackends {
  readonly #client: pg.Client;

  private constructor(client: pg.Client) {
    this.#client = client;
  }

  static async connect(adminUrl: string): Promise<PgBackends> {
    return new PgBackends(await connectAdmin(adminUrl, 'lifetimes-faults-admin'));
  }

  async count(applicationName: string, database: string): Promise<number> {
    return (await backends(this.#client, { applicationName, database })).length;
  }

  /**
   * pg_terminate_backend on every backend of the app in `database`, idle and
   * active alike. Queries are short, so a backend is rarely caught mid-query:
   * for up to `catchActiveMs` it polls for a moment when at least one is
   * active, and kills all of them then (one snapshot of pg_stat_activity);
   * past that, it kills whatever is there.
   */
  async terminate(
    applicationName: string,
    database: string,
    catchActiveMs: number,
  ): Promise<Terminated> {
    const deadline = performance.now() + catchActiveMs;
    while (performance.now() < deadline) {
      const killed = await this.#terminate(applicationName, database, true);
      if (killed.length > 0) return tally(killed);
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return tally(await this.#terminate(applicationName, database, false));
  }

  async #terminate(
    applicationName: string,
    database: string,
    onlyWithActive: boolean,
  ): Promise<(string | null)[]> {
    const { rows } = await this.#client.query<{ state: string | null; killed: boolean }>(
      `with mine as (
         select pid, state from pg_stat_activity
          where application_name = $1 and datname = $2 and pid <> pg_backend_pid())
       select state, pg_terminate_backend(pid) as killed from mine
        where not $3 or exists (select 1 from mine where state = 'active')`,
      [applicationName, database, onlyWithActive],
    );
    return rows.filter((row) => row.killed).map((row) => row.state);
  }

  async close(): Promise<void> {
    await this.#client.end();
  }
}

function tally(states: readonly (string | null)[]): Terminated {
  const count = (test: (state: string | null) => boolean) => states.filter(test).length;
  return {
    active: count((s) => s === 'active'),
    idle: count((s) => s === 'idle'),
    idleInTransaction: count((s) => s?.startsWith('idle in transaction') ?? false),
    other: count((s) => s === null || (s !== 'active' && !s.startsWith('idle'))),
  };
}
