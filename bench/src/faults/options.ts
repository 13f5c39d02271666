import { resolve } from 'node:path';
import { PROFILE_NAMES, type ProfileName } from '@lifetimes/strategies';
import type { BenchOptions } from '../matrix/options.js';
import { list, readFlags } from '../shared/flags.js';
import { repoRoot } from '../shared/repo-root.js';
import { DRIVERS, type Driver, type StrategyName } from '../shared/rows.js';

/** The sample apps, one per profile; kysely-plain is the benchmark's reference, not a lifetime under test. */
export const FAULT_STRATEGIES = PROFILE_NAMES satisfies readonly StrategyName[];
export type FaultStrategy = ProfileName;

/** In the order they run on each app: the shared app's graceful shutdown comes last. */
export const SCENARIO_NAMES = [
  'client-aborts',
  'backend-kill',
  'server-restart',
  'pooler-restart',
  'exhaustion',
  'slow-network',
  'sqlite-lock',
  'sigkill-restart',
  'sqlite-disk-full',
  'worker-kill',
  'graceful-shutdown',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface FaultOptions {
  /** Short phases, a few seconds a scenario: the CI variant. */
  readonly quick: boolean;
  readonly strategies: readonly FaultStrategy[];
  readonly drivers: readonly Driver[];
  readonly scenarios: readonly ScenarioName[];
  /** Where the JSON of every run goes. */
  readonly resultsDir: string;
  /** Where faults.md goes; undefined: no report (a quick run writes one only when told where). */
  readonly docsDir: string | undefined;
}

export const FAULTS_USAGE = `Usage: npm run faults -w @lifetimes/bench -- [options]   (or: npx turbo bench -- --faults)

  --quick                 the same scenarios in a few seconds each (CI); writes no report unless --docs is given
  --strategies=a,b        of ${FAULT_STRATEGIES.join(', ')} (default all)
  --drivers=a,b           of ${DRIVERS.join(', ')} (default both)
  --scenarios=a,b         of ${SCENARIO_NAMES.join(', ')} (default all)
  --results=DIR           JSON results directory (default bench/results; quick: bench/results/tmp)
  --docs=DIR              where faults.md goes (default docs/results for a full run)
PostgreSQL: PG_URL if set, otherwise an embedded server.`;

export function parseFaultOptions(argv: readonly string[]): FaultOptions {
  const flags = readFlags(argv, FAULTS_USAGE, {
    quick: 'boolean',
    strategies: 'string',
    drivers: 'string',
    scenarios: 'string',
    results: 'string',
    docs: 'string',
    help: 'boolean',
  });
  const quick = flags.has('quick');
  const docs = flags.get('docs');
  const defaultDocs = quick ? undefined : resolve(repoRoot(), 'docs/results');
  return {
    quick,
    strategies: list(flags, 'strategies', FAULT_STRATEGIES),
    drivers: list(flags, 'drivers', DRIVERS),
    scenarios: list(flags, 'scenarios', SCENARIO_NAMES),
    // A quick run's numbers are not worth keeping beside the full runs'.
    resultsDir: resolve(
      flags.get('results') ?? resolve(repoRoot(), quick ? 'bench/results/tmp' : 'bench/results'),
    ),
    docsDir: docs === undefined ? defaultDocs : resolve(docs),
  };
}

/** The fault suite `turbo bench -- --faults` runs after the matrix: the bench's strategies, drivers and directories. */
export function faultOptionsFromBench(bench: BenchOptions): FaultOptions {
  return {
    quick: bench.quick,
    strategies: FAULT_STRATEGIES.filter((s) => bench.strategies.includes(s)),
    drivers: bench.drivers,
    scenarios: [...SCENARIO_NAMES],
    resultsDir: bench.resultsDir,
    docsDir: bench.faults?.docsDir,
  };
}
