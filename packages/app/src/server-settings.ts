/** What runServer() reads from the environment, checked. */
export interface ServerSettings {
  /** PORT, default 3000; 0 asks the kernel for a free port. */
  readonly port: number;
  /** DATABASE_URL, default `sqlite:./data/app.db` (relative to the working directory). */
  readonly databaseUrl: string;
  /** MAX_CONNECTIONS, default 10: the pool size or connection cap, whatever the strategy. */
  readonly maxConnections: number;
  /** ACQUIRE_TIMEOUT_MS, default 5000: how long a request waits for a connection before its 503. */
  readonly acquireTimeoutMs: number;
  /** MAX_ENGINES, default 10: how many databases' pools the pooled-registry app keeps open; the others ignore it. */
  readonly maxEngines: number;
  /**
   * WORKERS, default 1: how many processes serve the port, each with its own
   * strategy (so its own pool: the fleet holds WORKERS times the connections).
   */
  readonly workers: number;
  /** APP_SECRET, default none (a random secret per process). */
  readonly secret: string | undefined;
  /** ADMIN_TOKEN, default none: POST /tenants is then disabled. */
  readonly adminToken: string | undefined;
  /** MAX_TENANTS, default 100: how many tenants POST /tenants may create. */
  readonly maxTenants: number;
  /**
   * LIVE_VIEW, `1` or `0`, default `0` (`npm run start` and `npm run dev`
   * set `1`): serve the live view, GET /live and GET /live/events. Off, both
   * are 404 and the strategy's events reach no one.
   */
  readonly liveView: boolean;
}

export const DEFAULT_DATABASE_URL = 'sqlite:./data/app.db';

/** Reads and checks the settings; throws an error that names the variable and what to set. */
export function readServerSettings(env: NodeJS.ProcessEnv): ServerSettings {
  return {
    port: integer(env, 'PORT', 3000, 0, 65_535),
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    maxConnections: integer(env, 'MAX_CONNECTIONS', 10, 1, 10_000),
    acquireTimeoutMs: integer(env, 'ACQUIRE_TIMEOUT_MS', 5000, 1, 600_000),
    maxEngines: integer(env, 'MAX_ENGINES', 10, 1, 1000),
    workers: integer(env, 'WORKERS', 1, 1, 64),
    secret: env.APP_SECRET || undefined,
    adminToken: env.ADMIN_TOKEN || undefined,
    maxTenants: integer(env, 'MAX_TENANTS', 100, 1, 100_000),
    liveView: flag(env, 'LIVE_VIEW'),
  };
}

/** `1` is on, `0` or unset is off; anything else is refused rather than guessed. */
function flag(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '' || raw === '0') return false;
  if (raw === '1') return true;
  throw new Error(`${name} must be 1 (on) or 0 (off), not "${raw}": fix or unset it.`);
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new Error(
      `${name} must be an integer from ${min} to ${max}, not "${raw}": fix or unset it.`,
    );
  }
  return value;
}
