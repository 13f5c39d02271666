import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import {
  createScratchDatabase,
  createTempDir,
  type PostgresServer,
  startPostgres,
} from '@lifetimes/databases';
import { appEntry } from './app-entry.js';
import { AppProcess } from './app-process.js';
import type { BenchOptions, Driver, StrategyName } from './bench-options.js';
import { getJson } from './get-json.js';
import { runLoad } from './load.js';
import { machineInfo } from './machine-info.js';
import { PgWatch } from './pg-watch.js';
import { plan } from './plan.js';
import { Progress } from './progress.js';
import type { AppRun, BenchResults, Check, Round } from './results.js';
import { settle } from './settle.js';
import { allPassed, summarize } from './summarize.js';
import { until } from './until.js';
import { TENANT_CAP, WORKLOADS, type Workload } from './workloads.js';

/** Strategies whose two /whoami queries must run on one connection, per driver. */
function promisesSameConnection(strategy: StrategyName, driver: Driver): boolean {
  if (strategy === 'per-request' || strategy === 'scoped-session' || strategy === 'pooled-registry')
    return true;
  return driver === 'sqlite' && (strategy === 'baseline' || strategy === 'kysely-plain');
}

interface Stats {
  opened: number;
  active: number;
  queries: number;
}

/** Runs the whole matrix and returns every round, app run and summarized cell. */
export async function runBench(options: BenchOptions): Promise<BenchResults> {
  const startedAt = new Date().toISOString();
  const starts = plan(options);
  const usesPostgres = options.drivers.includes('postgres');
  const progress = new Progress(starts.length * options.workloads.length);
  let server: PostgresServer | undefined;
  let watch: PgWatch | undefined;
  if (usesPostgres) {
    process.stderr.write(
      process.env.PG_URL ? 'Using PostgreSQL at PG_URL.\n' : 'Starting an embedded PostgreSQL...\n',
    );
    server = await startPostgres({ preload: ['pg_stat_statements'] });
    watch = await PgWatch.connect(server.adminUrl);
    if (!watch.statementsAvailable) {
      process.stderr.write(
        'pg_stat_statements is not loaded on this server: the statement-count check is reported as n/a.\n',
      );
    }
  }
  const rounds: Round[] = [];
  const appRuns: AppRun[] = [];
  const pinCores = options.pin && process.platform === 'linux' && cpus().length >= 2;
  try {
    for (const start of starts) {
      const outcome = await runApp(start, options, progress, server, watch, pinCores);
      rounds.push(...outcome.rounds);
      appRuns.push(outcome.appRun);
    }
  } finally {
    await watch?.close();
    await server?.stop();
  }
  const cells = summarize(rounds, appRuns);
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machineInfo(),
    method: {
      quick: options.quick,
      durationSec: options.durationSec,
      warmupSec: options.warmupSec,
      connections: options.connections,
      trials: options.trials,
      pinned: pinCores,
      postgres: usesPostgres ? (process.env.PG_URL ? 'PG_URL' : 'embedded') : 'not used',
    },
    cells,
    rounds,
    appRuns,
    passed: allPassed({ cells }),
  };
}

async function runApp(
  start: { trial: number; driver: Driver; strategy: StrategyName },
  options: BenchOptions,
  progress: Progress,
  server: PostgresServer | undefined,
  watch: PgWatch | undefined,
  pin: boolean,
): Promise<{ rounds: Round[]; appRun: AppRun }> {
  const { trial, driver, strategy } = start;
  const applicationName = `lifetimes-app-${strategy}`;
  const scratch =
    driver === 'postgres' && server
      ? await createScratchDatabase(server.adminUrl, 'lifetimes_bench')
      : undefined;
  const dir = driver === 'sqlite' ? await createTempDir('lifetimes-bench') : undefined;
  const databaseUrl = scratch?.url ?? dir?.sqliteUrl('app.db') ?? '';
  const rounds: Round[] = [];
  const notes: string[] = [];
  // The app's admin credential, known only to this run: POST /tenants needs it.
  const adminToken = randomBytes(16).toString('hex');
  const app = await AppProcess.start({
    ...appEntry(strategy),
    env: {
      ADMIN_TOKEN: adminToken,
      DATABASE_URL: databaseUrl,
      MAX_CONNECTIONS: '10',
      MAX_ENGINES: String(TENANT_CAP),
      ACQUIRE_TIMEOUT_MS: '5000',
    },
    core: pin ? 0 : undefined,
  });
  let appRun: AppRun | undefined;
  try {
    const tenantIds = await provisionTenants(app.url, adminToken, options);
    for (const name of options.workloads) {
      const workload = WORKLOADS[name];
      progress.step(`trial ${trial}/${options.trials} · ${driver} · ${strategy} · ${name}`);
      const serverWatch = driver === 'postgres' ? watch : undefined;
      rounds.push(
        await runRound(
          app,
          workload,
          tenantIds.slice(0, workload.tenants),
          { trial, driver, strategy, applicationName },
          options,
          serverWatch,
          scratch?.name,
        ),
      );
    }
    const sameConnection = promisesSameConnection(strategy, driver)
      ? await checkSameConnection(app.url, options)
      : 'n/a';
    const idle = (await until(
      async () => (await getJson<Stats>(`${app.url}/stats`)).active === 0,
      2000,
    ))
      ? 'pass'
      : 'fail';
    const exit = await app.stop();
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
    appRun = { strategy, driver, trial, checks: { sameConnection, idle, drained }, notes };
  } finally {
    if (!appRun) await app.stop();
    await scratch?.drop();
    await dir?.remove();
  }
  for (const note of notes) progress.note(`${strategy} on ${driver}: ${note}`);
  return { rounds, appRun };
}

