import type { Check } from '../shared/check.js';
import { median, pairedRatio, type RatioInterval } from '../shared/paired-ratio.js';
import type { StrategyName } from '../shared/rows.js';
import type { AppRun, BenchResults, Cell, Round, Spread } from './results.js';

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: median(sorted), min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
}

function optionalSpread(values: readonly (number | undefined)[]): Spread | undefined {
  const present = values.filter((v): v is number => v !== undefined);
  return present.length === 0 ? undefined : spread(present);
}

/** All must pass; n/a only when every one is n/a. */
export function combine(checks: readonly Check[]): Check {
  if (checks.includes('fail')) return 'fail';
  return checks.includes('pass') ? 'pass' : 'n/a';
}

const key = (r: Pick<Round, 'strategy' | 'driver' | 'workload'>) =>
  `${r.strategy}|${r.driver}|${r.workload}`;

/**
 * Throughput of `group` over the reference row's, pass by pass: each pass's
 * two rounds ran minutes apart at most, on the same drifting machine.
 */
function ratioTo(
  group: readonly Round[],
  rounds: readonly Round[],
  reference: StrategyName,
): RatioInterval | undefined {
  const first = group[0];
  if (!first) return undefined;
  const base = rounds.filter(
    (r) => r.strategy === reference && r.driver === first.driver && r.workload === first.workload,
  );
  const pairs = group.flatMap((round) => {
    const other = base.find((r) => r.pass === round.pass);
    return other ? [[round.load.requestsPerSec, other.load.requestsPerSec] as const] : [];
  });
  return pairedRatio(
    pairs.map(([subject]) => subject),
    pairs.map(([, ref]) => ref),
  );
}

/** Groups rounds into cells (row x driver x workload): medians over passes, paired ratios. */
export function summarize(rounds: readonly Round[], appRuns: readonly AppRun[]): Cell[] {
  const groups = new Map<string, Round[]>();
  for (const round of rounds) groups.set(key(round), [...(groups.get(key(round)) ?? []), round]);
  const cells: Cell[] = [];
  for (const group of groups.values()) {
    const first = group[0];
    if (!first) continue;
    const runs = appRuns.filter((r) => r.strategy === first.strategy && r.driver === first.driver);
    const finished = group.some((r) => r.load.ok > 0);
    const measured = group.filter((r) => r.load.ok > 0);
    const checks = {
      bodies: combine(group.map((r) => r.checks.bodies)),
      no5xx: combine(group.map((r) => r.checks.no5xx)),
      totalKept: combine(group.map((r) => r.checks.totalKept)),
      statementCount: combine(group.map((r) => r.checks.statementCount)),
      sameConnection: combine(runs.map((r) => r.checks.sameConnection)),
      idle: combine(runs.map((r) => r.checks.idle)),
      drained: combine(runs.map((r) => r.checks.drained)),
    };
    const over = (pick: (r: Round) => number | undefined) => optionalSpread(measured.map(pick));
    cells.push({
      strategy: first.strategy,
      driver: first.driver,
      workload: first.workload,
      rounds: group.length,
      finished,
      requestsPerSec: over((r) => r.load.requestsPerSec),
      p50Ms: over((r) => r.load.p50Ms),
      p99Ms: over((r) => r.load.p99Ms),
      serverP50Us: over((r) => r.load.serverP50Us),
      serverP99Us: over((r) => r.load.serverP99Us),
      connectionsPerRequest: over((r) => r.connectionsPerRequest),
      appCpuUsPerRequest: over((r) => r.appCpuUsPerRequest),
      serverCpuUsPerRequest: over((r) => r.serverCpuUsPerRequest),
      peakServerConnections: over((r) => r.peakServerConnections),
      peakRssMb: over((r) => r.peakRssMb),
      errors: group.reduce((sum, r) => sum + r.load.errors, 0),
      non2xx: group.reduce((sum, r) => sum + r.load.non2xx, 0),
      timeouts: group.reduce((sum, r) => sum + r.load.timeouts, 0),
      ratioToBaseline: finished ? ratioTo(group, rounds, 'baseline') : undefined,
      ratioToKyselyPlain: finished ? ratioTo(group, rounds, 'kysely-plain') : undefined,
      checks,
      passed: !Object.values(checks).includes('fail'),
    });
  }
  return cells;
}

export function allPassed(results: Pick<BenchResults, 'cells'>): boolean {
  return results.cells.every((cell) => cell.passed);
}
