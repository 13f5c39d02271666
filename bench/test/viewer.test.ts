import { spawn, spawnSync } from 'node:child_process';
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { getPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { PROFILE_NAMES } from '@lifetimes/strategies';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBenchOptions } from '../src/matrix/options.js';
import { appEntry } from '../src/shared/app-entry.js';
import { AppProcess } from '../src/shared/app-process.js';
import { FROM_SOURCES } from '../src/shared/from-sources.js';
import { getJson } from '../src/shared/get-json.js';
import type { Driver, StrategyName } from '../src/shared/rows.js';
import { type ScratchPlace, scratchPlace } from '../src/shared/scratch-place.js';
import { until } from '../src/shared/until.js';
import { startViewer } from '../src/viewer/live-viewer.js';
import { runViewerBench } from '../src/viewer/run-viewer-bench.js';
import { summarizeViewer, type ViewerRound } from '../src/viewer/viewer-results.js';
import { hasExited, schedulingPolicy, viewerProcesses } from './support/viewer-processes.js';

const round = (pair: number, viewer: boolean, rate: number, cpu: number): ViewerRound => ({
  pair,
  viewer,
  ok: rate,
  requestsPerSec: rate,
  appCpuUsPerRequest: cpu,
  events: viewer ? rate * 5 : 0,
});

describe('the viewer bench', () => {
  it('pairs each round with a viewer with the round without one of the same pair', () => {
    // The machine drifts between pairs (1000, then 500): the ratio must not.
    const { cells } = summarizeViewer([
      {
        strategy: 'per-request',
        driver: 'sqlite',
        rounds: [
          round(1, false, 1000, 100),
          round(1, true, 900, 110),
          round(2, true, 450, 110),
          round(2, false, 500, 100),
          round(3, false, 1000, 100),
          round(3, true, 900, 110),
        ],
      },
    ]);
    const [cell] = cells;
    expect(cell?.rateRatio?.median).toBeCloseTo(0.9);
    expect(cell?.rateRatio?.resolved).toBe(true);
    expect(cell?.cpuRatio?.median).toBeCloseTo(1.1);
    expect(cell?.eventsPerRequest).toBe(5);
  });

  it('widens each cell to hold for all cells together, and pools every pair for the overall cost', () => {
    // Per pair, a viewer costs 2% more CPU give or take 3%: too little to
    // resolve in eight pairs of one app, enough in eighty pairs of ten.
    const noise = [0.97, 1.05, 1.0, 0.99, 1.04, 1.02, 0.98, 1.06];
    const cell = (strategy: StrategyName, driver: Driver, shift: number) => ({
      strategy,
      driver,
      rounds: noise.flatMap((n, i) => {
        const spread = noise[(i + shift) % noise.length] as number;
        return [round(i + 1, false, 1000, 100), round(i + 1, true, 1000, 100 * n * spread)];
      }),
    });
    const measured = (['sqlite', 'postgres'] as const).flatMap((driver) =>
      PROFILE_NAMES.map((strategy, at) => cell(strategy, driver, at)),
    );
    const summary = summarizeViewer(measured);
    expect(summary.cellLevel).toBeCloseTo(0.995);
    // The first cell summarised alone: one cell's interval is at 95%.
    const alone = summarizeViewer(measured.slice(0, 1)).cells[0]?.cpuRatio;
    const first = summary.cells[0]?.cpuRatio;
    expect(first?.median).toBe(alone?.median);
    // Wider than the same cell's interval at 95%.
    expect((first?.high ?? 0) - (first?.low ?? 0)).toBeGreaterThan(
      (alone?.high ?? 0) - (alone?.low ?? 0),
    );
    expect(summary.cells.every((c) => c.cpuRatio?.resolved === false)).toBe(true);
    expect(summary.overall.cpuRatio?.pairs).toBe(80);
    expect(summary.overall.cpuRatio?.resolved).toBe(true);
    expect(summary.overall.cpuRatio?.median).toBeGreaterThan(1.01);
    expect(summary.overall.rateRatio?.resolved).toBe(false);
  });

  it('measures an app with a viewer that really watched, and without one', async () => {
    const options = parseBenchOptions([
      '--viewer',
      '--quick',
      '--strategies=per-request',
      '--drivers=sqlite',
    ]);
    const results = await runViewerBench(options, () => {});
    expect(results.cells).toHaveLength(1);
    const [cell] = results.cells;
    expect(cell?.rounds).toHaveLength(4);
    for (const r of cell?.rounds ?? []) {
      expect(r.ok).toBeGreaterThan(0);
      if (r.viewer) expect(r.events).toBeGreaterThan(r.ok);
      else expect(r.events).toBe(0);
    }
    expect(cell?.rateRatio).toBeDefined();
    expect(cell?.eventsPerRequest).toBeGreaterThan(1);
  }, 120_000);
});

/** One sample app on SQLite, served with or without its live view. */
async function served(liveView: boolean): Promise<{ app: AppProcess; place: ScratchPlace }> {
  const place = await scratchPlace('sqlite', undefined, 'viewer-test');
  const app = await AppProcess.start({
    ...appEntry('per-request'),
    env: { DATABASE_URL: place.url, ...(liveView ? { LIVE_VIEW: '1' } : {}) },
    core: undefined,
  });
  return { app, place };
}

