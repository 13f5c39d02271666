import { runAppSuite } from '@lifetimes/app/contract';
import { createApp } from '../src/app.js';

runAppSuite({
  name: 'pooled-registry',
  createApp,
  entry: new URL('../src/server.ts', import.meta.url),
  connectionPer: 'scope',
});
