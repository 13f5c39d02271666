import { describe, expect, it } from 'vitest';
import { type Completion, recoverySeconds, successRate } from '../src/faults/recovery.js';

/** One success every `everyMs` from `from` to `to`, failures at the given moments. */
function traffic(
  from: number,
  to: number,
  everyMs: number,
  failAt: readonly number[] = [],
): Completion[] {
  const out: Completion[] = [];
  for (let at = from; at < to; at += everyMs) out.push({ at, ok: true });
  return [...out, ...failAt.map((at) => ({ at, ok: false }))];
}

const rule = { windowMs: 500, stepMs: 50, minRatePerMs: 0.05 };

describe('recoverySeconds', () => {
  it('is 0 when the stretch right after the fault is clean and busy', () => {
    expect(recoverySeconds(traffic(0, 3000, 10), [1000], 3000, rule)).toEqual([0]);
  });

  it('is the start of the first clean stretch after the last failure the fault caused', () => {
    const completions = traffic(0, 3000, 10, [1010, 1120, 1180]);
    expect(recoverySeconds(completions, [1000], 3000, rule)).toEqual([0.2]);
  });

  it('waits for the rate to come back, not only for the failures to stop', () => {
    // Nothing at all from 1000 to 1400, then the usual 10 ms pace: a stretch
    // needs 40 successes in 500 ms, so the first one starts at 1300.
    const completions = [...traffic(0, 1000, 10), ...traffic(1400, 3000, 10)];
    expect(recoverySeconds(completions, [1000], 3000, { ...rule, minRatePerMs: 0.08 })).toEqual([
      0.3,
    ]);
  });

  it('is undefined for a fault after which the app did not recover before the next one', () => {
    const completions = traffic(0, 3000, 10, [1100, 1300, 1500, 1700, 1900, 2100]);
    expect(recoverySeconds(completions, [1000, 2000], 3000, rule)).toEqual([undefined, 0.15]);
  });
});

describe('successRate', () => {
  it('counts successes per millisecond in the range', () => {
    expect(successRate(traffic(0, 1000, 10, [500]), 0, 1000)).toBeCloseTo(0.1);
    expect(successRate([], 5, 5)).toBe(0);
  });
});
