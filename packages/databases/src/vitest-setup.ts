import type { TestProject } from 'vitest/node';
import { startPostgres } from './postgres-server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server this test run uses (PG_URL or embedded). */
    pgAdminUrl: string;
    /** That server's max_connections. */
    pgMaxConnections: number;
  }
}

/**
 * Vitest global setup: one PostgreSQL server for the whole run, shared by
 * every test file through `inject('pgAdminUrl')`; each file makes its own
 * scratch database on it.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const server = await startPostgres();
  project.provide('pgAdminUrl', server.adminUrl);
  project.provide('pgMaxConnections', server.maxConnections);
  return () => server.stop();
}
