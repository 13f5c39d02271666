import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warmInTurns } from '../src/shared/warm-in-turns.js';

/**
 * The turn logic on fixed throughputs: each "app" is a list of the rates
 * its windows report, in order. The apps themselves are two idle HTTP
 * servers answering the `/stats` that the last settle reads.
 */
describe('warmInTurns', () => {
  const servers: Server[] = [];
  const urls: string[] = [];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const server = createServer((_req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ active: 0, queries: 0 }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      servers.push(server);
      urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    }
  });

  afterAll(async () => {
    await Promise.all(
      servers.map((server) => new Promise((resolve) => server.close(() => resolve(undefined)))),
    );
  });

  /** A window runner that replays `rates[app]` and logs which app each window went to. */
  function replay(rates: Record<string, number[]>) {
    const calls: string[] = [];
    const next = new Map<string, number>();
    const window = async (url: string) => {
      const name = url === urls[0] ? 'a' : 'b';
      calls.push(name);
      const at = next.get(name) ?? 0;
      next.set(name, at + 1);
      return { durationSec: 1, requestsPerSec: rates[name]?.[at] ?? 0 };
    };
    return { calls, window };
  }

  const options = { windowSec: 1, maxSec: 6, connections: 4 };

  it('gives the apps their windows in turns, not one app after the other', async () => {
    const { calls, window } = replay({ a: [100, 200, 300, 305], b: [100, 150, 200, 202] });
    await warmInTurns(urls, options, window);
    expect(calls).toEqual(['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b']);
  });

  it("reports each app's load up to the window that agreed with the one before within 5%", async () => {
    const { window } = replay({ a: [100, 104], b: [100, 200, 300, 310] });
    const warmed = await warmInTurns(urls, options, window);
    expect(warmed).toEqual([
      { seconds: 2, settled: true },
      { seconds: 4, settled: true },
    ]);
  });

  it('keeps a settled app in the turns while another still warms', async () => {
    const { calls, window } = replay({ a: [100, 100, 100, 100], b: [100, 200, 300, 310] });
    await warmInTurns(urls, options, window);
    expect(calls.filter((app) => app === 'a')).toHaveLength(4);
  });

  it('stops an app at its bound and says it had not settled', async () => {
    const { calls, window } = replay({ a: [100, 101], b: [1, 2, 4, 8, 16, 32, 64, 128] });
    const warmed = await warmInTurns(urls, options, window);
    expect(warmed[1]).toEqual({ seconds: 6, settled: false });
    expect(calls.filter((app) => app === 'b')).toHaveLength(6);
    expect(calls.filter((app) => app === 'a')).toHaveLength(6);
  });

  it('never counts a window in which nothing finished as steady', async () => {
    const { window } = replay({ a: [0, 0, 0, 0, 0, 0], b: [5, 5] });
    const warmed = await warmInTurns(urls, options, window);
    expect(warmed[0]).toEqual({ seconds: 6, settled: false });
  });
});
