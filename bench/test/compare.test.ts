import { describe, expect, it } from 'vitest';
import { compareMarkdown, compareRuns, compareText } from '../src/matrix/compare.js';
import type { BenchResults, Cell, RatioInterval } from '../src/matrix/results.js';

const interval = (median: number, low: number, high: number): RatioInterval => ({
  median,
  low,
  high,
  pairs: 6,
  resolved: low > 1 || high < 1,
});

function run(ratios: Record<string, RatioInterval>): BenchResults {
  const cells = Object.entries(ratios).map(
    ([strategy, ratio]) =>
      ({ strategy, driver: 'postgres', workload: 'db', ratioToBaseline: ratio }) as unknown as Cell,
  );
  return { cells } as unknown as BenchResults;
}

describe('compareRuns', () => {
  it('flags a resolved ratio that moved by more than 10%, and not a move inside the noise', () => {
    const a = run({
      'per-query': interval(0.4, 0.38, 0.42),
      'per-request': interval(0.5, 0.48, 0.52),
      'scoped-session': interval(1.0, 0.8, 1.2),
    });
    const b = run({
      'per-query': interval(0.6, 0.57, 0.63),
      'per-request': interval(0.52, 0.5, 0.54),
      'scoped-session': interval(1.15, 0.85, 1.3),
    });
    const changes = compareRuns(a, b);
    const flagged = changes.filter((c) => c.flagged).map((c) => c.what);
    expect(flagged).toEqual(['postgres db per-query / baseline']);
    const scoped = changes.find((c) => c.what.includes('scoped-session'));
    expect(scoped?.change).toBeCloseTo(0.15);
    expect(scoped?.flagged).toBe(false);
    const text = compareText(changes);
    expect(text).toMatch(
      /per-query \/ baseline\s+×0\.40 \[0\.38–0\.42\]\s+×0\.60 \[0\.57–0\.63\]\s+\+50%\s+MOVED/,
    );
    expect(text).toContain(
      '1 of 3 ratios in both runs moved by more than 10% while resolved in either run; 1 with intervals that do not overlap.',
    );
    expect(changes.map((c) => c.disjoint)).toEqual([true, false, false]);
  });
});

describe('compareMarkdown', () => {
  it('counts the moved ratios, marks them, and prints an unresolved one as not resolved', () => {
    const a = run({
      'per-query': interval(0.4, 0.38, 0.42),
      'per-request': interval(1.0, 0.8, 1.2),
    });
    const b = run({
      'per-query': interval(0.6, 0.57, 0.63),
      'per-request': interval(1.05, 0.9, 1.2),
    });
    const page = compareMarkdown(compareRuns(a, b), ['a.json', 'b.json']);
    expect(page).toContain(
      '**1 of 2 ratios moved by more than 10% while resolved in either run; 1 with intervals that do not overlap.**',
    );
    expect(page).toMatch(
      /\| postgres db per-query \/ baseline \| ×0\.40 .*\| \+50% \| moved, apart \|/,
    );
    expect(page).toMatch(
      /\| postgres db per-request \/ baseline \| ≈1 \(not resolved\).*\| \+5% \| {2}\|/,
    );
  });
});
