import { runServer } from '@lifetimes/app';
import { scopedSessionProfile } from '@lifetimes/scoped-session';
import { createApp } from './app.js';

await runServer({ name: scopedSessionProfile.name, createApp });
