import type { Check } from '../shared/check.js';
import type { FleetMode } from './fleet-options.js';
import type { DeployPhase, FleetServer, Outcomes } from './fleet-results.js';
import { sumOutcomes } from './sum-outcomes.js';

const verdict = (ok: boolean): Check => (ok ? 'pass' : 'fail');

/** Whether every request that did not succeed was refused the way the contract says: 503 with Retry-After. */
export function onlyClearRefusals(outcomes: Outcomes): Check {
  return verdict(
    outcomes.refusedWithoutRetryAfter === 0 &&
      outcomes.otherFailures === 0 &&
      outcomes.socketErrors === 0 &&
      outcomes.timeouts === 0,
  );
}

export interface CellFacts extends Outcomes {
  readonly warming: Outcomes;
  readonly mode: FleetMode;
  readonly workers: number;
  readonly peakServerConnections: number;
  readonly adminServed: boolean | undefined;
  readonly exitCode: number | null;
}

export interface Limits {
  readonly server: FleetServer;
  /** Each process's pool. */
  readonly poolSize: number;
  /** PgBouncer's server connections. */
  readonly bouncerPoolSize: number;
}

/**
 * What must hold for one fleet, warm-up and round alike, as the many-processes page promises
 * (how many requests finished is a measurement, not a check: per-query
 * through a pooler on two cores may finish none in a short round):
 * - clear refusals: a request that fails is a 503 with Retry-After, never
 *   another status, a dropped connection or a hang;
 * - nothing refused where it fits: directly while processes × pool stays
 *   within the server's room, and always through PgBouncer, which queues
 *   clients instead of opening server connections;
 * - server bounded: through PgBouncer the server sees at most its pool;
 * - reserved for admin: straight at the server, a superuser still gets in
 *   while the fleet holds every slot it may have;
 * - drained: SIGTERM stopped every worker cleanly.
 */
export function fleetCellChecks(cell: CellFacts, limits: Limits): Record<string, Check> {
  const fits = cell.workers * limits.poolSize <= limits.server.room;
  const bounced = cell.mode === 'pgbouncer';
  const served = sumOutcomes([cell, cell.warming]);
  return {
    clearRefusals: onlyClearRefusals(served),
    nothingRefusedWhereItFits: bounced || fits ? verdict(served.refused === 0) : 'n/a',
    // Straight at the server the server bounds itself, and a storm of
    // connections it is turning away shows a few more sessions than the
    // room for a moment: only the pooler's bound is the fleet's to keep.
    serverBounded: bounced ? verdict(cell.peakServerConnections <= limits.bouncerPoolSize) : 'n/a',
    reservedForAdmin: cell.adminServed === undefined ? 'n/a' : verdict(cell.adminServed),
    drained: verdict(cell.exitCode === 0),
  };
}

/**
 * What must hold for a deploy, from the old fleet's warm-up to the new one
 * alone: clear refusals throughout; through PgBouncer, nothing refused and
 * the server within the pooler's pool in every phase, the overlap included.
 * Straight at the server, the overlap past the room is refused: that is
 * what a deploy there shows, not a failure.
 */
export function deployChecks(
  mode: FleetMode,
  warming: Outcomes,
  phases: readonly DeployPhase[],
  limits: Limits,
): Record<string, Check> {
  const bounced = mode === 'pgbouncer';
  const served = sumOutcomes([warming, ...phases]);
  return {
    clearRefusals: onlyClearRefusals(served),
    nothingRefused: bounced ? verdict(served.refused === 0) : 'n/a',
    serverBounded: bounced
      ? verdict(phases.every((p) => p.peakServerConnections <= limits.bouncerPoolSize))
      : 'n/a',
  };
}

export function allPass(checks: Readonly<Record<string, Check>>): boolean {
  return Object.values(checks).every((check) => check !== 'fail');
}
