import { runServer } from '@lifetimes/app';
import { createApp } from './app.js';

await runServer({ name: 'pooled-registry', createApp });
