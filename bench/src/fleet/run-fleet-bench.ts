import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  answers,
  createScratchDatabase,
  findPgBouncer,
  PGBOUNCER_MISSING,
  type PgBouncer,
  startPgBouncer,
  startPostgres,
} from '@lifetimes/databases';
import type { ProfileName } from '@lifetimes/strategies';
import { appEntry } from '../shared/app-entry.js';
import { AppProcess } from '../shared/app-process.js';
import { getJson } from '../shared/get-json.js';
import { type LoadResult, runLoad } from '../shared/load.js';
import { runStamp } from '../shared/machine-info.js';
import { PgWatch } from '../shared/pg-watch.js';
import { familyCpuUs } from '../shared/proc-cpu.js';
import { Progress } from '../shared/progress.js';
import { until } from '../shared/until.js';
import { WORKLOADS } from '../shared/workloads.js';
import { allPass, deployChecks, fleetCellChecks, type Limits } from './fleet-checks.js';
import { FLEET_WARM_SEC, type FleetMode, type FleetOptions } from './fleet-options.js';
import type { DeployPhase, DeployRun, FleetCell, FleetResults, Outcomes } from './fleet-results.js';
import { createAppRole, readFleetServer } from './fleet-server.js';
import { PoolerWatch } from './pooler-watch.js';
import { sumOutcomes } from './sum-outcomes.js';

/** The strategy a deploy is shown with: its pool is held while idle, so an overlapping fleet doubles it. */
const DEPLOY_STRATEGY: ProfileName = 'baseline';

interface Run {
  readonly options: FleetOptions;
  readonly limits: Limits;
  readonly watch: PgWatch;
  readonly postmasterPid: number | undefined;
  readonly database: string;
  readonly adminToken: string;
  /** A superuser's URL: what the reserved slots are kept for. */
  readonly adminUrl: string;
}

/** Where a mode sends the apps, and how to see the pooler when there is one. */
interface Route {
  readonly mode: FleetMode;
  readonly url: string;
  readonly pooler: PoolerWatch | undefined;
}

function outcomesOf(load: LoadResult): Outcomes {
  return {
    ok: load.ok,
    refused: load.status503,
    refusedWithoutRetryAfter: load.refusedWithoutRetryAfter,
    otherFailures: load.non2xx - load.status503,
    socketErrors: load.errors - load.timeouts,
    timeouts: load.timeouts,
  };
}

/** Load that keeps every process's pool busy: half as many again as the fleet's connections. */
function concurrencyFor(workers: number, poolSize: number): number {
  return Math.ceil(workers * poolSize * 1.5);
}

async function startFleet(
  run: Run,
  strategy: ProfileName,
  url: string,
  workers: number,
): Promise<AppProcess> {
  const app = await AppProcess.start({
    ...appEntry(strategy),
    env: {
      DATABASE_URL: url,
      WORKERS: String(workers),
      MAX_CONNECTIONS: String(run.options.poolSize),
      ACQUIRE_TIMEOUT_MS: '2000',
      ADMIN_TOKEN: run.adminToken,
    },
    core: undefined,
  });
  if (workers > 1) {
    const all = await until(async () => {
      const stats = await getJson<{ workers?: unknown[] }>(`${app.url}/stats`);
      return stats.workers?.length === workers;
    }, 60_000);
    if (!all) {
      await app.stop();
      throw new Error(
        `${strategy}: ${workers} workers were not all serving after 60 s. It printed:\n${app.output.slice(-2000)}`,
      );
    }
  }
  return app;
}

/** One measured round: the load on every URL at once, the server's and the pooler's peaks. */
async function measure(
  run: Run,
  route: Route,
  urls: readonly string[],
  concurrency: number,
): Promise<{
  loads: LoadResult[];
  peakServer: number;
  peakClients: number | undefined;
  adminServed: boolean | undefined;
}> {
  const server = run.watch.sampleConnections([run.database]);
  const clients = route.pooler?.sampleClients(run.database);
  const loading = Promise.all(
    urls.map((url) =>
      runLoad(url, WORKLOADS.slow, [], { seconds: run.options.roundSec }, concurrency),
    ),
  );
  // Halfway through, with every pool as full as it gets, a superuser
  // connects: straight at the server the reserved slots must still let an
  // operator in, however many sessions the fleet asked for.
  await sleep((run.options.roundSec * 1000) / 2);
  const adminServed = route.mode === 'direct' ? await superuserServed(run.adminUrl) : undefined;
  const loads = await loading;
  return {
    loads,
    peakServer: await server.stop(),
    peakClients: await clients?.stop(),
    adminServed,
  };
}

