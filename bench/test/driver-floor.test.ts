import { type PostgresServer, startPostgres } from '@lifetimes/databases';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appEntry } from '../src/shared/app-entry.js';
import { AppProcess } from '../src/shared/app-process.js';
import { scratchPlace } from '../src/shared/scratch-place.js';

/**
 * The shutdown check of the rows that use pg.Pool directly (the floor,
 * plain Kysely): on SIGTERM each closes its pool and exits 0 only when it
 * closed every connection it opened. pg.Pool's end()
 * resolves before its clients have ended (each says so later, with
 * 'remove'), so a floor that counted right after end() saw none closed
 * whenever its clients were still open: a quick run's floor row failed.
 */
describe('the rows on pg.Pool directly, on PostgreSQL', () => {
  let server: PostgresServer;
  beforeAll(async () => {
    server = await startPostgres();
  });
  afterAll(async () => {
    await server?.stop();
  });

  // Both rows that use pg.Pool directly print the counts of their pool at
  // shutdown, and exit 0 only when they agree.
  it.each([
    { row: 'driver-floor', line: /driver-floor stopped: (\d+) connections opened, (\d+) closed/ },
    {
      row: 'kysely-plain',
      line: /kysely-plain: stopped cleanly: (\d+) connections opened, (\d+) closed/,
    },
  ] as const)(
    '$row closes every connection its pool opened before it exits 0 on SIGTERM, with the pool still open',
    async ({ row, line }) => {
      const place = await scratchPlace('postgres', server.adminUrl, 'floor-test');
      try {
        const app = await AppProcess.start({
          ...appEntry(row),
          env: { DATABASE_URL: place.url, MAX_CONNECTIONS: '4' },
          core: undefined,
        });
        // Concurrent requests: the pool opens more than one client, and none
        // has idled out (pg's 10 s) when the signal comes.
        const answers = await Promise.all(
          Array.from({ length: 16 }, () => fetch(`${app.url}/db`).then((r) => r.status)),
        );
        expect(answers).toEqual(answers.map(() => 200));
        const exit = await app.stop();
        const counted = line.exec(exit.output);
        expect(counted, exit.output).not.toBeNull();
        expect(Number(counted?.[1])).toBeGreaterThan(1);
        expect(counted?.[2]).toBe(counted?.[1]);
        expect(exit.code, exit.output).toBe(0);
      } finally {
        await place.remove();
      }
    },
  );
});
