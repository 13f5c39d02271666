import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { drawTimelines } from './draw-timelines.js';

/** `npm run pictures -w @lifetimes/timelines`: regenerates docs/pictures/timeline-*.svg. */
const dir = resolve(fileURLToPath(new URL('../../../docs/pictures', import.meta.url)));
const written = await drawTimelines(dir);
for (const file of written) process.stdout.write(`wrote ${file}\n`);
