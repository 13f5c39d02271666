import { randomBytes } from 'node:crypto';
import { type PostgresServer, startPostgres } from '@lifetimes/databases';
import { profileNamed } from '@lifetimes/strategies';
import { appEntry } from '../shared/app-entry.js';
import { AppProcess } from '../shared/app-process.js';
import type { Check } from '../shared/check.js';
import { getJson } from '../shared/get-json.js';
import { type LoadResult, runLoad } from '../shared/load.js';
import { runStamp } from '../shared/machine-info.js';
import { PgWatch } from '../shared/pg-watch.js';
import { pinsApps } from '../shared/pins-apps.js';
import { familyCpuUs, processCpuUs } from '../shared/proc-cpu.js';
import { formatDuration, Progress } from '../shared/progress.js';
import type { Driver, StrategyName } from '../shared/rows.js';
import { type ScratchPlace, scratchPlace } from '../shared/scratch-place.js';
import { settle } from '../shared/settle.js';
import { until } from '../shared/until.js';
import { type Warmed, warmInTurns } from '../shared/warm-in-turns.js';
import {
  LOGIN_PASSWORD,
  LOGIN_USERS,
  TENANT_CAP,
  WORKLOADS,
  type Workload,
  type WorkloadName,
} from '../shared/workloads.js';
import type { BenchOptions } from './options.js';
import { estimateSeconds, passOrder, roundCount, rowsFor } from './plan.js';
import type { AppRun, BenchResults, Round } from './results.js';
import { allPassed, summarize } from './summarize.js';

/** Strategies whose two /whoami queries must run on one connection, per driver. */
function promisesSameConnection(strategy: StrategyName, driver: Driver): boolean {
  if (strategy === 'driver-floor') return false;
  // kysely-plain is the baseline without a strategy: one connection on SQLite, a pool on PostgreSQL.
  const { connectionPer } = profileNamed(strategy === 'kysely-plain' ? 'baseline' : strategy);
  return connectionPer === 'scope' || (connectionPer === 'shared' && driver === 'sqlite');
}

interface Stats {
  opened: number;
  active: number;
  queries: number;
}

/** One app of a driver, running for the whole driver's matrix. */
interface Row {
  readonly strategy: StrategyName;
  readonly driver: Driver;
  readonly app: AppProcess;
  /** Its main database on PostgreSQL: tenant databases are named after it. */
  readonly database: string | undefined;
  readonly tenantIds: readonly string[];
  readonly warmup: { readonly seconds: number; readonly settled: boolean };
  /** Requests a round of each workload sends, from the calibration round's rate. */
  readonly amounts: Map<WorkloadName, number>;
}

interface DriverContext {
  readonly options: BenchOptions;
  readonly progress: Progress;
  readonly server: PostgresServer | undefined;
  readonly watch: PgWatch | undefined;
  readonly postmasterPid: number | undefined;
  readonly pin: boolean;
  readonly adminToken: string;
}

interface PostgresSide {
  readonly server: PostgresServer;
  readonly watch: PgWatch;
  readonly postmasterPid: number | undefined;
}

const POSTGRES_ABSENT = { server: undefined, watch: undefined, postmasterPid: undefined };

/** The server the PostgreSQL rows use (PG_URL's, or an embedded one) and its watcher. */
async function openPostgres(): Promise<PostgresSide> {
  process.stderr.write(
    process.env.PG_URL ? 'Using PostgreSQL at PG_URL.\n' : 'Starting an embedded PostgreSQL...\n',
  );
  const server = await startPostgres({ preload: ['pg_stat_statements'] });
  try {
    const watch = await PgWatch.connect(server.adminUrl);
    const postmasterPid = await watch.postmasterPid();
    if (!watch.statementsAvailable) {
      process.stderr.write(
        'pg_stat_statements is not loaded on this server: the statement-count check is reported as n/a.\n',
      );
    }
    if (postmasterPid === undefined) {
      process.stderr.write(
        'PostgreSQL is not on this machine (or /proc does not show it): server CPU is reported as n/a.\n',
      );
    }
    return { server, watch, postmasterPid };
  } catch (error) {
    await server.stop();
    throw error;
  }
}

