import { runServer } from '@lifetimes/app';
import { perQueryProfile } from '@lifetimes/per-query';
import { createApp } from './app.js';

await runServer({ name: perQueryProfile.name, createApp });
