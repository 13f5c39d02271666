import { runServer } from '@lifetimes/app';
import { perRequestProfile } from '@lifetimes/per-request';
import { createApp } from './app.js';

await runServer({ name: perRequestProfile.name, createApp });
