import { type BenchResults, type Cell, formatRatio, type RatioInterval } from '@lifetimes/bench';

export type { Cell, RatioInterval } from '@lifetimes/bench';
/** What docs/results/latest.json holds: the bench's own result type. */
export type Results = BenchResults;

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

export const NONE_FINISHED = 'none finished';

/** Requests per second over the measured duration; a cell where no request finished says so. */
export function rate(c: Cell): string {
  return c.finished && c.requestsPerSec
    ? `${Math.round(c.requestsPerSec.median).toLocaleString('en-US')}/s`
    : NONE_FINISHED;
}

/** A cell's rate with its paired ratio to the baseline; a cell where none finished says only that, once. */
export function rateAndRatio(c: Cell): string {
  if (!c.finished) return NONE_FINISHED;
  if (c.strategy === 'baseline') return `${rate(c)} (reference)`;
  return c.ratioToBaseline ? `${rate(c)} ${ratio(c.ratioToBaseline)}` : rate(c);
}

/** `×0.42 [0.40–0.44]`, or `≈1 (not resolved) [0.91–1.08]`. */
export function ratio(value: RatioInterval | undefined): string {
  return value === undefined ? '–' : formatRatio(value);
}

/** A cell's paired ratio to the baseline alone, "of baseline"; "none finished" for a cell without one. */
export function ratioOf(c: Cell): string {
  return c.finished ? `${ratio(c.ratioToBaseline)} of baseline` : NONE_FINISHED;
}

/** A figure of a cell where a request finished; `–` where none did. */
export function figure(
  c: Cell | undefined,
  pick: (c: Cell) => number | undefined,
  digits = 0,
): string {
  const value = c?.finished ? pick(c) : undefined;
  return value === undefined
    ? '–'
    : value.toLocaleString('en-US', {
        maximumFractionDigits: digits,
        minimumFractionDigits: digits,
      });
}
