import { runAppSuite } from '@lifetimes/app/contract';
import { baselineProfile } from '@lifetimes/baseline';
import { createApp } from '../src/app.js';

runAppSuite({
  ...baselineProfile,
  createApp,
  entry: new URL('../src/server.ts', import.meta.url),
});
