import type { CreateApp } from '../app-config.js';

/** One app, and what its strategy promises; runAppSuite() checks the promises over HTTP. */
export interface AppSuiteSpec {
  /** The strategy's name, as /whoami reports it and as the app's server.ts passes to runServer(). */
  readonly name: string;
  readonly createApp: CreateApp;
  /** The app's real entry, `new URL('../src/server.ts', import.meta.url)`, spawned for the shutdown case. */
  readonly entry: URL;
  /**
   * Which queries of one request share a connection (core's ContractSpec says the same):
   * - `query`: none; every query has its own (per-query);
   * - `scope`: all of them, on one connection held until the request ends;
   * - `shared`: each query borrows a process-wide connection or pool for itself (baseline).
   */
  readonly connectionPer: 'query' | 'scope' | 'shared';
}
