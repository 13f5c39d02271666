import { describe, expect, it } from 'vitest';
import {
  bootstrapMedian,
  formatRatio,
  median,
  pairedRatio,
  pairSide,
} from '../src/shared/paired-ratio.js';

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('refuses no values with a message', () => {
    expect(() => median([])).toThrow(/at least one pair/);
  });
});

describe('bootstrapMedian', () => {
  it('is reproducible: the same samples and seed give the same interval', () => {
    const samples = [1.1, 0.9, 1.3, 1.2, 0.95, 1.05, 1.4, 1.0];
    expect(bootstrapMedian(samples)).toEqual(bootstrapMedian(samples));
  });

  it('brackets the median, and narrows as samples agree', () => {
    const wide = bootstrapMedian([0.5, 1.5, 0.7, 1.4, 0.8, 1.3, 0.6, 1.2]);
    const narrow = bootstrapMedian([1.0, 1.01, 0.99, 1.0, 1.02, 0.98, 1.0, 1.01]);
    expect(wide.low).toBeLessThanOrEqual(wide.median);
    expect(wide.high).toBeGreaterThanOrEqual(wide.median);
    expect(narrow.high - narrow.low).toBeLessThan((wide.high - wide.low) / 10);
  });

  it('gives a single sample no spread at all', () => {
    expect(bootstrapMedian([2])).toEqual({ median: 2, low: 2, high: 2 });
  });
});

describe('pairedRatio', () => {
  it('divides pair by pair, so a drift both rows share cancels out', () => {
    // Both rows climb threefold over the run; each pair keeps subject = 1.5 x reference.
    const reference = [1000, 1500, 2000, 2500, 3000];
    const subject = reference.map((value) => value * 1.5);
    const ratio = pairedRatio(subject, reference);
    expect(ratio).toMatchObject({ median: 1.5, low: 1.5, high: 1.5, pairs: 5, resolved: true });
  });

  it('is not resolved when the interval contains 1', () => {
    const ratio = pairedRatio([1.2, 0.8, 1.1, 0.9, 1.05, 0.95], [1, 1, 1, 1, 1, 1]);
    expect(ratio?.resolved).toBe(false);
    expect(ratio?.low).toBeLessThan(1);
    expect(ratio?.high).toBeGreaterThan(1);
  });

  it('resolves a small, steady difference', () => {
    const ratio = pairedRatio([0.96, 0.95, 0.97, 0.96, 0.94, 0.96, 0.95, 0.97], Array(8).fill(1));
    expect(ratio?.resolved).toBe(true);
    expect(ratio?.high).toBeLessThan(1);
  });

  it('leaves out pairs where a side finished nothing, and gives no ratio when none is left', () => {
    expect(pairedRatio([2, 0, 4], [1, 1, 0])).toMatchObject({ median: 2, pairs: 1 });
    expect(pairedRatio([0, 0], [1, 1])).toBeUndefined();
  });

  it('refuses unpaired samples', () => {
    expect(() => pairedRatio([1, 2], [1])).toThrow(/one reference sample per subject sample/);
  });
});

describe('formatRatio', () => {
  it('prints a resolved ratio with its interval', () => {
    expect(formatRatio({ median: 1.234, low: 1.1, high: 1.35, pairs: 8, resolved: true })).toBe(
      '×1.23 [1.10–1.35]',
    );
  });

  it('prints an unresolved ratio as ≈1, never as a difference', () => {
    expect(formatRatio({ median: 1.2, low: 0.9, high: 1.4, pairs: 8, resolved: false })).toBe(
      '≈1 (not resolved) [0.90–1.40]',
    );
  });

  it('prints n/a where there is no ratio', () => {
    expect(formatRatio(undefined)).toBe('n/a');
  });
});

describe('pairSide', () => {
  const rounds = [
    { pair: 1, side: 'a', value: 10 },
    { pair: 1, side: 'b', value: 20 },
    { pair: 2, side: 'b', value: 22 },
    { pair: 2, side: 'a', value: undefined },
    { pair: 3, side: 'b', value: 24 },
  ];
  const of = (side: string) =>
    pairSide(
      rounds,
      (round) => round.side === side,
      (round) => round.value,
    );

  it('lines each side up pair for pair, whatever order the rounds ran in', () => {
    expect(of('b')).toEqual([20, 22, 24]);
  });

  it('keeps a pair without the round, or without its value, as NaN, so pairedRatio leaves it out', () => {
    expect(of('a')).toEqual([10, Number.NaN, Number.NaN]);
    expect(pairedRatio(of('b'), of('a'))?.pairs).toBe(1);
  });
});
