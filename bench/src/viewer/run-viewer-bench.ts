import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { type PostgresServer, startPostgres } from '@lifetimes/databases';
import { PROFILE_NAMES } from '@lifetimes/strategies';
import type { BenchOptions } from '../matrix/options.js';
import { appEntry } from '../shared/app-entry.js';
import { AppProcess } from '../shared/app-process.js';
import { measuredDbRound } from '../shared/measured-db-round.js';
import { pinsApps } from '../shared/pins-apps.js';
import type { Driver, StrategyName } from '../shared/rows.js';
import { scratchPlace } from '../shared/scratch-place.js';
import { settle } from '../shared/settle.js';
import { warmInTurns } from '../shared/warm-in-turns.js';
import { writeRunJson } from '../shared/write-run-json.js';
import { type LiveViewer, startViewer } from './live-viewer.js';
import {
  summarizeViewer,
  type ViewerResults,
  type ViewerRound,
  type ViewerRounds,
} from './viewer-results.js';

/**
 * `--viewer`: what an attached live view costs the app. Each sample app
 * runs with LIVE_VIEW=1 (the view is on in both arms, as under `npm run
 * start`); each pair is one round of `/db` with a viewer reading the event
 * stream and one without, in alternating order, back to back, so the
 * machine's drift cancels in the ratio. The viewer reads in a child process
 * at idle priority (startViewer), not on the bench's event loop
 * beside the load generator, so it takes only what the app and the load
 * leave idle, as a viewer on another machine would take nothing. That
 * process starts once per app, before its first round, and only opens and
 * closes the stream from round to round: what differs between the two
 * rounds of a pair is the stream being read, nothing else.
 */
export async function runViewerBench(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<ViewerResults> {
  const startedAt = new Date().toISOString();
  const pairs = options.quick ? 2 : options.passes * 2;
  const roundSec = options.quick ? options.roundSec : Math.max(1, options.roundSec);
  const strategies = options.strategies.filter((s): s is StrategyName =>
    (PROFILE_NAMES as readonly string[]).includes(s),
  );
  let server: PostgresServer | undefined;
  const measured: ViewerRounds[] = [];
  try {
    if (options.drivers.includes('postgres')) server = await startPostgres();
    for (const driver of options.drivers) {
      for (const strategy of strategies) {
        log(`viewer: ${strategy} on ${driver}, ${pairs} pairs of ${roundSec} s rounds`);
        measured.push(await measureApp(strategy, driver, server, { ...options, roundSec }, pairs));
      }
    }
  } finally {
    await server?.stop();
  }
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    quick: options.quick,
    node: process.version,
    cpus: cpus().length,
    pinned: pinsApps(options.pin),
    roundSec,
    pairs,
    connections: options.connections,
    postgres: server ? (process.env.PG_URL ? 'PG_URL' : 'embedded') : 'not used',
    ...summarizeViewer(measured),
  };
}

async function measureApp(
  strategy: StrategyName,
  driver: Driver,
  server: PostgresServer | undefined,
  options: BenchOptions,
  pairs: number,
): Promise<ViewerRounds> {
  const place = await scratchPlace(driver, server?.adminUrl, 'viewer');
  let app: AppProcess | undefined;
  let viewer: LiveViewer | undefined;
  try {
    app = await AppProcess.start({
      ...appEntry(strategy),
      env: { DATABASE_URL: place.url, MAX_CONNECTIONS: '10', LIVE_VIEW: '1' },
      // As in the matrix: the app on core 0, the load generator (and here
      // the viewer, its child) on core 1, so the viewer's reading never
      // lands in the app's time slices.
      core: pinsApps(options.pin) ? 0 : undefined,
    });
    await warmInTurns([app.url], {
      windowSec: options.warmupWindowSec,
      maxSec: options.warmupMaxSec,
      connections: options.connections,
    });
    viewer = await startViewer(app.url);
    const rounds: ViewerRound[] = [];
    for (let pair = 1; pair <= pairs; pair++) {
      const order = pair % 2 === 1 ? [undefined, viewer] : [viewer, undefined];
      for (const watching of order) rounds.push(await round(app, pair, watching, options));
    }
    return { strategy, driver, rounds };
  } finally {
    await viewer?.close();
    // An app that failed to start leaves no database behind either.
    await app?.stop();
    await place.remove();
  }
}

/** One round of `/db`; with `viewer`, its stream read throughout. */
async function round(
  app: AppProcess,
  pair: number,
  viewer: LiveViewer | undefined,
  options: BenchOptions,
): Promise<ViewerRound> {
  await viewer?.watch();
  try {
    const { load, appCpuUsPerRequest } = await measuredDbRound(
      app,
      options.roundSec,
      options.connections,
    );
    const events = (await viewer?.events()) ?? 0;
    return {
      pair,
      viewer: viewer !== undefined,
      ok: load.ok,
      requestsPerSec: load.requestsPerSec,
      appCpuUsPerRequest,
      events,
    };
  } finally {
    await viewer?.unwatch();
    await settle(app.url);
  }
}

/** The run's JSON under resultsDir (`viewer-<start>.json`); with docsDir, viewer.json there too, which the apps' README quotes. */
export async function writeViewerResults(
  results: ViewerResults,
  resultsDir: string,
  docsDir: string | undefined,
): Promise<string> {
  const { json, body } = await writeRunJson(resultsDir, 'viewer-', results.startedAt, results);
  if (docsDir !== undefined) {
    await mkdir(docsDir, { recursive: true });
    await writeFile(join(docsDir, 'viewer.json'), body);
  }
  return json;
}