/** Creates the tenants the tenant workloads need (every app serves tenants). */
async function provisionTenants(
  url: string,
  adminToken: string,
  options: BenchOptions,
): Promise<string[]> {
  const needed = Math.max(0, ...options.workloads.map((name) => WORKLOADS[name].tenants));
  const ids = Array.from({ length: needed }, (_, i) => `t${i}`);
  for (const id of ids) {
    const response = await fetch(`${url}/tenants`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ id }),
    });
    if (!response.ok) {
      throw new Error(
        `POST /tenants {"id":"${id}"} answered ${response.status}: ${await response.text()}`,
      );
    }
  }
  return ids;
}

async function runRound(
  app: AppProcess,
  workload: Workload,
  tenantIds: readonly string[],
  where: { trial: number; driver: Driver; strategy: StrategyName; applicationName: string },
  options: BenchOptions,
  watch: PgWatch | undefined,
  databaseName: string | undefined,
): Promise<Round> {
  const notes: string[] = [];
  if (options.warmupSec > 0)
    await runLoad(app.url, workload, tenantIds, options.warmupSec, options.connections);
  await settle(app.url);
  const before = await getJson<Stats>(`${app.url}/stats`);
  const totalBefore =
    workload.name === 'transfer' ? await getJson<unknown>(`${app.url}/accounts/total`) : undefined;
  await watch?.resetStatements();
  app.resetPeakRss();
  const sampler = watch?.sampleConnections(where.applicationName);
  const load = await runLoad(
    app.url,
    workload,
    tenantIds,
    options.durationSec,
    options.connections,
  );
  const peakServerConnections = await sampler?.stop();
  const peakRssMb = app.peakRssMb();
  // The requests cut off at the end of the round finish their queries first.
  await settle(app.url);
  const after = await getJson<Stats>(`${app.url}/stats`);

  let totalKept: Check = 'n/a';
  if (totalBefore !== undefined) {
    const totalAfter = await getJson<unknown>(`${app.url}/accounts/total`);
    totalKept = JSON.stringify(totalAfter) === JSON.stringify(totalBefore) ? 'pass' : 'fail';
    if (totalKept === 'fail')
      notes.push(`total changed: ${JSON.stringify(totalBefore)} -> ${JSON.stringify(totalAfter)}`);
  }
  let statementCount: Check = 'n/a';
  const expected = workload.worldStatements;
  if (expected && watch && databaseName) {
    const counted = await watch.worldStatements(databaseName);
    if (counted) {
      // Requests still in flight when the round stopped ran their statements
      // (settle() let them finish) but were not counted: at most one per connection.
      const slack = options.connections;
      const within = (actual: number, perRequest: number) =>
        actual >= load.ok * perRequest && actual <= (load.ok + slack) * perRequest;
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
  return {
    strategy: where.strategy,
    driver: where.driver,
    workload: workload.name,
    trial: where.trial,
    load,
    connectionsPerRequest: load.responses > 0 ? (after.opened - before.opened) / load.responses : 0,
    peakServerConnections,
    peakRssMb,
    checks: {
      bodies: load.mismatches === 0 && load.errors === 0 ? 'pass' : 'fail',
      no5xx: load.status5xx === 0 ? 'pass' : 'fail',
      totalKept,
      statementCount,
    },
    notes,
  };
}

/** /whoami under load: each request's two queries must report one connection. */
async function checkSameConnection(url: string, options: BenchOptions): Promise<Check> {
  const result = await runLoad(
    url,
    {
      name: 'db',
      description: 'whoami',
      tenants: 0,
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
    Math.min(1, options.durationSec),
    options.connections,
  );
  return result.mismatches === 0 && result.errors === 0 && result.ok > 0 ? 'pass' : 'fail';
}