/**
 * Whether a superuser gets a session that answers within 5 s, trying again
 * every 200 ms as an operator would. Not at the first try: during a storm
 * of refused connections, backends of the app's role that the server has
 * forked but not yet turned away hold process slots for a moment, the
 * reserved ones included, so a single try can meet "too many clients".
 */
async function superuserServed(adminUrl: string): Promise<boolean> {
  const deadline = performance.now() + 5000;
  while (performance.now() < deadline) {
    if (await answers(adminUrl)) return true;
    await sleep(200);
  }
  return false;
}

/**
 * Before a fleet starts directly, the sessions of the one before must be
 * gone, or it would meet a smaller room than the server's. Through
 * PgBouncer the pooler keeps its server connections: that is its job.
 */
async function settleServer(run: Run, route: Route): Promise<void> {
  if (route.mode !== 'direct') return;
  await until(async () => (await run.watch.connectionsTo([run.database])) === 0, 15_000);
}

async function measureFleet(
  run: Run,
  route: Route,
  strategy: ProfileName,
  workers: number,
): Promise<FleetCell> {
  await settleServer(run, route);
  const concurrency = concurrencyFor(workers, run.options.poolSize);
  const app = await startFleet(run, strategy, route.url, workers);
  let exitCode: number | null = null;
  let measured: Awaited<ReturnType<typeof measure>>;
  let appCpu: number | undefined;
  let serverCpu: number | undefined;
  let warming: Outcomes;
  try {
    warming = outcomesOf(
      await runLoad(app.url, WORKLOADS.slow, [], { seconds: FLEET_WARM_SEC }, concurrency),
    );
    const appBefore = familyCpuUs(app.pid);
    const serverBefore = run.postmasterPid ? familyCpuUs(run.postmasterPid) : undefined;
    measured = await measure(run, route, [app.url], concurrency);
    const appAfter = familyCpuUs(app.pid);
    const serverAfter = run.postmasterPid ? familyCpuUs(run.postmasterPid) : undefined;
    appCpu = appBefore !== undefined && appAfter !== undefined ? appAfter - appBefore : undefined;
    serverCpu =
      serverBefore !== undefined && serverAfter !== undefined
        ? serverAfter - serverBefore
        : undefined;
  } finally {
    exitCode = (await app.stop()).code;
  }
  const [load] = measured.loads;
  if (!load) throw new Error('A fleet round ran no load.');
  const outcomes = outcomesOf(load);
  const perRequest = (us: number | undefined) =>
    us === undefined || load.ok === 0 ? undefined : us / load.ok;
  const facts = {
    ...outcomes,
    warming,
    mode: route.mode,
    workers,
    peakServerConnections: measured.peakServer,
    adminServed: measured.adminServed,
    exitCode,
  };
  const checks = fleetCellChecks(facts, run.limits);
  return {
    ...facts,
    strategy,
    concurrency,
    durationSec: load.durationSec,
    requestsPerSec: load.requestsPerSec,
    p99Ms: load.p99Ms,
    peakPoolerClients: measured.peakClients,
    appCpuUsPerRequest: perRequest(appCpu),
    serverCpuUsPerRequest: perRequest(serverCpu),
    checks,
    passed: allPass(checks),
  };
}

/**
 * A rolling deploy: the old fleet under load, then a new fleet of the same
 * size starting beside it and taking half the load while the old one still
 * holds its pools, then the old one stopped.
 */
async function measureDeploy(run: Run, route: Route): Promise<DeployRun> {
  await settleServer(run, route);
  const workers = run.options.deployWorkers;
  const concurrency = concurrencyFor(workers, run.options.poolSize);
  const phases: DeployPhase[] = [];
  const phase = async (name: DeployPhase['phase'], urls: string[]) => {
    const { loads, peakServer } = await measure(run, route, urls, concurrency);
    phases.push({
      phase: name,
      ...sumOutcomes(loads.map(outcomesOf)),
      peakServerConnections: peakServer,
    });
  };
  const old = await startFleet(run, DEPLOY_STRATEGY, route.url, workers);
  let next: AppProcess | undefined;
  let warming: Outcomes;
  try {
    warming = outcomesOf(
      await runLoad(old.url, WORKLOADS.slow, [], { seconds: FLEET_WARM_SEC }, concurrency),
    );
    await phase('before', [old.url]);
    next = await startFleet(run, DEPLOY_STRATEGY, route.url, workers);
    await phase('overlap', [old.url, next.url]);
    await old.stop();
    await phase('after', [next.url]);
  } finally {
    await old.stop();
    await next?.stop();
  }
  const checks = deployChecks(route.mode, warming, phases, run.limits);
  return {
    strategy: DEPLOY_STRATEGY,
    mode: route.mode,
    workers,
    warming,
    phases,
    checks,
    passed: allPass(checks),
  };
}

