import { backends, connectAdmin } from '@lifetimes/databases';
import type pg from 'pg';
import { parentPid } from './proc-cpu.js';
import { type PeakSampler, samplePeak } from './sample-peak.js';

/** Hosts that are this machine: a Unix socket path also is. */
const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '::1']);

/**
 * The server's view of a run: how many connections an app has open
 * (pg_stat_activity, by application_name), and how many World statements it
 * executed (pg_stat_statements, when the server loads it).
 */
export class PgWatch {
  readonly #client: pg.Client;
  readonly statementsAvailable: boolean;
  #last: Promise<unknown> = Promise.resolve();

  private constructor(client: pg.Client, statementsAvailable: boolean) {
    this.#client = client;
    this.statementsAvailable = statementsAvailable;
  }

  static async connect(adminUrl: string): Promise<PgWatch> {
    const client = await connectAdmin(adminUrl, 'lifetimes-bench-watch');
    let available = false;
    try {
      await client.query('create extension if not exists pg_stat_statements');
      await client.query('select 1 from pg_stat_statements limit 1');
      available = true;
    } catch {
      // Not in shared_preload_libraries on this server: the count is reported as not checked.
    }
    return new PgWatch(client, available);
  }

  /**
   * One query at a time on the one client: the apps are stopped and checked
   * all at once, and pg queues a second query only with a deprecation
   * warning (pg 9 refuses it).
   */
  #serial<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
    const next = this.#last.then(() => work(this.#client));
    this.#last = next.catch(() => undefined);
    return next;
  }

  async connections(applicationName: string): Promise<number> {
    return (await this.#serial((client) => backends(client, { applicationName }))).length;
  }

  /** Sessions open on any of `databases`, whoever opened them. */
  async connectionsTo(databases: readonly string[]): Promise<number> {
    const { rows } = await this.#serial((client) =>
      client.query<{ n: string }>(
        'select count(*) as n from pg_stat_activity where datname = any($1::text[])',
        [databases],
      ),
    );
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Samples connectionsTo(databases) every `everyMs` until stop() is called;
   * stop() gives the peak. By database, not by application: every app of a
   * driver runs at once, each on its own databases, and a round counts only
   * the databases its workload uses.
   */
  sampleConnections(databases: readonly string[], everyMs = 50): PeakSampler {
    return samplePeak(() => this.connectionsTo(databases), everyMs);
  }

  /**
   * The server's postmaster, when it runs on this machine and /proc shows it:
   * the parent of this session's backend. Undefined for a remote server.
   */
  async postmasterPid(): Promise<number | undefined> {
    const host = this.#client.host;
    if (!LOCAL_HOSTS.has(host) && !host.startsWith('/')) return undefined;
    const { rows } = await this.#serial((client) =>
      client.query<{ pid: number }>('select pg_backend_pid() as pid'),
    );
    const backend = rows[0]?.pid;
    return backend === undefined ? undefined : parentPid(backend);
  }

  async resetStatements(): Promise<void> {
    if (this.statementsAvailable) {
      await this.#serial((client) => client.query('select pg_stat_statements_reset()'));
    }
  }

  /** World selects and updates executed in databases whose name starts with `prefix`. */
  async worldStatements(prefix: string): Promise<{ select: number; update: number } | undefined> {
    if (!this.statementsAvailable) return undefined;
    const { rows } = await this.#serial((client) =>
      client.query<{ kind: string; calls: string }>(
        `select case when s.query ilike 'update%' then 'update' else 'select' end as kind,
              sum(s.calls) as calls
         from pg_stat_statements s join pg_database d on d.oid = s.dbid
        where starts_with(d.datname, $1) and s.query ilike '%"world"%'
          and (s.query ilike 'select%' or s.query ilike 'update%')
        group by 1`,
        [prefix],
      ),
    );
    const count = (kind: string) => Number(rows.find((row) => row.kind === kind)?.calls ?? 0);
    return { select: count('select'), update: count('update') };
  }

  async close(): Promise<void> {
    await this.#serial((client) => client.end());
  }
}
