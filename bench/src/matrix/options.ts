import { resolve } from 'node:path';
import { parseComparedRuntimes } from '../micro/micro-options.js';
import { BenchUsageError, list, readFlags } from '../shared/flags.js';
import { repoRoot } from '../shared/repo-root.js';
import { DRIVERS, type Driver, STRATEGIES, type StrategyName } from '../shared/rows.js';
import { DEFAULT_WORKLOADS, WORKLOAD_NAMES, type WorkloadName } from '../shared/workloads.js';

export interface BenchOptions {
  readonly quick: boolean;
  /** Target length of one measured round, seconds. */
  readonly roundSec: number;
  /** Passes over the rows per workload, alternating order: one pair per pass and row. */
  readonly passes: number;
  /** Length of one warm-up window, seconds: an app is warm when two windows in a row agree. */
  readonly warmupWindowSec: number;
  /** The most warm-up an app gets, seconds, settled or not. */
  readonly warmupMaxSec: number;
  /** Concurrent autocannon connections. */
  readonly connections: number;
  readonly strategies: readonly StrategyName[];
  readonly drivers: readonly Driver[];
  readonly workloads: readonly WorkloadName[];
  /** Where the JSON of every run goes. */
  readonly resultsDir: string;
  /** Where the latest report and charts go (the docs show them); undefined: not written. */
  readonly docsDir: string | undefined;
  /** Pin the apps to core 0 and the load generator to core 1 when taskset exists. */
  readonly pin: boolean;
  /**
   * --faults: the fault suite runs after the matrix, and its report goes to
   * `docsDir` (undefined for a quick run without --docs); undefined: not run.
   */
  readonly faults: { readonly docsDir: string | undefined } | undefined;
  /**
   * The in-process micro layer runs after the matrix (on by default, off for
   * a quick run unless --micro): the HTTP rounds cannot resolve a few µs of
   * machinery per query on two cores; the micro layer can.
   */
  readonly micro: boolean;
  /**
   * --node: instead of the matrix, a runtime comparison under each of these
   * Node majors: the micro layer in pairs of runs, then the chosen rows'
   * apps over HTTP in pairs of rounds (report: runtimes.md).
   */
  readonly node: readonly number[] | undefined;
  /**
   * --fleet: the fleet bench instead of the matrix (PostgreSQL only): fleets
   * of processes against a small max_connections, direct and through
   * PgBouncer, and a deploy.
   */
  readonly fleet: boolean;
  /**
   * A short fleet section follows the matrix (on by default, off for a quick
   * run): the default run shows what a fleet does to the server's
   * connections, not only what one process costs.
   */
  readonly fleetSection: boolean;
  /**
   * --viewer: instead of the matrix, what an attached live view costs each
   * app on `/db`: rounds with and without a viewer, paired.
   */
  readonly viewer: boolean;
}

