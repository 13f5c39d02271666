import type { ProfileName } from '@lifetimes/strategies';
import type { Check } from '../shared/check.js';
import type { RunStamp } from '../shared/machine-info.js';
import type { FleetMode } from './fleet-options.js';

/** How the answers of a round split, by kind. */
export interface Outcomes {
  readonly ok: number;
  /** 503s: the app refused, saying when to retry. */
  readonly refused: number;
  /** 503s without Retry-After: a refusal that does not say when to retry. */
  readonly refusedWithoutRetryAfter: number;
  /** Any other status that is not 2xx: never expected. */
  readonly otherFailures: number;
  /** Connections that failed or requests never answered: a hang or a crash. */
  readonly socketErrors: number;
  readonly timeouts: number;
}

/** One fleet of one strategy, in one mode, under load. */
export interface FleetCell extends Outcomes {
  /** The answers of the warm-up before the round, while every process opened its pool. */
  readonly warming: Outcomes;
  readonly strategy: ProfileName;
  readonly mode: FleetMode;
  readonly workers: number;
  /** Concurrent load connections: enough that every process fills its pool. */
  readonly concurrency: number;
  readonly durationSec: number;
  /** 2xx answers over the measured duration. */
  readonly requestsPerSec: number;
  readonly p99Ms: number;
  /** Sessions on the app's database at the busiest sample of the round. */
  readonly peakServerConnections: number;
  /**
   * Straight at the server: whether a superuser could still connect in the
   * middle of the round (the reserved slots at work); undefined through PgBouncer.
   */
  readonly adminServed: boolean | undefined;
  /** Client connections PgBouncer held for the database at its busiest (pgbouncer mode only). */
  readonly peakPoolerClients: number | undefined;
  /** CPU of the fleet (primary and workers) per 2xx answer, µs. */
  readonly appCpuUsPerRequest: number | undefined;
  /** CPU of the whole PostgreSQL server per 2xx answer, µs; undefined for a remote server. */
  readonly serverCpuUsPerRequest: number | undefined;
  /** The fleet's exit code after SIGTERM: 0 when every worker drained. */
  readonly exitCode: number | null;
  readonly checks: Readonly<Record<string, Check>>;
  readonly passed: boolean;
}

/** One phase of a deploy: the old fleet alone, both fleets at once, the new fleet alone. */
export interface DeployPhase extends Outcomes {
  readonly phase: 'before' | 'overlap' | 'after';
  readonly peakServerConnections: number;
}

/** A rolling deploy: a second fleet starts before the first has stopped. */
export interface DeployRun {
  readonly strategy: ProfileName;
  readonly mode: FleetMode;
  /** Processes in each of the two fleets. */
  readonly workers: number;
  /** The answers of the old fleet's warm-up, while its pools opened. */
  readonly warming: Outcomes;
  readonly phases: readonly DeployPhase[];
  readonly checks: Readonly<Record<string, Check>>;
  readonly passed: boolean;
}

/** What the fleet ran against. */
export interface FleetServer {
  readonly embedded: boolean;
  readonly maxConnections: number;
  /** superuser_reserved_connections (plus reserved_connections where the server has it). */
  readonly reserved: number;
  /** Sessions other clients held when the run started. */
  readonly othersAtStart: number;
  /** What a fleet may open: max_connections − reserved − others. */
  readonly room: number;
}

export interface FleetResults extends RunStamp {
  readonly quick: boolean;
  readonly server: FleetServer;
  readonly poolSize: number;
  /** PgBouncer's pool size, or why the PgBouncer rows were left out. */
  readonly bouncer: { readonly poolSize: number } | { readonly missing: string };
  readonly cells: readonly FleetCell[];
  readonly deploys: readonly DeployRun[];
  readonly passed: boolean;
}
