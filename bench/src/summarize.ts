import type { AppRun, BenchResults, Cell, Check, Round, Spread } from './results.js';

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 === 1
      ? (sorted[middle] ?? 0)
      : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  return { median, min: sorted[0] ?? 0, max: sorted[sorted.length - 1] ?? 0 };
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

/** Groups rounds into cells (strategy x driver x workload), with medians and ratios from the same run. */
export function summarize(rounds: readonly Round[], appRuns: readonly AppRun[]): Cell[] {
  const keys = new Map<string, Round[]>();
  for (const round of rounds) {
    const key = `${round.strategy}|${round.driver}|${round.workload}`;
    keys.set(key, [...(keys.get(key) ?? []), round]);
  }
  const cells: Cell[] = [];
  for (const group of keys.values()) {
    const first = group[0];
    if (!first) continue;
    const runs = appRuns.filter((r) => r.strategy === first.strategy && r.driver === first.driver);
    const checks = {
      bodies: combine(group.map((r) => r.checks.bodies)),
      no5xx: combine(group.map((r) => r.checks.no5xx)),
      totalKept: combine(group.map((r) => r.checks.totalKept)),
      statementCount: combine(group.map((r) => r.checks.statementCount)),
      sameConnection: combine(runs.map((r) => r.checks.sameConnection)),
      idle: combine(runs.map((r) => r.checks.idle)),
      drained: combine(runs.map((r) => r.checks.drained)),
    };
    cells.push({
      strategy: first.strategy,
      driver: first.driver,
      workload: first.workload,
      trials: group.length,
      requestsPerSec: spread(group.map((r) => r.load.requestsPerSec)),
      p50Ms: spread(group.map((r) => r.load.p50Ms)),
      p99Ms: spread(group.map((r) => r.load.p99Ms)),
      serverP50Us: optionalSpread(group.map((r) => r.load.serverP50Us)),
      serverP99Us: optionalSpread(group.map((r) => r.load.serverP99Us)),
      connectionsPerRequest: spread(group.map((r) => r.connectionsPerRequest)),
      peakServerConnections: optionalSpread(group.map((r) => r.peakServerConnections)),
      peakRssMb: optionalSpread(group.map((r) => r.peakRssMb)),
      errors: group.reduce((sum, r) => sum + r.load.errors, 0),
      non2xx: group.reduce((sum, r) => sum + r.load.non2xx, 0),
      timeouts: group.reduce((sum, r) => sum + r.load.timeouts, 0),
      ratioToBaseline: undefined,
      ratioToKyselyPlain: undefined,
      checks,
      passed: !Object.values(checks).includes('fail'),
    });
  }
  return cells.map((cell) => ({
    ...cell,
    ratioToBaseline: ratio(cells, cell, 'baseline'),
    ratioToKyselyPlain: ratio(cells, cell, 'kysely-plain'),
  }));
}

function ratio(cells: readonly Cell[], cell: Cell, reference: string): number | undefined {
  const base = cells.find(
    (c) => c.strategy === reference && c.driver === cell.driver && c.workload === cell.workload,
  );
  if (!base || base.requestsPerSec.median === 0) return undefined;
  return cell.requestsPerSec.median / base.requestsPerSec.median;
}

export function allPassed(results: Pick<BenchResults, 'cells'>): boolean {
  return results.cells.every((cell) => cell.passed);
}
