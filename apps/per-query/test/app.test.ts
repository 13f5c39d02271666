import { runAppSuite } from '@lifetimes/app/contract';
import { perQueryProfile } from '@lifetimes/per-query';
import { createApp } from '../src/app.js';

runAppSuite({
  ...perQueryProfile,
  createApp,
  entry: new URL('../src/server.ts', import.meta.url),
});
