import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percentile, runLoad, serverTimingUs } from '../src/shared/load.js';
import { WORKLOADS } from '../src/shared/workloads.js';

let server: Server;
let url = '';
let answer = '{"id": 7, "randomNumber": 42}';
/** Each answer waits this long: a fixed service time makes the throughput predictable. */
const SERVICE_MS = 10;

beforeAll(async () => {
  server = createServer((_req, res) => {
    setTimeout(() => {
      res.setHeader('Server-Timing', 'app;dur=0.250');
      res.setHeader('content-type', 'application/json');
      res.end(answer);
    }, SERVICE_MS);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  url = `http://127.0.0.1:${address && typeof address === 'object' ? address.port : 0}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

describe('runLoad', () => {
  it('counts answers, verifies bodies and reads the server route time', async () => {
    answer = '{"id": 7, "randomNumber": 42}';
    const result = await runLoad(url, WORKLOADS.db, [], { seconds: 0.3 }, 2);
    expect(result.ok).toBeGreaterThan(10);
    expect(result.mismatches).toBe(0);
    expect(result.serverP50Us).toBe(250);
  });

  it('counts every wrong answer as a mismatch, so a fast wrong server fails', async () => {
    answer = '{"id": 0, "randomNumber": 42}';
    const result = await runLoad(url, WORKLOADS.db, [], { seconds: 0.3 }, 2);
    expect(result.ok).toBeGreaterThan(10);
    expect(result.mismatches).toBe(result.ok);
  });

  it('divides by the duration the load really ran, which a fractional round overruns', async () => {
    answer = '{"id": 7, "randomNumber": 42}';
    const result = await runLoad(url, WORKLOADS.db, [], { seconds: 0.35 }, 2);
    // autocannon's default once-a-second clock would have run this round a whole second.
    expect(result.durationSec).toBeGreaterThanOrEqual(0.35);
    expect(result.durationSec).toBeLessThan(0.7);
    expect(result.requestsPerSec).toBeCloseTo(result.ok / result.durationSec, 6);
    // Two connections of 10 ms answers serve at most 200/s, whatever was asked.
    expect(result.requestsPerSec).toBeLessThanOrEqual(2 * (1000 / SERVICE_MS));
  });

  it('sends exactly the requests asked for and leaves none in flight', async () => {
    answer = '{"id": 7, "randomNumber": 42}';
    const result = await runLoad(url, WORKLOADS.db, [], { requests: 40, capSec: 10 }, 4);
    expect(result.sent).toBe(40);
    expect(result.responses).toBe(40);
    expect(result.ok).toBe(40);
    // 40 answers of 10 ms on 4 connections: at least 0.1 s.
    expect(result.durationSec).toBeGreaterThanOrEqual(0.1);
    expect(result.requestsPerSec).toBeCloseTo(40 / result.durationSec, 6);
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