/**
 * Runs the matrix: per driver, every row's app at once (each its own child
 * process, idle while another is measured), each warmed until its
 * throughput settles; then per workload, passes over the rows in
 * alternating order, many short rounds, one pair per pass.
 */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const estimatedSec = estimateSeconds(options);
  process.stderr.write(
    `Plan: ${options.strategies.length} rows × ${options.workloads.length} workloads × ${options.drivers.length} driver(s), ` +
      `${options.passes} passes of ${options.roundSec} s rounds: about ${formatDuration(estimatedSec)}.\n`,
  );
  const progress = new Progress(roundCount(options));
  // A quick run's figures are not for comparing, so it starts the server at
  // once and each driver's apps as soon as the previous driver's answer,
  // while SQLite is measured; a default run starts each when it comes to
  // it, so no start falls in a measured round.
  const postgres = options.drivers.includes('postgres') ? openPostgres() : undefined;
  postgres?.catch(() => undefined);
  if (!options.quick) await postgres;
  const rounds: Round[] = [];
  const appRuns: AppRun[] = [];
  const pin = pinsApps(options.pin);
  const adminToken = randomBytes(16).toString('hex');
  const contextOf = async (driver: Driver): Promise<DriverContext> => ({
    options,
    progress,
    ...POSTGRES_ABSENT,
    ...(driver === 'postgres' ? await postgres : undefined),
    pin,
    adminToken,
  });
  const launches = new Map<Driver, Launch>();
  const launchOnce = (driver: Driver, after: Promise<unknown> = Promise.resolve()): Launch => {
    const launch =
      launches.get(driver) ??
      startRows(
        driver,
        after.then(() => contextOf(driver)),
      );
    launches.set(driver, launch);
    return launch;
  };
  if (options.quick) {
    // Not all at once: fourteen apps compiling their sources on two cores
    // held the first driver's rounds back by seconds.
    let previous: Promise<unknown> = Promise.resolve();
    for (const driver of options.drivers) {
      previous = launchOnce(driver, previous).rows.catch(() => undefined);
    }
  }
  try {
    for (const driver of options.drivers) {
      const launch = launchOnce(driver);
      const outcome = await runDriver(driver, await contextOf(driver), launch);
      rounds.push(...outcome.rounds);
      appRuns.push(...outcome.appRuns);
    }
  } finally {
    await Promise.all([...launches.values()].map((launch) => launch.end()));
    const side = await postgres?.catch(() => undefined);
    await side?.watch.close();
    await side?.server.stop();
  }
  const cells = summarize(rounds, appRuns);
  return {
    ...runStamp(startedAt),
    method: {
      quick: options.quick,
      roundSec: options.roundSec,
      passes: options.passes,
      warmupMaxSec: options.warmupMaxSec,
      connections: options.connections,
      pinned: pin,
      postgres: postgres ? (process.env.PG_URL ? 'PG_URL' : 'embedded') : 'not used',
      estimatedSec: Math.round(estimatedSec),
      tookSec: Math.round((performance.now() - started) / 1000),
    },
    cells,
    rounds,
    appRuns,
    passed: allPassed({ cells }),
  };
}

/** A driver's rows, starting: their apps and scratch databases, stopped and removed by end(). */
interface Launch {
  readonly rows: Promise<Omit<Row, 'warmup'>[]>;
  end(): Promise<void>;
}

function startRows(driver: Driver, context: Promise<DriverContext>): Launch {
  const places: ScratchPlace[] = [];
  const apps: AppProcess[] = [];
  const starting = context.then((c) =>
    Promise.allSettled(
      c.options.strategies.map((strategy) => startRow(strategy, driver, c, { places, apps })),
    ),
  );
  const rows = starting.then((outcomes) =>
    outcomes.map((outcome) => {
      if (outcome.status === 'rejected') throw outcome.reason;
      return outcome.value;
    }),
  );
  rows.catch(() => undefined);
  let ended: Promise<void> | undefined;
  return {
    rows,
    end: () => {
      // Every start settled first, so an app that answers late is stopped too.
      ended ??= starting
        .catch(() => undefined)
        .then(() => Promise.all(apps.map((app) => app.stop())))
        .then(() => Promise.all(places.map((place) => place.remove())))
        .then(() => undefined);
      return ended;
    },
  };
}

