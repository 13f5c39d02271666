/** The slice of bench/src/results.ts the docs read: what latest.json holds per cell. */
export interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export interface Cell {
  readonly strategy: string;
  readonly driver: 'sqlite' | 'postgres';
  readonly workload: string;
  readonly trials: number;
  readonly requestsPerSec: Spread;
  readonly p50Ms: Spread;
  readonly p99Ms: Spread;
  readonly connectionsPerRequest: Spread;
  readonly peakServerConnections?: Spread;
  readonly peakRssMb?: Spread;
  readonly ratioToBaseline?: number;
  readonly ratioToKyselyPlain?: number;
  readonly passed: boolean;
}

export interface Results {
  readonly startedAt: string;
  readonly machine: { readonly cpus: number; readonly node: string };
  readonly method: {
    readonly quick: boolean;
    readonly trials: number;
    readonly durationSec: number;
  };
  readonly cells: readonly Cell[];
  readonly passed: boolean;
}

/** Looks a cell up, failing loudly: a page quoting a cell the run lacks must not render a blank. */
export function cell(results: Results, strategy: string, driver: string, workload: string): Cell {
  const found = results.cells.find(
    (c) => c.strategy === strategy && c.driver === driver && c.workload === workload,
  );
  if (!found) {
    throw new Error(
      `docs/results/latest.json has no ${strategy}/${driver}/${workload} cell: run the full bench (npx turbo bench), then npm run docs -w @lifetimes/docs.`,
    );
  }
  return found;
}

/** Requests per second; a cell where no request finished within a round says so rather than "0/s". */
export function rate(value: number): string {
  return value === 0
    ? 'none finished in a round'
    : `${Math.round(value).toLocaleString('en-US')}/s`;
}

/** A cell's rate with its ratio to the baseline; a cell where none finished says only that, once. */
export function rateAndRatio(c: Cell): string {
  const perSec = rate(c.requestsPerSec.median);
  return c.requestsPerSec.median === 0 ? perSec : `${perSec} (${ratio(c.ratioToBaseline)})`;
}

export function ratio(value: number | undefined): string {
  if (value === undefined) return '–';
  return value === 0 ? '×0 (none finished in a round)' : `×${value.toFixed(2)}`;
}