export const USAGE = `Usage: npx turbo bench -- [options]   (or: npm run bench -- [options])

  --quick                 the same pipeline in under a minute: short rounds, 2 passes,
                          db and slow; its numbers are not meaningful, and it writes
                          nothing under docs/ unless --docs is given
  --round=SECONDS         target length of one measured round (default 0.5)
  --passes=N              passes over the rows per workload, alternating order (default 6)
  --warmup=SECONDS        the most warm-up an app gets before measuring (default 6)
  --connections=N         concurrent connections of the load generator (default 16)
  --strategies=a,b        rows, of ${STRATEGIES.join(', ')} (default all)
  --drivers=a,b           of ${DRIVERS.join(', ')} (default both)
  --workloads=a,b         of ${WORKLOAD_NAMES.join(', ')}
                          (default ${DEFAULT_WORKLOADS.join(', ')}; quick: db, slow)
  --results=DIR           JSON results directory (default bench/results; quick: bench/results/tmp)
  --docs=DIR              report and charts directory (default docs/results; quick: none)
  --no-pin                do not pin processes to cores
  --no-micro              skip the in-process micro layer that follows the matrix
  --micro                 run it after a quick matrix too (quick blocks)
  --node=20,24            instead of the matrix: the micro layer under each Node major named,
                          in pairs of runs, then each row's app over HTTP under each, in
                          pairs of /db rounds (report: runtimes.md in --docs); each runtime
                          is fetched and better-sqlite3 built for it once, as for
                          npm run test:runtimes
  --no-fleet              skip the short fleet section that follows the matrix: 1 and 4
                          processes of baseline and per-request, direct and through PgBouncer
  --faults                then run the fault suite on the same strategies and drivers
                          (its report goes to --docs; a quick run writes none without --docs)
  --fleet                 instead of the matrix: fleets of 1, 2, 4 and 8 processes of each
                          strategy's app against PostgreSQL, direct and through PgBouncer,
                          and a deploy (report: fleet.md in --docs; quick: 1 and 4 processes)
  --viewer                instead of the matrix: each app's /db with and without a live-view
                          viewer attached, paired rounds (viewer.json in --docs)
PostgreSQL: PG_URL if set, otherwise an embedded server.
Compare two runs: npm run bench:compare -- A.json B.json`;

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const flags = readFlags(argv, USAGE, {
    quick: 'boolean',
    round: 'string',
    passes: 'string',
    warmup: 'string',
    connections: 'string',
    strategies: 'string',
    drivers: 'string',
    workloads: 'string',
    results: 'string',
    docs: 'string',
    'no-pin': 'boolean',
    micro: 'boolean',
    'no-micro': 'boolean',
    node: 'string',
    faults: 'boolean',
    fleet: 'boolean',
    'no-fleet': 'boolean',
    viewer: 'boolean',
    help: 'boolean',
  });
  const quick = flags.has('quick');
  const askedDocs = flags.get('docs');
  const docsDir =
    askedDocs !== undefined
      ? resolve(askedDocs)
      : quick
        ? undefined
        : resolve(repoRoot(), 'docs/results');
  const defaultResults = resolve(repoRoot(), quick ? 'bench/results/tmp' : 'bench/results');
  return {
    quick,
    roundSec: number(flags, 'round', quick ? 0.2 : 0.5, 0.05, 600),
    passes: Math.round(number(flags, 'passes', quick ? 2 : 6, 1, 200)),
    warmupWindowSec: quick ? 0.2 : 1,
    warmupMaxSec: number(flags, 'warmup', quick ? 0.6 : 6, 0, 600),
    connections: Math.round(number(flags, 'connections', quick ? 4 : 16, 1, 1000)),
    strategies: list(flags, 'strategies', STRATEGIES),
    drivers: list(flags, 'drivers', DRIVERS),
    workloads: flags.has('workloads')
      ? list(flags, 'workloads', WORKLOAD_NAMES)
      : quick
        ? ['db', 'slow']
        : [...DEFAULT_WORKLOADS],
    resultsDir: resolve(flags.get('results') ?? defaultResults),
    docsDir,
    pin: !flags.has('no-pin'),
    faults: flags.has('faults') ? { docsDir } : undefined,
    micro: flags.has('micro') || (!quick && !flags.has('no-micro')),
    node: runtimesOf(flags.get('node')),
    fleet: flags.has('fleet'),
    fleetSection: !quick && !flags.has('no-fleet') && !flags.has('fleet'),
    viewer: flags.has('viewer'),
  };
}

/** --node: two Node majors or more, or undefined when not given. */
function runtimesOf(value: string | undefined): number[] | undefined {
  if (value === undefined) return undefined;
  try {
    return parseComparedRuntimes(value, 'npx turbo bench -- --node=20,24');
  } catch (error) {
    throw new BenchUsageError((error as Error).message);
  }
}

function number(
  flags: Map<string, string>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = flags.get(name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new BenchUsageError(`--${name} must be a number from ${min} to ${max}, not "${raw}".`);
  }
  return value;
}
