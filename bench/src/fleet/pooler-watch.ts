import { connectAdmin } from '@lifetimes/databases';
import type pg from 'pg';
import { type PeakSampler, samplePeak } from '../shared/sample-peak.js';

/**
 * PgBouncer's own view, from its admin console: how many client
 * connections it holds for a database, active or waiting for a server
 * connection. The console speaks the simple query protocol only, which pg
 * uses for a query without parameters.
 */
export class PoolerWatch {
  readonly #client: pg.Client;

  private constructor(client: pg.Client) {
    this.#client = client;
  }

  static async connect(adminUrl: string): Promise<PoolerWatch> {
    return new PoolerWatch(await connectAdmin(adminUrl));
  }

  async clients(database: string): Promise<number> {
    const { rows } = await this.#client.query<{
      database: string;
      cl_active: string;
      cl_waiting: string;
    }>('SHOW POOLS');
    return rows
      .filter((row) => row.database === database)
      .reduce((sum, row) => sum + Number(row.cl_active) + Number(row.cl_waiting), 0);
  }

  /** Samples clients(database) every `everyMs` until stop(), which gives the peak. */
  sampleClients(database: string, everyMs = 50): PeakSampler {
    return samplePeak(() => this.clients(database), everyMs);
  }

  async close(): Promise<void> {
    await this.#client.end();
  }
}
