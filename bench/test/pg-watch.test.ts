import { connectAdmin, type PostgresServer, startPostgres } from '@lifetimes/databases';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PgWatch } from '../src/shared/pg-watch.js';

describe('PgWatch', () => {
  let server: PostgresServer;
  let watch: PgWatch;
  let other: pg.Client;

  beforeAll(async () => {
    server = await startPostgres({ preload: ['pg_stat_statements'] });
    watch = await PgWatch.connect(server.adminUrl);
    other = await connectAdmin(server.adminUrl, 'lifetimes-watch-test');
  }, 120_000);
  afterAll(async () => {
    await other?.end();
    await watch?.close();
    await server?.stop();
  });

  it('answers many questions asked at once, one query at a time on its one session', async () => {
    // pg queues a query sent while another runs, with a deprecation warning
    // (pg 9 refuses it); the matrix stops and checks its apps all at once.
    const warnings: Error[] = [];
    const listen = (warning: Error) => warnings.push(warning);
    process.on('warning', listen);
    try {
      const answers = await Promise.all([
        watch.connections('lifetimes-watch-test'),
        watch.resetStatements(),
        watch.connectionsTo(['postgres', 'no-such-database']),
        watch.connections('lifetimes-watch-test'),
        watch.connections('nobody'),
      ]);
      await new Promise((resolve) => setImmediate(resolve));
      expect(answers[0]).toBe(1);
      expect(answers[3]).toBe(1);
      expect(answers[4]).toBe(0);
      expect(answers[2]).toBeGreaterThanOrEqual(1);
    } finally {
      process.off('warning', listen);
    }
    expect(warnings.map((warning) => warning.message)).toEqual([]);
  });
});