async function runDriver(
  driver: Driver,
  context: DriverContext,
  launch: Launch,
): Promise<{ rounds: Round[]; appRuns: AppRun[] }> {
  const { options, progress } = context;
  const rows: Row[] = [];
  const rounds: Round[] = [];
  const appRuns: AppRun[] = [];
  try {
    const started = await launch.rows;
    progress.note(`${driver}: warming ${started.length} apps in turns, one window each per turn`);
    const warmed = await warmInTurns(
      started.map((row) => row.app.url),
      {
        windowSec: options.warmupWindowSec,
        maxSec: options.warmupMaxSec,
        connections: options.connections,
      },
    );
    for (const [i, row] of started.entries()) {
      const warmup = warmed[i] as Warmed;
      progress.note(
        `${driver} · ${row.strategy}: warm after ${warmup.seconds.toFixed(1)} s${warmup.settled ? '' : ' (the bound; throughput had not settled)'}`,
      );
      rows.push({ ...row, warmup });
    }
    for (const name of options.workloads) {
      const workload = WORKLOADS[name];
      const order = rowsFor(name, options.strategies).flatMap((strategy) =>
        rows.filter((row) => row.strategy === strategy),
      );
      // Unmeasured: warms the workload's own path and sizes its rounds.
      for (const row of order) {
        progress.step(`${driver} · ${name} · calibrate · ${row.strategy}`);
        const load = await runLoad(
          row.app.url,
          workload,
          row.tenantIds.slice(0, workload.tenants),
          { seconds: options.roundSec },
          options.connections,
        );
        row.amounts.set(
          name,
          Math.max(options.connections, Math.round(load.requestsPerSec * options.roundSec)),
        );
        // As after a measured round: every request answered leaves nothing
        // in flight, and one quiet poll will do.
        await settle(row.app.url, load.responses === load.sent ? 1 : 3);
      }
      for (let pass = 1; pass <= options.passes; pass++) {
        const passRows = passOrder(order, pass);
        for (const [position, row] of passRows.entries()) {
          progress.step(`${driver} · ${name} · pass ${pass}/${options.passes} · ${row.strategy}`);
          rounds.push(await runRound(row, workload, pass, position, context));
        }
      }
    }
    // The live checks load an app, so they take turns as the rounds did; on
    // two cores, three at once starved each other. Stopping is not measured.
    const live: LiveChecks[] = [];
    for (const row of rows) live.push(await liveChecks(row, context));
    appRuns.push(
      ...(await Promise.all(rows.map((row, i) => stopRow(row, live[i] as LiveChecks, context)))),
    );
  } finally {
    await launch.end();
  }
  for (const run of appRuns) {
    for (const note of run.notes) progress.note(`${run.strategy} on ${run.driver}: ${note}`);
  }
  return { rounds, appRuns };
}

async function startRow(
  strategy: StrategyName,
  driver: Driver,
  context: DriverContext,
  started: { places: ScratchPlace[]; apps: AppProcess[] },
): Promise<Omit<Row, 'warmup'>> {
  const { server, options } = context;
  const place = await scratchPlace(driver, server?.adminUrl, 'bench');
  started.places.push(place);
  const app = await AppProcess.start({
    ...appEntry(strategy),
    env: {
      DATABASE_URL: place.url,
      MAX_CONNECTIONS: '10',
      MAX_ENGINES: String(TENANT_CAP),
      ACQUIRE_TIMEOUT_MS: '5000',
      ADMIN_TOKEN: context.adminToken,
    },
    core: context.pin ? 0 : undefined,
  });
  started.apps.push(app);
  const serves = (name: WorkloadName) => rowsFor(name, [strategy]).length > 0;
  const needed = Math.max(
    0,
    ...options.workloads.filter(serves).map((name) => WORKLOADS[name].tenants),
  );
  const tenantIds = Array.from({ length: needed }, (_, i) => `t${i}`);
  for (const id of tenantIds) {
    await post(app.url, '/tenants', { id }, context.adminToken);
  }
  if (options.workloads.includes('login') && serves('login')) {
    for (const username of LOGIN_USERS) {
      await post(app.url, '/auth/register', { username, password: LOGIN_PASSWORD });
    }
  }
  return { strategy, driver, app, database: place.name, tenantIds, amounts: new Map() };
}

