import cluster from 'node:cluster';
import { mkdir } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { dirname } from 'node:path';
import { parseDatabaseUrl } from '@lifetimes/core';
import type { CreateApp, SampleApp } from './app-config.js';
import { migrateAndSeed } from './migrate-and-seed.js';
import { fleetWorkerHandler, runFleet } from './run-fleet.js';
import { readServerSettings, type ServerSettings } from './server-settings.js';

export interface RunServerOptions {
  /** The app's name in its log lines; its PostgreSQL application_name is `lifetimes-app-<name>`. */
  readonly name: string;
  readonly createApp: CreateApp;
}

/** How long in-flight requests may run after SIGTERM; /slow's longest wait (5 s) fits. */
const DRAIN_MS = 6000;
/** After the drain, how long the strategy may take to close its connections. */
const STRATEGY_CLOSE_MS = 1500;
/** The promise to whoever sent SIGTERM: the process is gone by then, whatever happens. */
const EXIT_DEADLINE_MS = 10_000;

/**
 * Every app's entry: reads PORT and DATABASE_URL, migrates and seeds, listens,
 * and on SIGTERM or SIGINT stops accepting, lets in-flight requests finish,
 * closes every connection and exits 0 (1 if anything had to be cut off).
 * With WORKERS=N this process is the primary of N such processes on one port.
 */
export async function runServer(options: RunServerOptions): Promise<void> {
  const { name } = options;
  let settings: ServerSettings;
  try {
    settings = readServerSettings(process.env);
  } catch (error) {
    console.error(`${name}: could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  if (settings.workers > 1 && cluster.isPrimary) {
    await runFleet({
      name,
      workers: settings.workers,
      exitDeadlineMs: EXIT_DEADLINE_MS,
      prepare: async () => {
        const sample = await prepare(options, settings);
        await sample.strategy.close();
      },
    });
    return;
  }
  // Aborted at SIGTERM, before the drain: the live view's streams end then.
  const shutdown = new AbortController();
  let started: { sample: SampleApp; server: Server } | undefined;
  try {
    started = await start(options, settings, shutdown.signal);
  } catch (error) {
    console.error(`${name}: could not start: ${error instanceof Error ? error.message : error}`);
    process.exit(1);
  }
  const { sample, server } = started;
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // Ctrl-C under `npm run start` reaches this process more than once (the
    // terminal signals the whole group, and npm and tsx relay it too): a
    // repeat must not cut off the drain. The exit deadline bounds it anyway.
    if (stopping) return;
    stopping = true;
    shutdown.abort();
    void shutDown(name, signal, sample, server);
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** Builds the app and migrates and seeds its database; the caller closes the strategy. */
async function prepare(
  { name, createApp }: RunServerOptions,
  settings: ServerSettings,
  shutdown?: AbortSignal,
) {
  const target = parseDatabaseUrl(settings.databaseUrl);
  if (target.dialect === 'sqlite') await mkdir(dirname(target.file), { recursive: true });
  const sample = createApp({
    databaseUrl: settings.databaseUrl,
    strategyOptions: {
      maxConnections: settings.maxConnections,
      acquireTimeoutMs: settings.acquireTimeoutMs,
      maxDatabases: settings.maxEngines,
      applicationName: `lifetimes-app-${name}`,
      closeTimeoutMs: STRATEGY_CLOSE_MS,
    },
    secret: settings.secret,
    tenants: { adminToken: settings.adminToken, maxTenants: settings.maxTenants },
    liveView: settings.liveView,
    shutdown,
  });
  try {
    await migrateAndSeed(sample.strategy);
  } catch (error) {
    await sample.strategy.close();
    throw error;
  }
  return sample;
}

async function start(options: RunServerOptions, settings: ServerSettings, shutdown: AbortSignal) {
  const sample = await prepare(options, settings, shutdown);
  const target = parseDatabaseUrl(settings.databaseUrl);
  try {
    const server = await listen(sample, settings.port);
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : settings.port;
    console.log(
      `${options.name}: listening on http://localhost:${port} (${sample.strategy.name} on ${redact(target.url)})`,
    );
    if (settings.liveView)
      console.log(`${options.name}: live view on http://localhost:${port}/live`);
    return { sample, server };
  } catch (error) {
    await sample.strategy.close();
    throw error;
  }
}

function listen({ app, strategy }: SampleApp, port: number): Promise<Server> {
  const server = createServer(cluster.isWorker ? fleetWorkerHandler(app, strategy) : app);
  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const busy = error.code === 'EADDRINUSE';
      reject(busy ? new Error(`port ${port} is in use: set PORT to a free port.`) : error);
    });
    server.listen(port, () => resolve(server));
  });
}

async function shutDown(
  name: string,
  signal: NodeJS.Signals,
  { strategy }: SampleApp,
  server: Server,
): Promise<void> {
  // Not unref'd: if anything below hangs, this is what ends the process.
  const deadline = setTimeout(() => {
    console.error(
      `${name}: could not finish in-flight requests and close every connection within ` +
        `${EXIT_DEADLINE_MS / 1000} s; exiting anyway.`,
    );
    process.exit(1);
  }, EXIT_DEADLINE_MS);
  console.log(`${name}: ${signal}: accepting no new connections, finishing in-flight requests.`);
  const drained = await closeServer(server, DRAIN_MS);
  if (!drained) {
    console.error(`${name}: requests still running after ${DRAIN_MS} ms were cut off.`);
  }
  // Only now: every request has ended, so no scope is left for close() to cut.
  await strategy.close();
  const { opened, closed, scopesOpen } = strategy.stats();
  const clean = drained && opened === closed && scopesOpen === 0;
  const summary = `${opened} connections opened, ${closed} closed, ${scopesOpen} scopes open`;
  if (clean) console.log(`${name}: stopped cleanly: ${summary}.`);
  else console.error(`${name}: stopped, but not cleanly: ${summary}.`);
  clearTimeout(deadline);
  process.exit(clean ? 0 : 1);
}

/**
 * Stops accepting and resolves when every connection has ended: true if
 * they all finished within `ms`, false if the rest had to be cut off.
 */
function closeServer(server: Server, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    let cut = false;
    // A keep-alive socket whose response just finished would wait for its
    // client's next request; close it as soon as it is idle.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const cutOff = setTimeout(() => {
      cut = true;
      server.closeAllConnections();
    }, ms);
    server.close(() => {
      clearInterval(sweep);
      clearTimeout(cutOff);
      resolve(!cut);
    });
  });
}

/** The database URL for a log line, without its password. */
function redact(url: string): string {
  if (url.startsWith('sqlite:')) return url;
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}