/** A server that answers /live/events with 200 and then `respond`s: a stream without a hello, or one that ends. */
async function fakeStream(respond: (res: ServerResponse) => void): Promise<{
  url: string;
  server: Server;
}> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    respond(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

const HAS_CHRT = spawnSync('chrt', ['--version'], { stdio: 'ignore' }).status === 0;

const liveViewers = async (url: string) =>
  (await getJson<{ live: { viewers: number; dropped: number } }>(`${url}/stats`)).live;

describe('the viewer process', () => {
  let watched: { app: AppProcess; place: ScratchPlace };
  beforeAll(async () => {
    watched = await served(true);
  });
  afterAll(async () => {
    await watched?.app.stop();
    await watched?.place.remove();
  });

  it("watches a served app's /live/events from a child process at idle priority, counts the events of the load, stops and starts watching on request, and leaves no process after close()", async () => {
    const { url } = watched.app;
    const viewer = await startViewer(url);
    try {
      const viewers = viewerProcesses(process.pid);
      expect(viewers).toHaveLength(1);
      const pid = viewers[0] as number;
      // It takes only the CPU the app and the load leave idle: SCHED_IDLE
      // where util-linux's chrt is (Debian has it), nice 19 in any case.
      expect(getPriority(pid)).toBe(19);
      expect(schedulingPolicy(pid)).toBe(HAS_CHRT ? 'idle' : 'normal');
      // Started, it does not watch yet.
      expect((await liveViewers(url)).viewers).toBe(0);
      const requests = 20;
      for (const time of ['first', 'second']) {
        await viewer.watch();
        // The app counts it as its viewer once the hello has come.
        expect((await liveViewers(url)).viewers, time).toBe(1);
        for (let i = 0; i < requests; i++) expect((await fetch(`${url}/db`)).status).toBe(200);
        // Each request on per-request opens, acquires, releases and closes:
        // more than one event each, counted afresh for each watch.
        const counted = await until(async () => (await viewer.events()) > requests, 5000);
        expect(counted, `${time} watch, events counted: ${await viewer.events()}`).toBe(true);
        expect(await viewer.events(), time).toBeLessThan(requests * 10);
        await viewer.unwatch();
        expect(await until(async () => (await liveViewers(url)).viewers === 0, 5000), time).toBe(
          true,
        );
        // Closing the stream is not closing the viewer.
        expect(viewerProcesses(process.pid), time).toEqual([pid]);
      }
      await viewer.close();
      expect(() => process.kill(pid, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
      expect(viewerProcesses(process.pid)).toEqual([]);
      expect((await liveViewers(url)).dropped).toBe(0);
    } finally {
      await viewer.close(); // Again when an expectation failed first; once closed, it returns at once.
    }
  });

  it('exits by itself when the bench that started it dies', async () => {
    const script = fileURLToPath(new URL('./support/watch-until-killed.ts', import.meta.url));
    const bench = spawn(process.execPath, [...FROM_SOURCES, script, watched.app.url], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let printed = '';
    bench.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    bench.stderr.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
    });
    try {
      expect(await until(async () => printed.includes('watching\n'), 20_000), printed).toBe(true);
      const viewers = viewerProcesses(bench.pid ?? 0);
      expect(viewers).toHaveLength(1);
      bench.kill('SIGKILL');
      expect(await until(async () => viewers.every(hasExited), 5000)).toBe(true);
    } finally {
      bench.kill('SIGKILL');
    }
  });

  it('refuses an app without LIVE_VIEW=1, saying so, and leaves no process', async () => {
    const { app, place } = await served(false);
    try {
      const viewer = await startViewer(app.url);
      await expect(viewer.watch()).rejects.toThrow(
        /stopped before the hello; its process exited with code 1: .*\/live\/events answered 404 .*: start the app with LIVE_VIEW=1 to measure a viewer\./,
      );
      expect(viewerProcesses(process.pid)).toEqual([]);
    } finally {
      await app.stop();
      await place.remove();
    }
  });

  it('gives up on a stream that sends no hello within the timeout, and leaves no process', async () => {
    const { url, server } = await fakeStream(() => {});
    try {
      const viewer = await startViewer(url, 3000);
      await expect(viewer.watch()).rejects.toThrow(
        `No hello from ${url}/live/events within 3000 ms of asking for it: check that the app is up with LIVE_VIEW=1 and not overloaded, or give the viewer a longer timeout.`,
      );
      expect(viewerProcesses(process.pid)).toEqual([]);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('says so when the stream ends during the round, instead of counting on', async () => {
    const { url, server } = await fakeStream((res) => {
      res.write('event: hello\ndata: {"strategy":"baseline"}\n\n');
      setTimeout(() => res.end('data: {"type":"acquire"}\n\n'), 200);
    });
    try {
      const viewer = await startViewer(url);
      try {
        await viewer.watch();
        await expect(
          until(async () => viewerProcesses(process.pid).length === 0, 5000),
        ).resolves.toBe(true);
        await expect(viewer.events()).rejects.toThrow(
          `The viewer of ${url}/live/events stopped during the round; its process exited with code 1: The app ended ${url}/live/events (1 events counted):`,
        );
      } finally {
        await viewer.close();
      }
    } finally {
      server.close();
    }
  });
});
