import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORKLOAD_NAMES, type WorkloadName } from './workloads.js';

export const STRATEGIES = [
  'kysely-plain',
  'baseline',
  'per-query',
  'per-request',
  'scoped-session',
  'pooled-registry',
] as const;
export type StrategyName = (typeof STRATEGIES)[number];
export const DRIVERS = ['sqlite', 'postgres'] as const;
export type Driver = (typeof DRIVERS)[number];

export interface BenchOptions {
  readonly quick: boolean;
  /** Measured seconds per round. */
  readonly durationSec: number;
  /** Warm-up seconds per round, not measured. */
  readonly warmupSec: number;
  /** Concurrent autocannon connections. */
  readonly connections: number;
  /** Trials per cell, run in alternating order. */
  readonly trials: number;
  readonly strategies: readonly StrategyName[];
  readonly drivers: readonly Driver[];
  readonly workloads: readonly WorkloadName[];
  /** Where the JSON of every run goes. */
  readonly resultsDir: string;
  /** Where the latest report and charts go (the docs show them). */
  readonly docsDir: string;
  /** Pin the app to core 0 and the load generator to core 1 when taskset exists. */
  readonly pin: boolean;
  /**
   * --faults: the fault suite runs after the matrix, and its report goes to
   * `docsDir` (undefined for a quick run without --docs); undefined: not run.
   */
  readonly faults: { readonly docsDir: string | undefined } | undefined;
}

const REPO = resolve(fileURLToPath(new URL('../..', import.meta.url)));

export const USAGE = `Usage: npx turbo bench -- [options]   (or: npm run bench -w @lifetimes/bench -- [options])

  --quick                 the same pipeline in seconds: 1 trial, short rounds
  --duration=SECONDS      measured time per round (default 1.5)
  --warmup=SECONDS        warm-up time per round (default 0.3)
  --connections=N         concurrent connections of the load generator (default 16)
  --trials=N              trials per cell, alternating order (default 3)
  --strategies=a,b        of ${STRATEGIES.join(', ')} (default all)
  --drivers=a,b           of ${DRIVERS.join(', ')} (default both)
  --workloads=a,b         of ${WORKLOAD_NAMES.join(', ')} (default all)
  --results=DIR           JSON results directory (default bench/results)
  --docs=DIR              report and charts directory (default docs/results)
  --no-pin                do not pin processes to cores
  --faults                then run the fault suite on the same strategies and drivers
                          (its report goes to --docs; a quick run writes none without --docs)
PostgreSQL: PG_URL if set, otherwise an embedded server.`;

/** A command line the bench cannot run; the message says what to change. */
export class BenchUsageError extends Error {}

export function parseBenchOptions(argv: readonly string[]): BenchOptions {
  const flags = readFlags(argv, USAGE, [
    'quick',
    'duration',
    'warmup',
    'connections',
    'trials',
    'strategies',
    'drivers',
    'workloads',
    'results',
    'docs',
    'no-pin',
    'faults',
    'help',
  ]);
  const quick = flags.has('quick');
  const docsDir = resolve(flags.get('docs') ?? resolve(REPO, 'docs/results'));
  return {
    quick,
    durationSec: number(flags, 'duration', quick ? 0.5 : 1.5, 0.1, 600),
    warmupSec: number(flags, 'warmup', quick ? 0.2 : 0.3, 0, 600),
    connections: Math.round(number(flags, 'connections', quick ? 4 : 16, 1, 1000)),
    trials: Math.round(number(flags, 'trials', quick ? 1 : 3, 1, 50)),
    strategies: list(flags, 'strategies', STRATEGIES),
    drivers: list(flags, 'drivers', DRIVERS),
    workloads: list(flags, 'workloads', WORKLOAD_NAMES),
    resultsDir: resolve(flags.get('results') ?? resolve(REPO, 'bench/results')),
    docsDir,
    pin: !flags.has('no-pin'),
    faults: flags.has('faults')
      ? { docsDir: quick && !flags.has('docs') ? undefined : docsDir }
      : undefined,
  };
}

/**
 * `--name` and `--name=value` arguments by name; anything else, an unknown
 * name or --help is a BenchUsageError whose message ends with `usage`.
 */
export function readFlags(
  argv: readonly string[],
  usage: string,
  names: readonly string[],
): Map<string, string> {
  const flags = new Map<string, string>();
  for (const arg of argv) {
    if (arg === '--') continue;
    const match = /^--([a-z-]+)(?:=(.*))?$/.exec(arg);
    if (!match?.[1]) throw new BenchUsageError(`Unknown argument "${arg}".\n\n${usage}`);
    flags.set(match[1], match[2] ?? 'true');
  }
  for (const name of flags.keys()) {
    if (!names.includes(name)) throw new BenchUsageError(`Unknown option --${name}.\n\n${usage}`);
  }
  if (flags.has('help')) throw new BenchUsageError(usage);
  return flags;
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

/** A comma-separated option as a subset of `all`, in the order of `all`; absent: all of them. */
export function list<T extends string>(
  flags: Map<string, string>,
  name: string,
  all: readonly T[],
): T[] {
  const raw = flags.get(name);
  if (raw === undefined) return [...all];
  const picked = raw.split(',').map((item) => item.trim());
  for (const item of picked) {
    if (!(all as readonly string[]).includes(item)) {
      throw new BenchUsageError(`--${name}: "${item}" is not one of ${all.join(', ')}.`);
    }
  }
  return all.filter((item) => picked.includes(item));
}

/** The repository root, for finding the apps. */
export function repoRoot(): string {
  return REPO;
}
