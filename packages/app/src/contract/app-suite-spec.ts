import type { StrategyProfile } from '@lifetimes/core';
import type { CreateApp } from '../app-config.js';

/**
 * One app, and what its strategy promises (from its profile: the name,
 * `connectionPer`, `pools`, `unitOfWork`, `servesManyDatabases`); runAppSuite()
 * checks the promises over HTTP.
 */
export interface AppSuiteSpec
  extends Pick<
    StrategyProfile,
    'name' | 'connectionPer' | 'pools' | 'unitOfWork' | 'servesManyDatabases'
  > {
  readonly createApp: CreateApp;
  /** The app's real entry, `new URL('../src/server.ts', import.meta.url)`, spawned for the shutdown case. */
  readonly entry: URL;
}
