import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseRuntimes } from '@lifetimes/runtimes';

export const MICRO_DRIVERS = ['sqlite', 'postgres'] as const;
export type MicroDriver = (typeof MICRO_DRIVERS)[number];

/** Every operation the micro layer measures, in report order. */
export const MICRO_OPERATIONS = [
  'query',
  'query-opening',
  'request',
  'request-opening',
  'scope',
  'acquire+release',
  'connect',
  'transaction',
] as const;

export interface MicroOptions {
  readonly quick: boolean;
  /** Blocks per operation; each block runs every row once, in alternating order. */
  readonly blocks: number;
  /** Time each row runs in one block, in ms (at least `minIterations` operations). */
  readonly blockMs: number;
  readonly minIterations: number;
  readonly drivers: readonly MicroDriver[];
  /** Operations to run, by name; undefined: all. */
  readonly operations: readonly string[] | undefined;
  /** Where the JSON of every run goes. */
  readonly resultsDir: string;
  /** Where docs/results/micro.md goes; undefined: no report (a quick run without --docs). */
  readonly docsDir: string | undefined;
  /**
   * Node majors to compare (--node): the layer then runs once per runtime in
   * each of `pairs` pairs, and the report is runtimes.md. Undefined: one run
   * on this process's Node.
   */
  readonly node: readonly number[] | undefined;
  readonly pairs: number;
}

/** What --node measures unless --operations says otherwise: a scope, a request's worth, a query. */
export const RUNTIME_OPERATIONS = ['scope', 'request', 'query'] as const;

const REPO = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

export const MICRO_USAGE = `Usage: npm run micro -w @lifetimes/bench -- [options]

  --quick             the same pipeline in seconds: few, short blocks, and no report
                      unless --docs is given
  --blocks=N          blocks per operation, alternating row order (default 20; quick 3)
  --block-ms=MS       time each row runs per block (default 40; quick 5)
  --drivers=a,b       of ${MICRO_DRIVERS.join(', ')} (default both)
  --operations=a,b    of ${MICRO_OPERATIONS.join(', ')} (default all)
  --results=DIR       JSON results directory (default bench/results)
  --docs=DIR          write the report micro.md there (default docs/results for a full run)
  --node=20,24        compare Node majors: the layer in a process per runtime, in pairs of runs
                      (default operations ${RUNTIME_OPERATIONS.join(', ')}; 3 blocks per run), report
                      runtimes.md; each runtime is fetched and better-sqlite3 built for it once,
                      as for npm run test:runtimes
  --pairs=N           pairs of runs with --node (default 6; quick 2)
  --help              this text
PostgreSQL: PG_URL if set, otherwise an embedded server.`;

/** A command line the micro layer cannot run; the message says what to change. */
export class MicroUsageError extends Error {}

/** Undefined for --help: the caller prints MICRO_USAGE. */
export function parseMicroOptions(argv: readonly string[]): MicroOptions | undefined {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse(argv).values;
  } catch (error) {
    throw new MicroUsageError(`${(error as Error).message}\n\n${MICRO_USAGE}`);
  }
  if (values.help) return undefined;
  const quick = values.quick ?? false;
  const drivers = values.drivers?.split(',').map((d) => d.trim()) ?? [...MICRO_DRIVERS];
  for (const driver of drivers) {
    if (!(MICRO_DRIVERS as readonly string[]).includes(driver)) {
      throw new MicroUsageError(
        `Unknown driver "${driver}": choose from ${MICRO_DRIVERS.join(', ')}.`,
      );
    }
  }
  const operations = values.operations?.split(',').map((o) => o.trim());
  for (const operation of operations ?? []) {
    if (!(MICRO_OPERATIONS as readonly string[]).includes(operation)) {
      throw new MicroUsageError(
        `Unknown operation "${operation}": choose from ${MICRO_OPERATIONS.join(', ')}.`,
      );
    }
  }
  let node: number[] | undefined;
  if (values.node !== undefined) {
    try {
      node = parseComparedRuntimes(
        values.node,
        'npm run micro -w @lifetimes/bench -- --node=20,24',
      );
    } catch (error) {
      throw new MicroUsageError((error as Error).message);
    }
  }
  if (values.pairs !== undefined && !node) {
    throw new MicroUsageError(
      '--pairs counts pairs of runs on different runtimes: give --node too.',
    );
  }
  const docs = values.docs ?? (quick ? undefined : 'docs/results');
  return {
    quick,
    node,
    pairs: positive('pairs', values.pairs, quick ? 2 : 6),
    blocks: positive('blocks', values.blocks, node ? (quick ? 1 : 3) : quick ? 3 : 20),
    blockMs: positive('block-ms', values['block-ms'], quick ? 5 : 40),
    minIterations: quick ? 2 : 3,
    drivers: drivers as MicroDriver[],
    operations: operations ?? (node ? [...RUNTIME_OPERATIONS] : undefined),
    resultsDir: resolve(REPO, values.results ?? 'bench/results'),
    docsDir: docs === undefined ? undefined : resolve(REPO, docs),
  };
}

/**
 * The Node majors of --node, for the micro layer and the bench alike: two
 * or more, since one runtime compares with nothing. `example` is the
 * command line the errors show; each caller turns them into its usage error.
 */
export function parseComparedRuntimes(value: string, example: string): number[] {
  const majors = parseRuntimes(value, example);
  if (majors.length < 2) {
    throw new Error(
      `--node compares runtimes: name two majors or more, e.g. --node=20,24; got "${value}".`,
    );
  }
  return majors;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: argv.filter((arg) => arg !== '--'),
    strict: true,
    options: {
      quick: { type: 'boolean' },
      blocks: { type: 'string' },
      'block-ms': { type: 'string' },
      drivers: { type: 'string' },
      operations: { type: 'string' },
      results: { type: 'string' },
      docs: { type: 'string' },
      node: { type: 'string' },
      pairs: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
}

function positive(flag: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new MicroUsageError(`--${flag} must be a whole number of at least 1; got "${value}".`);
  }
  return n;
}

/**
 * The micro layer's options for a `turbo bench` run: its own defaults
 * (quick or full), on the run's drivers, writing where the run writes.
 */
export function microOptionsFromBench(bench: {
  readonly quick: boolean;
  readonly drivers: readonly MicroDriver[];
  readonly resultsDir: string;
  readonly docsDir: string | undefined;
  readonly node?: readonly number[] | undefined;
}): MicroOptions {
  const defaults = parseMicroOptions([
    ...(bench.quick ? ['--quick'] : []),
    ...(bench.node ? [`--node=${bench.node.join(',')}`] : []),
  ]) as MicroOptions;
  return {
    ...defaults,
    drivers: bench.drivers,
    resultsDir: bench.resultsDir,
    docsDir: bench.docsDir,
  };
}
