import { runServer } from '@lifetimes/app';
import { pooledRegistryProfile } from '@lifetimes/pooled-registry';
import { createApp } from './app.js';

await runServer({ name: pooledRegistryProfile.name, createApp });
