import type { NodeRuntime, PreparedRuntimes } from '@lifetimes/runtimes';
import { appEntry } from '../shared/app-entry.js';
import { AppProcess } from '../shared/app-process.js';
import { measuredDbRound } from '../shared/measured-db-round.js';
import { formatRatio } from '../shared/paired-ratio.js';
import type { Driver, StrategyName } from '../shared/rows.js';
import { type ScratchPlace, scratchPlace } from '../shared/scratch-place.js';
import { settle } from '../shared/settle.js';
import { warmInTurns } from '../shared/warm-in-turns.js';
import {
  type RuntimeHttpCell,
  type RuntimeHttpComparison,
  type RuntimeHttpRound,
  summarizeRuntimeHttp,
} from './runtime-http-results.js';

/** Which rows run over HTTP under each runtime, and how long. */
export interface RuntimeHttpPlan {
  readonly strategies: readonly StrategyName[];
  readonly drivers: readonly Driver[];
  readonly roundSec: number;
  readonly pairs: number;
  readonly connections: number;
  readonly warmupWindowSec: number;
  readonly warmupMaxSec: number;
}

interface RuntimeApp {
  readonly runtime: NodeRuntime;
  readonly app: AppProcess;
}

/**
 * The chosen rows over HTTP under each runtime: per row and driver, one app
 * process per runtime (each on its own scratch database), each warmed until
 * steady, then pairs of `/db` rounds, one round per runtime back to back,
 * the order reversed every other pair, as the matrix pairs a strategy with
 * the baseline. `adminUrl` is the PostgreSQL server the postgres rows use.
 */
export async function runRuntimeHttp(
  prepared: PreparedRuntimes,
  plan: RuntimeHttpPlan,
  adminUrl: string | undefined,
  log: (line: string) => void,
): Promise<RuntimeHttpComparison> {
  const versions = prepared.runtimes.map((runtime) => runtime.version);
  const cells: RuntimeHttpCell[] = [];
  const rounds: RuntimeHttpRound[] = [];
  for (const driver of plan.drivers) {
    for (const strategy of plan.strategies) {
      const measured = await measureRow(strategy, driver, prepared, plan, adminUrl);
      rounds.push(...measured);
      const cell = summarizeRuntimeHttp(strategy, driver, versions, measured);
      cells.push(cell);
      log(
        `http: ${strategy} on ${driver}, throughput ${cell.rateRatios.map((ratio) => formatRatio(ratio ?? undefined)).join(', ')}` +
          `, CPU/request ${cell.cpuRatios.map((ratio) => formatRatio(ratio ?? undefined)).join(', ')}` +
          (cell.passed ? '' : ' (some requests failed)'),
      );
    }
  }
  return {
    versions,
    roundSec: plan.roundSec,
    pairs: plan.pairs,
    connections: plan.connections,
    cells,
    rounds,
  };
}

async function measureRow(
  strategy: StrategyName,
  driver: Driver,
  prepared: PreparedRuntimes,
  plan: RuntimeHttpPlan,
  adminUrl: string | undefined,
): Promise<RuntimeHttpRound[]> {
  const places: ScratchPlace[] = [];
  const apps: RuntimeApp[] = [];
  try {
    for (const runtime of prepared.runtimes) {
      const place = await scratchPlace(driver, adminUrl, 'runtime');
      places.push(place);
      const app = await prepared.under(runtime, () => startLoaded(strategy, runtime, place.url));
      apps.push({ runtime, app });
    }
    await warmInTurns(
      apps.map(({ app }) => app.url),
      {
        windowSec: plan.warmupWindowSec,
        maxSec: plan.warmupMaxSec,
        connections: plan.connections,
      },
    );
    const rounds: RuntimeHttpRound[] = [];
    for (let pair = 1; pair <= plan.pairs; pair++) {
      const order = pair % 2 === 1 ? apps : [...apps].reverse();
      for (const entry of order) rounds.push(await round(entry, strategy, driver, pair, plan));
    }
    return rounds;
  } finally {
    await Promise.all(apps.map(({ app }) => app.stop()));
    await Promise.all(places.map((place) => place.remove()));
  }
}

/**
 * Starts the app under `runtime` and has it answer one `/db` while that
 * runtime's better-sqlite3 is in node_modules: the first query loads the
 * binary, and a loaded binary stays with the process when the machine's
 * is put back for the next runtime's app.
 */
async function startLoaded(
  strategy: StrategyName,
  runtime: NodeRuntime,
  databaseUrl: string,
): Promise<AppProcess> {
  const app = await AppProcess.start({
    ...appEntry(strategy),
    env: { DATABASE_URL: databaseUrl, MAX_CONNECTIONS: '10' },
    core: undefined,
    runtime,
  });
  const response = await fetch(`${app.url}/db`).catch((error: unknown) => error as Error);
  if (response instanceof Response && response.ok) return app;
  const exit = await app.stop();
  throw new Error(
    `${strategy} under Node ${runtime.version} did not answer its first /db (${response instanceof Response ? `status ${response.status}` : response.message}). It printed:\n${exit.output.slice(-2000)}`,
  );
}

async function round(
  { runtime, app }: RuntimeApp,
  strategy: StrategyName,
  driver: Driver,
  pair: number,
  plan: RuntimeHttpPlan,
): Promise<RuntimeHttpRound> {
  const { load, appCpuUsPerRequest } = await measuredDbRound(app, plan.roundSec, plan.connections);
  await settle(app.url);
  return {
    strategy,
    driver,
    pair,
    version: runtime.version,
    ok: load.ok,
    failed: load.non2xx + load.errors + load.timeouts + load.mismatches,
    requestsPerSec: load.requestsPerSec,
    appCpuUsPerRequest,
  };
}
