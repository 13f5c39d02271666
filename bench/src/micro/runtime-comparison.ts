import { median, pairedRatio, type RatioInterval } from '../shared/paired-ratio.js';
import type { MicroDriver } from './micro-options.js';
import type { MicroResults } from './micro-results.js';

/** One run of the micro layer in its own process: pair `pair`, under Node `version`. */
export interface RuntimeRun {
  readonly version: string;
  readonly pair: number;
  readonly results: MicroResults;
}

/** One row of one operation, on every runtime. */
export interface RuntimeRow {
  readonly driver: MicroDriver;
  readonly operation: string;
  readonly row: string;
  /** Per runtime, in the order of `versions`: the median over its runs of each run's median µs/op. */
  readonly usPerOp: readonly number[];
  /** Per runtime: promises per op, the median over its runs. */
  readonly promisesPerOp: readonly number[];
  /** Per runtime after the first: its µs/op over the first's, one ratio per pair of runs. */
  readonly ratios: readonly (RatioInterval | null)[];
}

/** A comparison of two rows (a lifetime over its reference) measured on each runtime apart. */
export interface RuntimeLifetime {
  readonly driver: MicroDriver;
  readonly operation: string;
  readonly subject: string;
  readonly reference: string;
  /** Per runtime: subject / reference over the blocks of all its runs. */
  readonly ratios: readonly (RatioInterval | null)[];
}

export interface RuntimeComparison {
  /** The runtimes compared, the reference first. */
  readonly versions: readonly string[];
  readonly pairs: number;
  readonly rows: readonly RuntimeRow[];
  readonly lifetimes: readonly RuntimeLifetime[];
}

interface Key {
  readonly driver: MicroDriver;
  readonly operation: string;
}

/**
 * What the runtime changes, from runs made in pairs: every pair holds one
 * run under each runtime, back to back, so a drift of the machine lands on
 * both alike and cancels in the pair's ratio, as two strategies' rounds do
 * in the HTTP matrix. A row's ratio is taken per pair; a lifetime's ratio to
 * its reference is taken per block, within one runtime, as the micro layer
 * does.
 */
export function compareRuntimes(
  versions: readonly string[],
  runs: readonly RuntimeRun[],
): RuntimeComparison {
  const pairs = [...new Set(runs.map((run) => run.pair))].sort((a, b) => a - b);
  const runOf = (version: string, pair: number) =>
    runs.find((run) => run.version === version && run.pair === pair);
  const operationOf = (results: MicroResults | undefined, { driver, operation }: Key) =>
    results?.drivers
      .find((measured) => measured.driver === driver)
      ?.operations.find((measured) => measured.name === operation);

  // What was measured, in the order the reference runtime's first run measured it.
  const first = runs.find((run) => run.version === versions[0]);
  const keys: Key[] = (first?.results.drivers ?? []).flatMap(({ driver, operations }) =>
    operations.map(({ name }) => ({ driver, operation: name })),
  );

  const rows: RuntimeRow[] = keys.flatMap((key) =>
    (operationOf(first?.results, key)?.rows ?? []).map(({ name }) => {
      // Per runtime, per pair: that run's median µs/op for this row (NaN when missing).
      const figure = (version: string, pair: number, pick: 'median' | 'promisesPerOp') => {
        const row = operationOf(runOf(version, pair)?.results, key)?.rows.find(
          (measured) => measured.name === name,
        );
        return row ? row[pick] : Number.NaN;
      };
      const series = (version: string, pick: 'median' | 'promisesPerOp') =>
        pairs.map((pair) => figure(version, pair, pick));
      const middle = (values: number[]) => {
        const finite = values.filter(Number.isFinite);
        return finite.length > 0 ? median(finite) : Number.NaN;
      };
      const reference = series(versions[0] ?? '', 'median');
      return {
        ...key,
        row: name,
        usPerOp: versions.map((version) => middle(series(version, 'median'))),
        promisesPerOp: versions.map((version) => middle(series(version, 'promisesPerOp'))),
        ratios: versions
          .slice(1)
          .map((version) => pairedRatio(series(version, 'median'), reference) ?? null),
      };
    }),
  );

  const lifetimes: RuntimeLifetime[] = keys.flatMap((key) =>
    (operationOf(first?.results, key)?.comparisons ?? []).map(({ subject, reference }) => ({
      ...key,
      subject,
      reference,
      ratios: versions.map((version) => {
        const subjectBlocks: number[] = [];
        const referenceBlocks: number[] = [];
        for (const pair of pairs) {
          const rowsOfRun = operationOf(runOf(version, pair)?.results, key)?.rows;
          const a = rowsOfRun?.find((row) => row.name === subject)?.usPerOp;
          const b = rowsOfRun?.find((row) => row.name === reference)?.usPerOp;
          if (!a || !b || a.length !== b.length) continue;
          subjectBlocks.push(...a);
          referenceBlocks.push(...b);
        }
        return pairedRatio(subjectBlocks, referenceBlocks) ?? null;
      }),
    })),
  );

  return { versions, pairs: pairs.length, rows, lifetimes };
}