/**
 * The fleet bench: for every strategy, fleets of each size with a pool of
 * `poolSize` per process under load that fills every pool, first straight at
 * a PostgreSQL with a small max_connections, then through PgBouncer in
 * transaction mode; then a deploy in both modes. Every fleet is a real
 * `WORKERS=N` app, stopped with SIGTERM after its round.
 */
export async function runFleetBench(
  options: FleetOptions,
  log: (line: string) => void,
): Promise<FleetResults> {
  const startedAt = new Date().toISOString();
  const bouncerBinary = findPgBouncer();
  if (!bouncerBinary) log(`Leaving out the PgBouncer rows. ${PGBOUNCER_MISSING}`);
  const modes: FleetMode[] = bouncerBinary ? ['direct', 'pgbouncer'] : ['direct'];
  log(
    process.env.PG_URL
      ? 'Using PostgreSQL at PG_URL.'
      : `Starting an embedded PostgreSQL with max_connections = ${options.embeddedMaxConnections}...`,
  );
  const server = await startPostgres({ maxConnections: options.embeddedMaxConnections });
  const watch = await PgWatch.connect(server.adminUrl);
  let bouncer: PgBouncer | undefined;
  let pooler: PoolerWatch | undefined;
  try {
    const fleetServer = await readFleetServer(server.adminUrl, server.embedded);
    const limits: Limits = {
      server: fleetServer,
      poolSize: options.poolSize,
      bouncerPoolSize: options.bouncerPoolSize,
    };
    log(
      `The server: max_connections ${fleetServer.maxConnections}, ${fleetServer.reserved} reserved, ` +
        `${fleetServer.othersAtStart} held by others: room for ${fleetServer.room}. ` +
        `Each process: a pool of ${options.poolSize}.`,
    );
    await using role = await createAppRole(server.adminUrl);
    await using scratch = await createScratchDatabase(server.adminUrl, 'lifetimes_fleet');
    await role.own(scratch.name);
    const run: Run = {
      options,
      limits,
      watch,
      postmasterPid: await watch.postmasterPid(),
      database: scratch.name,
      adminToken: randomBytes(16).toString('hex'),
      adminUrl: server.adminUrl,
    };
    const progress = new Progress(
      modes.length * (options.strategies.length * options.sizes.length + 1),
    );
    const cells: FleetCell[] = [];
    const deploys: DeployRun[] = [];
    for (const mode of modes) {
      const direct = role.urlFor(scratch.url);
      if (mode === 'pgbouncer') {
        bouncer = await startPgBouncer({
          serverUrl: direct,
          poolMode: 'transaction',
          poolSize: options.bouncerPoolSize,
          maxClientConn: 5000,
        });
        pooler = await PoolerWatch.connect(bouncer.adminUrl);
      }
      const route: Route = { mode, url: bouncer?.url(direct) ?? direct, pooler };
      for (const strategy of options.strategies) {
        for (const workers of options.sizes) {
          progress.step(`${mode} · ${strategy} · ${workers} process${workers > 1 ? 'es' : ''}`);
          const cell = await measureFleet(run, route, strategy, workers);
          cells.push(cell);
          if (!cell.passed) progress.note(`failed: ${JSON.stringify(cell.checks)}`);
        }
      }
      progress.step(
        `${mode} · deploy: ${DEPLOY_STRATEGY}, ${options.deployWorkers} + ${options.deployWorkers} processes`,
      );
      deploys.push(await measureDeploy(run, route));
      await pooler?.close();
      pooler = undefined;
      await bouncer?.stop();
      bouncer = undefined;
    }
    return {
      ...runStamp(startedAt),
      quick: options.quick,
      server: fleetServer,
      poolSize: options.poolSize,
      bouncer: bouncerBinary
        ? { poolSize: options.bouncerPoolSize }
        : { missing: PGBOUNCER_MISSING },
      cells,
      deploys,
      passed: cells.every((cell) => cell.passed) && deploys.every((deploy) => deploy.passed),
    };
  } finally {
    await pooler?.close().catch(() => {});
    await bouncer?.stop();
    await watch.close();
    await server.stop();
  }
}
