import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, runLoad, serverTimingUs } from '../src/load.js';
import { WORKLOADS } from '../src/workloads.js';

let server: Server;
let url = '';
let answer = '{"id": 7, "randomNumber": 42}';

beforeAll(async () => {
  server = createServer((_req, res) => {
    res.setHeader('Server-Timing', 'app;dur=0.250');
    res.setHeader('content-type', 'application/json');
    res.end(answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('runLoad', () => {
  it('counts answers, verifies bodies and reads the server route time', async () => {
    answer = '{"id": 7, "randomNumber": 42}';
    const result = await runLoad(url, WORKLOADS.db, [], 0.3, 2);
    expect(result.ok).toBeGreaterThan(10);
    expect(result.mismatches).toBe(0);
    expect(result.serverP50Us).toBe(250);
  });

  it('counts every wrong answer as a mismatch, so a fast wrong server fails', async () => {
    answer = '{"id": 0, "randomNumber": 42}';
    const result = await runLoad(url, WORKLOADS.db, [], 0.3, 2);
    expect(result.ok).toBeGreaterThan(10);
    expect(result.mismatches).toBe(result.ok);
  });
});

describe('helpers', () => {
  it('parses Server-Timing and nearest-rank percentiles', () => {
    expect(serverTimingUs('db;dur=3, app;dur=1.5')).toBe(1500);
    expect(serverTimingUs(undefined)).toBeUndefined();
    expect(percentile([1, 2, 3, 4], 50)).toBe(2);
    expect(percentile([1, 2, 3, 4], 99)).toBe(4);
    expect(percentile([], 50)).toBeUndefined();
  });
});
