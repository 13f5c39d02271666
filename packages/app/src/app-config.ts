import type { CommonStrategyOptions } from '@lifetimes/core';
import type { Database } from '@lifetimes/schema';
import type { MultiTenantStrategy } from '@lifetimes/tenants';
import type { Express } from 'express';
import type { LoginLimits } from './auth/login-limiter.js';
import type { Passwords } from './auth/password-hash.js';

/** What every app's createApp() is given. */
export interface AppConfig {
  /** `sqlite:<path>` or `postgres://...`. */
  readonly databaseUrl: string;
  /**
   * The settings every strategy takes (maxConnections, acquireTimeoutMs,
   * maxDatabases, application_name, connect and close timeouts), which
   * the app hands to its strategy's profile as they are.
   */
  readonly strategyOptions: CommonStrategyOptions;
  /** Signs login tokens. Default: a random secret per process, so tokens die with it. */
  readonly secret?: string | undefined;
  /**
   * Names this deployment in every token; a token naming another is refused.
   * Default: derived from `databaseUrl` (where the database is, never its
   * password), so every worker of one deployment agrees and two deployments
   * sharing a secret do not.
   */
  readonly issuer?: string | undefined;
  /** Failed-login limits (429 past them). Default: DEFAULT_LOGIN_LIMITS, field by field. */
  readonly loginLimits?: Partial<LoginLimits> | undefined;
  /** How passwords are hashed and checked. Default: scrypt, slow on purpose. */
  readonly passwords?: Passwords | undefined;
  /** Who may create tenants, and how many. */
  readonly tenants: TenantAdmin;
  /**
   * Serve the live view: GET /live, a page drawing the strategy's
   * connections and requests as they happen, and GET /live/events, its
   * stream. Default false: both are 404, and with no one watching the
   * strategy's events cost one check each.
   */
  readonly liveView?: boolean | undefined;
  /**
   * Aborted when the server begins to shut down: the live view ends its
   * streams then, which would otherwise hold the drain open until it is cut
   * off. Default: never aborted (the app's owner closes its sockets itself).
   */
  readonly shutdown?: AbortSignal | undefined;
}

/** The administration of tenants: `POST /tenants`. */
export interface TenantAdmin {
  /**
   * The bearer credential `POST /tenants` requires. Without one the route is
   * disabled (403): anyone could otherwise create databases on the server.
   */
  readonly adminToken: string | undefined;
  /** Most tenants the default database may have; past it `POST /tenants` is refused (409). */
  readonly maxTenants: number;
}

/** An app and the strategy behind it; whoever created it closes the strategy. */
export interface SampleApp {
  /** Never listening: the caller decides where (runServer, or a test on port 0). */
  readonly app: Express;
  readonly strategy: MultiTenantStrategy<Database>;
}

/** Each app's src/app.ts exports one: it builds its strategy and calls buildApp(). */
export type CreateApp = (config: AppConfig) => SampleApp;