/** A setup request the bench cannot go on without; its failure says what the app answered. */
async function post(url: string, path: string, body: object, token?: string): Promise<void> {
  const response = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  if (!response.ok) {
    throw new Error(
      `POST ${path} ${JSON.stringify(body)} answered ${response.status}: ${await response.text()}`,
    );
  }
}

/** The databases a round of `workload` uses: the app's own, or the tenants' it spreads over. */
function roundDatabases(row: Row, workload: Workload): string[] {
  if (!row.database) return [];
  if (workload.tenants === 0) return [row.database];
  return row.tenantIds.slice(0, workload.tenants).map((id) => `${row.database}__${id}`);
}

async function runRound(
  row: Row,
  workload: Workload,
  pass: number,
  position: number,
  context: DriverContext,
): Promise<Round> {
  const { options } = context;
  const { app } = row;
  const watch = row.driver === 'postgres' ? context.watch : undefined;
  const postmasterPid = row.driver === 'postgres' ? context.postmasterPid : undefined;
  const notes: string[] = [];
  // Every app settled after its own last load, so it is idle now.
  const before = await getJson<Stats>(`${app.url}/stats`);
  const totalBefore =
    workload.name === 'transfer' ? await getJson<unknown>(`${app.url}/accounts/total`) : undefined;
  await watch?.resetStatements();
  app.resetPeakRss();
  const sampler = watch?.sampleConnections(roundDatabases(row, workload));
  const appCpuBefore = processCpuUs(app.pid);
  const serverCpuBefore = postmasterPid ? familyCpuUs(postmasterPid) : undefined;
  const amount = row.amounts.get(workload.name) ?? options.connections;
  const load = await runLoad(
    app.url,
    workload,
    row.tenantIds.slice(0, workload.tenants),
    { requests: amount, capSec: options.roundSec * 10 + 20 },
    options.connections,
  );
  const appCpuAfter = processCpuUs(app.pid);
  const serverCpuAfter = postmasterPid ? familyCpuUs(postmasterPid) : undefined;
  const peakServerConnections = await sampler?.stop();
  const peakRssMb = app.peakRssMb();
  // A round stopped at its cap leaves requests in flight: they finish (and
  // count) first. One with every request sent and answered left none, and
  // a short settle saves a fifth of a second per round.
  const drained = load.sent >= amount && load.responses === load.sent;
  await settle(app.url, drained ? 1 : 3);
  const after = await getJson<Stats>(`${app.url}/stats`);
  const perAnswer = (from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined || load.ok === 0 ? undefined : (to - from) / load.ok;

  const answered = load.ok > 0;
  let totalKept: Check = 'n/a';
  if (totalBefore !== undefined && answered) {
    const totalAfter = await getJson<unknown>(`${app.url}/accounts/total`);
    totalKept = JSON.stringify(totalAfter) === JSON.stringify(totalBefore) ? 'pass' : 'fail';
    if (totalKept === 'fail')
      notes.push(`total changed: ${JSON.stringify(totalBefore)} -> ${JSON.stringify(totalAfter)}`);
  }
  let statementCount: Check = 'n/a';
  const expected = workload.worldStatements;
  if (expected && watch && row.database && answered) {
    const counted = await watch.worldStatements(row.database);
    if (counted) {
      // Every request sent ran its statements, but only the 2xx ones are
      // sure to have run all of them.
      const within = (actual: number, perRequest: number) =>
        actual >= load.ok * perRequest && actual <= load.sent * perRequest;
      const ok = within(counted.select, expected.select) && within(counted.update, expected.update);
      statementCount = ok ? 'pass' : 'fail';
      if (!ok) {
        notes.push(
          `statements: ${counted.select} selects and ${counted.update} updates for ${load.ok} answers ` +
            `(${expected.select} and ${expected.update} each expected)`,
        );
      }
    }
  }
  if (load.mismatches > 0) notes.push(`${load.mismatches} wrong answers`);
  if (load.errors > 0) notes.push(`${load.errors} errors (${load.timeouts} timeouts)`);
  if (!answered) notes.push(`none of ${load.sent} requests finished within the round's cap`);
  const bodies: Check =
    load.mismatches > 0 || (answered && load.errors > 0) ? 'fail' : answered ? 'pass' : 'n/a';
  return {
    strategy: row.strategy,
    driver: row.driver,
    workload: workload.name,
    pass,
    position,
    load,
    connectionsPerRequest: load.sent > 0 ? (after.opened - before.opened) / load.sent : undefined,
    appCpuUsPerRequest: perAnswer(appCpuBefore, appCpuAfter),
    serverCpuUsPerRequest: perAnswer(serverCpuBefore, serverCpuAfter),
    peakServerConnections,
    peakRssMb,
    checks: {
      bodies,
      no5xx: load.status5xx > 0 ? 'fail' : answered ? 'pass' : 'n/a',
      totalKept,
      statementCount,
    },
    notes,
  };
}

/** A leak holds a connection for good; a slow machine only takes longer to finish in-flight requests. */
const IDLE_WITHIN_MS = 5000;

interface LiveChecks {
  readonly sameConnection: Check;
  readonly idle: Check;
  readonly notes: readonly string[];
}

/** /whoami under load, then idle after it: each note says what a failed check saw. */
async function liveChecks(row: Row, context: DriverContext): Promise<LiveChecks> {
  const { app, strategy, driver } = row;
  const notes: string[] = [];
  let sameConnection: Check = 'n/a';
  if (promisesSameConnection(strategy, driver)) {
    const whoami = await checkSameConnection(app.url, context.options);
    sameConnection =
      whoami.mismatches === 0 && whoami.errors === 0 && whoami.ok > 0 ? 'pass' : 'fail';
    if (sameConnection === 'fail') {
      notes.push(
        `/whoami: ${whoami.mismatches} of ${whoami.ok} answers named two connections, ${whoami.errors} errors (${whoami.timeouts} timeouts)`,
      );
    }
  }
  let active: number | undefined;
  const idle: Check = (await until(async () => {
    active = (await getJson<Stats>(`${app.url}/stats`)).active;
    return active === 0;
  }, IDLE_WITHIN_MS))
    ? 'pass'
    : 'fail';
  if (idle === 'fail') {
    notes.push(
      `still ${active ?? 'unknown (no /stats)'} active ${IDLE_WITHIN_MS / 1000} s after the load`,
    );
  }
  return { sameConnection, idle, notes };
}

/** SIGTERM: exit 0, and no backend of the app left on the server. */
async function stopRow(row: Row, live: LiveChecks, context: DriverContext): Promise<AppRun> {
  const { app, strategy, driver } = row;
  const notes = [...live.notes];
  const exit = await app.stop();
  const { watch } = context;
  const applicationName = `lifetimes-app-${strategy}`;
  const leftover =
    watch && driver === 'postgres'
      ? !(await until(async () => (await watch.connections(applicationName)) === 0, 2000))
      : false;
  const drained: Check = exit.code === 0 && !leftover ? 'pass' : 'fail';
  if (drained === 'fail') {
    notes.push(
      `shutdown: exit ${exit.code ?? exit.signal}${leftover ? ', backends left on the server' : ''}: ${exit.output.trim().split('\n').slice(-2).join(' | ')}`,
    );
  }
  return {
    strategy,
    driver,
    warmupSec: row.warmup.seconds,
    warmupSettled: row.warmup.settled,
    checks: { sameConnection: live.sameConnection, idle: live.idle, drained },
    notes,
  };
}

/** /whoami under load: each request's two queries must report one connection. */
async function checkSameConnection(url: string, options: BenchOptions): Promise<LoadResult> {
  return runLoad(
    url,
    {
      name: 'db',
      description: 'whoami',
      tenants: 0,
      floor: false,
      requests: () => [{ method: 'GET', path: '/whoami' }],
      verify: (body) => {
        try {
          const { connections } = JSON.parse(body) as { connections: unknown[] };
          return connections.length === 2 && connections[0] === connections[1];
        } catch {
          return false;
        }
      },
    },
    [],
    { seconds: Math.min(1, options.roundSec) },
    options.connections,
  );
}
