import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPostgres } from '@lifetimes/databases';
import { drawTimelines } from './draw-timelines.js';

/**
 * `npm run pictures -w @lifetimes/timelines`: regenerates
 * docs/pictures/timeline-<strategy>-<driver>.svg, on the PostgreSQL at
 * PG_URL, or on an embedded one started for the run and stopped after.
 */
const dir = resolve(fileURLToPath(new URL('../../../docs/pictures', import.meta.url)));
process.stderr.write(
  process.env.PG_URL ? 'Using PostgreSQL at PG_URL.\n' : 'Starting an embedded PostgreSQL...\n',
);
const server = await startPostgres();
try {
  const written = await drawTimelines(dir, { pgAdminUrl: server.adminUrl });
  for (const file of written) process.stdout.write(`wrote ${file}\n`);
} finally {
  await server.stop();
}
