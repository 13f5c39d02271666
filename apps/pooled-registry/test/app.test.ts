import { runAppSuite } from '@lifetimes/app/contract';
import { pooledRegistryProfile } from '@lifetimes/pooled-registry';
import { createApp } from '../src/app.js';

runAppSuite({
  ...pooledRegistryProfile,
  createApp,
  entry: new URL('../src/server.ts', import.meta.url),
});
