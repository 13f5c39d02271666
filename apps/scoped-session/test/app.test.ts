import { runAppSuite } from '@lifetimes/app/contract';
import { scopedSessionProfile } from '@lifetimes/scoped-session';
import { createApp } from '../src/app.js';

runAppSuite({
  ...scopedSessionProfile,
  createApp,
  entry: new URL('../src/server.ts', import.meta.url),
});
