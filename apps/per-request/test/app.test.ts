import { runAppSuite } from '@lifetimes/app/contract';
import { perRequestProfile } from '@lifetimes/per-request';
import { createApp } from '../src/app.js';

runAppSuite({
  ...perRequestProfile,
  createApp,
  entry: new URL('../src/server.ts', import.meta.url),
});
