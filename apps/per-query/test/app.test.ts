import { runAppSuite } from '@lifetimes/app/contract';
import { createApp } from '../src/app.js';

runAppSuite({
  name: 'per-query',
  createApp,
  entry: new URL('../src/server.ts', import.meta.url),
  connectionPer: 'query',
});
