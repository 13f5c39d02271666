import { runServer } from '@lifetimes/app';
import { baselineProfile } from '@lifetimes/baseline';
import { createApp } from './app.js';

await runServer({ name: baselineProfile.name, createApp });
