import type { StrategyProfile } from '@lifetimes/core';
import type { CreateApp } from '../app-config.js';

/**
 * One app, and what its strategy promises (the name and `connectionPer` of
 * its profile); runAppSuite() checks the promises over HTTP.
 */
export interface AppSuiteSpec extends Pick<StrategyProfile, 'name' | 'connectionPer'> {
  readonly createApp: CreateApp;
  /** The app's real entry, `new URL('../src/server.ts', import.meta.url)`, spawned for the shutdown case. */
  readonly entry: URL;
}
